"""Issuer and report year from a report's title and preamble — found, or left empty, never guessed."""

from __future__ import annotations

import re

from .textnorm import feature_text

_TITLE = re.compile(
    r"^\s*(?P<issuer>[\u4e00-\u9fff（）()·]{2,40}?)\s*(?P<year>(19|20)\d{2})\s*年\s*度?\s*"
    r"(?:政府)?信\s*息\s*公\s*开\s*(?:工\s*作)?\s*年\s*度\s*报\s*告")
_TITLE_YEAR_FIRST = re.compile(
    r"^\s*(?P<year>(19|20)\d{2})\s*年\s*度?\s*(?P<issuer>[\u4e00-\u9fff（）()·]{2,40}?)\s*(?:政府)?信\s*息\s*公\s*开\s*(?:工\s*作)?\s*年\s*度\s*报\s*告")
_PERIOD = re.compile(r"统计期限[^。\n]{0,6}?(?P<year>(19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_ISSUER_WORDS = re.compile(r"(人民政府|政府|委员会|局|厅|办公室|办事处|管委会|中心|区|县|市|镇|乡|街道)$")


def report_metadata(text: str, head_lines: int = 15) -> dict:
    """``{"issuer": str | None, "year": int | None}`` from the first lines of a report."""
    issuer = year = None
    lines = [l for l in feature_text(text).splitlines() if l.strip()][:head_lines]
    for line in lines:
        compact = re.sub(r"\s+", "", line)
        for pat in (_TITLE, _TITLE_YEAR_FIRST):
            m = pat.search(compact)
            if m:
                cand = m.group("issuer").strip("（）()·")
                if cand.endswith("人民"):  # 四方台区人民政府信息公开…: 政府 is shared with the title
                    cand += "政府"
                issuer = cand if _ISSUER_WORDS.search(cand) else None  # a name that says what it is, or none
                year = int(m.group("year"))
                break
        if year:
            break
    if year is None:
        for line in lines:
            m = _PERIOD.search(re.sub(r"\s+", "", line))
            if m:
                year = int(m.group("year"))
                break
    return {"issuer": issuer, "year": year}
