"""The quantity tagger: a character-level CRF with BIO tags over the scheme's ten types.

Features see what decides a quantity and its type: the characters around it and their classes,
the keywords to its left in the same clause (工单, 满意率, 经费, 申请, 复议, 培训 …), the section of
its line, and whether the line is a table row (whose numbers are never quantities). Every span
found goes through the normaliser; a span it cannot read is kept with its type and no value.

Persistence: a CRFsuite model file (its own binary format, not a pickle) and a JSON config.
"""

from __future__ import annotations

import re

from ..crf import CRFModel
from ..scheme import TYPES, text_lines
from ..structure import is_table_row
from ..textnorm import feature_text
from .normalizer import NormalizationError, governing_qualifier, normalize

MODEL_FILE = "quantities.crfsuite"

CN_NUMERALS = set("零〇一二两三四五六七八九十百千万亿")
UNIT_CHARS = set("件条个项次人篇期场家份起名批户封位所类张套部台册元%％点家间座")
APPROX = set("余多约近逾超过不足到以上下左右")
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
_CLAUSE_BREAK = re.compile(r"[。；;！!？?\n]")


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
_KEYWORD_GROUP = {w: g for g, ws in KEYWORDS.items() for w in ws}
_NUMERAL_RUN = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]+")
# A quantity reaches a few characters left of its numerals (超过, 不足, 大约) and a few right
# (万余人次以上); the tagger only looks at these windows, which is most of its speed.
WINDOW_LEFT, WINDOW_RIGHT = 4, 8


def candidate_windows(norm: str, spans=()) -> list[tuple[int, int]]:
    """Windows around numerals (and around gold spans when training), merged, in order."""
    n = len(norm)
    raw = [(max(0, m.start() - WINDOW_LEFT), min(n, m.end() + WINDOW_RIGHT)) for m in _NUMERAL_RUN.finditer(norm)]
    raw += [(s, e) for s, e, *_ in spans]
    raw.sort()
    merged: list[list[int]] = []
    for a, b in raw:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _left_keywords(norm: str) -> tuple[list[int], list[str], list[int]]:
    ends, groups = [], []
    for m in _KEYWORD_RE.finditer(norm):
        ends.append(m.end() - 1)
        groups.append(_KEYWORD_GROUP[m.group(0)])
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(norm)]
    return ends, groups, breaks


def window_features(norm: str, classes: str, a: int, b: int, section: str | None, table: bool,
                    keywords) -> list[list[str]]:
    """Features of characters a..b of a line (context read from the whole line)."""
    from bisect import bisect_right

    ends, groups, breaks = keywords
    n = len(norm)
    sec = f"sec={section}" if section else "sec=?"
    out = []
    for i in range(a, b):
        ch = norm[i]
        c = classes[i]
        f = ["b", "c=" + ("0" if c == "D" else ch), "k=" + c, sec,
             "kk=" + classes[max(0, i - 2):i + 3]]
        for d in (-3, -2, -1, 1, 2, 3):
            j = i + d
            if 0 <= j < n:
                cj = classes[j]
                f.append(f"c{d}=" + ("0" if cj == "D" else norm[j]))
                f.append(f"k{d}=" + cj)
            else:
                f.append(f"c{d}=#")
        if i > 0:
            f.append("bg-=" + norm[i - 1:i + 1])
        if i + 1 < n:
            f.append("bg+=" + norm[i:i + 2])
        if i + 2 < n:
            f.append("tg+=" + norm[i:i + 3])
        if i >= 2:
            f.append("tg-=" + norm[i - 2:i + 1])
        if c in "DC":
            k = bisect_right(ends, i) - 1
            clause = bisect_right(breaks, i) - 1
            sentence_start = breaks[clause] if clause >= 0 else -1
            if k >= 0 and ends[k] > sentence_start:
                dist = i - ends[k]
                f.append("lk=" + groups[k])
                f.append(f"lk={groups[k]}|{min(dist // 4, 4)}")
                # The sentence's other keywords: a list (市长信箱33件，办结33件) keeps its head's type.
                first = bisect_right(ends, sentence_start)
                f.append("h1=" + groups[first])
                if k - 1 >= first:
                    f.append("lk2=" + groups[k - 1])
                for g in set(groups[max(first, k - 8):k + 1]):
                    f.append("sk=" + g)
            if table:
                f.append("table")
            if i < 3:
                f.append("linestart")
        out.append(f)
    return out


def line_sequences(line: str, section: str | None = None, spans=()) -> list[tuple[int, int, list[list[str]]]]:
    """(window start, window end, features) for every candidate window of one line."""
    norm = feature_text(line)
    windows = candidate_windows(norm, spans)
    if not windows:
        return []
    classes = "".join(char_class(c) for c in norm)
    table = is_table_row(line)
    keywords = _left_keywords(norm)
    return [(a, b, window_features(norm, classes, a, b, section, table, keywords)) for a, b in windows]


def bio_tags(line_len: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * line_len
    for s, e, t in spans:
        tags[s] = "B-" + t
        for k in range(s + 1, e):
            tags[k] = "I-" + t
    return tags


def decode_bio(tags: list[str]) -> list[tuple[int, int, str]]:
    spans, start, typ = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != typ):
            if start is not None:
                spans.append((start, i, typ))
                start, typ = None, None
            if tag.startswith("B-") or tag.startswith("I-"):
                start, typ = i, tag[2:]
    return spans


# Units that make a date, a time, a place or an ordinal, never a quantity (scheme: boundaries).
NON_QUANTITY_UNITS = {"年", "月", "日", "号", "號", "时", "時", "点", "點", "分", "秒", "室", "栋", "棟", "楼", "樓",
                      "层", "層", "路", "街", "巷", "弄", "岁", "歲", "届", "屆", "季度", "年度", "周岁", "小时", "小時",
                      "个工作日", "個工作日", "工作日", "天", "周", "个月", "個月", "版"}
_DATE_LIKE = re.compile(r"^[\d０-９零〇一二两三四五六七八九十]+\s*(年|月|日|号|號|时|時|点|點|室|栋|楼|层)")
_SPLIT_POINT = re.compile(r"(?<=[^\d\s.,，．０-９])(?=[\d０-９])")


def split_joined(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span such as ``7期2542条`` holds two quantities: split it where a unit meets a numeral."""
    span = text[start:end]
    cuts = [m.start() for m in _SPLIT_POINT.finditer(span) if m.start() > 0]
    if not cuts:
        return [(start, end)]
    bounds = [0] + cuts + [len(span)]
    parts = [(start + a, start + b) for a, b in zip(bounds, bounds[1:])]
    try:
        for a, b in parts:
            normalize(text[a:b])
    except NormalizationError:
        return [(start, end)]
    return parts


def finish_quantity(text: str, start: int, end: int, qtype: str, score: float | None = None) -> dict | None:
    """Trim, normalise and package one found span; None if the scheme rules it out.

    A span with no unit (a bare numeral) or with a date/time/place unit is not a quantity; a span
    the normaliser cannot otherwise read is kept with its type and no value.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    span = text[start:end]
    q = {"start": start, "end": end, "text": span, "type": qtype, "value": None, "unit": None, "qualifier": None}
    try:
        norm = normalize(span)
    except NormalizationError as exc:
        if "no unit" in str(exc) or "no numeral" in str(exc) or _DATE_LIKE.match(span):
            return None
    else:
        if norm.unit in NON_QUANTITY_UNITS:
            return None
        q["value"], q["unit"], q["qualifier"] = norm.number, norm.unit, norm.qualifier
        if norm.qualifier == "exact":
            q["qualifier"] = governing_qualifier(text, start) or "exact"
    if score is not None:
        q["score"] = round(score, 4)
    return q


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
                for a, b, feats in line_sequences(text, section, spans):
                    yield feats, tags[a:b]

        return self._train(sequences(), model_dir, {"types": list(TYPES)})

    def predict_line(self, line: str, section: str | None = None) -> list[tuple[int, int, str, float]]:
        self._require()
        out = []
        for a, b, feats in line_sequences(line, section):
            self.tagger_.set(feats)
            tags = self.tagger_.tag()
            for s, e, t in decode_bio(tags):
                out.append((a + s, a + e, t, self.tagger_.marginal(tags[s], s)))
        return out

    def predict_text(self, text: str, paragraphs: list[dict] | None = None) -> list[dict]:
        """Quantities of a whole report; ``paragraphs`` (from the section model) give each line's section."""
        sections = {}
        if paragraphs:
            for p in paragraphs:
                sections[p["start"]] = p["section"]
        out = []
        for s, e in text_lines(text):
            section = sections.get(s)
            if section == "noise" or is_table_row(text[s:e]):
                continue  # the scheme leaves chrome and every table row or cell out
            for a, b, t, score in self.predict_line(text[s:e], section):
                for qa, qb in split_joined(text, s + a, s + b):
                    q = finish_quantity(text, qa, qb, t, score)
                    if q is not None:
                        out.append(q)
        return out
