"""Robustness sets made from held-out documents, gold annotations moved along with the text:
headings stripped, conversion noise injected (spaces, hard wraps, chrome), excerpts from the middle.
"""

from __future__ import annotations

import random

from gongkai.scheme import AnnotatedDoc, LineLabel, Quantity
from gongkai.structure import top_heading

from .augment import transform_chars

CHROME_TOP = ["当前位置：首页 > 政务公开 > 政府信息公开年度报告", "【字体：大 中 小】 打印本页 关闭窗口"]
CHROME_BOTTOM = ["扫一扫在手机打开当前页", "分享到：", "【打印】【关闭】"]


def _pieces(doc: AnnotatedDoc) -> list[tuple[str, str, list[tuple[int, int, Quantity]]]]:
    out = []
    for line in doc.lines:
        qs = [(q.start - line.start, q.end - line.start, q) for q in doc.quantities if line.start <= q.start and q.end <= line.end]
        out.append((doc.text[line.start:line.end], line.section, qs))
    return out


def _rebuild(doc_id: str, pieces, meta: dict) -> AnnotatedDoc:
    text_parts, lines, quantities = [], [], []
    pos = 0
    for i, (text, label, qs) in enumerate(pieces):
        if i:
            text_parts.append("\n")
            pos += 1
        text_parts.append(text)
        lines.append(LineLabel(pos, pos + len(text), label))
        for a, b, q in qs:
            quantities.append(Quantity(pos + a, pos + b, q.type, q.value, q.unit, q.qualifier))
        pos += len(text)
    return AnnotatedDoc(doc_id, "".join(text_parts), lines, quantities, dict(meta))


def strip_headings(doc: AnnotatedDoc) -> AnnotatedDoc:
    kept = [p for p in _pieces(doc) if top_heading(p[0]) is None]
    return _rebuild(doc.id + "#noheadings", kept, doc.meta)


def _spaced(text: str, qs, rng: random.Random):
    """Spaces between characters, as PDF conversions leave them; spans move with their text."""
    return transform_chars(text, qs, lambda i, ch: ch + (" " if rng.random() < 0.3 else ""), strip_end=True)


def add_noise(doc: AnnotatedDoc, seed: int = 7) -> AnnotatedDoc:
    rng = random.Random(seed)
    pieces = []
    for text, label, qs in _pieces(doc):
        r = rng.random()
        if r < 0.2 and len(text) > 30:
            cut = rng.randint(10, len(text) - 10)
            while any(a < cut < b for a, b, _ in qs):
                cut += 1
            pieces.append((text[:cut], label, [(a, b, q) for a, b, q in qs if b <= cut]))
            pieces.append((text[cut:], label, [(a - cut, b - cut, q) for a, b, q in qs if a >= cut]))
        elif r < 0.35:
            new, moved = _spaced(text, qs, rng)
            pieces.append((new, label, moved))
        else:
            pieces.append((text, label, qs))
    pieces = [(c, "noise", []) for c in CHROME_TOP] + pieces + [(c, "noise", []) for c in CHROME_BOTTOM]
    return _rebuild(doc.id + "#noise", pieces, doc.meta)


def excerpt(doc: AnnotatedDoc, seed: int = 7, min_len: int = 6, max_len: int = 25) -> AnnotatedDoc | None:
    pieces = _pieces(doc)
    if len(pieces) < min_len + 4:
        return None
    rng = random.Random(seed)
    start = rng.randint(2, len(pieces) - min_len)
    return _rebuild(doc.id + "#excerpt", pieces[start:start + rng.randint(min_len, max_len)], doc.meta)


ROBUSTNESS = {"headings stripped": lambda docs: [strip_headings(d) for d in docs],
              "noise injected": lambda docs: [add_noise(d) for d in docs],
              "excerpts": lambda docs: [e for d in docs if (e := excerpt(d)) is not None]}
