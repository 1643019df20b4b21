"""Generated documents with the standard tables in every flattening, with gold cells.

Real conversions flatten the three template tables as ` | ` rows, tab rows, one cell a line,
headers and labels broken across lines, OCR-garbled labels, blank cells and tables cut by a page
footer. This generator renders tables of known values in each of these shapes, with the offsets
of every number, so the table parser can be measured cell by cell; some documents carry a
planted inconsistency (a wrong total, or a narrative figure that disagrees with its cell) so the
checks can be measured for precision. Deterministic for a given seed.
"""

from __future__ import annotations

import random

from gongkai.quantities import normalize
from gongkai.scheme import AnnotatedDoc, LineLabel, Quantity
from gongkai.tables.template import (ACTIVE, ACTIVE_COLUMNS, ACTIVE_ROWS, APPEAL_GROUPS, APPEALS, APPLICANT_COLUMNS,
                                     OUTCOMES, REQUEST_GROUPS, REQUEST_ROWS, REQUESTS)

SHAPES = ("pipe", "tab", "cells", "broken", "garbled", "blank", "pagecut")
GARBLE = {"收": "州", "请": "淸", "公开": "公幵", "信息": "佶息", "数量": "数暈", "处理": "处埋", "结转": "结轉", "年": "午"}


class _Writer:
    def __init__(self):
        self.parts: list[str] = []
        self.pos = 0
        self.lines: list[LineLabel] = []
        self.cells: list[dict] = []
        self.quantities: list[Quantity] = []

    def line(self, pieces, section: str):
        """pieces: str, or (str, cell dict) whose text is recorded as a gold cell, or (str, Quantity type)."""
        start = self.pos
        for p in pieces:
            if isinstance(p, tuple):
                text, meta = p
                if isinstance(meta, dict):
                    self.cells.append(dict(meta, start=self.pos, end=self.pos + len(text)))
                else:
                    n = normalize(text)
                    self.quantities.append(Quantity(self.pos, self.pos + len(text), meta, n.number, n.unit, n.qualifier))
            else:
                text = p
            self.parts.append(text)
            self.pos += len(text)
        if self.pos > start and "".join(self.parts)[start:].strip():
            self.lines.append(LineLabel(start, self.pos, section))
        self.parts.append("\n")
        self.pos += 1

    def text(self) -> str:
        return "".join(self.parts).rstrip("\n")


def _garble(label: str, rng: random.Random) -> str:
    for a, b in GARBLE.items():
        if a in label and rng.random() < 0.5:
            label = label.replace(a, b, 1)
    return label


def _request_values(rng: random.Random, version: str) -> dict:
    cols = [c for c, _ in APPLICANT_COLUMNS[:-1]]
    rows = [r.key for r in REQUEST_ROWS[version] if r.has_values and r.key not in ("new", "carried_in", "results_total", "carried_out")]
    values = {}
    scale = rng.choice([3, 10, 40, 150])
    for c in cols:
        weight = 1.0 if c == "natural_person" else rng.choice([0, 0, 0.1, 0.3])
        new = int(rng.randint(0, scale) * weight)
        carried_in = rng.randint(0, 2) if rng.random() < 0.3 else 0
        carried_out = rng.randint(0, min(2, new + carried_in)) if rng.random() < 0.3 else 0
        remaining = new + carried_in - carried_out
        dist = {r: 0 for r in rows}
        for _ in range(remaining):
            r = rng.choice(rows[:2] * 6 + rows)  # most are granted or partly granted
            dist[r] += 1
        values.update({("new", c): new, ("carried_in", c): carried_in, ("carried_out", c): carried_out,
                       ("results_total", c): remaining})
        values.update({(r, c): v for r, v in dist.items()})
    for r in {k[0] for k in values}:
        values[(r, "total")] = sum(values[(r, c)] for c in cols)
    return values


def _appeal_values(rng: random.Random) -> dict:
    values = {}
    for g, _ in APPEAL_GROUPS:
        parts = [rng.randint(0, 3) if rng.random() < 0.4 else 0 for _ in OUTCOMES[:-1]]
        for (o, _), v in zip(OUTCOMES[:-1], parts):
            values[(g, o)] = v
        values[(g, "total")] = sum(parts)
    return values


def _row_label(row, version: str) -> str:
    numbering = {"new": "一、", "carried_in": "二、", "results": "三、", "open": "（一）", "partial": "（二）",
                 "refused": "（三）", "unable": "（四）", "not_processed": "（五）", "other_handling": "（六）",
                 "results_total": "（七）", "carried_out": "四、"}
    if "." in row.key:
        sub = row.key.split(".")[0]
        idx = [r for r in REQUEST_GROUPS[sub]].index(row.key) + 1
        return f"{idx}.{row.label}"
    return numbering.get(row.key, "") + row.label


def _render_row(w: _Writer, label: str, values: list, shape: str, rng: random.Random, section: str, meta: list[dict]):
    blanks = shape == "blank"
    cells = []
    for v, m in zip(values, meta):
        if blanks and v == 0 and rng.random() < 0.25:
            cells.append(("", dict(m, value=None)))
        else:
            cells.append((str(v), dict(m, value=v)))
    if shape in ("pipe", "blank", "garbled", "pagecut"):
        pieces = [label]
        for text, m in cells:
            pieces.append(" | ")
            pieces.append((text, m) if text else "")
            if not text:
                w.cells.append(dict(m, start=None, end=None))
        w.line(pieces + [" |"] if rng.random() < 0.3 else pieces, section)
    elif shape == "tab":
        pieces = [label]
        for text, m in cells:
            pieces += ["\t", (text, m)]
        w.line(pieces, section)
    else:  # cells / broken: one cell a line
        if shape == "broken" and len(label) > 8:
            cut = rng.randint(4, len(label) - 3)
            w.line([label[:cut]], section)
            w.line([label[cut:]], section)
        else:
            w.line([label], section)
        for text, m in cells:
            w.line([(text, m)], section)


def make_document(seed: int, shape: str, version: str, plant: str | None = None) -> tuple[AnnotatedDoc, list[str]]:
    """One report with all three tables in ``shape``; returns (document with gold cells, planted check names)."""
    rng = random.Random(seed)
    w = _Writer()
    year = rng.randint(2019, 2024) if version == "2021" else rng.randint(2019, 2020)
    if version == "2021" and year < 2021:
        year = 2021
    w.line([f"某{rng.choice(['县', '区', '市'])}{year}年政府信息公开工作年度报告"], "preamble")
    w.line(["一、总体情况"], "overview")
    req = _request_values(rng, version)
    new_total = req[("new", "total")]
    planted: list[str] = []
    stated = new_total
    if plant == "text":
        stated = new_total + rng.choice([-3, -2, -1, 1, 2, 5])
        if stated < 0:
            stated = new_total + 2
        planted.append("text.requests.new.total")
    w.line(["全年共收到政府信息公开申请", (f"{stated}件", "REQUESTS"), "，均按时答复。"], "overview")
    # table 1
    w.line(["二、主动公开政府信息情况"], "proactive")
    cols = ACTIVE_COLUMNS[version]
    w.line(["第二十条第（一）项"], "proactive")
    header = ["信息内容"] + [l for _, l in cols["rules"]]
    w.line([" | ".join(header)] if shape != "tab" else ["\t".join(header)], "proactive")
    for row in ACTIVE_ROWS:
        if row.key not in cols:
            continue
        vals = [rng.randint(0, 30) if c != "amount_wan" else rng.randint(0, 5000) / 100 for c, _ in cols[row.key]]
        meta = [{"table": ACTIVE, "row": row.key, "column": c} for c, _ in cols[row.key]]
        label = _garble(row.label, rng) if shape == "garbled" else row.label
        _render_row(w, label, vals, "pipe" if shape in ("blank", "garbled", "pagecut") else shape, rng, "proactive", meta)
    # table 2
    w.line(["三、收到和处理政府信息公开申请情况"], "requests")
    heads = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
             "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    if shape in ("cells", "broken"):
        for h in heads:
            w.line([h], "requests")
    else:
        sep = "\t" if shape == "tab" else " | "
        w.line([sep.join(heads[:2])], "requests")
        w.line([sep.join(heads[2:])], "requests")
    if plant == "total":
        col = rng.choice([c for c, _ in APPLICANT_COLUMNS[:-1]])
        req[("results_total", col)] += rng.choice([1, 2, 3])
        req[("results_total", "total")] = sum(req[("results_total", c)] for c, _ in APPLICANT_COLUMNS[:-1])
        planted += [f"requests.balance.{col}", f"requests.results_total.{col}",
                    "requests.balance.total", "requests.results_total.total"]
    rows = REQUEST_ROWS[version]
    cut_at = rng.randint(6, len(rows) - 4)
    for i, row in enumerate(rows):
        if shape == "pagecut" and i == cut_at:
            w.line([f"— {rng.randint(3, 9)} —"], "requests")
            w.line([" | ".join(heads[2:])], "requests")
        label = _row_label(row, version)
        if shape == "garbled":
            label = _garble(label, rng)
        if not row.has_values:
            w.line([label], "requests")
            continue
        vals = [req.get((row.key, c), 0) for c, _ in APPLICANT_COLUMNS]
        meta = [{"table": REQUESTS, "row": row.key, "column": c} for c, _ in APPLICANT_COLUMNS]
        _render_row(w, label, vals, shape, rng, "requests", meta)
    # table 3
    w.line(["四、政府信息公开行政复议、行政诉讼情况"], "appeals")
    app = _appeal_values(rng)
    if plant == "appeals":
        g = rng.choice([g for g, _ in APPEAL_GROUPS])
        app[(g, "total")] += rng.choice([1, 2])
        planted.append(f"appeals.{g}.total")
    outcome_labels = [l for _, l in OUTCOMES]
    header_rows = [["行政复议", "行政诉讼"], outcome_labels + ["未经复议直接起诉", "复议后起诉"], outcome_labels * 2]
    for hr in header_rows:
        if shape in ("cells", "broken"):
            for h in hr:
                w.line([h], "appeals")
        else:
            w.line([("\t" if shape == "tab" else " | ").join(hr)], "appeals")
    order = [(g, o) for g, _ in APPEAL_GROUPS for o, _ in OUTCOMES]
    pieces = []
    if shape in ("cells", "broken"):
        for g, o in order:
            w.line([(str(app[(g, o)]), {"table": APPEALS, "row": g, "column": o, "value": app[(g, o)]})], "appeals")
    else:
        sep = "\t" if shape == "tab" else " | "
        for k, (g, o) in enumerate(order):
            if k:
                pieces.append(sep)
            pieces.append((str(app[(g, o)]), {"table": APPEALS, "row": g, "column": o, "value": app[(g, o)]}))
        w.line(pieces, "appeals")
    w.line(["五、存在的主要问题及改进情况"], "problems")
    w.line(["政府信息公开工作仍存在公开内容不够全面等问题，下一步将进一步加强。"], "problems")
    doc = AnnotatedDoc(f"tables-{shape}-{version}-{seed}", w.text(), w.lines, w.quantities,
                       {"shape": shape, "version": version, "planted": planted, "synthetic": True})
    doc.meta["tables"] = [c for c in w.cells]
    return doc, planted


def make_corpus(n_per_shape: int = 8, seed: int = 2024) -> list[AnnotatedDoc]:
    """Documents in every shape and both versions; a third of them with a planted inconsistency."""
    docs = []
    rng = random.Random(seed)
    for shape in SHAPES:
        for i in range(n_per_shape):
            version = "2021" if i % 2 else "2019"
            plant = [None, None, "total", "text", "appeals", None][i % 6]
            doc, _ = make_document(rng.randint(0, 10**9), shape, version, plant)
            docs.append(doc)
    return docs
