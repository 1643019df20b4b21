"""Exact normalisation of quantity spans: ``"209 万余件"`` → 2090000, 件, over.

Values are computed with :class:`decimal.Decimal` so that ``60167.14242万元`` becomes exactly
601671424.2 yuan. Anything the rules cannot read raises :class:`NormalizationError`; the
normaliser never guesses a number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NormalizationError", "NormalizedQuantity", "normalize", "parse_number", "governing_qualifier"]


class NormalizationError(ValueError):
    """The span cannot be read as a quantity."""


@dataclass(frozen=True)
class NormalizedQuantity:
    value: Decimal
    unit: str
    qualifier: str

    @property
    def number(self) -> int | float:
        """The value as a JSON number: an int when integral, else a float."""
        return decimal_to_number(self.value)


def decimal_to_number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


CHINESE_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
                  "四": 4, "肆": 4, "兩": 2, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
                  "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

# Qualifier words, longest first so that 大约 wins over 约.
PREFIX_QUALIFIERS = [("不少于", "over"), ("不低于", "over"), ("至少", "over"), ("不超过", "under"), ("大约", "about"), ("大約", "about"), ("将近", "about"), ("接近", "about"), ("约", "about"), ("約", "about"),
                     ("近", "about"), ("超过", "over"), ("超過", "over"), ("多达", "over"), ("逾", "over"), ("超", "over"),
                     ("不足", "under"), ("不到", "under"), ("低于", "under")]
SUFFIX_QUALIFIERS = [("以上", "over"), ("以下", "under"), ("左右", "about"), ("上下", "about"), ("餘", "over"),
                     ("之多", "over"), ("余", "over"), ("多", "over")]
# 余/多 between the numeral and a multiplier: 十余万元, 3千多人.
INNER_QUALIFIER = {"余": "over", "餘": "over", "多": "over"}

_NUMERAL_CHARS = "0123456789." + "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS) + "点"
_RANGE_SEPARATORS = ("至", "到", "-", "~", "～", "—", "－")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PERCENT_WORDS = ("百分之", "百分")


_SPACES = re.compile(r"\s+")


def _clean(span: str) -> str:
    text = span if unicodedata.is_normalized("NFKC", span) else unicodedata.normalize("NFKC", span)
    return _SPACES.sub("", text)


def parse_number(text: str) -> Decimal:
    """Parse an Arabic, Chinese or mixed numeral (no unit) into an exact Decimal.

    >>> parse_number("十万零一千")
    Decimal('101000')
    >>> parse_number("1.5万")
    Decimal('15000.0')
    """
    if not text:
        raise NormalizationError("empty numeral")
    text = _clean(text)
    if "," in text:
        head = re.match(r"^[\d,\.]+", text).group(0) if re.match(r"^[\d,\.]+", text) else ""
        if not _THOUSANDS.match(head):
            raise NormalizationError(f"misplaced thousands separator in {text!r}")
        text = text.replace(",", "")
    if "点" in text:
        whole, _, frac = text.partition("点")
        if not frac or any(ch not in CHINESE_DIGITS and not ch.isdigit() for ch in frac):
            raise NormalizationError(f"cannot read decimal numeral {text!r}")
        digits = "".join(str(CHINESE_DIGITS[ch]) if ch in CHINESE_DIGITS else ch for ch in frac)
        return parse_number(whole or "零") + Decimal("0." + digits)
    total = Decimal(0)      # completed 亿 groups
    section = Decimal(0)    # completed 万 groups below 亿
    small = Decimal(0)      # completed 十百千 groups below 万
    current: Decimal | None = None
    last_was_chinese_digit = False
    i = 0
    seen_any = False
    group_seen = False      # a numeral since the last 万/亿: 近万 has none, 0万 has one
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            m = re.match(r"\d+(\.\d+)?", text[i:])
            if not m:
                raise NormalizationError(f"cannot read numeral {text!r}")
            if current is not None:
                raise NormalizationError(f"two numerals run together in {text!r}")
            try:
                current = Decimal(m.group(0))
            except InvalidOperation as exc:  # pragma: no cover - regex guarantees a decimal
                raise NormalizationError(f"cannot read numeral {text!r}") from exc
            i += len(m.group(0))
            seen_any = group_seen = True
            last_was_chinese_digit = False
            continue
        if ch in CHINESE_DIGITS:
            d = CHINESE_DIGITS[ch]
            if last_was_chinese_digit and current is not None:
                current = current * 10 + d       # positional: 一〇〇 → 100
            elif d == 0:
                current = None                   # 零 as a placeholder: 十万零一千
            else:
                if current is not None:
                    raise NormalizationError(f"two numerals run together in {text!r}")
                current = Decimal(d)
            last_was_chinese_digit = d != 0 or current is not None
            seen_any = group_seen = True
        elif ch in SMALL_UNITS:
            small += (current if current is not None else Decimal(1)) * SMALL_UNITS[ch]
            current = None
            last_was_chinese_digit = False
            seen_any = group_seen = True
        elif ch in LARGE_UNITS:
            group = small + (current if current is not None else Decimal(0))
            if not group_seen:
                group = Decimal(1)          # 万 alone, 近万件: one 万
            if LARGE_UNITS[ch] == 10_000:
                section += group * 10_000
            else:
                total = (total + section + (group if group_seen or not section else Decimal(0))) * LARGE_UNITS[ch]
                section = Decimal(0)
            group_seen = False
            small = Decimal(0)
            current = None
            last_was_chinese_digit = False
            seen_any = True
        else:
            raise NormalizationError(f"unexpected character {ch!r} in numeral {text!r}")
        i += 1
    if not seen_any:
        raise NormalizationError(f"no numeral in {text!r}")
    return total + section + small + (current if current is not None else Decimal(0))


def _take_numeral(text: str, i: int) -> tuple[str, int, str | None]:
    """Read a numeral starting at ``i``; allow 余/多 just before a multiplier (十余万)."""
    start = i
    inner = None
    while i < len(text):
        ch = text[i]
        if ch in _NUMERAL_CHARS or (ch == "," and i > start and text[i - 1].isdigit()
                                    and i + 1 < len(text) and text[i + 1].isdigit()):
            if ch == "点" and not (i + 1 < len(text) and (text[i + 1] in CHINESE_DIGITS or text[i + 1].isdigit())):
                break
            i += 1
            continue
        if ch in INNER_QUALIFIER and i > start and i + 1 < len(text) and text[i + 1] in LARGE_UNITS \
                and (i + 2 >= len(text) or text[i + 2] not in _NUMERAL_CHARS or text[i + 2] in LARGE_UNITS):
            inner = INNER_QUALIFIER[ch]
            i += 1
            continue
        break
    numeral = text[start:i]
    if inner:
        numeral = numeral.replace("余", "").replace("餘", "").replace("多", "")
    return numeral, i, inner


# The commonest shapes, Arabic digits (with thousands separators, decimals and a multiplier) and a
# plain measure word (1234件, 1,234条, 95.5%, 1.5万元): read directly. The unit may hold no numeral,
# qualifier, range or percentage-point character, so every rule of the general path below would
# read such a span the same way (tests check this on every span of the corpus).
_SIMPLE = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?([万萬亿億]?)"
                     r"([^0-9.,零〇○一壹二贰两三叁四肆兩五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億点至到\-~～—－余餘多以上下左右之]{1,6})")


def _simple_value(m: re.Match) -> Decimal:
    value = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
    if m.group(3):
        value *= LARGE_UNITS[m.group(3)]
    return value


def normalize(span: str) -> NormalizedQuantity:
    """Normalise one quantity span into value, unit and qualifier.

    >>> q = normalize("209 万余件")
    >>> (q.number, q.unit, q.qualifier)
    (2090000, '件', 'over')
    """
    if not isinstance(span, str) or not span.strip():
        raise NormalizationError("empty quantity span")
    text = _clean(span)
    simple = _SIMPLE.fullmatch(text)
    if simple:
        return NormalizedQuantity(_simple_value(simple), simple.group(4), "exact")
    return _normalize_clean(text, span)


def read_simple(span: str) -> tuple[int | float, str] | None:
    """(value as a JSON number, unit) of a span of the commonest shapes, exactly as
    :func:`normalize` reads it (qualifier ``exact``); None for any other span."""
    if not span or span[0] not in "0123456789":
        return None
    simple = _SIMPLE.fullmatch(_clean(span))
    if simple is None:
        return None
    if not simple.group(2) and not simple.group(3) and "," not in simple.group(1):
        return int(simple.group(1)), simple.group(4)
    return decimal_to_number(_simple_value(simple)), simple.group(4)


def _normalize_clean(text: str, span: str) -> NormalizedQuantity:
    """The general path of :func:`normalize` on the cleaned text."""
    qualifier = "exact"
    for word, qual in PREFIX_QUALIFIERS:
        if text.startswith(word) and len(text) > len(word):
            rest = text[len(word):]
            if rest[0] in _NUMERAL_CHARS or rest.startswith(_PERCENT_WORDS):
                qualifier, text = qual, rest
                break
    # Percentages written in words: 百分之九十五点五, 百分之百.
    for word in _PERCENT_WORDS:
        if text.startswith(word) and len(text) > len(word):
            body = text[len(word):]
            suffix_qual = None
            for sq, qual in SUFFIX_QUALIFIERS:
                if body.endswith(sq) and len(body) > len(sq):
                    body, suffix_qual = body[: -len(sq)], qual
                    break
            value = parse_number(body)
            return NormalizedQuantity(value, "%", suffix_qual or qualifier)
    if not text or text[0] not in _NUMERAL_CHARS:
        raise NormalizationError(f"no numeral at the start of {span!r}")
    points = re.search(r"(个|個)?百分(点|點)$", text)
    if points and points.start() > 0:  # 2.5个百分点, 3百分点: percentage points, 百 is not a multiplier
        unit = "個百分點" if "點" in points.group(0) else "个百分点"
        body = text[:points.start()]
        for sq, qual in SUFFIX_QUALIFIERS:
            if body.endswith(sq) and len(body) > len(sq):
                body, qualifier = body[: -len(sq)], qual
                break
        return NormalizedQuantity(parse_number(body), unit, qualifier)
    numeral, i, inner = _take_numeral(text, 0)
    if inner:
        qualifier = inner
    # A range: 3至5人, 3-5次 → lower bound, qualifier over.
    for sep in _RANGE_SEPARATORS:
        if text.startswith(sep, i) and i + len(sep) < len(text) and text[i + len(sep)] in _NUMERAL_CHARS:
            upper, j, _ = _take_numeral(text, i + len(sep))
            if upper:
                parse_number(upper)  # must itself be readable
                i = j
                qualifier = "over"
                # 3至5万元: the multiplier of the upper bound applies to the lower one too.
                if upper[-1] in LARGE_UNITS and numeral[-1] not in LARGE_UNITS:
                    numeral += upper[-1]
            break
    rest = text[i:]
    # Trailing 余/多 directly after the numeral: 4000余条, 180余人次.
    for sq in ("余", "餘", "多"):
        if rest.startswith(sq):
            qualifier, rest = "over", rest[len(sq):]
            break
    # Multiplier after 余: 209万余件 was read as 209万 then 余; 140余万元 handled above.
    if rest and rest[0] in LARGE_UNITS and qualifier == "over" and not inner:
        numeral += rest[0]
        rest = rest[1:]
    for sq, qual in SUFFIX_QUALIFIERS:
        if rest.endswith(sq) and len(rest) > len(sq):
            qualifier, rest = qual, rest[: -len(sq)]
            break
    # A numeral ending in 百/千 before a unit is a multiplier (3千人); 万/亿 likewise.
    unit = rest
    if not unit:
        raise NormalizationError(f"no unit or measure word in {span!r}")
    if unit in ("百分点", "个百分点", "個百分點", "百分點"):
        unit = "个百分点" if unit in ("百分点", "个百分点") else "個百分點"  # as written, traditional kept
    value = parse_number(numeral)
    if re.search(r"[0-9零〇一二两三四五六七八九十百千万亿]", unit) and unit not in ("个百分点", "個百分點"):
        raise NormalizationError(f"cannot separate numeral and unit in {span!r}")
    if len(unit) > 6:
        raise NormalizationError(f"unit {unit!r} in {span!r} is too long to be a measure word")
    return NormalizedQuantity(value, unit, qualifier)


# 约占93%, 约为1.2万元: 约 governs the number from before the verb, outside the span.
_GOVERNING_ABOUT = re.compile(r"(大约|约)(占|为|有|计|合|达到|达)[^，。；、：,;:\n]{0,8}$")


def governing_qualifier(text: str, start: int) -> str | None:
    """The qualifier that a word left of the span governs (``约占…93%`` → ``about``), if any."""
    left = text[max(0, start - 12):start]
    if "约" in left and _GOVERNING_ABOUT.search(left):
        return "about"
    return None
