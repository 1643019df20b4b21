"""Reproduce the shipped models and every figure of the README in one command.

    python -m gongkai.training.release [--realdev ../shared/realdev/gold.jsonl] [--cv 5]

Builds the corpus from ``data/source``, trains both models on the train split, scores the
pipeline, the rule baselines and the installed peers on the test split (and on the real passages
when given), runs grouped cross-validation and the robustness sets, and writes the model cards
(``models/*/README.md``) and ``evaluation/RESULTS.md`` / ``evaluation/results.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from gongkai.evaluation.harness import cross_validate, peer_predictions, score_systems, standard_systems
from gongkai.evaluation.metrics import HEADLINE
from gongkai.scheme import load_jsonl

from .corpus import SPLITS, corpus_stats, load_split, write_corpus
from .perturb import ROBUSTNESS
from .train import train_quantities, train_sections

SHORT = {"section_accuracy": "sec acc", "section_macro_f1": "sec macro-F1", "span_f1": "span F1",
         "typed_f1": "typed F1", "overlap_f1": "overlap F1", "value_accuracy": "value acc",
         "unit_accuracy": "unit acc", "qualifier_accuracy": "qual acc"}


def _row(name: str, m: dict, keys=HEADLINE) -> str:
    cells = []
    for k in keys:
        v = m.get(k)
        if k.startswith("section") and not m.get("predicts_sections", True):
            v = None
        cells.append("—" if v is None else f"{v:.3f}")
    return f"| {name} | " + " | ".join(cells) + " |"


def _table(results: dict[str, dict]) -> str:
    head = "| system | " + " | ".join(SHORT[k] for k in HEADLINE) + " |\n|---|" + "---:|" * len(HEADLINE)
    return head + "\n" + "\n".join(_row(n, m) for n, m in results.items())


def _strip(results: dict) -> dict:
    return {n: {k: v for k, v in m.items() if k != "errors"} for n, m in results.items()}


def model_card(kind: str, training: dict, test: dict, cv: dict | None, realdev: dict | None, per_class: dict) -> str:
    name = {"sections": "gongkai_sections — section of every line", "quantities": "gongkai_quantities — typed quantities"}[kind]
    keys = ("section_accuracy", "section_macro_f1") if kind == "sections" else (
        "span_f1", "typed_f1", "overlap_f1", "value_accuracy", "unit_accuracy", "qualifier_accuracy")
    lines = [f"# {name}", "",
             "Model card. Trained by `gongkai train " + kind + " --data data/ -o models/" + kind + "` (train + dev splits; test held out); "
             "reproduced with every figure below by `python -m gongkai.training.release`.", "",
             "## Model",
             ("A linear-chain CRF (trained with CRFsuite) over the lines of a report: the line's characters, "
              "character bigrams and trigrams, the first characters' bigrams, numbering style, heading keywords, the "
              "last top-level heading seen, position, table-row and chrome shape; the whole document decoded jointly "
              "with learned transitions."
              if kind == "sections" else
              "A character-level CRF (trained with CRFsuite) with BIO tags over the ten types, run on windows around "
              "numerals (from a qualifier word before them to six characters after, stopping at punctuation): "
              "characters and their classes in a ±3 window, bigrams and trigrams, the nearest keyword group to the "
              "left in the same clause, the line's section and whether the line is a table row; decoding keeps to "
              "valid BIO sequences. Spans go through the exact normaliser; bare numerals and date/time units are "
              "dropped; table rows and chrome are skipped."),
             "Features are integer keys; prediction runs compiled (numba): weights looked up in a hash table, "
             "Viterbi and forward-backward marginals, no Python per character.",
             "Files: `config.json`, the CRFsuite model file (CRFsuite's own binary format) and `weights.npz` "
             "(its weights as plain arrays, loaded with `allow_pickle=False`); no pickle.", "",
             "## Training",
             f"- data: splits {training['trained_on']}, {training['documents']} documents, hash `{training['data_hash']}`; "
             f"augmented: {training['augment']} (excerpts, stripped headings, hard wraps, metadata blocks / full-width digits, spaces)",
             f"- seed {training['seed']}; training time {training['training_seconds']} s on 1 CPU core",
             "- versions: " + ", ".join(f"{k} {v}" for k, v in training["versions"].items()), "",
             "## Metrics (held-out documents)", "",
             "| set | " + " | ".join(SHORT[k] for k in keys) + " |", "|---|" + "---:|" * len(keys)]
    def fmt(v):
        return "—" if v is None else f"{v:.3f}"
    lines.append("| test split (issuers and years unseen in training) | " + " | ".join(fmt(test.get(k)) for k in keys) + " |")
    if cv:
        lines.append("| grouped 5-fold CV (mean ± std) | " + " | ".join(
            f"{fmt(cv[k]['mean'])} ± {cv[k]['std']:.3f}" for k in keys) + " |")
    if realdev:
        lines.append("| real passages (shared/realdev) | " + " | ".join(fmt(realdev.get(k)) for k in keys) + " |")
    lines += ["", "Per class on the test split (F1):", "",
              " · ".join(f"{c} {v['f1']:.2f} ({v['support']})" for c, v in per_class.items()), "",
              "## Limits",
              "- Trained on a small corpus: 5 real reports and documents written by the team in the genre's "
              "variety; real reports differ in ways the corpus does not show (see the real-passage row).",
              "- Excerpts without their top-level heading are decided by content; the sub-parts of 总体情况 "
              "that talk about 主动公开 / 依申请公开 are the most confused lines." if kind == "sections" else
              "- Typing follows the context keywords; counts whose type depends on wider context (a hotline "
              "section's 办结 figures, decisions published vs. made) are the most confused."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Build, train, evaluate and write the model cards and results.")
    ap.add_argument("--data", default="data")
    ap.add_argument("--models", default="models")
    ap.add_argument("--realdev", default=None, help="Real annotated passages to score on (never trained on).")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--skip-train", action="store_true")
    args = ap.parse_args(argv)
    data, models = Path(args.data), Path(args.models)
    t0 = time.time()
    counts = write_corpus(data / "source", data)
    print("corpus:", counts, flush=True)
    if not args.skip_train:
        sec_card = train_sections(data, models / "sections")
        qty_card = train_quantities(data, models / "quantities")
    else:
        sec_card = json.loads((models / "sections" / "training.json").read_text(encoding="utf-8"))
        qty_card = json.loads((models / "quantities" / "training.json").read_text(encoding="utf-8"))
    print("trained", flush=True)
    systems = standard_systems(models)
    test = load_split(data, "test")
    results = {"test": score_systems(test, systems, peer_predictions(test))}
    if args.realdev and Path(args.realdev).exists():
        real = load_jsonl(args.realdev)
        results["realdev"] = score_systems(real, systems, peer_predictions(real))
    robustness = {name: score_systems(make(test), systems) for name, make in ROBUSTNESS.items()}
    cv = None
    if args.cv:
        corpus = [d for s in SPLITS for d in load_split(data, s)]
        cv = cross_validate(corpus, k=args.cv)
    from gongkai.evaluation.tables_eval import evaluate_seeds, evaluate_synthetic

    tables = {"synthetic": evaluate_synthetic(load_jsonl(data / "tables" / "synthetic.jsonl"))}
    if Path("tests/data/seed_tables_gold.json").exists():
        tables["seeds"] = evaluate_seeds("tests/data/seed_tables_gold.json", data / "sample")
    print("evaluated", flush=True)
    test_g = results["test"]["gongkai"]
    real_g = results.get("realdev", {}).get("gongkai")
    (models / "sections" / "README.md").write_text(model_card(
        "sections", sec_card, test_g, cv["gongkai"] if cv else None, real_g,
        test_g["sections"]["per_label"]), encoding="utf-8")
    (models / "quantities" / "README.md").write_text(model_card(
        "quantities", qty_card, test_g, cv["gongkai"] if cv else None, real_g,
        test_g["quantities"]["per_type"]), encoding="utf-8")
    out = {"corpus": corpus_stats([d for s in SPLITS + ("heldback",) for d in load_split(data, s)]),
           "results": {k: _strip(v) for k, v in results.items()},
           "robustness": {k: _strip(v) for k, v in robustness.items()}, "cv": cv, "tables": tables,
           "seconds": round(time.time() - t0, 1)}
    Path("evaluation/results.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    md = ["# Results", "", "Written by `python -m gongkai.training.release --realdev ../shared/realdev/gold.jsonl`.",
          "All figures on documents no model was trained on.", "",
          f"## Test split ({len(test)} documents; issuers and report years unseen in training)", "", _table(results["test"])]
    if "realdev" in results:
        md += ["", "## Real passages (shared/realdev, 83 passages; never trained on)", "", _table(results["realdev"])]
    if cv:
        md += ["", f"## Grouped {args.cv}-fold cross-validation by issuer (whole corpus, mean ± std)", "",
               "| system | " + " | ".join(SHORT[k] for k in HEADLINE) + " |", "|---|" + "---:|" * len(HEADLINE)]
        for name, r in cv.items():
            md.append(f"| {name} | " + " | ".join("—" if r[k]["mean"] is None else f"{r[k]['mean']:.3f} ± {r[k]['std']:.3f}" for k in HEADLINE) + " |")
    md += ["", "## Statistical tables (`python -m gongkai.evaluation.tables_eval`)", "",
           "Cell accuracy = gold cells read with the right row, column and value; exact match = tables with every "
           "gold cell right and nothing extra. Generated documents: every flattening, both template versions, a third "
           "with a planted inconsistency. Seeds: the real reports' tables against a hand transcription.", "",
           "| documents | shape | cells | cell accuracy | table exact match |", "|---|---|---:|---:|---:|"]
    for src, res in tables.items():
        for shape, r in res["by_shape"].items():
            md.append(f"| {src} | {shape} | {r['cells']} | {r['cell_accuracy']:.3f} | {r['table_exact_match']:.3f} |")
    for src, res in tables.items():
        c = res["checks"]
        md.append(f"\nChecks on {src} documents: precision {c['precision']:.3f}, recall {c['recall']:.3f} "
                  f"({c['true_failures']} true failures, {c['false_failures']} false), "
                  f"{c['false_failures_on_consistent']} false failures on {c['consistent_documents']} consistent documents.")
    md += ["", "## Robustness (test split transformed, gold moved along)", ""]
    for name, res in robustness.items():
        md += [f"### {name}", "", _table(res), ""]
    Path("evaluation/RESULTS.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
