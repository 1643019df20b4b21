"""Two rule baselines that every trained model is shown beside.

- :class:`HeadingRuleSectioner`: numbered top-level headings matched by keywords, the label
  carried forward; before the first heading it can only say ``preamble``.
- :class:`RegexQuantityFinder`: a number + measure-word regex, typed by the nearest keyword to
  the left; values from the normaliser.

Both work on plain text and return the prediction contract's dicts; the spaCy components in
:mod:`gongkai.pipeline` wrap them.
"""

from __future__ import annotations

import re

from .quantities import NormalizationError, governing_qualifier, normalize
from .scheme import text_lines
from .structure import top_heading

MEASURE_WORDS = ("人次|万元|亿元|元|件次|件|条|个|项|次|人|篇|期|场|家|份|起|名|批|户|封|位|所|类|张|套|部|台|册|"
                 "余件|余条|多件|个百分点|%|％")
NUMBER = r"(?:[0-9０-９][0-9０-９,，.．]*|[零〇一二两三四五六七八九十百千万亿]+)"
_QUANTITY_RE = re.compile(
    rf"(?:约|近|超过|逾|不足|不到)?{NUMBER}(?:\s*[万亿])?\s*(?:余|多)?\s*(?:{MEASURE_WORDS})(?:以上|以下|左右)?")

# Nearest keyword to the left decides the type.
TYPE_KEYWORDS = [
    ("SATISFACTION", ("满意", "好评")),
    ("HOTLINE", ("热线", "工单", "信箱", "留言", "诉求", "来电", "来信")),
    ("MONEY", ("经费", "资金", "投入", "万元", "元", "预算", "收费", "支出")),
    ("APPEALS", ("复议", "诉讼")),
    ("REQUESTS", ("申请", "依申请", "答复", "予以公开", "不予公开")),
    ("TRAINING", ("培训", "会议", "参训", "讲座")),
    ("SERVICE", ("大厅", "窗口", "办件", "受理", "办结", "接待", "咨询")),
    ("PUBLISHED", ("公开", "发布", "解读", "推送", "信息", "公报", "报送")),
    ("RATE", ("率", "占", "增长", "下降")),
]


class HeadingRuleSectioner:
    """Label each line by the last numbered top-level heading seen (``preamble`` before any)."""

    name = "heading_rules"

    def predict(self, text: str) -> list[dict]:
        current = "preamble"
        out = []
        for start, end in text_lines(text):
            label = top_heading(text[start:end])
            if label is not None:
                current = label
            out.append({"start": start, "end": end, "section": current, "score": 1.0})
        return out


class RegexQuantityFinder:
    """Number + measure word, typed by the nearest keyword to its left."""

    name = "regex"

    def predict(self, text: str) -> list[dict]:
        out = []
        for m in _QUANTITY_RE.finditer(text):
            span = m.group(0).rstrip()
            start, end = m.start(), m.start() + len(span)
            if re.fullmatch(r"[一二两三四五六七八九十]", span[:1]) and len(span) <= 2 and span[-1] in "是个项":
                continue
            try:
                norm = normalize(span)
            except NormalizationError:
                continue
            left = text[max(0, start - 30):start]
            qtype, best = "COUNT", -1
            for t, words in TYPE_KEYWORDS:
                for w in words:
                    pos = left.rfind(w)
                    if pos > best:
                        qtype, best = t, pos
            if norm.unit == "%" and qtype not in ("SATISFACTION",):
                qtype = "RATE"
            if norm.unit == "元":
                qtype = "MONEY"
            qualifier = governing_qualifier(text, start) if norm.qualifier == "exact" else None
            out.append({"start": start, "end": end, "text": text[start:end], "type": qtype,
                        "value": norm.number, "unit": norm.unit, "qualifier": qualifier or norm.qualifier,
                        "score": 1.0})
        return out
