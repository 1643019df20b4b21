"""Structure cues of report lines: numbering styles, headings, section keywords, table rows, chrome.

Shared by the heading-rule baseline and the trained section model, so both read headings the
same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


CN_NUM = "一二三四五六七八九十"

NUMBERING = [
    # (style, pattern) — the first match wins; top-level styles first.
    ("cn_dun", re.compile(rf"^[{CN_NUM}]{{1,3}}\s*[、，,．.]")),            # 一、
    ("part", re.compile(rf"^第[{CN_NUM}]{{1,3}}\s*(部分|章|节|项|方面)")),     # 第一部分
    ("bracket_cn_box", re.compile(rf"^[【\[][{CN_NUM}]{{1,3}}[、，,．.]?[^】\]]{{0,20}}[】\]]?")),  # 【一】 【一、概述】
    ("paren_cn", re.compile(rf"^[（(]\s*[{CN_NUM}]{{1,3}}\s*[）)]")),         # （一）
    ("arabic_dun", re.compile(r"^\d{1,2}\s*[、]")),                          # 1、
    ("arabic_dot", re.compile(r"^\d{1,2}\s*[.．](?!\d)")),                     # 1.
    ("paren_arabic", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),               # (1)
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")),
    ("ordinal", re.compile(rf"^(第[{CN_NUM}]|[{CN_NUM}]是)")),               # 第一，一是
    ("bracket_plain", re.compile(r"^【[^】]{2,20}】\s*$")),                    # 【政策解读与回应关切】
]
TOP_LEVEL_STYLES = {"cn_dun", "part", "bracket_cn_box"}

# Section keywords for headings, tried in order; the joined-topic rule (first topic decides)
# is handled in heading_section().
HEADING_KEYWORDS = [
    ("noise", ("扫一扫", "分享到", "打印", "关闭窗口", "字体", "字号", "当前位置", "浏览次数", "相关文档")),
    ("problems", ("存在的主要问题", "存在问题", "主要问题", "问题及改进", "问题和改进", "改进措施", "改进情况",
                  "下一步", "努力方向", "工作计划", "工作打算", "不足")),
    ("other", ("其他需要报告", "其它需要报告", "需要说明", "其他事项", "其他方面", "附表", "附件", "其他", "其它")),
    ("fees", ("收费", "减免", "费用")),
    ("consultation", ("咨询",)),
    ("training", ("会议和培训", "会议及培训", "培训", "会议")),
    ("institution", ("机构建设", "经费保障", "工作机构", "机构和人员", "机构设置", "人员配备", "保障情况", "组织领导", "组织机构")),
    ("response", ("回应", "解读")),
    ("requests", ("依申请", "收到和处理", "申请公开", "公开申请")),
    ("appeals", ("复议", "诉讼", "申诉")),
    ("proactive", ("主动公开",)),
    ("overview", ("总体情况", "概述", "概况", "主要做法", "基本情况", "总体工作", "工作情况", "主要工作")),
]

# Whether a line holds any heading word at all, and any of a section's: one scan each.
_ANY_HEADING_WORD = re.compile("|".join(re.escape(w) for _, words in HEADING_KEYWORDS for w in words))
_LABEL_WORDS = {label: re.compile("|".join(map(re.escape, words))) for label, words in HEADING_KEYWORDS}

_NOISE_LINE = re.compile(
    r"(扫一扫|在手机打开|分享到|【?打印(本页|此页)?】?$|【?关闭(窗口|本页)?】?$|字体[:：]?\s*[【\[]?\s*大|字号[:：]|"
    r"当前位置|浏览次数|访问量|相关(文档|链接|阅读)|上一篇|下一篇|网站标识码|ICP备|主办单位|"
    r"\.(png|jpg|jpeg|gif|doc|docx|pdf|xls|xlsx)\b|【\s*(大|中|小)\s*】|收藏本页|责任编辑)", re.I)
_TABLE_SEP = re.compile(r"\s\|\s|\t")
_NUMBER_ONLY = re.compile(r"^[\s\d.,，、%％\-—/|万元件条个次人]*$")


# One pattern for all styles: alternatives are tried in order, so the first style that matches wins.
_NUMBERING_ANY = re.compile("|".join(f"(?P<{style}>{pat.pattern[1:]})" for style, pat in NUMBERING))
_NUMBERING_HEAD = 40  # every numbering pattern decides within the first 40 characters


def numbering_style(line: str) -> str | None:
    s = line.lstrip()
    if len(s) > _NUMBERING_HEAD:
        s = s[:_NUMBERING_HEAD]
    elif not s:
        return None
    s = unicodedata.normalize("NFKC", s).lstrip()
    if len(s) <= _NUMBERING_HEAD:
        s = s.rstrip()
    m = _NUMBERING_ANY.match(s)
    return m.lastgroup if m else None


@lru_cache(maxsize=65536)
def heading_section(line: str) -> str | None:
    """The section a heading's words name, by the scheme's joined-topic rule; None if none."""
    s = line.strip()
    if not s:
        return None
    # Per label, the position of its first listed word that occurs; only words whose first
    # character is in the line are tried.
    if not _ANY_HEADING_WORD.search(s):
        return None
    hits = []
    for label, words in HEADING_KEYWORDS:
        if _LABEL_WORDS[label].search(s):
            for w in words:
                pos = s.find(w)
                if pos >= 0:
                    hits.append((pos, label))
                    break
    labels = {l for _, l in hits}
    # 因政府信息公开申请行政复议 is appeals: 申请 there belongs to the appeal, not to a request section.
    if "appeals" in labels and "requests" in labels:
        req_pos = min(p for p, l in hits if l == "requests")
        app_pos = min(p for p, l in hits if l == "appeals")
        if not re.search(r"依申请|收到和处理", s[: app_pos]) or req_pos > app_pos:
            return "appeals"
    if "proactive" in labels and "response" in labels:
        return min(hits)[1]
    for label, _ in HEADING_KEYWORDS:
        if label in labels and label in ("noise", "problems", "other", "fees", "consultation", "training", "institution"):
            # A short heading naming one of these is that section even if it mentions 政府信息公开.
            return label if label != "other" or _looks_other(s) else min(hits)[1]
    return min(hits)[1]


def _looks_other(s: str) -> bool:
    return bool(re.search(r"其他需要|其它需要|需要说明|附表|附件|^其他|^其它|[、.．]\s*其他|[、.．]\s*其它", s))


_HEAD_END = re.compile(r"[。：:；;]")


def is_heading_like(line: str, style: str | None | bool = False) -> bool:
    """A short line without sentence-final punctuation, or a numbered line with a short head.

    ``style``: the line's numbering style when the caller already has it.
    """
    s = line.strip()
    if not s:
        return False
    if len(s) <= 30 and s[-1] not in "。；;":
        return True
    m = _HEAD_END.search(s, 0, 31)
    if m is None and len(s) > 30:
        return False
    return (numbering_style(s) if style is False else style) is not None


def is_noise_line(line: str) -> bool:
    s = line.strip()
    return len(s) <= 60 and bool(_NOISE_LINE.search(s))


_NUMBER_RUNS = re.compile(r"(\S{1,12}\s+)?(\d+(\.\d+)?\s+){2,}\d+(\.\d+)?")


@lru_cache(maxsize=8192)
def is_table_row(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _TABLE_SEP.search(line) and len(_TABLE_SEP.split(line)) >= 2:
        return True
    if _NUMBER_ONLY.match(s):
        return True
    # runs of numbers separated by spaces: "12 0 3 15"
    return bool(_NUMBER_RUNS.fullmatch(s))


def heading_cues(line: str) -> tuple:
    """What a line says as a heading, each part computed once: (numbering style, heading-like,
    section its words name, section a top-level heading opens, heading style, section named
    without the number). The last four are None unless the line is heading-like."""
    s = line.strip()
    style = numbering_style(s)
    if not is_heading_like(s, style):
        return style, False, None, None, None, None
    body_head = heading_section(_strip_numbering(s))
    top = body_head if style in TOP_LEVEL_STYLES else None
    hstyle = None
    if body_head is not None:
        if style is None:
            hstyle = "plain" if len(s) <= 20 else None
        elif style in STYLE_RANK:
            hstyle = style
    return style, True, heading_section(s), top, hstyle, body_head


def top_heading(line: str) -> str | None:
    """The section a *top-level* heading opens, or None if the line is not one."""
    if numbering_style(line) not in TOP_LEVEL_STYLES:  # most lines: no need for the rest of the cues
        return None
    return heading_cues(line)[3]


def _strip_numbering(line: str) -> str:
    s = unicodedata.normalize("NFKC", line).strip()
    for _, pat in NUMBERING:
        m = pat.match(s)
        if m:
            return s[m.end():]
    return s


# Styles in order of seniority; a report's top level is the most senior style its headings use.
STYLE_RANK = ["cn_dun", "part", "bracket_cn_box", "bracket_plain", "paren_cn", "arabic_dun", "arabic_dot", "plain"]


def heading_style(line: str) -> str | None:
    """Numbering style of a heading-like line that names a section; ``plain`` if unnumbered."""
    return heading_cues(line)[4]


def document_top_style(lines: list[str]) -> str | None:
    """The numbering style of the report's own top-level headings (None if it shows none)."""
    return top_style_of([heading_style(line) for line in lines])


def top_style_of(styles: list[str | None]) -> str | None:
    """:func:`document_top_style` from the lines' heading styles."""
    counts: dict[str, int] = {}
    for st in styles:
        if st:
            counts[st] = counts.get(st, 0) + 1
    for st in STYLE_RANK:
        if counts.get(st, 0) >= 2 or (st == "cn_dun" and counts.get(st)):
            return st
    return None
