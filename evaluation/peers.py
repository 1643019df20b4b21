"""Peer systems scored beside ours when installed (``pip install gongkai[peers]``).

- ``jionlp``: ``jio.ner.extract_money`` — money spans and values (yuan).
- ``recognizers``: Microsoft Recognizers-Text for Chinese — numbers, percentages, currency.

Their span conventions differ from the scheme's, so reports lead with overlap detection and
value accuracy for them. Each adapter returns the prediction contract's quantity dicts.
"""

from __future__ import annotations

from typing import Callable


def _jionlp() -> Callable[[str], list[dict]] | None:
    import contextlib
    import io

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
            import jionlp as jio
    except Exception:
        return None

    def extract(text: str) -> list[dict]:
        out = []
        for item in jio.ner.extract_money(text, with_parsing=True):
            start, end = item["offset"]
            detail = item.get("detail") or {}
            try:
                value = float(str(detail.get("num", "")).replace(",", ""))
            except ValueError:
                value = None
            definition = detail.get("definition")
            out.append({"start": start, "end": end, "text": item["text"], "type": "MONEY", "value": value,
                        "unit": "元" if detail.get("case") in ("元", None) else detail.get("case"),
                        "qualifier": "exact" if definition in (None, "accurate") else "about"})
        return out

    return extract


def _recognizers() -> Callable[[str], list[dict]] | None:
    try:
        from recognizers_number import recognize_number, recognize_percentage
        from recognizers_number_with_unit import recognize_currency
        from recognizers_text import Culture
    except Exception:
        return None

    def extract(text: str) -> list[dict]:
        out = []
        taken: list[tuple[int, int]] = []
        for fn, qtype in ((recognize_percentage, "RATE"), (recognize_currency, "MONEY"), (recognize_number, "COUNT")):
            try:
                results = fn(text, Culture.Chinese)
            except Exception:
                continue
            for r in results:
                start, end = r.start, r.end + 1
                if any(start < b and a < end for a, b in taken):
                    continue
                res = r.resolution or {}
                raw = str(res.get("value", "")).rstrip("%").replace(",", "")
                try:
                    value = float(raw)
                except ValueError:
                    value = None
                unit = "%" if qtype == "RATE" else ("元" if qtype == "MONEY" else None)
                taken.append((start, end))
                out.append({"start": start, "end": end, "text": text[start:end], "type": qtype, "value": value,
                            "unit": unit, "qualifier": "exact"})
        return sorted(out, key=lambda q: q["start"])

    return extract


def available() -> dict[str, Callable[[str], list[dict]]]:
    """The peers importable here, by name."""
    found = {}
    for name, make in (("jionlp", _jionlp), ("recognizers", _recognizers)):
        fn = make()
        if fn is not None:
            found[name] = fn
    return found
