"""The quantity tagger: a character-level CRF with BIO tags over the scheme's ten types.

Features see what decides a quantity and its type: the characters around it and their classes,
the keywords to its left in the same clause (工单, 满意率, 经费, 申请, 复议, 培训 …), the section of
its line, and whether the line is a table row (whose numbers are never quantities). Every span
found goes through the normaliser; a span it cannot read is kept with its type and no value.

The features are integer keys (:mod:`gongkai.fastcrf`) computed in compiled code over whole
windows; training goes through CRFsuite, prediction uses the exported weights.

Persistence: a CRFsuite model file (its own binary format, not a pickle), its weights as plain
arrays (``weights.npz``) and a JSON config.
"""

from __future__ import annotations

import re

from functools import lru_cache

import numpy as np
from numba import njit

from ..crf import CRFModel
from ..fastcrf import fkey as _k
from ..fastcrf import bio_allowed, key_strings
from ..scheme import SECTIONS, TYPES, text_lines
from ..structure import is_table_row
from ..textnorm import feature_text
from .normalizer import PREFIX_QUALIFIERS, NormalizationError, governing_qualifier, normalize, read_simple

MODEL_FILE = "quantities.crfsuite"

CN_NUMERALS = set("零〇一二两三四五六七八九十百千万亿")
UNIT_CHARS = set("件条个项次人篇期场家份起名批户封位所类张套部台册元%％点家间座")
KEYWORDS = {
    "HOT": ("热线", "工单", "信箱", "留言", "诉求", "来电", "来信", "12345", "投诉", "举报"),
    "SAT": ("满意", "好评", "满意度"),
    "MON": ("经费", "资金", "投入", "预算", "收费", "支出", "金额", "费用", "罚没", "采购"),
    "APP": ("复议", "诉讼", "应诉"),
    "REQ": ("申请", "依申请", "答复", "予以公开", "不予公开", "部分公开", "无法提供", "不予处理", "结转"),
    "TRN": ("培训", "会议", "参训", "讲座", "学习", "业务骨干"),
    "SRV": ("大厅", "窗口", "办件", "受理", "办结", "接待", "咨询", "审批", "事项", "服务"),
    "PUB": ("公开", "发布", "解读", "推送", "公报", "报送", "信息", "新闻", "微博", "微信", "文件", "动态"),
    "RAT": ("率", "占", "增长", "下降", "提高", "比例", "同比"),
    "CNT": ("人员", "栏目", "目录", "单位", "平台", "部门", "专栏", "账号", "网站"),
    "DATE": ("年", "月", "日", "季度", "工作日", "小时"),
}


def char_class(ch: str) -> str:
    if ch.isdigit():
        return "D"
    if ch in CN_NUMERALS:
        return "C"
    if ch in "%％":
        return "P"
    if ch in UNIT_CHARS:
        return "U"
    if ch.isspace():
        return "S"
    if ch in ",，.．":
        return "."
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isalpha():
        return "L"
    return "O"


_KEYWORD_RE = re.compile("|".join(sorted((re.escape(w) for ws in KEYWORDS.values() for w in ws), key=len, reverse=True)))
_GROUP_IDS = {g: i for i, g in enumerate(KEYWORDS)}
_KEYWORD_GROUP = {w: _GROUP_IDS[g] for g, ws in KEYWORDS.items() for w in ws}
# The tagger labels windows around numerals: a window starts at a run of numerals, or at the
# qualifier word just before it (约, 超过, 不少于), and reaches up to six characters right of it for
# the unit (万余人次以上), stopping at punctuation (a comma or point only when no digit follows). The
# text is the feature text, where full-width punctuation is already half-width. The features still
# read the whole line.
WINDOW_RIGHT = 6
_NUMERAL_CHARS = "0123456789零〇一二两三四五六七八九十百千万亿"
_STOP_CHARS = "，。、；：！？（）《》“”‘’【】;:!?()|\t\n\r"
_QUALIFIER_WORDS = sorted({w for w, _ in PREFIX_QUALIFIERS if len(w) <= 3}, key=len, reverse=True)


# Character classes as small integers (0 = outside the line), over the Basic Multilingual Plane.
_CLASS_IDS = {c: i + 1 for i, c in enumerate("DCPUS.HLO")}
_OUTSIDE_CHAR = 0x110000
_BREAK_CHARS = "。；;！!？?\n"


@lru_cache(maxsize=1)
def _break_table() -> np.ndarray:
    table = np.zeros(0x10000, dtype=np.bool_)
    table[[ord(c) for c in _BREAK_CHARS]] = True
    return table


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    table = np.full(0x10000, _CLASS_IDS["L"], dtype=np.int8)
    for cp in range(0x10000):
        table[cp] = _CLASS_IDS[char_class(chr(cp))]
    return table


@lru_cache(maxsize=1)
def _window_tables():
    numeral = np.zeros(0x10000, dtype=np.bool_)
    for ch in _NUMERAL_CHARS:
        numeral[ord(ch)] = True
    stop = np.zeros(0x10000, dtype=np.bool_)
    for ch in _STOP_CHARS:
        stop[ord(ch)] = True
    words = np.zeros((len(_QUALIFIER_WORDS), 3), dtype=np.int64)
    lengths = np.array([len(w) for w in _QUALIFIER_WORDS], dtype=np.int64)
    for i, w in enumerate(_QUALIFIER_WORDS):
        words[i, :len(w)] = [ord(c) for c in w]
    return numeral, stop, words, lengths


@njit(cache=True)
def _windows(codes, numeral, stop, words, lengths, line_starts, line_ends, right):
    """(start, end, line index) of the merged windows of every line."""
    out = np.zeros((codes.shape[0] + 1, 3), dtype=np.int64)
    n = 0
    for li in range(line_starts.shape[0]):
        ls, le = line_starts[li], line_ends[li]
        i = ls
        while i < le:
            c = codes[i]
            if c > 0xFFFF or not numeral[c]:
                i += 1
                continue
            j = i
            while j < le and codes[j] <= 0xFFFF and numeral[codes[j]]:
                j += 1
            a = i
            for w in range(words.shape[0]):
                k = lengths[w]
                if i - k >= ls:
                    same = True
                    for q in range(k):
                        if codes[i - k + q] != words[w, q]:
                            same = False
                            break
                    if same:
                        a = i - k
                        break
            b = j
            while b < le and b - j < right and not (codes[b] <= 0xFFFF and stop[codes[b]]):
                # a comma or point ends the window unless a digit follows (1,234  3.5)
                if (codes[b] == 44 or codes[b] == 46) and not (b + 1 < le and 48 <= codes[b + 1] <= 57):
                    break
                b += 1
            if n > 0 and out[n - 1, 2] == li and a <= out[n - 1, 1]:
                if b > out[n - 1, 1]:
                    out[n - 1, 1] = b
            else:
                out[n, 0] = a
                out[n, 1] = b
                out[n, 2] = li
                n += 1
            i = j
    return out[:n]


def candidate_windows(codes: np.ndarray, line_starts, line_ends) -> np.ndarray:
    """Windows around the numerals of the given lines: rows of (start, end, line index)."""
    numeral, stop, words, lengths = _window_tables()
    return _windows(codes, numeral, stop, words, lengths, np.asarray(line_starts, dtype=np.int64),
                    np.asarray(line_ends, dtype=np.int64), WINDOW_RIGHT)


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted(windows):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


# Feature templates (ids of fastcrf keys).
(T_BIAS, T_CHAR, T_CLASS, T_SECTION, T_CLASS5, T_TABLE, T_LINESTART, T_LK, T_LKDIST, T_H1, T_LK2, T_SK,
 T_BG_LEFT, T_BG_RIGHT, T_TG_RIGHT, T_TG_LEFT) = range(1, 17)
T_CHAR_AT0, T_CLASS_AT0 = 17, 23   # + k for the offsets -3, -2, -1, 1, 2, 3
MAX_FEATURES = 48
_N_GROUPS = len(KEYWORDS)


@njit(cache=True)
def _featurize(codes, classes, win_a, win_b, win_ls, win_le, win_sec, win_table, kw_ends, kw_groups, breaks):
    """Integer feature keys of every character of every window: (characters, MAX_FEATURES)."""
    n_items = 0
    for w in range(win_a.shape[0]):
        n_items += win_b[w] - win_a[w]
    out = np.zeros((n_items, MAX_FEATURES), dtype=np.uint64)
    seen = np.zeros(_N_GROUPS, dtype=np.int64)
    row = 0
    for w in range(win_a.shape[0]):
        ls, le = win_ls[w], win_le[w]
        for i in range(win_a[w], win_b[w]):
            f = 0
            c = classes[i]
            ch = np.int64(codes[i])
            out[row, f] = _k(T_BIAS, 0); f += 1
            out[row, f] = _k(T_CHAR, 48 if c == 1 else ch); f += 1
            out[row, f] = _k(T_CLASS, c); f += 1
            out[row, f] = _k(T_SECTION, win_sec[w]); f += 1
            c5 = 0
            for d in range(-2, 3):
                j = i + d
                c5 = c5 * 16 + (classes[j] if ls <= j < le else 0)
            out[row, f] = _k(T_CLASS5, c5); f += 1
            for k, d in enumerate((-3, -2, -1, 1, 2, 3)):
                j = i + d
                if ls <= j < le:
                    cj = classes[j]
                    out[row, f] = _k(T_CHAR_AT0 + k, 48 if cj == 1 else np.int64(codes[j])); f += 1
                    out[row, f] = _k(T_CLASS_AT0 + k, cj); f += 1
                else:
                    out[row, f] = _k(T_CHAR_AT0 + k, _OUTSIDE_CHAR); f += 1
            c16 = min(ch, 0xFFFF)
            if i - 1 >= ls:
                out[row, f] = _k(T_BG_LEFT, (min(np.int64(codes[i - 1]), 0xFFFF) << 16) | c16); f += 1
            if i + 1 < le:
                out[row, f] = _k(T_BG_RIGHT, (c16 << 16) | min(np.int64(codes[i + 1]), 0xFFFF)); f += 1
            if i + 2 < le:
                out[row, f] = _k(T_TG_RIGHT, (c16 << 32) | (min(np.int64(codes[i + 1]), 0xFFFF) << 16)
                                 | min(np.int64(codes[i + 2]), 0xFFFF)); f += 1
            if i - 2 >= ls:
                out[row, f] = _k(T_TG_LEFT, (min(np.int64(codes[i - 2]), 0xFFFF) << 32)
                                 | (min(np.int64(codes[i - 1]), 0xFFFF) << 16) | c16); f += 1
            if c == 1 or c == 2:
                k = np.searchsorted(kw_ends, i, side="right") - 1
                clause = np.searchsorted(breaks, i, side="right") - 1
                sentence_start = breaks[clause] if clause >= 0 else -1
                if k >= 0 and kw_ends[k] > sentence_start:
                    dist = i - kw_ends[k]
                    g = kw_groups[k]
                    out[row, f] = _k(T_LK, g); f += 1
                    out[row, f] = _k(T_LKDIST, g * 8 + min(dist // 4, 4)); f += 1
                    first = np.searchsorted(kw_ends, sentence_start, side="right")
                    out[row, f] = _k(T_H1, kw_groups[first]); f += 1
                    if k - 1 >= first:
                        out[row, f] = _k(T_LK2, kw_groups[k - 1]); f += 1
                    seen[:] = 0
                    for m in range(max(first, k - 8), k + 1):
                        seen[kw_groups[m]] = 1
                    for g2 in range(_N_GROUPS):
                        if seen[g2]:
                            out[row, f] = _k(T_SK, g2); f += 1
                if win_table[w]:
                    out[row, f] = _k(T_TABLE, 0); f += 1
                if i - ls < 3:
                    out[row, f] = _k(T_LINESTART, 0); f += 1
            row += 1
    return out


@lru_cache(maxsize=1)
def _keyword_tables():
    """The keywords as arrays: code points (padded), lengths, groups, and per first character the
    range of its words, longest first."""
    words = sorted(_KEYWORD_GROUP, key=lambda w: (w[0], -len(w)))
    chars = np.zeros((len(words), max(map(len, words))), dtype=np.int64)
    for i, w in enumerate(words):
        chars[i, :len(w)] = [ord(c) for c in w]
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    groups = np.array([_KEYWORD_GROUP[w] for w in words], dtype=np.int64)
    first = np.zeros(0x10000, dtype=np.int64)
    count = np.zeros(0x10000, dtype=np.int64)
    for i, w in enumerate(words):
        if count[ord(w[0])] == 0:
            first[ord(w[0])] = i
        count[ord(w[0])] += 1
    return chars, lengths, groups, first, count


@njit(cache=True)
def _keywords(codes, chars, lengths, groups, first, count):
    """End positions and groups of the keywords, scanning left to right, longest word first
    (as the alternation of _KEYWORD_RE)."""
    n = codes.shape[0]
    ends = np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        c = codes[i]
        hit = -1
        if c <= 0xFFFF:
            for w in range(first[c], first[c] + count[c]):
                m = lengths[w]
                if i + m <= n:
                    same = True
                    for q in range(1, m):
                        if codes[i + q] != chars[w, q]:
                            same = False
                            break
                    if same:
                        hit = w
                        break
        if hit >= 0:
            ends[k] = i + lengths[hit] - 1
            found[k] = groups[hit]
            k += 1
            i += lengths[hit]
        else:
            i += 1
    return ends[:k], found[:k]


class DocFeatures:
    """What the tagger reads of one text, computed once: normalised code points, character
    classes, keyword matches and clause breaks."""

    __slots__ = ("norm", "codes", "classes", "kw_ends", "kw_groups", "breaks")

    def __init__(self, text: str, norm: str | None = None):
        self.norm = norm = feature_text(text) if norm is None else norm
        codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
        self.codes = codes
        self.classes = _class_table()[np.minimum(codes, 0xFFFF)]
        if (codes > 0xFFFF).any():
            self.classes = self.classes.copy()
            self.classes[codes > 0xFFFF] = _CLASS_IDS["L"]
        self.kw_ends, self.kw_groups = _keywords(codes, *_keyword_tables())
        self.breaks = np.flatnonzero(_break_table()[np.minimum(codes, 0xFFFF)])

    def window_keys(self, windows, line_bounds, sections, tables) -> np.ndarray:
        """Keys of every character of ``windows`` [(a, b)], each with its line's bounds, section id
        and table flag."""
        if not windows:
            return np.zeros((0, MAX_FEATURES), dtype=np.uint64)
        return self.keys(np.array([a for a, _ in windows], dtype=np.int64), np.array([b for _, b in windows], dtype=np.int64),
                         np.array([a for a, _ in line_bounds], dtype=np.int64),
                         np.array([b for _, b in line_bounds], dtype=np.int64),
                         np.array(sections, dtype=np.int64), np.array(tables, dtype=np.bool_))

    def keys(self, wa, wb, ls, le, sections, tables) -> np.ndarray:
        """:meth:`window_keys` on arrays: window starts and ends, line starts and ends, section ids,
        table flags."""
        return _featurize(self.codes, self.classes, wa, wb, ls, le, sections, tables, self.kw_ends, self.kw_groups,
                          self.breaks)


SECTION_IDS = {s: i + 1 for i, s in enumerate(SECTIONS)}


def bio_tags(line_len: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * line_len
    for s, e, t in spans:
        tags[s] = "B-" + t
        for k in range(s + 1, e):
            tags[k] = "I-" + t
    return tags


# Units that make a date, a time, a place or an ordinal, never a quantity (scheme: boundaries).
NON_QUANTITY_UNITS = {"年", "月", "日", "号", "號", "时", "時", "点", "點", "分", "秒", "室", "栋", "棟", "楼", "樓",
                      "层", "層", "路", "街", "巷", "弄", "岁", "歲", "届", "屆", "季度", "年度", "周岁", "小时", "小時",
                      "个工作日", "個工作日", "工作日", "天", "周", "个月", "個月", "版"}
_DATE_LIKE = re.compile(r"^[\d０-９零〇一二两三四五六七八九十]+\s*(年|月|日|号|號|时|時|点|點|室|栋|楼|层)")
_SPLIT_POINT = re.compile(r"(?<=[^\d\s.,，．０-９])(?=[\d０-９])")


def split_joined(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span such as ``7期2542条`` holds two quantities: split it where a unit meets a numeral."""
    return [(start + a, start + b) for a, b in _split_points(text[start:end])]


@lru_cache(maxsize=16384)
def _split_points(span: str) -> tuple[tuple[int, int], ...]:
    cuts = [m.start() for m in _SPLIT_POINT.finditer(span) if m.start() > 0]
    if not cuts:
        return ((0, len(span)),)
    bounds = [0] + cuts + [len(span)]
    parts = tuple(zip(bounds, bounds[1:]))
    try:
        for a, b in parts:
            normalize(span[a:b])
    except NormalizationError:
        return ((0, len(span)),)
    return parts


_DROP = object()


@lru_cache(maxsize=16384)
def _read_span(span: str):
    """(value, unit, qualifier) of a trimmed span, None if it has no readable value, _DROP if the
    scheme rules it out (no unit, or a date/time/place unit)."""
    simple = read_simple(span)
    if simple is not None:
        return _DROP if simple[1] in NON_QUANTITY_UNITS else (simple[0], simple[1], "exact")
    try:
        norm = normalize(span)
    except NormalizationError as exc:
        if "no unit" in str(exc) or "no numeral" in str(exc) or _DATE_LIKE.match(span):
            return _DROP
        return None
    if norm.unit in NON_QUANTITY_UNITS:
        return _DROP
    return norm.number, norm.unit, norm.qualifier


@lru_cache(maxsize=16384)
def _finished_parts(span: str) -> tuple:
    """:func:`split_joined` then :func:`finish_quantity` of a tagged span: (start, end, value, unit,
    qualifier) of each part, offsets relative to the span, without the parts the scheme rules out
    (value, unit and qualifier None when the text cannot be read)."""
    out = []
    for a, b in _split_points(span):
        a, b = _trimmed(span, a, b)
        if a < b:
            read = _read_span(span[a:b])
            if read is not _DROP:
                out.append((a, b, *(read if read is not None else (None, None, None))))
    return tuple(out)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quantity(text: str, start: int, end: int, qtype: str, value, unit, qualifier, score) -> dict:
    """The prediction record of one read span; an exact reading takes a qualifier governing it
    from the left (约占…)."""
    if qualifier == "exact":
        qualifier = governing_qualifier(text, start) or "exact"
    q = {"start": start, "end": end, "text": text[start:end], "type": qtype, "value": value, "unit": unit,
         "qualifier": qualifier}
    if score is not None:
        q["score"] = score
    return q


def clear_caches() -> None:
    """Forget the spans read so far (the caches are bounded; this is for timing from cold)."""
    _split_points.cache_clear()
    _read_span.cache_clear()
    _finished_parts.cache_clear()


def finish_quantity(text: str, start: int, end: int, qtype: str, score: float | None = None) -> dict | None:
    """Trim, normalise and package one found span; None if the scheme rules it out.

    A span with no unit (a bare numeral) or with a date/time/place unit is not a quantity; a span
    the normaliser cannot otherwise read is kept with its type and no value.
    """
    start, end = _trimmed(text, start, end)
    if start >= end:
        return None
    read = _read_span(text[start:end])
    if read is _DROP:
        return None
    return _quantity(text, start, end, qtype, *(read if read is not None else (None, None, None)),
                     None if score is None else round(score, 4))


_KINDS = {"O": 0, "B": 1, "I": 2}


@njit(cache=True)
def _decode_spans(labels, marginal, kinds, types, win_a, item_bounds):
    """BIO label ids of every window → (start, end, type id) and score of each span, in text offsets."""
    spans = np.zeros((labels.shape[0], 3), dtype=np.int64)
    scores = np.zeros(labels.shape[0])
    n = 0
    for w in range(win_a.shape[0]):
        start, typ, score = -1, -1, 0.0
        lo, hi = item_bounds[w], item_bounds[w + 1]
        for t in range(lo, hi + 1):
            pos = win_a[w] + t - lo
            kd = kinds[labels[t]] if t < hi else 0
            ty = types[labels[t]] if t < hi else -1
            if kd != 2 or ty != typ:
                if start >= 0:
                    spans[n, 0] = start
                    spans[n, 1] = pos
                    spans[n, 2] = typ
                    scores[n] = score
                    n += 1
                    start = -1
                if kd != 0:
                    start, typ, score = pos, ty, marginal[t]
    return spans[:n], scores[:n]


class QuantityTagger(CRFModel):
    """Train with :meth:`fit` on annotated lines; :meth:`predict_text` finds a report's quantities."""

    component = "gongkai_quantities"
    model_file = MODEL_FILE
    kind = "quantity model"
    defaults = {"c1": 0.05, "c2": 0.01, "max_iterations": 120}

    def fit(self, lines: list[tuple[str, str | None, list[tuple[int, int, str]]]], model_dir) -> "QuantityTagger":
        """Train on (line text, section, [(start, end, type)]) triples with offsets into the line."""

        def sequences():
            for text, section, spans in lines:
                if not text:
                    continue
                tags = bio_tags(len(text), spans)
                df = DocFeatures(text)
                found = candidate_windows(df.codes, [0], [len(text)])
                windows = _merge([(a, b) for a, b, _ in found.tolist()] + [(a, b) for a, b, _ in spans])
                keys = df.window_keys(windows, [(0, len(text))] * len(windows),
                                      [SECTION_IDS.get(section, 0)] * len(windows), [is_table_row(text)] * len(windows))
                row = 0
                for a, b in windows:
                    yield key_strings(keys[row:row + b - a]), tags[a:b]
                    row += b - a

        return self._train(sequences(), model_dir, {"types": list(TYPES)})

    def _open(self):
        super()._open()
        self.crf_ = self.crf_.restrict(bio_allowed(self.crf_.labels))  # decode valid BIO sequences only

    def _label_maps(self):
        if getattr(self, "_maps", None) is None:
            kinds = np.array([_KINDS[lab[0]] for lab in self.crf_.labels], dtype=np.int64)
            types = np.array([TYPES.index(lab[2:]) if lab != "O" else -1 for lab in self.crf_.labels], dtype=np.int64)
            self._maps = kinds, types
        return self._maps

    def predict_spans(self, text: str, lines, norm: str | None = None) -> list[tuple[int, int, str, float]]:
        """Raw tagged spans of ``lines`` [(start, end, section)] of ``text``, in text offsets
        (``norm``: its :func:`~gongkai.textnorm.feature_text`, if known)."""
        self._require()
        df = DocFeatures(text, norm)
        line_starts = np.array([s for s, _, _ in lines], dtype=np.int64)
        line_ends = np.array([e for _, e, _ in lines], dtype=np.int64)
        sections = np.array([SECTION_IDS.get(sec, 0) for _, _, sec in lines], dtype=np.int64)
        return self._tag_windows(df, candidate_windows(df.codes, line_starts, line_ends), line_starts, line_ends,
                                 sections)

    def _tag_windows(self, df: "DocFeatures", found, line_starts, line_ends, sections):
        if not len(found):
            return []
        line = found[:, 2]
        wa, wb = np.ascontiguousarray(found[:, 0]), np.ascontiguousarray(found[:, 1])
        keys = df.keys(wa, wb, line_starts[line], line_ends[line], sections[line], np.zeros(len(found), dtype=np.bool_))
        item_bounds = np.zeros(len(found) + 1, dtype=np.int64)
        np.cumsum(wb - wa, out=item_bounds[1:])
        labels, marginal = self.crf_.predict(keys, item_bounds, outside="O")
        kinds, types = self._label_maps()
        spans, scores = _decode_spans(labels, marginal, kinds, types, wa, item_bounds)
        return [(a, b, TYPES[t], sc) for (a, b, t), sc in zip(spans.tolist(), scores.tolist())]

    def predict_line(self, line: str, section: str | None = None) -> list[tuple[int, int, str, float]]:
        return self.predict_spans(line, [(0, len(line), section)])

    def predict_text(self, text: str, paragraphs: list[dict] | None = None,
                     lines: list[tuple[int, int]] | None = None) -> list[dict]:
        """Quantities of a whole report; ``paragraphs`` (from the section model) give each line's section;
        ``lines``: the text's :func:`~gongkai.scheme.text_lines`, if known."""
        self._require()
        sections = {}
        if paragraphs:
            for p in paragraphs:
                sections[p["start"]] = p["section"]
        lines = text_lines(text) if lines is None else lines
        norm = feature_text(text)
        df = DocFeatures(text, norm)
        line_starts = np.array([s for s, _ in lines], dtype=np.int64)
        line_ends = np.array([e for _, e in lines], dtype=np.int64)
        found = candidate_windows(df.codes, line_starts, line_ends)
        # The scheme leaves chrome and every table row or cell out: of the lines with a window
        # (a numeral), those are dropped.
        if len(found):
            drop = [li for li in set(found[:, 2].tolist())
                    if sections.get(lines[li][0]) == "noise" or is_table_row(norm[lines[li][0]:lines[li][1]])]
            if drop:
                found = found[~np.isin(found[:, 2], drop)]
        section_ids = np.array([SECTION_IDS.get(sections.get(s), 0) for s, _ in lines], dtype=np.int64)
        out = []
        for a, b, t, score in self._tag_windows(df, found, line_starts, line_ends, section_ids):
            score = round(score, 4)
            for qa, qb, value, unit, qualifier in _finished_parts(text[a:b]):  # finish_quantity, read once per text
                out.append(_quantity(text, a + qa, a + qb, t, value, unit, qualifier, score))
        return out
