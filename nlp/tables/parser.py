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
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from ..textnorm import feature_text
from .template import (ACTIVE, ACTIVE_COLUMNS, ACTIVE_ROWS, APPEAL_COLUMNS, APPEALS, APPLICANT_COLUMNS, REQUEST_ROWS,
                       REQUESTS, Row)


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
        return {"table": self.table, "version": self.version, "start": self.start, "end": self.end,
                "confident": self.confident, "problems": self.problems, "cells": [asdict(c) for c in self.cells]}

    def value(self, row: str, column: str):
        for c in self.cells:
            if c.row == row and c.column == column:
                return c
        return None


@dataclass
class Token:
    kind: str          # "label" | "number" | "blank"
    text: str
    start: int
    end: int
    line: int


_NUMBER = re.compile(r"^[+-]?\d[\d,，]*(\.\d+)?$")
# 本年增/减 cells: 增40, 减1, 本年增加12项.
_CHANGE = re.compile(r"^(本年)?(增加?|减少?)(\d[\d,，]*(\.\d+)?)(项|件|个)?$")
_SPLIT = re.compile(r"\s*\|\s*|\t")
_TOP = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]")
# How similar a label must be to a template row to count as that row.
MATCH_THRESHOLD = 0.6


def _clean_label(s: str) -> str:
    s = feature_text(s)
    s = re.sub(r"^\s*([（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]|[一二三四五六七八九十]{1,2}\s*[、.．]|\d{1,2}\s*[.、．])", "", s)
    return re.sub(r"[\s“”\"'「」]", "", s)


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
        cells = []
        if separated:
            cursor = 0
            for part in re.split(r"(\s*\|\s*|\t)", line):
                if re.fullmatch(r"\s*\|\s*|\t", part or "x"):
                    cursor += len(part)
                    continue
                cells.append((line_start + cursor, part))
                cursor += len(part)
            # Trailing/leading empty cells of a row are layout, not data.
            while cells and not cells[-1][1].strip():
                cells.pop()
            while cells and not cells[0][1].strip():
                cells.pop(0)
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
        for cell_start, cell in cells:
            stripped = cell.strip()
            if not stripped:
                tokens.append(Token("blank", "", cell_start, cell_start, lineno))
                continue
            offset = cell_start + (len(cell) - len(cell.lstrip()))
            norm = unicodedata.normalize("NFKC", stripped).replace(" ", "")
            kind = "number" if (_NUMBER.match(norm) or _CHANGE.match(norm)) else "label"
            tokens.append(Token(kind, stripped, offset, offset + len(stripped), lineno))
    return tokens


def _number(s: str):
    s = unicodedata.normalize("NFKC", s).replace(",", "").replace("，", "").replace(" ", "")
    m = _CHANGE.match(s)
    if m:
        value = _number(m.group(3))
        return -value if m.group(2).startswith("减") else value
    return float(s) if "." in s else int(s)


def _match_rows(tokens: list[Token], rows: list[Row], lookahead: int = 8):
    """Walk the tokens, matching labels to template rows in order; returns {row key: [number tokens]}."""
    found: dict[str, list[Token]] = {}
    label_tok: dict[str, Token] = {}
    idx = 0            # next template row expected
    current = None
    pending: list[Token] = []   # consecutive label cells (a label broken across cells)
    for tok in tokens:
        if tok.kind == "label":
            pending.append(tok)
            candidates = [" ".join(t.text for t in pending[-k:]) for k in range(1, min(3, len(pending)) + 1)]
            best, best_score = None, 0.0
            for j in range(idx, min(len(rows), idx + lookahead)):
                row = rows[j]
                for cand in candidates:
                    for label in (row.label,) + row.aliases:
                        sc = similarity(cand, label)
                        if sc > best_score:
                            best, best_score = j, sc
            if best is not None and best_score >= MATCH_THRESHOLD:
                current = rows[best].key
                found.setdefault(current, [])
                label_tok[current] = tok
                idx = best + 1
                pending = []
            continue
        pending = []
        if current is not None:
            found[current].append(tok)
    return found, label_tok


def _assign(table: str, rows: list[Row], found: dict[str, list[Token]], columns: dict[str, list[tuple[str, str]]] | list,
            problems: list[str]) -> list[Cell]:
    cells = []
    for row in rows:
        toks = found.get(row.key)
        cols = columns.get(row.key) if isinstance(columns, dict) else columns
        if toks is None or not cols:
            continue
        nums = [t for t in toks if t.kind in ("number", "blank")]
        if not row.has_values and not any(t.kind == "number" for t in nums):
            continue
        if len(nums) != len(cols):
            only_numbers = [t for t in nums if t.kind == "number"]
            if len(only_numbers) == len(cols):
                nums = only_numbers
            else:
                problems.append(f"row {row.key} ({row.label}): {len(only_numbers)} numbers for {len(cols)} columns")
                continue
        for (ckey, _), t in zip(cols, nums):
            if t.kind == "blank":
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


def parse_requests(text: str) -> Table | None:
    reg = _region(text, r"本年新收|本年新州|申请\s*人\s*情况|上年结转", r"^\s*(四|五)\s*[、.．]\s*(政府信息公开行政复议|政府信息公开行政|存在|因政府信息公开)")
    if reg is None:
        return None
    start, end = reg
    tokens = tokenize(text, start, end)
    norm = feature_text(text[start:end])
    version = "2021" if re.search(r"逾期不补正|逾期未按收费通知", norm) else "2019"
    rows = REQUEST_ROWS[version]
    found, _ = _match_rows(tokens, rows)
    problems: list[str] = []
    last_tok = max((t.end for ts in found.values() for t in ts), default=start)
    table = Table(REQUESTS, version, start, max(last_tok, start))
    if "new" not in found:
        problems.append("no 本年新收 row found")
    table.cells = _assign(REQUESTS, rows, found, APPLICANT_COLUMNS, problems)
    table.problems = problems
    return table


def parse_appeals(text: str) -> Table | None:
    reg = _region(text, r"结果\s*维持", r"^\s*(五|六)\s*[、.．]")
    if reg is None:
        return None
    start, end = reg
    tokens = [t for t in tokenize(text, start, end)]
    numbers = [t for t in tokens if t.kind == "number"]
    table = Table(APPEALS, None, start, numbers[-1].end if numbers else start)
    if len(numbers) < len(APPEAL_COLUMNS):
        table.problems.append(f"{len(numbers)} numbers for the {len(APPEAL_COLUMNS)} cells of the table")
        return table
    numbers = numbers[:len(APPEAL_COLUMNS)]
    table.end = numbers[-1].end
    table.cells = [Cell(APPEALS, group_outcome.split(".")[0], group_outcome.split(".")[1], _number(t.text), t.start, t.end)
                   for (group_outcome, _), t in zip(APPEAL_COLUMNS, numbers)]
    return table


def parse_active(text: str) -> Table | None:
    reg = _region(text, r"第二十条第\s*[（(]\s*一\s*[)）]\s*项|信息内容", r"^\s*(三|四)\s*[、.．]")
    if reg is None:
        return None
    start, end = reg
    norm = feature_text(text[start:end])
    version = "2021" if re.search(r"本年制发|本年废止|现行有效", norm) else "2019"
    tokens = tokenize(text, start, end)
    # Column headers are labels too; they match no row, so they are skipped by the walk.
    rows = [r for r in ACTIVE_ROWS if r.key in ACTIVE_COLUMNS[version]]
    found, _ = _match_rows(tokens, rows, lookahead=len(rows))
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
