"""Metrics exactly as the annotation scheme defines its units.

Sections are scored per line (lines annotated ``?`` skipped); a line takes the label of the
predicted paragraph that overlaps it most, and a line no paragraph covers counts as wrong.
Quantities are scored as exact spans (untyped and typed), per type, by overlap detection, and,
over typed exact matches, by value, unit and qualifier.

Zero division: a precision or recall whose denominator is 0 is 0.0, except when gold and
predictions are both empty, where precision, recall and F1 are 1.0 (nothing to find, nothing wrong).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.scheme import SECTIONS, TYPES, UNKNOWN_SECTION, VALUE_TOLERANCE, AnnotatedDoc, cjk_count

NONE_LABEL = "(none)"
MIN_CJK = 4


def prf(tp: int, fp: int, fn: int) -> dict:
    if tp + fp + fn == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 0}
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


@dataclass
class Prediction:
    """One system's output for one report: paragraphs with sections, quantities with values."""

    id: str
    paragraphs: list[dict] = field(default_factory=list)   # {"start","end","section","score"?}
    quantities: list[dict] = field(default_factory=list)   # {"start","end","type","value","unit","qualifier"}

    @classmethod
    def from_dict(cls, record: dict) -> "Prediction":
        paragraphs = record.get("paragraphs")
        if paragraphs is None:  # a gold-format file used as a prediction
            paragraphs = record.get("lines", [])
        return cls(str(record["id"]), list(paragraphs), list(record.get("quantities", [])))


def load_predictions(path) -> dict[str, Prediction]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    pred = Prediction.from_dict(json.loads(line))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ValueError(f"{path}:{lineno}: not a prediction record ({exc})") from None
                out[pred.id] = pred
    return out


def line_predictions(doc: AnnotatedDoc, pred: Prediction | None) -> list[str]:
    """For each gold line, the label of the predicted paragraph overlapping it most (or NONE_LABEL)."""
    paragraphs = sorted(pred.paragraphs, key=lambda p: p["start"]) if pred else []
    out = []
    j = 0
    for line in doc.lines:
        while j < len(paragraphs) and paragraphs[j]["end"] <= line.start:
            j += 1
        best, best_overlap = NONE_LABEL, 0
        k = j
        while k < len(paragraphs) and paragraphs[k]["start"] < line.end:
            ov = min(line.end, paragraphs[k]["end"]) - max(line.start, paragraphs[k]["start"])
            if ov > best_overlap:
                best, best_overlap = paragraphs[k]["section"], ov
            k += 1
        out.append(best)
    return out


def score_sections(gold: list[AnnotatedDoc], preds: dict[str, Prediction], min_cjk: int = MIN_CJK) -> dict:
    pairs: list[tuple[str, str]] = []
    errors = []
    for doc in gold:
        labels = line_predictions(doc, preds.get(doc.id))
        for line, pred_label in zip(doc.lines, labels):
            if line.section == UNKNOWN_SECTION:
                continue
            if cjk_count(doc.text[line.start:line.end]) < min_cjk:
                continue
            pairs.append((line.section, pred_label))
            if pred_label != line.section:
                errors.append({"kind": "wrong section", "doc": doc.id, "start": line.start, "end": line.end,
                               "gold": line.section, "pred": pred_label})
    gold_labels = [s for s in SECTIONS if any(g == s for g, _ in pairs)]
    per_label = {}
    for label in gold_labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per_label[label] = prf(tp, fp, fn)
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g, p in pairs:
        confusion[g][p] += 1
    n = len(pairs)
    return {
        "accuracy": sum(1 for g, p in pairs if g == p) / n if n else 0.0,
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0,
        "lines": n,
        "per_label": per_label,
        "confusion": {g: dict(row) for g, row in confusion.items()},
        "errors": errors,
    }


def _close(a, b) -> bool:
    if a is None or b is None:
        return False
    a, b = float(a), float(b)
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(b), 1e-12) or a == b


def score_quantities(gold: list[AnnotatedDoc], preds: dict[str, Prediction]) -> dict:
    tp = fp = fn = 0
    ttp = tfp = tfn = 0
    per_type = {t: [0, 0, 0] for t in TYPES}
    ov_pred_hit = ov_pred = ov_gold_hit = ov_gold = 0
    matched = value_ok = unit_ok = qual_ok = 0
    errors = []
    for doc in gold:
        pred = preds.get(doc.id)
        pq = list(pred.quantities) if pred else []
        gq = doc.quantities
        gold_spans = {(q.start, q.end): q for q in gq}
        pred_spans = {(q["start"], q["end"]): q for q in pq}
        exact = set(gold_spans) & set(pred_spans)
        tp += len(exact)
        fp += len(pred_spans) - len(exact)
        fn += len(gold_spans) - len(exact)
        for span, g in gold_spans.items():
            p = pred_spans.get(span)
            if p is not None and p.get("type") == g.type:
                ttp += 1
                per_type[g.type][0] += 1
                matched += 1
                v_ok, u_ok, q_ok = _close(p.get("value"), g.value), p.get("unit") == g.unit, p.get("qualifier") == g.qualifier
                value_ok += v_ok
                unit_ok += u_ok
                qual_ok += q_ok
                if not (v_ok and u_ok and q_ok):
                    errors.append({"kind": "wrong value", "doc": doc.id, "start": g.start, "end": g.end,
                                   "gold": f"{g.value} {g.unit} {g.qualifier}",
                                   "pred": f"{p.get('value')} {p.get('unit')} {p.get('qualifier')}"})
            else:
                tfn += 1
                if g.type in per_type:
                    per_type[g.type][2] += 1
                if p is not None:
                    errors.append({"kind": "wrong type", "doc": doc.id, "start": g.start, "end": g.end,
                                   "gold": g.type, "pred": p.get("type")})
        for span, p in pred_spans.items():
            g = gold_spans.get(span)
            if g is None or g.type != p.get("type"):
                tfp += 1
                if p.get("type") in per_type:
                    per_type[p["type"]][1] += 1
        # Overlap detection: any overlap, any type.
        for g in gq:
            ov_gold += 1
            hit = any(p["start"] < g.end and g.start < p["end"] for p in pq)
            ov_gold_hit += hit
            if not hit:
                errors.append({"kind": "missed", "doc": doc.id, "start": g.start, "end": g.end, "gold": g.type, "pred": None})
            elif (g.start, g.end) not in pred_spans:
                errors.append({"kind": "boundary", "doc": doc.id, "start": g.start, "end": g.end, "gold": g.type,
                               "pred": next(f"{p['start']}-{p['end']} {p.get('type')}" for p in pq if p["start"] < g.end and g.start < p["end"])})
        for p in pq:
            ov_pred += 1
            hit = any(p["start"] < g.end and g.start < p["end"] for g in gq)
            ov_pred_hit += hit
            if not hit:
                errors.append({"kind": "spurious", "doc": doc.id, "start": p["start"], "end": p["end"], "gold": None, "pred": p.get("type")})
    if ov_gold == 0 and ov_pred == 0:
        overlap = prf(0, 0, 0)
    else:
        op = ov_pred_hit / ov_pred if ov_pred else 0.0
        orr = ov_gold_hit / ov_gold if ov_gold else 0.0
        overlap = {"precision": op, "recall": orr, "f1": 2 * op * orr / (op + orr) if op + orr else 0.0, "support": ov_gold}
    return {
        "span": prf(tp, fp, fn),
        "typed": prf(ttp, tfp, tfn),
        "overlap": overlap,
        "per_type": {t: prf(*v) for t, v in per_type.items() if sum(v)},
        "matched": matched,
        "value_accuracy": value_ok / matched if matched else None,
        "unit_accuracy": unit_ok / matched if matched else None,
        "qualifier_accuracy": qual_ok / matched if matched else None,
        "gold": ov_gold,
        "predicted": ov_pred,
        "errors": errors,
    }


def evaluate(gold: list[AnnotatedDoc], preds: dict[str, Prediction]) -> dict:
    """All metrics of one system on one gold set, with the scheme's top-level keys."""
    sections = score_sections(gold, preds)
    sections_all = score_sections(gold, preds, min_cjk=0)
    quantities = score_quantities(gold, preds)
    return {
        "section_accuracy": sections["accuracy"],
        "section_macro_f1": sections["macro_f1"],
        "section_accuracy_all_lines": sections_all["accuracy"],
        "section_macro_f1_all_lines": sections_all["macro_f1"],
        "span_f1": quantities["span"]["f1"],
        "typed_f1": quantities["typed"]["f1"],
        "overlap_f1": quantities["overlap"]["f1"],
        "value_accuracy": quantities["value_accuracy"],
        "unit_accuracy": quantities["unit_accuracy"],
        "qualifier_accuracy": quantities["qualifier_accuracy"],
        "documents": len(gold),
        "predicts_sections": any(p.paragraphs for p in preds.values()),
        "documents_without_prediction": sum(1 for d in gold if d.id not in preds),
        "sections": {k: v for k, v in sections.items() if k != "errors"},
        "quantities": {k: v for k, v in quantities.items() if k != "errors"},
        "errors": sections["errors"] + quantities["errors"],
    }


HEADLINE = ("section_accuracy", "section_macro_f1", "span_f1", "typed_f1", "overlap_f1",
            "value_accuracy", "unit_accuracy", "qualifier_accuracy")


def write_json(metrics: dict, path) -> None:
    Path(path).write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
