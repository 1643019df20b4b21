"""勾稽关系: the arithmetic the template implies, within and across tables, and text against table.

Each check reports pass/fail, the numbers on both sides and their offsets in the text. A check
is only made when every cell it needs was read; missing cells make it ``skipped`` with the reason,
never a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .parser import Table
from .template import APPEAL_GROUPS, APPEALS, APPLICANT_COLUMNS, OUTCOMES, REQUEST_GROUPS, REQUESTS, RESULT_PARTS

TOLERANCE = 1e-6


@dataclass
class Check:
    name: str
    description: str
    status: str                      # "pass" | "fail" | "skipped"
    left: float | None = None
    right: float | None = None
    cells: list[dict] = field(default_factory=list)   # {row, column, value, start, end}
    reason: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "status": self.status, "left": self.left,
                "right": self.right, "cells": [dict(c) for c in self.cells], "reason": self.reason}


def _cell(table: Table, row: str, column: str):
    c = table.value(row, column)
    return c if c is not None and c.value is not None else None


def _sum_check(name: str, description: str, table: Table, left: list[tuple[str, str]], right: list[tuple[str, str]]) -> Check:
    lc = [_cell(table, r, c) for r, c in left]
    rc = [_cell(table, r, c) for r, c in right]
    missing = [f"{r}/{c}" for (r, c), cell in zip(left + right, lc + rc) if cell is None]
    cells = [{"row": x.row, "column": x.column, "value": x.value, "start": x.start, "end": x.end} for x in lc + rc if x]
    if missing:
        return Check(name, description, "skipped", cells=cells, reason="cells not read: " + ", ".join(missing[:6]))
    lv, rv = sum(x.value for x in lc), sum(x.value for x in rc)
    status = "pass" if abs(lv - rv) <= TOLERANCE else "fail"
    return Check(name, description, status, lv, rv, cells)


def _request_checks(t: Table) -> list[Check]:
    out = []
    has_2021_other = any(c.row.startswith("other_handling.") for c in t.cells)
    for col, label in APPLICANT_COLUMNS:
        out.append(_sum_check(f"requests.balance.{col}", f"{label}：本年新收 + 上年结转 = 办理结果总计 + 结转下年度", t,
                              [("new", col), ("carried_in", col)], [("results_total", col), ("carried_out", col)]))
        parts = []
        for part in RESULT_PARTS:
            if part in REQUEST_GROUPS and (part != "other_handling" or has_2021_other):
                parts += [(sub, col) for sub in REQUEST_GROUPS[part]]
            else:
                parts.append((part, col))
        out.append(_sum_check(f"requests.results_total.{col}", f"{label}：（七）总计 = （一）至（六）之和", t,
                              [("results_total", col)], parts))
        for group, subs in REQUEST_GROUPS.items():
            if group == "other_handling" and not has_2021_other:
                continue  # the 2019 template's （六）其他处理 is one row, not a group
            if _cell(t, group, col) is not None:  # a report that also gives the group's subtotal
                out.append(_sum_check(f"requests.group.{group}.{col}", f"{label}：{group} 小计 = 各项之和", t,
                                      [(group, col)], [(s, col) for s in subs]))
    rows = sorted({c.row for c in t.cells}, key=lambda r: min(c.start or 0 for c in t.cells if c.row == r))
    for row in rows:
        out.append(_sum_check(f"requests.row_total.{row}", f"{row}：总计 = 六类申请人之和", t,
                              [(row, "total")], [(row, col) for col, _ in APPLICANT_COLUMNS[:-1]]))
    return out


def _appeal_checks(t: Table) -> list[Check]:
    out = []
    for group, label in APPEAL_GROUPS:
        out.append(_sum_check(f"appeals.{group}.total", f"{label}：总计 = 维持 + 纠正 + 其他 + 尚未审结", t,
                              [(group, "total")], [(group, o) for o, _ in OUTCOMES[:-1]]))
    return out


# Narrative statements of table figures: (quantity type, words near it, table, row, column).
_TEXT_LINKS = [
    ("REQUESTS", r"(新收|收到|受理|共收到|接收).{0,12}(申请|依申请)|(申请|依申请).{0,12}(新收|收到|受理)", REQUESTS, "new", "total"),
    ("APPEALS", r"行政复议", APPEALS, "reconsideration", "total"),
]


def text_checks(text: str, quantities: list[dict], tables: list[Table]) -> list[Check]:
    """Narrative quantities that state a table figure, matched to the cell and flagged when they differ."""
    by_name = {t.table: t for t in tables}
    out = []
    for q in quantities:
        if q.get("value") is None:
            continue
        # The comma clause holding the figure must itself say what the figure is.
        s_start = max(text.rfind(ch, 0, q["start"]) for ch in "。；;\n") + 1
        clause_start = max([s_start - 1] + [text.rfind(ch, s_start, q["start"]) for ch in "，,：:"]) + 1
        clause = text[clause_start:q["start"]]
        sentence = text[s_start:q["start"]]
        if re.search(r"其中|分别|占|同比|较上年|增加|减少|维持|纠正|尚未|驳回|败诉|平均|日均|累计", clause) or \
                "其中" in sentence:
            continue
        for qtype, pattern, table, row, col in _TEXT_LINKS:
            t = by_name.get(table)
            if q.get("type") != qtype or t is None or not re.search(pattern, clause):
                continue
            if table == REQUESTS and re.search(r"结转|办结|答复|予以|部分|不予|自然人|法人|企业|网络|信函|当面", clause):
                continue  # a breakdown or an outcome, not the year's new applications
            if table == APPEALS and re.search(r"诉讼", clause[clause.rfind("行政复议"):]) :
                continue  # 复议和诉讼共N件: a combined figure
            if t.start <= q["start"] < t.end:
                continue  # a number inside the table itself
            cell = _cell(t, row, col)
            if cell is None:
                continue
            status = "pass" if abs(float(q["value"]) - float(cell.value)) <= TOLERANCE else "fail"
            if status == "fail":
                # 全市新收1,146件，其中本级87件: the sentence states the table's own figure too.
                s_end = min([i for i in (text.find(ch, q["end"]) for ch in "。；;\n") if i >= 0] or [len(text)])
                if any(o is not q and o.get("type") == qtype and o.get("value") is not None and s_start <= o["start"] < s_end
                       and abs(float(o["value"]) - float(cell.value)) <= TOLERANCE for o in quantities):
                    continue
            out.append(Check(f"text.{table}.{row}.{col}", f"正文“{text[q['start']:q['end']]}”与表格 {row}/{col}", status,
                             float(q["value"]), float(cell.value),
                             [{"row": "text", "column": qtype, "value": q["value"], "start": q["start"], "end": q["end"]},
                              {"row": cell.row, "column": cell.column, "value": cell.value, "start": cell.start, "end": cell.end}]))
            break
    return out


def check_tables(text: str, tables: list[Table], quantities: list[dict] | None = None) -> list[Check]:
    out = []
    for t in tables:
        if not t.cells:
            continue
        if t.table == REQUESTS:
            out += _request_checks(t)
        elif t.table == APPEALS:
            out += _appeal_checks(t)
    if quantities:
        out += text_checks(text, quantities, tables)
    return out
