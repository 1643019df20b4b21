"""Batch prediction: every input accounted for, resumable, deterministic, several output stores."""

import json
import subprocess
import sys

import duckdb
import pytest

from fixtures import BODY, make_docx, make_pdf

REPORT = "\n".join(BODY) + "\n全年受理12345热线工单6713件，回访满意率99.5%。"


def gongkai(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture()
def messy_dir(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "junk.txt").write_bytes(bytes(range(256)) * 16)
    (d / "gbk.txt").write_bytes(REPORT.encode("gbk"))
    (d / "broken.html").write_text("<html><body><div><p>一、总体情况<p>全年主动公开政府信息12条<table><tr><td>1", encoding="utf-8")
    (d / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage")
    docx_path = make_docx(d / "truncated.docx")
    docx_path.write_bytes(docx_path.read_bytes()[:500])
    (d / "big.txt").write_text(REPORT + "\n" + ("全年主动公开政府信息12条。" * 3_700_000), encoding="utf-8")  # ~50 MB
    (d / "locked.txt").write_text(REPORT, encoding="utf-8")
    (d / "locked.txt").chmod(0)
    make_pdf(d / "good.pdf")
    return d


def test_messy_batch_accounts_for_every_file(messy_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = gongkai("predict", messy_dir, "-o", out, "--workers", "2", "--quiet")
    assert proc.returncode == 1, proc.stderr            # some files failed, and the exit code says so
    assert "Traceback" not in proc.stderr
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    by_source = {r["source"].rsplit("/", 1)[-1]: r for r in records}
    names = {p.name for p in messy_dir.iterdir()}
    assert names == set(by_source)                     # every input has a row
    for bad in ("empty.txt", "junk.txt", "corrupt.pdf", "truncated.docx"):
        assert bad in by_source[bad]["error"]
    assert "longer than" in by_source["big.txt"]["error"]
    for good in ("gbk.txt", "broken.html", "good.pdf", "locked.txt"):
        assert "error" not in by_source[good], by_source[good]
    assert any(q["value"] == 6713 for q in by_source["gbk.txt"]["quantities"])


def test_jsonl_input_keeps_ids_and_offsets(tmp_path):
    texts = {"a": "  一、总体情况\r\n全年主动公开政府信息 1 2 3 条。\n", "b": REPORT}
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in texts.items()), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert gongkai("predict", inp, "-o", out, "--quiet", "--workers", "1").returncode == 0
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    for r in records:
        text = texts[r["id"]]
        assert r["text_length"] == len(text)
        for q in r["quantities"]:
            assert text[q["start"]:q["end"]] == q["text"]
        covered = [(p["start"], p["end"]) for p in r["paragraphs"]]
        assert all(text[s:e].strip() for s, e in covered)


def test_deterministic_and_resumable(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(6):
        (d / f"r{i}.txt").write_text(REPORT.replace("6713", str(6713 + i)), encoding="utf-8")
    out1, out2 = tmp_path / "o1.jsonl", tmp_path / "o2.jsonl"
    assert gongkai("predict", d, "-o", out1, "--workers", "2", "--quiet").returncode == 0
    assert gongkai("predict", d, "-o", out2, "--workers", "1", "--quiet").returncode == 0
    assert out1.read_bytes() == out2.read_bytes()
    # Simulate a run killed after three reports, mid-line: the rerun completes without duplicates.
    lines = out1.read_text(encoding="utf-8").splitlines(keepends=True)
    out1.write_text("".join(lines[:3]) + lines[3][:40], encoding="utf-8")
    proc = gongkai("predict", d, "-o", out1, "--workers", "1", "--quiet")
    assert proc.returncode == 0 and "3 already done" in proc.stderr
    assert sorted(out1.read_text(encoding="utf-8").splitlines()) == sorted(out2.read_text(encoding="utf-8").splitlines())


def test_duckdb_store_and_query(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("长沙市岳麓区人民政府2020年政府信息公开工作年度报告\n一、总体情况\n12345热线受理工单6713件。", encoding="utf-8")
    (d / "bad.pdf").write_bytes(b"nope")
    db = tmp_path / "out.duckdb"
    assert gongkai("predict", d, "-o", db, "--quiet").returncode == 1
    con = duckdb.connect(str(db))
    assert con.execute("SELECT issuer, year FROM reports").fetchall() == [("长沙市岳麓区人民政府", 2020)]
    assert con.execute("SELECT count(*) FROM errors").fetchone()[0] == 1
    rows = con.execute("SELECT issuer, year, type, value FROM report_quantities").fetchall()
    assert ("长沙市岳麓区人民政府", 2020, "HOTLINE", 6713.0) in rows
    con.close()
    # Rerun: nothing new to do, nothing duplicated.
    proc = gongkai("predict", d, "-o", db, "--quiet")
    assert "1 already done" in proc.stderr
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM errors").fetchone()[0] == 1


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_flat_table_outputs(tmp_path, ext):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / f"out.{ext}"
    assert gongkai("predict", d, "-o", out, "--quiet").returncode == 0
    for table in ("reports", "paragraphs", "quantities", "errors"):
        assert (tmp_path / f"out.{table}.{ext}").exists()


def test_unknown_output_extension_is_a_clear_error(tmp_path):
    proc = gongkai("predict", tmp_path, "-o", tmp_path / "out.xlsx")
    assert proc.returncode == 1 and "unknown output extension" in proc.stderr and "Traceback" not in proc.stderr
