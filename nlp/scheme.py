"""The annotation scheme in code: labels, types, qualifiers, records, loading and validation.

The contract is ``shared/spec/annotation-scheme.md``; names here are exactly the scheme's.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

SECTION_LABELS: dict[str, str] = {
    "preamble": "前言：标题、编制说明、统计期限、联系方式",
    "overview": "总体情况 / 概述 / 主要做法",
    "proactive": "主动公开政府信息情况",
    "response": "回应解读 / 政策解读与回应关切",
    "requests": "依申请公开 / 收到和处理政府信息公开申请情况",
    "consultation": "咨询处理情况",
    "fees": "收费及减免情况",
    "appeals": "行政复议、行政诉讼（和申诉）情况",
    "institution": "机构建设和经费保障 / 工作机构和人员",
    "training": "会议和培训情况",
    "problems": "存在的主要问题及改进情况 / 改进措施 / 下一步工作",
    "other": "其他需要报告的事项 / 需要说明的事项 / 附表",
    "noise": "网页杂项：打印、关闭、分享到、当前位置……",
}
SECTIONS: tuple[str, ...] = tuple(SECTION_LABELS)
UNKNOWN_SECTION = "?"

# Sections that only older (2008-regulation) reports make top-level.
OLDER_ERA_SECTIONS = ("consultation", "fees", "institution", "training")

# Mapping to the six parts of the current national template (noise is dropped).
TEMPLATE_PART: dict[str, str | None] = {
    "preamble": "前言", "overview": "一", "response": "一", "institution": "一", "training": "一",
    "proactive": "二", "requests": "三", "consultation": "三", "fees": "三", "appeals": "四",
    "problems": "五", "other": "六", "noise": None,
}

QUANTITY_TYPES: dict[str, str] = {
    "HOTLINE": "热线、信箱、留言、诉求件",
    "SATISFACTION": "满意率、好评率",
    "RATE": "其他比率：办结率、回复率、占比、增长",
    "MONEY": "金额：经费、投入、收费、资金（元）",
    "PUBLISHED": "主动公开、发布、解读、推送的信息",
    "REQUESTS": "政府信息公开申请及其办理结果",
    "APPEALS": "行政复议、行政诉讼案件",
    "TRAINING": "培训、会议及参训人次",
    "SERVICE": "政务服务：大厅接待、受理办结事项、窗口咨询",
    "COUNT": "其他计数：人员、栏目、目录、单位、平台",
}
TYPES: tuple[str, ...] = tuple(QUANTITY_TYPES)

QUALIFIERS: dict[str, str] = {
    "exact": "确数",
    "over": "余、多、以上、超过、逾",
    "about": "约、近、左右、大约",
    "under": "不足、不到、以下",
}

VALUE_TOLERANCE = 1e-6


@dataclass
class LineLabel:
    start: int
    end: int
    section: str


@dataclass
class Quantity:
    start: int
    end: int
    type: str
    value: float | int | None = None
    unit: str | None = None
    qualifier: str | None = None
    score: float | None = None


@dataclass
class AnnotatedDoc:
    id: str
    text: str
    lines: list[LineLabel] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, record: dict) -> "AnnotatedDoc":
        lines = [LineLabel(int(l["start"]), int(l["end"]), str(l["section"])) for l in record.get("lines", [])]
        quantities = [
            Quantity(int(q["start"]), int(q["end"]), str(q["type"]), q.get("value"), q.get("unit"),
                     q.get("qualifier"), q.get("score"))
            for q in record.get("quantities", [])
        ]
        meta = {k: v for k, v in record.items() if k not in ("id", "text", "lines", "quantities")}
        return cls(str(record["id"]), record["text"], lines, quantities, meta)

    def to_dict(self) -> dict:
        out = {"id": self.id, "text": self.text,
               "lines": [asdict(l) for l in self.lines],
               "quantities": [{k: v for k, v in asdict(q).items() if not (k == "score" and v is None)}
                              for q in self.quantities]}
        out.update(self.meta)
        return out


def text_lines(text: str) -> list[tuple[int, int]]:
    """The scheme's unit: maximal runs between line breaks holding a non-space character."""
    spans = []
    start = 0
    for piece in text.split("\n"):
        end = start + len(piece)
        if piece.strip():
            # \r belongs to the line break, not the line.
            spans.append((start, end - 1 if piece.endswith("\r") else end))
        start = end + 1
    return spans


CJK = re.compile(r"[\u4e00-\u9fff]")


def cjk_count(s: str) -> int:
    return len(CJK.findall(s))


def load_jsonl(path) -> list[AnnotatedDoc]:
    """Load annotated JSONL (the scheme's file format) into records."""
    return list(iter_jsonl(path))


def iter_jsonl(path) -> Iterator[AnnotatedDoc]:
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield AnnotatedDoc.from_dict(record)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: not an annotated document ({type(exc).__name__}: {exc})") from None


def dump_jsonl(docs: Iterable[AnnotatedDoc], path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")


@dataclass
class Problem:
    doc_id: str
    offset: int | None
    message: str

    def __str__(self) -> str:
        where = f"@{self.offset}" if self.offset is not None else ""
        return f"{self.doc_id}{where}: {self.message}"


def validate(doc: AnnotatedDoc, check_values: bool = True) -> list[Problem]:
    """Every problem of one annotated document, with its id and offset."""
    from .quantities import NormalizationError, normalize

    problems: list[Problem] = []
    n = len(doc.text)
    add = lambda off, msg: problems.append(Problem(doc.id, off, msg))
    expected = text_lines(doc.text)
    covered: dict[tuple[int, int], int] = {}
    for line in doc.lines:
        if not (0 <= line.start < line.end <= n):
            add(line.start, f"line offsets {line.start}-{line.end} outside the text (length {n})")
            continue
        if line.section not in SECTION_LABELS and line.section != UNKNOWN_SECTION:
            add(line.start, f"unknown section label {line.section!r}")
        covered[(line.start, line.end)] = covered.get((line.start, line.end), 0) + 1
    expected_set = set(expected)
    for span, count in covered.items():
        if span not in expected_set:
            add(span[0], f"line span {span[0]}-{span[1]} is not a line of the text")
        elif count > 1:
            add(span[0], f"line {span[0]}-{span[1]} covered {count} times")
    for span in expected:
        if span not in covered:
            add(span[0], f"line {span[0]}-{span[1]} not covered: {doc.text[span[0]:span[1]][:20]!r}")
    prev = None
    for q in sorted(doc.quantities, key=lambda q: (q.start, q.end)):
        if not (0 <= q.start < q.end <= n):
            add(q.start, f"quantity offsets {q.start}-{q.end} outside the text (length {n})")
            continue
        span = doc.text[q.start:q.end]
        if q.type not in QUANTITY_TYPES:
            add(q.start, f"unknown quantity type {q.type!r}")
        if span != span.strip():
            add(q.start, f"quantity {span!r} has leading or trailing spaces")
        if "\n" in span:
            add(q.start, f"quantity {span!r} crosses a line break")
        if prev is not None and q.start < prev.end:
            add(q.start, f"quantity {span!r} overlaps the quantity at {prev.start}")
        prev = q
        if q.qualifier is not None and q.qualifier not in QUALIFIERS:
            add(q.start, f"unknown qualifier {q.qualifier!r}")
        if check_values:
            try:
                norm = normalize(span)
            except NormalizationError as exc:
                if q.value is None:
                    add(q.start, f"quantity {span!r} has no value and the normaliser cannot read it ({exc})")
                continue
            if q.value is None or abs(float(q.value) - float(norm.value)) > VALUE_TOLERANCE * max(1.0, abs(float(norm.value))):
                add(q.start, f"value {q.value} does not match span {span!r} (normaliser: {norm.number})")
            if q.unit is not None and q.unit != norm.unit:
                add(q.start, f"unit {q.unit!r} does not match span {span!r} (normaliser: {norm.unit!r})")
            if q.qualifier is not None and q.qualifier != norm.qualifier and not _governed_qualifier(doc.text, q):
                add(q.start, f"qualifier {q.qualifier!r} does not match span {span!r} (normaliser: {norm.qualifier!r})")
    problems.extend(_validate_tables(doc))
    return problems


def _validate_tables(doc: AnnotatedDoc) -> list[Problem]:
    """Gold table cells (the scheme's table extension): known keys, offsets on the number they claim."""
    import unicodedata

    from .tables.template import ACTIVE, ACTIVE_COLUMNS, APPEAL_COLUMNS, APPEALS, APPLICANT_COLUMNS, REQUEST_ROWS, REQUESTS

    cells = doc.meta.get("tables")
    if not cells:
        return []
    problems = []
    request_rows = {r.key for rows in REQUEST_ROWS.values() for r in rows}
    active_rows = {r for v in ACTIVE_COLUMNS.values() for r in v}
    for c in cells:
        where = c.get("start")
        t, row, col = c.get("table"), c.get("row"), c.get("column")
        ok = (t == REQUESTS and row in request_rows and col in dict(APPLICANT_COLUMNS)) or \
             (t == APPEALS and f"{row}.{col}" in dict(APPEAL_COLUMNS)) or \
             (t == ACTIVE and row in active_rows and any(col in dict(v.get(row, [])) for v in ACTIVE_COLUMNS.values()))
        if not ok:
            problems.append(Problem(doc.id, where, f"unknown table cell {t}/{row}/{col}"))
            continue
        if where is None:
            if c.get("value") is not None:
                problems.append(Problem(doc.id, None, f"cell {t}/{row}/{col} has a value but no offsets"))
            continue
        if not (0 <= where < c["end"] <= len(doc.text)):
            problems.append(Problem(doc.id, where, f"cell {t}/{row}/{col} offsets outside the text"))
            continue
        span = unicodedata.normalize("NFKC", doc.text[where:c["end"]]).replace(",", "")
        try:
            number = float(span.replace("增", "").replace("减", "-"))
        except ValueError:
            problems.append(Problem(doc.id, where, f"cell {t}/{row}/{col} points at {span!r}, not a number"))
            continue
        if c.get("value") is None or abs(number - float(c["value"])) > 1e-9:
            problems.append(Problem(doc.id, where, f"cell {t}/{row}/{col} value {c.get('value')} but text says {span!r}"))
    return problems


def _governed_qualifier(text: str, q: Quantity) -> bool:
    """约占93%: the span is 93% but 约 before the verb governs it (the scheme's ruling)."""
    from .quantities import governing_qualifier

    return governing_qualifier(text, q.start) == q.qualifier
