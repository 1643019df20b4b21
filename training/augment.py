"""Conversion-noise augmentation with offsets kept: excerpts, stripped headings, hard wraps,
spaces between characters, full-width digits. Used for training only; never counted as corpus.
"""

from __future__ import annotations

import random

from gongkai.structure import top_heading


_META_KEYS = [("索引号", lambda r, m: f"{r.randint(10**8, 10**9)}/{m['year'] + 1}-{r.randint(100, 99999):05d}"),
              ("主题分类", lambda r, m: r.choice(["政务公开", "电子政务", "综合政务", "其他"])),
              ("发布机构", lambda r, m: m.get("issuer", "")),
              ("成文日期", lambda r, m: f"{m['year'] + 1}-0{r.randint(1, 3)}-{r.randint(10, 28)}"),
              ("发文字号", lambda r, m: ""),
              ("标题", lambda r, m: f"{m.get('issuer', '')}{m['year']}年政府信息公开工作年度报告"),
              ("发布日期", lambda r, m: f"{m['year'] + 1}年{r.randint(1, 3)}月{r.randint(10, 28)}日"),
              ("有效性", lambda r, m: r.choice(["有效", ""]))]


def metadata_header(meta: dict, rng: random.Random) -> list[str]:
    """A web page's metadata block (索引号 | 发布机构 | 成文日期 …), which belongs to the preamble."""
    if not isinstance(meta.get("year"), int):
        return []
    keys = rng.sample(_META_KEYS, rng.randint(3, len(_META_KEYS)))
    cells = [(k, f(rng, meta)) for k, f in keys]
    shape = rng.random()
    sep = rng.choice([":", "：", " : ", "： "])
    if shape < 0.4:  # two pairs a row, pipe separated
        rows = []
        for i in range(0, len(cells), 2):
            pair = cells[i:i + 2]
            rows.append(" | ".join(f"{k}{sep} | {v}" for k, v in pair) + rng.choice(["", " |", " | ||||"]))
        return rows
    if shape < 0.7:  # one pair a line
        return [f"{k}{sep}{v}" for k, v in cells]
    out = []
    for k, v in cells:  # one cell a line: key, then value
        out.append(f"{k}{sep}".strip())
        if v:
            out.append(v)
    return out


def section_variants(lines: list[str], labels: list[str], rng: random.Random, excerpts: int = 3,
                     meta: dict | None = None) -> list[tuple[list[str], list[str]]]:
    """Variants of one document's (lines, labels) for the section model."""
    pairs = [(l, y) for l, y in zip(lines, labels) if y != "?"]
    if not pairs:
        return []
    lines, labels = [p[0] for p in pairs], [p[1] for p in pairs]
    out = [(lines, labels)]
    n = len(lines)
    for _ in range(excerpts):
        if n < 8:
            break
        start = rng.randint(1, max(1, n - 5))
        length = rng.randint(4, min(35, n - start) if n - start >= 4 else 4)
        seg = list(range(start, min(n, start + length)))
        out.append(([lines[i] for i in seg], [labels[i] for i in seg]))
    # Excerpts that begin just under a top-level heading, without it: the common case of real
    # passages, which start at a sub-heading inside a section.
    heads = [i for i in range(n - 3) if top_heading(lines[i]) is not None]
    for i in rng.sample(heads, min(len(heads), 3)):
        seg = list(range(i + 1, min(n, i + 1 + rng.randint(4, 30))))
        out.append(([lines[k] for k in seg], [labels[k] for k in seg]))
    if meta and labels[0] == "preamble" and rng.random() < 0.3:
        block = metadata_header(meta, rng)
        if block:
            out.append((block + lines, ["preamble"] * len(block) + labels))
    # Headings removed: the model must work from content alone.
    keep = [i for i in range(n) if top_heading(lines[i]) is None]
    if len(keep) < n and keep:
        out.append(([lines[i] for i in keep], [labels[i] for i in keep]))
    # Hard wraps: long lines cut into pieces that keep the label.
    wl, wy = [], []
    for l, y in zip(lines, labels):
        if len(l) > 40 and rng.random() < 0.5:
            cut = rng.randint(15, len(l) - 10)
            wl += [l[:cut], l[cut:]]
            wy += [y, y]
        else:
            wl.append(l)
            wy.append(y)
    if len(wl) > n:
        out.append((wl, wy))
    return out


def transform_chars(text: str, spans: list[tuple], char_fn, strip_end: bool = False) -> tuple[str, list[tuple]]:
    """Rewrite ``text`` one character at a time with ``char_fn(i, ch)``; (start, end, payload) spans
    move with their characters, trailing spaces kept out of them (and off the line's end with
    ``strip_end``)."""
    pieces, index, pos = [], [], 0
    for i, ch in enumerate(text):
        index.append(pos)
        piece = char_fn(i, ch)
        pieces.append(piece)
        pos += len(piece)
    out = "".join(pieces)
    if strip_end:
        out = out.rstrip(" ")
    index.append(pos)
    mapped = []
    for s, e, payload in spans:
        ns, ne = min(index[s], len(out)), min(index[e], len(out))
        while ns < ne and out[ns] == " ":  # a space put before the span's first character
            ns += 1
        while ne > ns and out[ne - 1] == " ":
            ne -= 1
        mapped.append((ns, ne, payload))
    return out, mapped


def quantity_variants(text: str, spans: list[tuple[int, int, str]], rng: random.Random) -> list[tuple[str, list]]:
    """Noisy copies of one line with its quantity spans moved along."""
    out = []
    if not spans:
        return out
    r = rng.random()
    if r < 0.35:  # full-width digits
        out.append(transform_chars(text, spans, lambda i, ch: chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isdigit() else ch))
    elif r < 0.6:  # spaces around numbers (PDF conversions)
        def spaced(i, ch):
            if ch.isascii() and ch.isdigit() and (i + 1 >= len(text) or not text[i + 1].isdigit()):
                return ch + " "
            if ch.isascii() and ch.isdigit() and i > 0 and not text[i - 1].isdigit():
                return " " + ch
            return ch
        out.append(transform_chars(text, spans, spaced))
    elif r < 0.7:  # spaces between all characters
        out.append(transform_chars(text, spans, lambda i, ch: ch + " " if i + 1 < len(text) else ch))
    return out
