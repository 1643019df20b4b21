"""Label Studio round trip: annotate new reports there, train on them here.

The labelling config (:data:`LABEL_CONFIG`, shipped as ``data/labelstudio/config.xml``) has two
span-label controls over the report text: ``section`` (a region over one or more lines gives each
of those lines its section) and ``quantity`` (one region per quantity, labelled with its type),
plus an optional per-region ``value`` text area (``value|unit|qualifier``) for spans the
normaliser cannot read. Import reads Label Studio's JSON export; export writes tasks with the
annotations pre-filled, so a corpus document can be corrected there and read back unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.quantities import NormalizationError, governing_qualifier, normalize
from gongkai.scheme import QUANTITY_TYPES, SECTION_LABELS, AnnotatedDoc, LineLabel, Quantity, text_lines

SECTION_COLOURS = ["#9e9e9e", "#4e79a7", "#59a14f", "#8cd17d", "#f28e2b", "#ffbe7d", "#b6992d", "#e15759",
                   "#76b7b2", "#499894", "#b07aa1", "#d4a6c8", "#d7d7d7"]


def label_config() -> str:
    sections = "\n".join(f'    <Label value="{s}" background="{c}" hint="{g}"/>'
                         for (s, g), c in zip(SECTION_LABELS.items(), SECTION_COLOURS))
    types = "\n".join(f'    <Label value="{t}" hint="{g}"/>' for t, g in QUANTITY_TYPES.items())
    return f"""<View>
  <Header value="Section of each line (draw one region over one or more whole lines)"/>
  <Labels name="section" toName="text" choice="single">
{sections}
    <Label value="?" background="#000000" hint="excerpt line whose section the content cannot tell"/>
  </Labels>
  <Header value="Quantities (smallest span with numeral, unit and approximation word)"/>
  <Labels name="quantity" toName="text" choice="single">
{types}
  </Labels>
  <Text name="text" value="$text" granularity="symbol"/>
  <TextArea name="value" toName="text" perRegion="true" placeholder="value|unit|qualifier (only if the normaliser cannot read the span)"/>
</View>
"""


LABEL_CONFIG = label_config()


class LabelStudioError(ValueError):
    pass


def export_tasks(docs: list[AnnotatedDoc]) -> list[dict]:
    """Annotated documents → Label Studio tasks with their annotations."""
    tasks = []
    for n, doc in enumerate(docs, start=1):
        result = []
        for i, line in enumerate(doc.lines):
            result.append({"id": f"s{i}", "from_name": "section", "to_name": "text", "type": "labels",
                           "value": {"start": line.start, "end": line.end, "text": doc.text[line.start:line.end],
                                     "labels": [line.section]}})
        for i, q in enumerate(doc.quantities):
            rid = f"q{i}"
            result.append({"id": rid, "from_name": "quantity", "to_name": "text", "type": "labels",
                           "value": {"start": q.start, "end": q.end, "text": doc.text[q.start:q.end], "labels": [q.type]}})
            try:
                norm = normalize(doc.text[q.start:q.end])
                derived = (norm.number, norm.unit, governing_qualifier(doc.text, q.start) if norm.qualifier == "exact" else norm.qualifier)
            except NormalizationError:
                derived = None
            given = (q.value, q.unit, q.qualifier)
            if derived is None or derived[0] != given[0] or derived[1] != given[1] or (derived[2] or "exact") != given[2]:
                result.append({"id": rid, "from_name": "value", "to_name": "text", "type": "textarea",
                               "value": {"start": q.start, "end": q.end, "text": [f"{q.value}|{q.unit}|{q.qualifier}"]}})
        data = {"text": doc.text, "doc_id": doc.id}
        data.update({k: v for k, v in doc.meta.items() if isinstance(v, (str, int, float))})
        tasks.append({"id": n, "data": data, "annotations": [{"id": n, "result": result}]})
    return tasks


def import_tasks(tasks: list[dict], source: str = "<export>") -> list[AnnotatedDoc]:
    """Label Studio JSON export → annotated documents (latest annotation of each task)."""
    if not isinstance(tasks, list):
        raise LabelStudioError(f"{source}: expected a JSON list of tasks")
    docs = []
    for t in tasks:
        data = t.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str):
            raise LabelStudioError(f"{source}: task {t.get('id')} has no data.text")
        doc_id = str(data.get("doc_id") or t.get("id"))
        annotations = [a for a in t.get("annotations") or [] if not a.get("was_cancelled")]
        if not annotations:
            raise LabelStudioError(f"{source}: task {doc_id} has no annotation")
        result = annotations[-1].get("result") or []
        section_regions, quantity_regions, values = [], {}, {}
        for r in result:
            v = r.get("value") or {}
            if r.get("from_name") == "section":
                section_regions.append((v["start"], v["end"], v["labels"][0]))
            elif r.get("from_name") == "quantity":
                quantity_regions[r["id"]] = (v["start"], v["end"], v["labels"][0])
            elif r.get("from_name") == "value":
                values[r["id"]] = (v.get("text") or [""])[0]
        lines = []
        for start, end in text_lines(text):
            best, overlap = None, 0
            for a, b, lab in section_regions:
                ov = min(b, end) - max(a, start)
                if ov > overlap:
                    best, overlap = lab, ov
            if best is None:
                raise LabelStudioError(f"{source}: task {doc_id}: line at {start} has no section region")
            lines.append(LineLabel(start, end, best))
        quantities = []
        for rid, (start, end, qtype) in sorted(quantity_regions.items(), key=lambda kv: kv[1][0]):
            span = text[start:end]
            if rid in values and values[rid].strip():
                parts = values[rid].split("|")
                if len(parts) != 3:
                    raise LabelStudioError(f"{source}: task {doc_id}: value {values[rid]!r} must be value|unit|qualifier")
                num = float(parts[0]) if "." in parts[0] else int(parts[0])
                quantities.append(Quantity(start, end, qtype, num, parts[1], parts[2]))
                continue
            try:
                norm = normalize(span)
            except NormalizationError as exc:
                raise LabelStudioError(f"{source}: task {doc_id}: quantity {span!r} at {start}: {exc}; give value|unit|qualifier") from None
            qual = norm.qualifier if norm.qualifier != "exact" else (governing_qualifier(text, start) or "exact")
            quantities.append(Quantity(start, end, qtype, norm.number, norm.unit, qual))
        meta = {k: v for k, v in data.items() if k not in ("text", "doc_id")}
        docs.append(AnnotatedDoc(doc_id, text, lines, quantities, meta))
    return docs


def read_export(path) -> list[AnnotatedDoc]:
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LabelStudioError(f"{path}: cannot read Label Studio export ({exc})") from None
    return import_tasks(tasks, source=str(path))
