"""Training end to end on a handful of corpus documents (slow: run with --runslow)."""

import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai.scheme import dump_jsonl, load_jsonl

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_train_both_models_and_load_them(tmp_path):
    data = tmp_path / "data"
    docs = load_jsonl(ROOT / "data" / "train.jsonl")[:12]
    dump_jsonl(docs, data / "train.jsonl")
    dump_jsonl(docs[:2], data / "dev.jsonl")
    for kind in ("sections", "quantities"):
        proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "train", kind, "--data", str(data),
                               "-o", str(tmp_path / "models" / kind)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    nlp = gongkai.load(tmp_path / "models")
    from gongkai.scheme import SECTIONS

    doc = nlp("一、总体情况\n全年主动公开政府信息1234条。")
    labels = [s.label_ for s in doc.spans["sections"]]
    assert len(labels) == 2 and set(labels) <= set(SECTIONS)   # a 12-document model: shape, not accuracy
    assert any(s.text == "1234条" for s in doc.spans["quantities"])


@pytest.mark.slow
def test_training_on_test_split_is_refused(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "train", "sections", "--data", str(ROOT / "data"),
                           "--splits", "train,test", "-o", str(tmp_path / "m")], capture_output=True, text=True)
    assert proc.returncode == 1 and "never trained on" in proc.stderr
