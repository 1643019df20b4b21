"""The annotated corpus: build it from the markup sources, split it, load it as a DatasetDict.

Splits are by document, and the test split holds only documents whose issuer and report year
appear nowhere in train, so no model is scored on an issuer or a year it has seen.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from gongkai.quantities import NormalizationError, normalize
from gongkai.scheme import AnnotatedDoc, LineLabel, Quantity, dump_jsonl, load_jsonl

from .markup import MarkupError, parse_markup

SPLITS = ("train", "dev", "test")
# Documents of a test issuer from a non-test year: neither trainable (the issuer would be seen)
# nor testable (their year is a training year). Kept apart, validated, used for nothing else.
HELD_BACK = "heldback"
# Report years held out: test and dev documents are those of these years (seed years stay in train).
TEST_YEARS = {2011, 2015, 2021}
DEV_YEARS = {2013, 2018, 2024}


class CorpusError(ValueError):
    pass


def source_to_doc(path: Path) -> AnnotatedDoc:
    """Convert one markup source file into an annotated document with normalised values."""
    src = parse_markup(path.read_text(encoding="utf-8"), name=str(path))
    quantities = []
    problems = []
    for q in src.quantities:
        span = src.text[q["start"]:q["end"]]
        if "value" in q:
            quantities.append(Quantity(q["start"], q["end"], q["type"], q["value"], q["unit"], q["qualifier"]))
            continue
        try:
            norm = normalize(span)
        except NormalizationError as exc:
            problems.append(f"{path}: quantity {span!r}: {exc} (give value|unit|qualifier by hand)")
            continue
        quantities.append(Quantity(q["start"], q["end"], q["type"], norm.number, norm.unit, norm.qualifier))
    if problems:
        raise MarkupError("\n".join(problems))
    meta = dict(src.meta)
    if "year" in meta:
        try:
            meta["year"] = int(meta["year"])
        except ValueError:
            raise MarkupError(f"{path}: year {meta['year']!r} is not a number") from None
    if "noise" in meta:
        meta["noise"] = [w.strip() for w in str(meta["noise"]).split(",") if w.strip()]
    meta["batch"] = path.parent.name
    doc_id = meta.pop("id")
    lines = [LineLabel(l["start"], l["end"], l["section"]) for l in src.lines]
    return AnnotatedDoc(doc_id, src.text, lines, quantities, meta)


def build_corpus(source_dir) -> tuple[list[AnnotatedDoc], list[str]]:
    """Convert every source under ``source_dir``; returns (documents, problems)."""
    docs, problems = [], []
    seen = set()
    for path in sorted(Path(source_dir).rglob("*.txt")):
        try:
            doc = source_to_doc(path)
        except MarkupError as exc:
            problems.append(str(exc))
            continue
        if doc.id in seen:
            problems.append(f"{path}: duplicate id {doc.id!r}")
            continue
        seen.add(doc.id)
        docs.append(doc)
    return docs, problems


def assign_splits(docs: list[AnnotatedDoc]) -> dict[str, list[AnnotatedDoc]]:
    """Split by report year and issuer: test/dev years and their issuers never occur in train."""
    splits = {s: [] for s in SPLITS}
    splits[HELD_BACK] = []
    for doc in docs:
        year = doc.meta.get("year")
        split = "test" if year in TEST_YEARS else "dev" if year in DEV_YEARS else "train"
        if doc.meta.get("batch") == "seeds":
            split = "train"  # the five real reports are too precious to hold out of training
        doc.meta["split"] = split
        splits[split].append(doc)
    # An issuer held out must not also be in train: move its train documents to dev.
    held_out = {d.meta.get("issuer") for d in splits["test"] + splits["dev"]}
    keep = []
    for doc in splits["train"]:
        if doc.meta.get("issuer") in held_out and doc.meta.get("batch") != "seeds":
            doc.meta["split"] = "dev"
            splits["dev"].append(doc)
        else:
            keep.append(doc)
    splits["train"] = keep
    # Final models train on train + dev, so a test issuer must not be in dev either.
    test_issuers = {d.meta.get("issuer") for d in splits["test"]}
    splits[HELD_BACK] = [d for d in splits["dev"] if d.meta.get("issuer") in test_issuers]
    splits["dev"] = [d for d in splits["dev"] if d.meta.get("issuer") not in test_issuers]
    for doc in splits[HELD_BACK]:
        doc.meta["split"] = HELD_BACK
    for doc in splits["train"]:
        if doc.meta.get("issuer") in test_issuers:  # only seeds can get here
            raise CorpusError(f"issuer {doc.meta.get('issuer')} is in both train and test")
    return splits


def write_corpus(source_dir, out_dir) -> dict[str, int]:
    docs, problems = build_corpus(source_dir)
    if problems:
        raise CorpusError("\n".join(problems))
    splits = assign_splits(docs)
    out = Path(out_dir)
    for name, part in splits.items():
        dump_jsonl(sorted(part, key=lambda d: d.id), out / f"{name}.jsonl")
    from .tables_synth import make_corpus

    tables = make_corpus()
    dump_jsonl(tables, out / "tables" / "synthetic.jsonl")
    counts = {name: len(part) for name, part in splits.items()}
    counts["table documents"] = len(tables)
    return counts


def load_split(data_dir, split: str) -> list[AnnotatedDoc]:
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such split file (build the corpus with `gongkai data build`)")
    return load_jsonl(path)


def load_corpus(data_dir="data"):
    """The corpus as a Hugging Face ``datasets.DatasetDict`` with train / dev / test splits.

    Each row: id, text, lines (list of {start, end, section}), quantities (list of {start, end,
    type, value, unit, qualifier}) and the document's metadata (era, level, issuer, year, kind).
    """
    from datasets import Dataset, DatasetDict

    parts = {}
    for split in SPLITS:
        rows = []
        for doc in load_split(data_dir, split):
            rows.append({
                "id": doc.id, "text": doc.text,
                "lines": [{"start": l.start, "end": l.end, "section": l.section} for l in doc.lines],
                "quantities": [{"start": q.start, "end": q.end, "type": q.type, "value": float(q.value),
                                "unit": q.unit, "qualifier": q.qualifier} for q in doc.quantities],
                "era": str(doc.meta.get("era", "")), "level": str(doc.meta.get("level", "")),
                "issuer": str(doc.meta.get("issuer", "")), "year": int(doc.meta.get("year") or 0),
                "kind": str(doc.meta.get("kind", "")),
            })
        parts[split] = Dataset.from_list(rows)
    return DatasetDict(parts)


def corpus_stats(docs: list[AnnotatedDoc]) -> dict:
    """Counts by section label (lines and documents), quantity type, era, level and split."""
    from gongkai.scheme import SECTIONS, TYPES

    line_counts, doc_counts, type_counts = Counter(), Counter(), Counter()
    for doc in docs:
        labels = {l.section for l in doc.lines}
        line_counts.update(l.section for l in doc.lines)
        doc_counts.update(labels)
        type_counts.update(q.type for q in doc.quantities)
    return {
        "documents": len(docs),
        "characters": sum(len(d.text) for d in docs),
        "lines": {s: line_counts.get(s, 0) for s in SECTIONS + ("?",)},
        "documents_with_section": {s: doc_counts.get(s, 0) for s in SECTIONS},
        "quantities": {t: type_counts.get(t, 0) for t in TYPES},
        "era": dict(Counter(str(d.meta.get("era")) for d in docs)),
        "level": dict(Counter(str(d.meta.get("level")) for d in docs)),
        "kind": dict(Counter(str(d.meta.get("kind")) for d in docs)),
        "split": dict(Counter(str(d.meta.get("split")) for d in docs)),
    }


def data_hash(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(str(p) for p in paths):
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:16]
