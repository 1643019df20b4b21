"""The section model: a linear-chain CRF over the lines of a report.

Each line is described by its characters and character n-grams, and by the cues that carry
structure: numbering style, heading-likeness, the section its heading words name, the last
top-level heading seen, position, table-row and chrome shape. The CRF decodes the whole document
jointly with learned transitions, so one ambiguous line does not break a section, while excerpts
and reports without headings are decided by content.

Features are integer keys (:mod:`gongkai.fastcrf`): the structure cues are computed once per line
in Python, the character n-grams in compiled code. Training goes through CRFsuite; prediction uses
the exported weights.

Persistence: a CRFsuite model file (CRFsuite's own binary format, not a pickle), its weights as
plain arrays (``weights.npz``) and a JSON config.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from numba import njit

from ..crf import CRFModel
from ..fastcrf import fkey as _k
from ..fastcrf import key_strings
from ..scheme import SECTIONS, text_lines
from ..structure import heading_cues, is_noise_line, is_table_row, top_style_of
from ..textnorm import feature_text

MODEL_FILE = "sections.crfsuite"


_DATE_END = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_STYLES = {None: 0, **{st: i + 1 for i, st in enumerate(("cn_dun", "part", "bracket_cn_box", "paren_cn", "arabic_dun",
                                                           "arabic_dot", "paren_arabic", "circled", "ordinal",
                                                           "bracket_plain", "plain"))}}
_LABEL_IDS = {None: 0, **{lab: i + 1 for i, lab in enumerate(SECTIONS)}}

# Feature templates (ids of fastcrf keys); the text templates are filled in by _text_keys.
(T_BIAS, T_NUM, T_HEADING_LIKE, T_TOP, T_HEAD, T_HEAD_NUM, T_LAST_TOP, T_DOC_TOP, T_DOC_TOP_STYLE, T_LAST_DOC_TOP,
 T_NO_CN_DUN, T_SUB_HEADING, T_SINCE_TOP, T_POS, T_REL, T_LAST_LINE, T_CHROME, T_TABLE_ROW, T_LEN, T_TITLE_WORDS,
 T_DATE_END, T_PREV_HEAD, T_NEXT_HEAD, T_NEXT_TOP) = range(1, 25)
T_UNIGRAM, T_BIGRAM, T_HEAD_BIGRAM, T_TRIGRAM = 25, 26, 27, 28
TEXT_CHARS = 120      # the bag of characters reads the first 120 characters of a line
HEAD_CHARS = 12       # the head bigrams read its first 12
_TEXT_WIDTH = 3 * TEXT_CHARS + HEAD_CHARS   # characters, bigrams, trigrams, head bigrams
_SKIP_CHARS = set(" \t\r\n\u3000，。、；：:,.;!?！？“”\"'（）()《》【】[]|-—_·…%％")


@lru_cache(maxsize=1)
def _skip_table() -> np.ndarray:
    """1 for the characters the bag of characters leaves out (spaces, punctuation), 2 for spaces."""
    table = np.zeros(0x10000, dtype=np.int8)
    for ch in _SKIP_CHARS:
        table[ord(ch)] = 1
    for cp in range(0x10000):
        if chr(cp).isspace():
            table[cp] = 2
    return table


@njit(cache=True)
def _text_keys(codes, skip, starts, ends):
    """Characters (digits as 0), character bigrams and trigrams of each line, without spaces and
    punctuation, and the bigrams of its first characters (punctuation kept): (lines, 372) keys, 0 = none."""
    out = np.zeros((starts.shape[0], _TEXT_WIDTH), dtype=np.uint64)
    for n in range(starts.shape[0]):
        f = 0
        prev = -1
        prev2 = -1
        kept = 0
        head = 0
        hprev = -1
        for i in range(starts[n], ends[n]):
            c = np.int64(codes[i])
            if c > 0xFFFF:
                c = 0xFFFF
            sk = skip[c]
            if sk == 2:
                continue
            if head < HEAD_CHARS:
                if hprev >= 0:
                    out[n, f] = _k(T_HEAD_BIGRAM, (hprev << 16) | c)
                    f += 1
                hprev = c
                head += 1
            if sk == 1:
                prev = -1
                prev2 = -1
                continue
            if kept >= TEXT_CHARS:
                if head >= HEAD_CHARS:
                    break
                continue
            if 48 <= c <= 57:
                c = 48
            out[n, f] = _k(T_UNIGRAM, c)
            f += 1
            if prev >= 0:
                out[n, f] = _k(T_BIGRAM, (prev << 16) | c)
                f += 1
                if prev2 >= 0:
                    out[n, f] = _k(T_TRIGRAM, (prev2 << 32) | (prev << 16) | c)
                    f += 1
            prev2 = prev
            prev = c
            kept += 1
    return out


@njit(cache=True)
def _cue_keys(style, hl, top, head, hstyle, doc_top, body_head, n_chars, flags, doc_style_id, has_cn_dun):
    """The structure features of every line as keys: (lines, 24), 0 = none."""
    n = style.shape[0]
    out = np.zeros((n, 24), dtype=np.uint64)
    last_top = last_doc_top = since_top = 0
    for i in range(n):
        f = 0
        out[i, f] = _k(T_BIAS, 0); f += 1
        out[i, f] = _k(T_NUM, style[i]); f += 1
        if hl[i]:
            out[i, f] = _k(T_HEADING_LIKE, 0); f += 1
        if top[i]:
            out[i, f] = _k(T_TOP, top[i]); f += 1
            last_top = top[i]
            since_top = 0
        else:
            since_top += 1
        if head[i]:
            out[i, f] = _k(T_HEAD, head[i]); f += 1
            out[i, f] = _k(T_HEAD_NUM, head[i] * 16 + style[i]); f += 1
        out[i, f] = _k(T_LAST_TOP, last_top); f += 1
        if doc_top[i]:
            last_doc_top = body_head[i]
            out[i, f] = _k(T_DOC_TOP, last_doc_top); f += 1
            out[i, f] = _k(T_DOC_TOP_STYLE, doc_style_id); f += 1
        out[i, f] = _k(T_LAST_DOC_TOP, last_doc_top); f += 1
        if not has_cn_dun:
            out[i, f] = _k(T_NO_CN_DUN, 0); f += 1
        if hstyle[i] and not doc_top[i]:
            out[i, f] = _k(T_SUB_HEADING, hstyle[i]); f += 1
        out[i, f] = _k(T_SINCE_TOP, min(since_top, 6)); f += 1
        out[i, f] = _k(T_POS, min(i, 5)); f += 1
        out[i, f] = _k(T_REL, (10 * i) // n); f += 1
        if i == n - 1:
            out[i, f] = _k(T_LAST_LINE, 0); f += 1
        out[i, f] = _k(T_LEN, min(n_chars[i] // 10, 8)); f += 1
        if flags[i] & 1:
            out[i, f] = _k(T_CHROME, 0); f += 1
        if flags[i] & 2:
            out[i, f] = _k(T_TABLE_ROW, 0); f += 1
        if flags[i] & 4:
            out[i, f] = _k(T_TITLE_WORDS, 0); f += 1
        if flags[i] & 8:
            out[i, f] = _k(T_DATE_END, 0); f += 1
        if i > 0 and head[i - 1]:
            out[i, f] = _k(T_PREV_HEAD, head[i - 1]); f += 1
        if i + 1 < n:
            if head[i + 1]:
                out[i, f] = _k(T_NEXT_HEAD, head[i + 1]); f += 1
            if top[i + 1]:
                out[i, f] = _k(T_NEXT_TOP, top[i + 1]); f += 1
    return out


def line_keys(text: str, bounds: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Feature keys of the lines ``bounds`` of ``text``: (line cues, bag of characters)."""
    norm = feature_text(text)
    lines = [norm[s:e] for s, e in bounds]
    info = [line_cues(l) for l in lines]
    styles = [c[4] for c in info]
    doc_style = top_style_of(styles)
    has_cn_dun = any(st == "cn_dun" for st in styles)
    doc_style_id = _STYLES.get(doc_style, 0)
    style, hl, top, head, hstyle, body_head, n_chars, flags = zip(*info) if info else ((),) * 8
    ids = _LABEL_IDS
    cues = _cue_keys(np.array([_STYLES[x] for x in style], dtype=np.int64), np.array(hl, dtype=np.int64),
                     np.array([ids[x] for x in top], dtype=np.int64), np.array([ids[x] for x in head], dtype=np.int64),
                     np.array([_STYLES.get(x, 0) for x in hstyle], dtype=np.int64),
                     np.array([x is not None and x == doc_style for x in hstyle], dtype=np.int64),
                     np.array([ids[x] for x in body_head], dtype=np.int64),
                     np.array(n_chars, dtype=np.int64), np.array(flags, dtype=np.int64), doc_style_id,
                     int(has_cn_dun))
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    text_part = _text_keys(codes, _skip_table(), np.array([s for s, _ in bounds], dtype=np.int64),
                           np.array([e for _, e in bounds], dtype=np.int64))
    return cues, text_part


@lru_cache(maxsize=16384)
def line_cues(line: str) -> tuple:
    """The structure cues of one line, each computed once: (numbering style, heading-like, top-level
    section, heading section, heading style, section of the heading without its number, length
    without spaces, flags: 1 chrome, 2 table row, 4 title words, 8 ends with a date)."""
    s = line.strip()
    style, hl, head, top, hstyle, body_head = heading_cues(s)
    n_chars = len(s) - s.count(" ") if " " in s else len(s)
    flags = 0
    if n_chars <= 60 and is_noise_line(s):
        flags |= 1
    if is_table_row(line):
        flags |= 2
    if "年度报告" in s or "年报" in s:
        flags |= 4
    if s.endswith("日") and _DATE_END.search(s):
        flags |= 8
    return style, hl, top, head, hstyle, body_head, n_chars, flags


class SectionModel(CRFModel):
    """Train with :meth:`fit` on (line texts, labels) documents; :meth:`predict_text` labels a report."""

    component = "gongkai_sections"
    model_file = MODEL_FILE
    kind = "section model"
    # c1, c2 chosen on dev among 0.005–0.2 × 0.001–0.05 (character n-gram features).
    defaults = {"c1": 0.05, "c2": 0.01, "max_iterations": 150}

    def fit(self, documents: list[tuple[list[str], list[str]]], model_dir) -> "SectionModel":
        def sequences():
            for lines, labels in documents:
                if lines:
                    text, bounds = _join(lines)
                    cues, bag = line_keys(text, bounds)
                    yield [a + b for a, b in zip(key_strings(cues), key_strings(bag))], labels

        return self._train(sequences(), model_dir, {"labels": list(SECTIONS)})

    def _predict(self, text: str, bounds: list[tuple[int, int]]) -> list[tuple[str, float]]:
        self._require()
        if not bounds:
            return []
        cues, bag = line_keys(text, bounds)
        emissions = self.crf_.emissions(cues) + self.crf_.emissions(bag)
        labels, marginal = self.crf_.decode(emissions, np.array([0, len(bounds)], dtype=np.int64))
        names = self.crf_.labels
        return [(names[y], float(m)) for y, m in zip(labels.tolist(), marginal.tolist())]

    def predict_lines(self, lines: list[str]) -> list[tuple[str, float]]:
        return self._predict(*_join(lines))

    def predict_text(self, text: str, lines: list[tuple[int, int]] | None = None) -> list[dict]:
        """Sections of every line of ``text`` (``lines``: its :func:`~gongkai.scheme.text_lines`, if known)."""
        spans = text_lines(text) if lines is None else lines
        labelled = self._predict(text, spans)
        return [{"start": s, "end": e, "section": lab, "score": round(score, 4)}
                for (s, e), (lab, score) in zip(spans, labelled)]


def _join(lines: list[str]) -> tuple[str, list[tuple[int, int]]]:
    bounds, pos = [], 0
    for line in lines:
        bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    return "\n".join(lines), bounds
