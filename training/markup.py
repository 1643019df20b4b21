"""Convert the corpus source markup (see ``data/source/MARKUP.md``) into annotated records.

The markup keeps authoring cheap: ``@label`` lines set the section of the lines that follow and
``⟦span|TYPE⟧`` marks a quantity. Conversion yields the scheme's JSONL record with offsets into
the plain text, values filled in by the normaliser.

Run ``python training/markup.py FILE...`` to check source files without installing the package.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SECTION_NAMES = (
    "preamble overview proactive response requests consultation fees appeals "
    "institution training problems other noise ?"
).split()
TYPE_NAMES = "HOTLINE SATISFACTION RATE MONEY PUBLISHED REQUESTS APPEALS TRAINING SERVICE COUNT".split()
META_KEYS = {"id", "era", "level", "issuer", "year", "kind", "noise", "region"}
ERAS = {"pre2019", "2019", "2021"}
LEVELS = {"province", "city", "county", "township", "department"}

_QUANTITY = re.compile(r"⟦([^⟦⟧]*)⟧")
_NUMERAL = re.compile(r"[0-9０-９零〇一二两兩三四五六七八九十百千万萬亿億]")


class MarkupError(ValueError):
    """A problem in a source file, with file and line number in the message."""


@dataclass
class SourceDoc:
    meta: dict
    text: str
    lines: list = field(default_factory=list)       # [{"start","end","section"}]
    quantities: list = field(default_factory=list)  # [{"start","end","type", optional value/unit/qualifier}]


def parse_markup(source: str, name: str = "<string>") -> SourceDoc:
    """Parse one source document; raise :class:`MarkupError` listing every problem found."""
    problems: list[str] = []
    meta: dict = {}
    raw_lines = source.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(raw_lines) and raw_lines[i].startswith("#!"):
        key, _, value = raw_lines[i][2:].partition(":")
        key, value = key.strip(), value.strip()
        if key not in META_KEYS:
            problems.append(f"{name}:{i + 1}: unknown header key {key!r}")
        meta[key] = value
        i += 1
    for key in ("id", "era", "level", "issuer", "year", "kind"):
        if key not in meta:
            problems.append(f"{name}: header lacks '#! {key}:'")
    if meta.get("era") and meta["era"] not in ERAS:
        problems.append(f"{name}: era {meta['era']!r} not in {sorted(ERAS)}")
    if meta.get("level") and meta["level"] not in LEVELS:
        problems.append(f"{name}: level {meta['level']!r} not in {sorted(LEVELS)}")
    if meta.get("kind") and meta["kind"] not in {"full", "excerpt"}:
        problems.append(f"{name}: kind must be full or excerpt")

    out: list[str] = []
    pos = 0
    section = None
    lines, quantities = [], []
    body = raw_lines[i:]
    # Drop trailing empty strings produced by a final newline so the text does not grow blank tail.
    while body and body[-1] == "":
        body.pop()
    first_text_line = True
    for j, raw in enumerate(body, start=i + 1):
        stripped = raw.strip()
        if stripped.startswith("@") and not stripped.startswith("@@") and " " not in stripped:
            label = stripped[1:]
            if label not in SECTION_NAMES:
                problems.append(f"{name}:{j}: unknown section {label!r}")
            section = label
            continue
        if raw.startswith("@@"):
            raw = raw[1:]
        if not first_text_line:
            out.append("\n")
            pos += 1
        first_text_line = False
        line_start = pos
        cursor = 0
        for m in _QUANTITY.finditer(raw):
            plain = raw[cursor:m.start()]
            out.append(plain)
            pos += len(plain)
            parts = m.group(1).split("|")
            span = parts[0]
            if len(parts) not in (2, 5):
                problems.append(f"{name}:{j}: quantity {m.group(0)!r} needs span|TYPE or span|TYPE|value|unit|qualifier")
            elif parts[1] not in TYPE_NAMES:
                problems.append(f"{name}:{j}: unknown quantity type {parts[1]!r} in {m.group(0)!r}")
            if span != span.strip() or not span:
                problems.append(f"{name}:{j}: quantity span {span!r} has leading/trailing space or is empty")
            if not _NUMERAL.search(span) and "百分之" not in span:
                problems.append(f"{name}:{j}: quantity span {span!r} holds no numeral")
            q = {"start": pos, "end": pos + len(span), "type": parts[1] if len(parts) > 1 else "?"}
            if len(parts) == 5:
                try:
                    q["value"] = float(parts[2]) if "." in parts[2] else int(parts[2])
                except ValueError:
                    problems.append(f"{name}:{j}: value {parts[2]!r} is not a number")
                q["unit"], q["qualifier"] = parts[3], parts[4]
            quantities.append(q)
            out.append(span)
            pos += len(span)
            cursor = m.end()
        rest = raw[cursor:]
        if "⟦" in rest or "⟧" in rest:
            problems.append(f"{name}:{j}: unbalanced ⟦ ⟧")
        out.append(rest)
        pos += len(rest)
        if raw.strip():
            if section is None:
                problems.append(f"{name}:{j}: text before any @section line")
            lines.append({"start": line_start, "end": pos, "section": section or "?"})
    text = "".join(out)
    if problems:
        raise MarkupError("\n".join(problems))
    # Line spans exclude leading/trailing whitespace? No: the scheme's line is the run between
    # line breaks; keep it whole, so evaluation and validation agree on one unit.
    return SourceDoc(meta=meta, text=text, lines=lines, quantities=quantities)


def check_files(paths: list[str]) -> int:
    bad = 0
    for p in paths:
        try:
            doc = parse_markup(Path(p).read_text(encoding="utf-8"), name=p)
        except MarkupError as exc:
            print(exc)
            bad += 1
            continue
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{p}: cannot read: {exc}")
            bad += 1
            continue
        print(f"{p}: ok ({len(doc.lines)} lines, {len(doc.quantities)} quantities)")
    return 1 if bad else 0


if __name__ == "__main__":  # pragma: no cover - convenience for corpus authors
    sys.exit(check_files(sys.argv[1:]))
