"""The Ray engine on a local Ray: same rows as the local engine (slow: starts a Ray runtime)."""

import json
import subprocess
import sys

import pytest

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'gongkai[ray]'")

REPORT = "某县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息1234条，受理12345热线工单6713件。"


@pytest.mark.slow
def test_ray_engine_matches_local(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(5):
        (d / f"r{i}.txt").write_text(REPORT.replace("1234", str(1234 + i)), encoding="utf-8")
    (d / "bad.pdf").write_bytes(b"not a pdf")
    local, viaray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run = lambda *a: subprocess.run([sys.executable, "-m", "gongkai.cli", "predict", *map(str, a), "--quiet"],
                                    capture_output=True, text=True, timeout=600)
    assert run(d, "-o", local, "--workers", "1").returncode == 1
    proc = run(d, "-o", viaray, "--engine", "ray", "--workers", "2")
    assert proc.returncode == 1, proc.stderr
    assert viaray.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    errors = [json.loads(l) for l in viaray.read_text(encoding="utf-8").splitlines() if '"error"' in l]
    assert len(errors) == 1 and "bad.pdf" in errors[0]["error"]
