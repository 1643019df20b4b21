"""Readers: every format reports come in → one :class:`Report` whose ``text`` all offsets index.

``read(path)`` reads one report; ``read_reports(path)`` yields every report of a file (a
``.jsonl`` file holds several). Bad input of any kind raises :class:`ReportError` naming the file
and the cause.
"""

from __future__ import annotations

import codecs
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

__all__ = ["Report", "ReportError", "read", "read_reports", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx", ".jsonl")
_FORMAT_NAMES = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".jsonl": "jsonl"}
MAX_BYTES = 200 * 1024 * 1024


class ReportError(Exception):
    """A report cannot be read. ``str(err)`` is one line: ``<path>: <cause>``."""

    def __init__(self, path, cause: str):
        self.path = str(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


@dataclass
class Report:
    id: str
    source: str
    format: str
    text: str
    meta: dict = field(default_factory=dict)


def read(path) -> Report:
    """Read one report from ``path`` (``.txt .html .htm .pdf .docx``, or a one-line ``.jsonl``)."""
    reports = list(read_reports(path))
    if len(reports) != 1:
        raise ReportError(path, f"holds {len(reports)} reports; use gongkai.read_reports() for a multi-report file")
    return reports[0]


def read_reports(path) -> Iterator[Report]:
    """Yield every report in ``path``. Raises :class:`ReportError` for a file that cannot be read."""
    p = Path(path)
    if not p.exists():
        raise ReportError(p, "no such file")
    if p.is_dir():
        raise ReportError(p, "is a directory, not a report file")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReportError(p, f"unknown extension {p.suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = p.stat().st_size
        if size == 0:
            raise ReportError(p, "empty file")
        if size > MAX_BYTES:
            raise ReportError(p, f"file of {size} bytes is larger than the {MAX_BYTES} byte limit")
        data = p.read_bytes()
    except PermissionError:
        raise ReportError(p, "permission denied") from None
    except OSError as exc:
        raise ReportError(p, f"cannot read: {exc.strerror or exc}") from None
    if suffix == ".jsonl":
        yield from _read_jsonl(p, data)
        return
    reader = {".txt": decode_bytes, ".html": _text_of_html, ".htm": _text_of_html,
              ".pdf": _text_of_pdf, ".docx": _text_of_docx}[suffix]
    text = reader(p, data)
    if not text.strip():
        raise ReportError(p, "no text found in the file")
    yield Report(id=p.stem, source=str(p), format=_FORMAT_NAMES[suffix], text=text)


# --- plain text ---------------------------------------------------------------------------

def decode_bytes(path, data: bytes) -> str:
    """Decode report bytes: BOMs, UTF-8, UTF-16 without BOM, GB18030/GBK; reject binary junk."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise ReportError(path, f"undecodable bytes after a {enc} byte-order mark at byte {exc.start}") from None
            if not _looks_like_text(text):
                raise ReportError(path, f"binary data behind a {enc} byte-order mark")
            return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        if not _looks_like_text(text):
            raise ReportError(path, "binary data, not text (control characters)")
        return text
    # Not UTF-8: GB18030 (a superset of GBK/GB2312) or UTF-16 without a BOM; keep the most text-like.
    best, best_score = None, 0.0
    for enc in ("gb18030", "utf-16-le", "utf-16-be"):
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            candidate = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _text_score(candidate)
        if score > best_score:
            best, best_score = candidate, score
    if best is not None and best_score >= 0.6 and _looks_like_text(best):
        return best
    if b"\x00" in data or best is not None:
        raise ReportError(path, "binary data or unknown encoding, not text")
    raise ReportError(path, f"undecodable bytes at byte {first_bad}: not UTF-8, UTF-16 or GB18030")


def _text_score(text: str) -> float:
    """Share of characters that ordinary report text is made of."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch in _COMMON_HAN or (" " <= ch <= "~") or ch in "\n\r\t"
               or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    return good / len(text)


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f\v") or 0xE000 <= ord(ch) <= 0xF8FF)
    if bad > max(2, len(text) // 100):
        return False
    # GB18030 decodes almost any byte string; junk shows up as rare CJK and symbols without common characters.
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk > 50:
        common = sum(1 for ch in text if ch in _COMMON_HAN)
        if common < cjk * 0.08:
            return False
    return True


_COMMON_HAN = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞")

# --- HTML ---------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "hr",
               "center", "form", "main", "title"}
_DROP_TAGS = ["script", "style", "noscript", "nav", "iframe", "svg", "button", "select", "input",
              "textarea", "template", "head", "aside", "object", "embed"]
_CHROME_ATTR = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumb|crumb|footer|foot|header|sidebar|share|"
                          r"toolbar|print|copyright|position|location|banner|topbar|search)([\s_-]|$)", re.I)
_CONTENT_ATTR = re.compile(r"(content|article|zoom|trs_editor|main|detail|text|zw|conent)", re.I)


def _text_of_html(path, data: bytes) -> str:
    from bs4 import BeautifulSoup

    raw = _decode_html(path, data)
    try:
        soup = BeautifulSoup(raw, "lxml")
    except Exception as exc:  # lxml is lenient; anything it refuses is not HTML we can read
        raise ReportError(path, f"cannot parse HTML: {exc}") from None
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if getattr(tag, "decomposed", False):  # inside a tag already removed
            continue
        attrs = getattr(tag, "attrs", None)
        if not attrs:
            continue
        ident = " ".join([attrs.get("id", "") or ""] + list(attrs.get("class", []) or []))
        if ident and _CHROME_ATTR.search(ident) and tag.name not in ("body", "html"):
            tag.decompose()
    root = soup.body or soup
    total = len(root.get_text(strip=True))
    best = None
    for tag in root.find_all(["article", "main", "div", "td", "section"]):
        attrs = getattr(tag, "attrs", None) or {}
        ident = " ".join([attrs.get("id", "") or ""] + list(attrs.get("class", []) or []))
        if tag.name in ("article", "main") or (ident and _CONTENT_ATTR.search(ident)):
            size = len(tag.get_text(strip=True))
            if total and size >= 0.5 * total and (best is None or size < best[0]):
                best = (size, tag)
    if best is not None:
        root = best[1]
    lines: list[str] = []
    _html_lines(root, lines)
    text = "\n".join(line for line in (re.sub(r"[ \t\r\f\v\u00a0]+", " ", l).strip() for l in lines) if line)
    return text


def _decode_html(path, data: bytes) -> str:
    head = data[:4096].decode("ascii", errors="ignore").lower()
    m = re.search(r"charset=[\"']?([a-z0-9_-]+)", head)
    if m:
        enc = m.group(1)
        if enc in ("gb2312", "gbk"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(path, data)


def _html_lines(node, lines: list[str]) -> None:
    from bs4 import NavigableString, Tag

    buf: list[str] = []

    def flush():
        if buf:
            lines.append("".join(buf))
            buf.clear()

    def walk(n):
        for child in n.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                    continue
                buf.append(str(child).replace("\n", " "))
            elif isinstance(child, Tag):
                if child.name == "table":
                    flush()
                    for row in child.find_all("tr"):
                        cells = [re.sub(r"\s+", " ", c.get_text(" ", strip=True)) for c in row.find_all(["td", "th"], recursive=False)]
                        if any(cells):
                            lines.append(" | ".join(cells))
                    continue
                if child.name == "br":
                    flush()
                    continue
                block = child.name in _BLOCK_TAGS
                if block:
                    flush()
                walk(child)
                if block:
                    flush()

    walk(node)
    flush()


# --- PDF ----------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|\d+|page\s*\d+(\s*of\s*\d+)?)\s*$", re.I)


def _text_of_pdf(path, data: bytes) -> str:
    import io
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[str]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(_pdf_page_lines(page))
    except ReportError:
        raise
    except Exception as exc:
        name = type(exc).__name__
        msg = str(exc) or name
        if "password" in msg.lower() or "encrypt" in msg.lower() or b"/Encrypt" in data:
            raise ReportError(path, "encrypted PDF (password protected)") from None
        raise ReportError(path, f"corrupt or unreadable PDF ({name}: {msg[:120]})") from None
    if not any(pages):
        raise ReportError(path, "PDF has no text layer (scanned image?); OCR it first")
    return "\n".join(_drop_running_lines(pages))


def _pdf_page_lines(page) -> list[str]:
    tables = []
    try:
        found = page.find_tables()
    except Exception:
        found = []
    for t in found:
        rows = [" | ".join((c or "").replace("\n", "") for c in row) for row in t.extract()]
        tables.append((t.bbox, [r for r in rows if r.strip(" |")]))
    words = page.extract_words(keep_blank_chars=True, use_text_flow=True, y_tolerance=3)

    def in_table(w):
        for (x0, top, x1, bottom), _ in tables:
            if w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1 and w["top"] >= top - 1 and w["bottom"] <= bottom + 1:
                return True
        return False

    items: list[tuple[float, float, str]] = []
    line_words: dict[int, list] = {}
    for w in words:
        if in_table(w):
            continue
        key = round(w["top"] / 3)
        line_words.setdefault(key, []).append(w)
    for key in sorted(line_words):
        ws = sorted(line_words[key], key=lambda w: w["x0"])
        text = ""
        prev = None
        for w in ws:
            if prev is not None and w["x0"] - prev["x1"] > 2:
                text += " "
            text += w["text"]
            prev = w
        items.append((ws[0]["top"], ws[0]["x0"], text.strip()))
    for (x0, top, x1, bottom), rows in tables:
        for k, row in enumerate(rows):
            items.append((top + k * 0.001, x0, row))
    items.sort(key=lambda it: (it[0], it[1]))
    return [t for _, _, t in items if t]


def _drop_running_lines(pages: list[list[str]]) -> list[str]:
    """Remove page numbers and headers/footers that repeat at the top or bottom of pages."""
    norm = lambda s: re.sub(r"\d+", "#", s.replace(" ", ""))
    edge_counts: Counter = Counter()
    for lines in pages:
        for line in set(lines[:1] + lines[-1:]):
            edge_counts[norm(line)] += 1
    repeated = {k for k, c in edge_counts.items() if len(pages) >= 2 and c >= max(2, len(pages) // 2 + (len(pages) % 2))}
    out: list[str] = []
    for lines in pages:
        n = len(lines)
        for i, line in enumerate(lines):
            near_edge = i < 2 or i >= n - 2
            at_edge = i == 0 or i == n - 1
            if (near_edge and _PAGE_NUMBER.match(line)) or (at_edge and norm(line) in repeated):
                continue
            out.append(line)
    return out


# --- DOCX ---------------------------------------------------------------------------------

def _text_of_docx(path, data: bytes) -> str:
    import io

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ReportError(path, f"python-docx is not installed ({exc})") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReportError(path, "truncated or corrupt .docx (not a zip archive)")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ReportError(path, f"corrupt .docx ({type(exc).__name__}: {str(exc)[:120]})") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                last = None
                for cell in row.cells:
                    if last is not None and cell._tc is last:   # merged cells repeat; keep once
                        continue
                    last = cell._tc
                    cells.append(cell.text.replace("\n", " ").strip())
                if any(cells):
                    lines.append(" | ".join(cells))
    return "\n".join(lines).strip("\n")


# --- JSONL --------------------------------------------------------------------------------

def _read_jsonl(path: Path, data: bytes) -> Iterator[Report]:
    text = decode_bytes(path, data)
    seen: set[str] = set()
    count = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReportError(path, f"line {lineno}: invalid JSON ({exc.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ReportError(path, f"line {lineno}: expected an object with a string 'text'")
        rid = str(record.get("id", f"{path.stem}:{lineno}"))
        if rid in seen:
            raise ReportError(path, f"line {lineno}: duplicate id {rid!r}")
        seen.add(rid)
        count += 1
        meta = {k: v for k, v in record.items() if k not in ("id", "text")}
        yield Report(id=rid, source=f"{path}:{lineno}", format="jsonl", text=record["text"], meta=meta)
    if count == 0:
        raise ReportError(path, "no reports in the JSONL file")
