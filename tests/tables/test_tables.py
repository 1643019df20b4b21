"""Statistical tables: every flattening read cell by cell, checks that catch planted errors and
only those, real seed tables against a hand transcription."""

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from gongkai.evaluation.tables_eval import evaluate_seeds, evaluate_synthetic, score_document
from gongkai.scheme import validate
from gongkai.tables.checks import check_tables
from gongkai.tables.parser import parse_tables
from gongkai.training.tables_synth import SHAPES, make_corpus, make_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_flattening_is_read_cell_by_cell(shape, version):
    doc, planted = make_document(11, shape, version)
    result = score_document(doc.text, doc.meta["tables"])
    for table, counts in result["tables"].items():
        assert counts["correct"] == counts["gold"], (table, counts)
        assert counts["spurious"] == 0
    assert result["reported_fails"] == set() and planted == []


@pytest.mark.parametrize("plant", ["total", "text", "appeals"])
def test_planted_inconsistencies_are_found_with_their_numbers(plant):
    doc, planted = make_document(5, "pipe", "2021", plant)
    quantities = [{"start": q.start, "end": q.end, "type": q.type, "value": q.value} for q in doc.quantities]
    checks = check_tables(doc.text, parse_tables(doc.text), quantities)
    failed = {c.name for c in checks if c.status == "fail"}
    assert failed == set(planted)
    for c in checks:
        if c.status == "fail":
            assert c.left != c.right and all(x["start"] is not None for x in c.cells)


def test_synthetic_corpus_precision_and_accuracy():
    summary = evaluate_synthetic(make_corpus(n_per_shape=3, seed=99))
    assert summary["checks"]["false_failures"] == 0
    assert summary["checks"]["false_failures_on_consistent"] == 0
    for shape, s in summary["by_shape"].items():
        assert s["cell_accuracy"] >= 0.98, shape


def test_real_seed_tables_match_the_hand_transcription():
    summary = evaluate_seeds(ROOT / "tests" / "data" / "seed_tables_gold.json", ROOT / "data" / "sample")
    assert summary["by_shape"]["002_82b582e2cdba1379"]["cell_accuracy"] == 1.0
    assert summary["by_shape"]["003_9e5f5c4f9613fa02"]["cell_accuracy"] == 1.0
    assert summary["by_shape"]["004_fbcc47a07046e9b4"]["cell_accuracy"] >= 0.8   # OCR-garbled
    assert summary["checks"]["false_failures"] == 0


def test_unreadable_rows_are_reported_never_filled_with_zeros():
    text = (ROOT / "data" / "sample" / "004_fbcc47a07046e9b4.txt").read_text(encoding="utf-8")
    gold = json.loads((ROOT / "tests" / "data" / "seed_tables_gold.json").read_text(encoding="utf-8"))
    tables = {t.table: t for t in parse_tables(text)}
    active = tables["active"]
    assert not active.confident and any("licensing" in p for p in active.problems)
    # "156.04 7" is read as 156.047: spaces inside a number are a conversion artefact the scheme
    # itself ignores (1 2 3 条 → 123); the OCR garbage cells (4h, 0%) must stay unread.
    unreadable = {(u["table"], u["row"], u["column"]) for u in gold["unreadable"]
                  if u["report"].startswith("004") and u["column"] != "amount"}
    read = {(c.table, c.row, c.column) for t in tables.values() for c in t.cells}
    assert not (unreadable & read)


def test_text_against_table_names_both_positions():
    text = (ROOT / "data" / "sample" / "002_82b582e2cdba1379.txt").read_text(encoding="utf-8")
    start = text.index("292项")
    quantities = [{"start": start, "end": start + 4, "type": "REQUESTS", "value": 292}]
    checks = [c for c in check_tables(text, parse_tables(text), quantities) if c.status == "fail"]
    assert len(checks) == 1 and checks[0].left == 292 and checks[0].right == 294
    assert {x["row"] for x in checks[0].cells} == {"text", "new"}


def test_gold_table_cells_validate():
    doc, _ = make_document(3, "tab", "2019")
    assert validate(doc) == []
    doc.meta["tables"][0]["value"] = 99999
    assert any("value 99999" in str(p) for p in validate(doc))


def test_predict_and_check_commands(tmp_path):
    sample = ROOT / "data" / "sample" / "002_82b582e2cdba1379.txt"
    db = tmp_path / "o.duckdb"
    run = lambda *a: subprocess.run([sys.executable, "-m", "gongkai.cli", *map(str, a)], capture_output=True, text=True)
    assert run("predict", sample, "-o", db, "--quiet").returncode == 0
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM table_cells WHERE table_name = 'requests'").fetchone()[0] == 161
    assert con.execute("SELECT count(*) FROM checks WHERE status = 'fail'").fetchone()[0] == 1
    con.close()
    html = tmp_path / "t.html"
    proc = run("check", sample, "--html", html)
    assert proc.returncode == 0 and "INCONSISTENT" in proc.stdout and "292 vs 294" in proc.stdout
    assert "<table>" in html.read_text(encoding="utf-8")
