"""Length-preserving text normalisation for features: full-width → half-width, traditional →
simplified characters, one character for one, so that offsets never move.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    try:
        import zhconv.zhconv as zc

        zc.loaddict()
        for trad, simp in zc.zhcdicts["zh2Hans"].items():
            if len(trad) == 1 and len(simp) == 1 and trad != simp:
                table[ord(trad)] = simp
    except Exception:  # pragma: no cover - zhconv is a declared dependency; degrade to width folding only
        pass
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    return table


@lru_cache(maxsize=1)
def _bmp_table():
    """:func:`_table` as an array over the Basic Multilingual Plane (texts with characters above it
    go through ``str.translate``)."""
    import numpy as np

    table = np.arange(0x10000, dtype=np.uint32)
    for code, ch in _table().items():
        if code < 0x10000:
            table[code] = ord(ch)
    return table


def feature_text(text: str) -> str:
    """The text as the models see it; ``len(feature_text(t)) == len(t)`` always."""
    import numpy as np

    if len(text) < 512:  # str.translate is quicker on short strings, the array table on long ones
        out = text.translate(_table())
    else:
        table = _bmp_table()
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        if codes.max() > 0xFFFF:
            out = text.translate(_table())
        else:
            out = table[codes].tobytes().decode("utf-32-le")
    if len(out) != len(text):  # pragma: no cover - every mapping above is one character to one
        out = "".join(unicodedata.normalize("NFKC", ch)[:1] or ch for ch in text)
    return out
