"""Score the table parser and the checks against gold cells.

    python -m gongkai.evaluation.tables_eval [--gold data/tables/synthetic.jsonl] [--seeds tests/data/seed_tables_gold.json]

Cell accuracy: gold cells whose (table, row, column) was read with the right value (a blank gold
cell must be read as blank). Table exact match: tables whose every gold cell is right and that
have no cell gold lacks. Check precision: reported failures that are real inconsistencies, where
"real" means the same check fails on the gold cells.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from gongkai.tables.checks import check_tables
from gongkai.tables.parser import Cell, Table, parse_tables


def _key(c) -> tuple:
    return (c["table"], c["row"], c["column"]) if isinstance(c, dict) else (c.table, c.row, c.column)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def gold_tables(text: str, cells: list[dict], parsed: list[Table]) -> list[Table]:
    """Tables holding the gold cells (same regions as parsed ones) to compute the expected checks."""
    by_table = defaultdict(list)
    for c in cells:
        by_table[c["table"]].append(Cell(c["table"], c["row"], c["column"], c["value"], c.get("start"), c.get("end")))
    region = {t.table: (t.start, t.end, t.version) for t in parsed}
    out = []
    for name, cs in by_table.items():
        start, end, version = region.get(name, (0, len(text), None))
        out.append(Table(name, version, start, end, cs))
    return out


def score_document(text: str, gold_cells: list[dict], quantities: list[dict] | None = None) -> dict:
    parsed = parse_tables(text)
    pred = {_key(c): c.value for t in parsed for c in t.cells}
    gold = {_key(c): c["value"] for c in gold_cells}
    per_table = defaultdict(lambda: {"gold": 0, "correct": 0, "spurious": 0})
    for k, v in gold.items():
        per_table[k[0]]["gold"] += 1
        if k in pred and _same(pred[k], v):
            per_table[k[0]]["correct"] += 1
    for k in pred:
        if k not in gold:
            per_table[k[0]]["spurious"] += 1
    expected = {c.name for c in check_tables(text, gold_tables(text, gold_cells, parsed), quantities) if c.status == "fail"}
    reported = {c.name for c in check_tables(text, parsed, quantities) if c.status == "fail"}
    return {"tables": dict(per_table), "expected_fails": expected, "reported_fails": reported}


def summarise(results: list[tuple[str, dict]]) -> dict:
    by_shape = defaultdict(lambda: {"gold": 0, "correct": 0, "tables": 0, "exact": 0})
    tp = fp = fn = 0
    false_on_consistent = 0
    consistent_docs = 0
    for shape, r in results:
        for t in r["tables"].values():
            s = by_shape[shape]
            s["gold"] += t["gold"]
            s["correct"] += t["correct"]
            s["tables"] += 1
            s["exact"] += int(t["gold"] == t["correct"] and t["spurious"] == 0)
        tp += len(r["reported_fails"] & r["expected_fails"])
        fp += len(r["reported_fails"] - r["expected_fails"])
        fn += len(r["expected_fails"] - r["reported_fails"])
        if not r["expected_fails"]:
            consistent_docs += 1
            false_on_consistent += len(r["reported_fails"])
    out = {"by_shape": {}, "checks": {
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "true_failures": tp, "false_failures": fp, "missed_failures": fn,
        "consistent_documents": consistent_docs, "false_failures_on_consistent": false_on_consistent}}
    for shape, s in by_shape.items():
        out["by_shape"][shape] = {"cell_accuracy": s["correct"] / s["gold"] if s["gold"] else None,
                                  "table_exact_match": s["exact"] / s["tables"] if s["tables"] else None,
                                  "cells": s["gold"], "tables": s["tables"]}
    return out


def evaluate_synthetic(docs) -> dict:
    results = []
    for d in docs:
        quantities = [{"start": q.start, "end": q.end, "type": q.type, "value": q.value} for q in d.quantities]
        results.append((d.meta["shape"], score_document(d.text, d.meta["tables"], quantities)))
    return summarise(results)


def evaluate_seeds(gold_path, sample_dir) -> dict:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    results = []
    for doc_id, cells in gold.items():
        if doc_id == "unreadable":
            continue
        text = (Path(sample_dir) / f"{doc_id}.txt").read_text(encoding="utf-8")
        results.append((doc_id, score_document(text, cells)))
    return summarise(results)


def main(argv=None):
    from gongkai.scheme import load_jsonl

    ap = argparse.ArgumentParser(description="Score the table parser and checks against gold cells.")
    ap.add_argument("--gold", default="data/tables/synthetic.jsonl")
    ap.add_argument("--seeds", default="tests/data/seed_tables_gold.json")
    ap.add_argument("--sample", default="data/sample")
    args = ap.parse_args(argv)
    out = {"synthetic": evaluate_synthetic(load_jsonl(args.gold))}
    if Path(args.seeds).exists():
        out["seeds"] = evaluate_seeds(args.seeds, args.sample)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
