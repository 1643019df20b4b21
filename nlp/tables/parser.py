"""Read the three standard tables from whatever flattening the conversion left.

The text of a table region is cut into cells (` | ` and tab separated rows, one cell a line,
label-then-numbers lines, runs of numbers). Label cells are matched fuzzily, in template order,
against the template's rows; the numbers that follow a row label are that row's cells, assigned
to columns by position. A row whose number count does not fit the template is reported as not
readable, with the reason — never padded with zeros.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..textnorm import feature_text
from .template import (ACTIVE, ACTIVE_COLUMNS, ACTIVE_ROWS, APPEAL_COLUMNS, APPEAL_GROUPS, APPEALS, APPLICANT_COLUMNS,
                       OUTCOMES, REQUEST_ROWS, REQUESTS, Row)


@dataclass
class Cell:
    table: str
    row: str
    column: str
    value: float | int | None
    start: int | None = None
    end: int | None = None


@dataclass
class Table:
    table: str
    version: str | None
    start: int
    end: int
    cells: list[Cell] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def confident(self) -> bool:
        return bool(self.cells) and not self.problems

    def to_dict(self) -> dict:
        # field by field: dataclasses.asdict deep-copies every value and was most of a report's time
        return {"table": self.table, "version": self.version, "start": self.start, "end": self.end,
                "confident": self.confident, "problems": list(self.problems),
                "cells": [{"table": c.table, "row": c.row, "column": c.column, "value": c.value, "start": c.start,
                           "end": c.end} for c in self.cells]}

    def value(self, row: str, column: str):
        """The first cell at (row, column), or None."""
        index = self.__dict__.get("_index")
        if index is None or index[0] != len(self.cells):
            cells: dict = {}
            for c in self.cells:
                cells.setdefault((c.row, c.column), c)
            index = self.__dict__["_index"] = (len(self.cells), cells)
        return index[1].get((row, column))


@dataclass
class Token:
    kind: str          # "label" | "number" | "blank" | "edge" | "header"
    text: str
    start: int
    end: int
    line: int
    paired: bool = False   # label and number shared one cell: "结果维持 4"


_NUMBER = re.compile(r"^[+-]?\d[\d,，]*(\.\d+)?(万元|元|件|项|个)?$")
_PAIR = re.compile(r"^([\u4e00-\u9fff][^\d|]*?)\s*(\d[\d,]*(?:\.\d+)?)$")
# 本年增/减 cells: 增40, 减1, 本年增加12项.
_CHANGE = re.compile(r"^(本年)?(增加?|减少?)(\d[\d,，]*(\.\d+)?)(项|件|个)?$")
_SPLIT = re.compile(r"\s*\|\s*|\t")
# Column headers of the applicant table (and its 申请人情况 banner): never row labels.
HEADER_WORDS = {"自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
                "申请人情况", "结果维持", "结果纠正", "其他结果", "尚未审结", "行政复议", "行政诉讼"}
_NUMBERED = re.compile(r"^\s*([（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]|[一二三四五六七八九十]{1,2}\s*[、.．]|\d{1,2}\s*[.、．])")
# How similar a label must be to a template row to count as that row.
MATCH_THRESHOLD = 0.5


_LABEL_NOISE = re.compile(r"[\s“”\"'「」]")


@lru_cache(maxsize=65536)
def _clean_label(s: str) -> str:
    s = _NUMBERED.sub("", feature_text(s), count=1)
    return _LABEL_NOISE.sub("", s)


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    a, b = _clean_label(a), _clean_label(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sm = SequenceMatcher(None, a, b, autojunk=False)
    # Labels are often cut or garbled: score by matched characters over the template label's length,
    # tempered by the cell's own length so that a short cell cannot match a long label by accident.
    matched = sum(blk.size for blk in sm.get_matching_blocks())
    return min(matched / len(b), matched / max(len(a), 1) * 1.5) if len(b) > 2 else (1.0 if a == b else 0.0)


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Cells of a region with offsets: labels, numbers, and blanks inside separated rows."""
    tokens: list[Token] = []
    pos = start
    for lineno, line in enumerate(text[start:end].split("\n")):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        separated = bool(_SPLIT.search(line.strip("\t ")))
        if not separated and len(line.strip()) > 30 and re.search(r"[。；，,;]", line):
            continue  # a narrative sentence beside the table, not a cell
        cells = []
        if separated:
            cursor = 0
            for part in re.split(r"(\s*\|\s*|\t)", line):
                if re.fullmatch(r"\s*\|\s*|\t", part or "x"):
                    cursor += len(part)
                    continue
                cells.append((line_start + cursor, part))
                cursor += len(part)
            # Leading empty cells are layout; trailing ones may be layout (`| 64 | ||`) or blank data
            # cells: they are kept as "edge" blanks and used only when the row needs them.
            while cells and not cells[0][1].strip():
                cells.pop(0)
            n_edge = 0
            while n_edge < len(cells) and not cells[len(cells) - 1 - n_edge][1].strip():
                n_edge += 1
        else:
            # "label 12 0 3" or "12 0 3 15": split a tail of space-separated numbers.
            m = re.match(r"^(.*?[^\d\s,.].*?)?\s*((?:[+-]?\d[\d,]*(?:\.\d+)?\s*)+)$", feature_text(line))
            if m and m.group(2) and (m.group(1) is None or re.search(r"\s\d", line) or not m.group(1)):
                head = m.group(1) or ""
                if head.strip():
                    cells.append((line_start, line[:len(head)]))
                for nm in re.finditer(r"[+-]?\d[\d,]*(?:\.\d+)?", line[len(head):]):
                    cells.append((line_start + len(head) + nm.start(), nm.group(0)))
            else:
                cells.append((line_start, line))
        if not separated:
            n_edge = 0
        header_row = sum(1 for _, c in cells if _clean_label(c) in HEADER_WORDS) >= 3
        for k, (cell_start, cell) in enumerate(cells):
            stripped = cell.strip()
            if not stripped:
                kind = "edge" if k >= len(cells) - n_edge else "blank"
                tokens.append(Token(kind, "", cell_start, cell_start, lineno))
                continue
            if header_row and _clean_label(stripped) in HEADER_WORDS:
                tokens.append(Token("header", stripped, cell_start, cell_start + len(stripped), lineno))
                continue
            offset = cell_start + (len(cell) - len(cell.lstrip()))
            norm = unicodedata.normalize("NFKC", stripped).replace(" ", "")
            kind = "number" if (_NUMBER.match(norm) or _CHANGE.match(norm)) else "label"
            pair = _PAIR.match(stripped) if kind == "label" and separated else None
            if pair:  # "结果维持 4": a label and its number in one cell
                tokens.append(Token("label", pair.group(1), offset, offset + len(pair.group(1)), lineno, True))
                ns = offset + pair.start(2)
                tokens.append(Token("number", pair.group(2), ns, ns + len(pair.group(2)), lineno, True))
                continue
            tokens.append(Token(kind, stripped, offset, offset + len(stripped), lineno))
    # One cell a line: a run of three or more column names is a header, not row labels.
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j].kind == "label" and _clean_label(tokens[j].text) in HEADER_WORDS:
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                tokens[k].kind = "header"
        i = max(j, i + 1)
    return tokens


def _number(s: str):
    s = unicodedata.normalize("NFKC", s).replace(",", "").replace("，", "").replace(" ", "")
    s = re.sub(r"(万元|元|件|项|个)$", "", s)
    m = _CHANGE.match(s)
    if m:
        value = _number(m.group(3))
        return -value if m.group(2).startswith("减") else value
    return float(s) if "." in s else int(s)


def _segmentations(n: int):
    for mask in range(1 << (n - 1)):
        segs, cur = [], [0]
        for i in range(1, n):
            if mask >> (i - 1) & 1:
                segs.append(cur)
                cur = [i]
            else:
                cur.append(i)
        segs.append(cur)
        yield segs


def _resolve_run(run: list[Token], rows: list[Row], idx: int, lookahead: int) -> list[int]:
    """Template rows named by a run of consecutive label cells (a label may be broken across cells,
    and one line may hold a group, a sub-group and a row label). Tries every way of cutting the run
    into labels and keeps the one that explains most of its text, in template order."""
    run = run[-6:]
    best_total, best_rows = float("-inf"), []
    starts_label = [bool(_NUMBERED.match(feature_text(t.text))) for t in run]
    for segs in _segmentations(len(run)):
        # A cell that starts with its own numbering (（一） 1. 三、) begins a new label.
        if any(starts_label[i] for seg in segs for i in seg[1:]):
            continue
        pos, total, chosen = idx, 0.0, []
        for seg in segs:
            text = "".join(run[i].text for i in seg)
            weight = len(_clean_label(text)) or 1
            bj, bs = None, 0.0
            for j in range(pos, min(len(rows), pos + lookahead)):
                sc = max(similarity(text, label) for label in (rows[j].label,) + rows[j].aliases) - 0.02 * (j - pos)
                if sc > bs:
                    bj, bs = j, sc
            if bj is not None and bs >= MATCH_THRESHOLD:
                total += bs * weight
                chosen.append(bj)
                pos = bj + 1
            else:
                total -= 0.2 * weight
        if chosen and total > best_total:
            best_total, best_rows = total, chosen
    return best_rows


def _match_rows(tokens: list[Token], rows: list[Row], lookahead: int = 8) -> dict[str, list[Token]]:
    """Walk the tokens, matching label runs to template rows in order; returns {row key: [value tokens]}."""
    found: dict[str, list[Token]] = {}
    idx = 0            # next template row expected
    current = None
    run: list[Token] = []

    def resolve():
        nonlocal idx, current, run
        if run:
            matched = _resolve_run(run, rows, idx, lookahead)
            if matched:
                for j in matched:
                    found.setdefault(rows[j].key, [])
                current = rows[matched[-1]].key
                idx = matched[-1] + 1
            run = []

    for tok in tokens:
        if tok.kind == "header":
            resolve()
            continue
        if tok.kind == "label":
            run.append(tok)
            continue
        resolve()
        if current is not None:
            found[current].append(tok)
    resolve()
    return found


def _assign(table: str, rows: list[Row], found: dict[str, list[Token]], columns: dict[str, list[tuple[str, str]]] | list,
            problems: list[str]) -> list[Cell]:
    cells = []
    found = dict(found)
    # A row label lost to OCR: its numbers run on into the row above. The template fixes the
    # order of rows, so k full rows of numbers followed by k-1 missing rows are those rows.
    for i, row in enumerate(rows):
        cols = columns.get(row.key) if isinstance(columns, dict) else columns
        toks = [t for t in found.get(row.key, []) if t.kind in ("number", "blank")]
        if not cols or not toks or len(toks) <= len(cols) or len(toks) % len(cols):
            continue
        k = len(toks) // len(cols)
        following = [r for r in rows[i + 1:] if r.has_values][: k - 1]
        if len(following) == k - 1 and all(r.key not in found for r in following):
            found[row.key] = toks[:len(cols)]
            for j, r in enumerate(following, start=1):
                found[r.key] = toks[j * len(cols):(j + 1) * len(cols)]
    for row in rows:
        toks = found.get(row.key)
        cols = columns.get(row.key) if isinstance(columns, dict) else columns
        if toks is None or not cols:
            continue
        nums = [t for t in toks if t.kind in ("number", "blank", "edge")]
        if not row.has_values and not any(t.kind == "number" for t in nums):
            continue
        while len(nums) > len(cols) and nums[-1].kind == "edge":  # layout pipes after the last cell
            nums.pop()
        if len(nums) != len(cols):
            only_numbers = [t for t in nums if t.kind == "number"]
            if len(only_numbers) == len(cols):
                nums = only_numbers
            else:
                problems.append(f"row {row.key} ({row.label}): {len(only_numbers)} numbers for {len(cols)} columns")
                continue
        for (ckey, _), t in zip(cols, nums):
            if t.kind in ("blank", "edge"):
                cells.append(Cell(table, row.key, ckey, None, t.start, t.end))
            else:
                cells.append(Cell(table, row.key, ckey, _number(t.text), t.start, t.end))
    return cells


def _region(text: str, start_pat: str, end_pat: str | None, after: int = 0) -> tuple[int, int] | None:
    norm = feature_text(text)
    m = re.search(start_pat, norm[after:])
    if not m:
        return None
    start = norm.rfind("\n", 0, after + m.start()) + 1
    end = len(text)
    if end_pat:
        e = re.compile(end_pat, re.M).search(norm, after + m.end())
        if e:
            end = e.start()
    return start, end


# The next part of the report, whatever its numbering: a short heading line naming it.
_REQUESTS_END = r"^(?!\s*[四4]\s*[、.．]?\s*结转)[^。\n|\t]{0,14}(行政复议|存在的主要问题|存在的问题|存在问题)[^。\n|\t]{0,30}$"
_APPEALS_END = r"^[^。\n|\t]{0,14}(存在的主要问题|存在的问题|存在问题|主要问题|其他需要报告|改进情况)[^。\n|\t]{0,30}$"
_REQUESTS_START = r"(?m)勾稽关系|^[^。\n]{0,6}申\s*请\s*人\s*情\s*况|^[\s|]*[一1]?\s*[、.．]?\s*本年新[收州]"


def parse_requests(text: str) -> Table | None:
    reg = _region(text, _REQUESTS_START, _REQUESTS_END)
    if reg is None:
        return None
    start, end = reg
    tokens = tokenize(text, start, end)
    norm = feature_text(text[start:end])
    version = "2021" if re.search(r"逾期不补正|逾期未按收费通知", norm) else "2019"
    rows = REQUEST_ROWS[version]
    found = _match_rows(tokens, rows)
    problems: list[str] = []
    last_tok = max((t.end for ts in found.values() for t in ts), default=start)
    table = Table(REQUESTS, version, start, max(last_tok, start))
    if "new" not in found:
        problems.append("no 本年新收 row found")
    table.cells = _assign(REQUESTS, rows, found, APPLICANT_COLUMNS, problems)
    table.problems = problems
    return table


_APPEAL_GROUP_WORDS = [("litigation_direct", "未经复议直接起诉"), ("litigation_after", "复议后起诉"),
                       ("reconsideration", "行政复议")]


def _appeal_group(label: str) -> str | None:
    s = _clean_label(label)
    for key, word in _APPEAL_GROUP_WORDS:
        if word in s or (len(s) >= 4 and similarity(s, word) >= 0.75):
            return key
    return None


def _appeal_outcome(label: str) -> str | None:
    s = _clean_label(label)
    for key, word in OUTCOMES:
        if s == word or s == word[-2:] or (len(s) >= 3 and similarity(s, word) >= 0.75):
            return key
    return None


def parse_appeals(text: str) -> Table | None:
    reg = _region(text, r"结果\s*维持|^\s*维持\s*$", _APPEALS_END)
    if reg is None:
        return None
    start, end = reg
    # The table's header may start a few lines above 结果维持 (行政复议 | 行政诉讼).
    head = text.rfind("\n", 0, max(0, start - 1))
    for _ in range(3):
        prev = text.rfind("\n", 0, max(0, head))
        line = text[prev + 1:head]
        if re.search(r"行政复议|行政诉讼", line) and len(line) < 60 and not re.search(r"[。；]", line):
            head = prev
        else:
            break
    start = max(head + 1, 0) if head >= 0 and head < start else start
    tokens = tokenize(text, start, end)
    numbers = [t for t in tokens if t.kind == "number"]
    if not numbers:
        return None  # 结果维持 in a sentence, no table
    table = Table(APPEALS, None, start, numbers[-1].end)
    groups: dict[str, list[tuple[str | None, Token]]] = {}
    group = None
    group_line = None
    outcome = None
    for tok in tokens:
        if tok.kind in ("label", "header"):
            g = _appeal_group(tok.text)
            if g:
                group, group_line, outcome = g, tok.line, None
                continue
            if not tok.paired and tok.line != group_line:
                group = None  # column headers on their own lines: the numbers below are positional
            outcome = _appeal_outcome(tok.text) if tok.paired else None
            continue
        if tok.kind == "number":
            groups.setdefault(group, []).append((outcome, tok))
            outcome = None
    cells: list[Cell] = []
    labelled = all(o is not None for items in groups.values() for o, _ in items)
    per_group_ok = None not in groups and all(len(items) == len(OUTCOMES) for items in groups.values())
    if groups and labelled and None not in groups:
        for g, items in groups.items():
            for o, t in items:
                cells.append(Cell(APPEALS, g, o, _number(t.text), t.start, t.end))
    elif groups and per_group_ok:
        for g, items in groups.items():
            for (o, _), (_, t) in zip(OUTCOMES, items):
                cells.append(Cell(APPEALS, g, o, _number(t.text), t.start, t.end))
    elif len(numbers) >= len(APPEAL_COLUMNS):
        numbers = numbers[:len(APPEAL_COLUMNS)]
        cells = [Cell(APPEALS, go.split(".")[0], go.split(".")[1], _number(t.text), t.start, t.end)
                 for (go, _), t in zip(APPEAL_COLUMNS, numbers)]
    else:
        table.problems.append(f"{len(numbers)} numbers for the {len(APPEAL_COLUMNS)} cells of the table")
        return table
    found = {c.row for c in cells}
    missing = [g for g, _ in APPEAL_GROUPS if g not in found]
    if missing:
        table.problems.append("rows not in the table: " + ", ".join(missing))
    table.cells = cells
    table.end = max((c.end for c in cells), default=start)
    return table


def parse_active(text: str) -> Table | None:
    reg = _region(text, r"第二十条第\s*[（(]\s*一\s*[)）]\s*项|信息内容", r"^\s*[（(【]?\s*(三|四)\s*[、.．)）】]|^[^\n。]{0,8}收到和处理政府信息公开申请")
    if reg is None:
        return None
    start, end = reg
    nxt = _region(text, _REQUESTS_START, None, after=start)
    if nxt is not None and start < nxt[0] < end:
        end = nxt[0]
    norm = feature_text(text[start:end])
    version = "2021" if re.search(r"本年制发|本年废止|现行有效", norm) else "2019"
    tokens = tokenize(text, start, end)
    # Column headers are labels too; they match no row, so they are skipped by the walk.
    rows = [r for r in ACTIVE_ROWS if r.key in ACTIVE_COLUMNS[version]]
    found = _match_rows(tokens, rows, lookahead=len(rows))
    problems: list[str] = []
    last_tok = max((t.end for ts in found.values() for t in ts), default=start)
    table = Table(ACTIVE, version, start, max(last_tok, start))
    table.cells = _assign(ACTIVE, rows, found, ACTIVE_COLUMNS[version], problems)
    if not table.cells:
        problems.append("no rows of the table could be read")
    table.problems = problems
    return table


def parse_tables(text: str) -> list[Table]:
    """Every standard table found in a report's text (each with its problems, if any)."""
    out = []
    for parse in (parse_active, parse_requests, parse_appeals):
        t = parse(text)
        if t is not None:
            out.append(t)
    return out
