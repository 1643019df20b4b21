"""`gongkai evaluate` end to end: JSON keys, --compare, the HTML report rendered in Chromium."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.scheme import dump_jsonl, load_jsonl

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"section_accuracy", "section_macro_f1", "span_f1", "typed_f1", "overlap_f1", "value_accuracy",
        "unit_accuracy", "qualifier_accuracy"}


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def gold_and_preds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eval")
    gold = tmp / "gold.jsonl"
    dump_jsonl(load_jsonl(ROOT / "data" / "test.jsonl")[:4], gold)
    pred = tmp / "model.jsonl"
    rules = tmp / "rules.jsonl"
    assert run("predict", gold, "-o", pred, "--quiet", "--workers", "1").returncode == 0
    assert run("predict", gold, "-o", rules, "--quiet", "--workers", "1", "--sections", "rules",
               "--quantities", "rules").returncode == 0
    return tmp, gold, pred, rules


def test_evaluate_prediction_file_with_compare(gold_and_preds):
    tmp, gold, pred, rules = gold_and_preds
    metrics, report = tmp / "m.json", tmp / "r.html"
    proc = run("evaluate", gold, pred, "--compare", f"rules={rules}", "--json", metrics, "--html", report)
    assert proc.returncode == 0, proc.stderr
    m = json.loads(metrics.read_text(encoding="utf-8"))
    assert KEYS <= set(m)
    assert set(m["systems"]) == {"model", "rules"}
    assert m["section_accuracy"] > m["systems"]["rules"]["section_accuracy"]
    assert "per_label" in m["sections"] and "per_type" in m["quantities"]
    html = report.read_text(encoding="utf-8")
    assert "<script>" in html and "http://" not in html.split("<body>")[1] and "https://" not in html
    assert "filt('all'" in html and 'data-kind="' in html        # the error browser and its filters
    assert "Section confusion" in html and "<svg" in html          # heatmap and bar charts


def test_evaluate_bad_gold_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    proc = run("evaluate", bad, bad)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "bad.jsonl" in proc.stderr


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed (apt-get install chromium) — screenshot test skipped")
def test_html_report_renders_in_headless_chromium(gold_and_preds):
    tmp, gold, pred, rules = gold_and_preds
    report, shot = tmp / "r2.html", tmp / "r2.png"
    assert run("evaluate", gold, pred, "--compare", f"rules={rules}", "--html", report).returncode == 0
    proc = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={tmp / 'chrome'}", "--window-size=1200,1600",
                           f"--screenshot={shot}", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000, proc.stderr[-500:]
