from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from gongkai.quantities import NormalizationError, governing_qualifier, normalize, parse_number

TABLE = [
    # span, value, unit, qualifier
    ("6713件", 6713, "件", "exact"),
    ("209 万余件", 2090000, "件", "over"),
    ("99.91%", 99.91, "%", "exact"),
    ("2 万元", 20000, "元", "exact"),
    ("60167.14242万元", Decimal("601671424.2"), "元", "exact"),
    ("1,100万元", 11000000, "元", "exact"),
    ("37,311条", 37311, "条", "exact"),
    ("4000余条", 4000, "条", "over"),
    ("180余人次", 180, "人次", "over"),
    ("140余万元", 1400000, "元", "over"),
    ("十余万元", 100000, "元", "over"),
    ("99%以上", 99, "%", "over"),
    ("超过90%", 90, "%", "over"),
    ("逾千人", 1000, "人", "over"),
    ("3千多人", 3000, "人", "over"),
    ("约200人", 200, "人", "about"),
    ("近万件", 10000, "件", "about"),
    ("200人左右", 200, "人", "about"),
    ("大约30次", 30, "次", "about"),
    ("不足10人", 10, "人", "under"),
    ("不到5%", 5, "%", "under"),
    ("50人以下", 50, "人", "under"),
    ("百分之百", 100, "%", "exact"),
    ("百分之九十五点五", Decimal("95.5"), "%", "exact"),
    ("百分之九十以上", 90, "%", "over"),
    ("两次", 2, "次", "exact"),
    ("十万零一千件", 101000, "件", "exact"),
    ("一千二百三十四条", 1234, "条", "exact"),
    ("一万二千余件", 12000, "件", "over"),
    ("〇件", 0, "件", "exact"),
    ("零件", 0, "件", "exact"),
    ("0件", 0, "件", "exact"),
    ("１２３件", 123, "件", "exact"),
    ("９８．５％", Decimal("98.5"), "%", "exact"),
    ("1 2 3 条", 123, "条", "exact"),
    ("1万2千件", 12000, "件", "exact"),
    ("3至5人", 3, "人", "over"),
    ("3-5次", 3, "次", "over"),
    ("3至5万元", 30000, "元", "over"),
    ("2.5个百分点", Decimal("2.5"), "个百分点", "exact"),
    ("1.2亿元", 120000000, "元", "exact"),
    ("一亿二千万元", 120000000, "元", "exact"),
    ("10多万人次", 100000, "人次", "over"),
    ("1 起", 1, "起", "exact"),
    ("22个", 22, "个", "exact"),
]


@pytest.mark.parametrize("span,value,unit,qualifier", TABLE)
def test_normalize_table(span, value, unit, qualifier):
    q = normalize(span)
    assert q.value == Decimal(str(value)) if not isinstance(value, Decimal) else q.value == value
    assert q.unit == unit
    assert q.qualifier == qualifier


def test_money_is_exact_decimal_not_float():
    assert normalize("60167.14242万元").value == Decimal("601671424.20000")
    assert normalize("60167.14242万元").number == 601671424.2


@pytest.mark.parametrize("bad", ["", "   ", "5", "本级政府介绍5", "三高四新", "二〇一九", "1,00万元", "万", "无"])
def test_unreadable_raises(bad):
    with pytest.raises(NormalizationError):
        normalize(bad)


def test_governing_qualifier_left_of_span():
    text = "其中自然人申请约占申请总数的93%，"
    start = text.index("93%")
    assert governing_qualifier(text, start) == "about"
    assert governing_qualifier("同比增长93%", 4) is None


_CN = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Write an integer 0 <= n < 10**12 in standard Chinese numerals."""
    if n == 0:
        return "零"

    def below_10k(x: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value
            x %= value
            if d:
                if zero:
                    out += "零"
                    zero = False
                out += _CN[d] + name
            elif out:
                zero = True
        return out

    parts = []
    for unit_value, unit_name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        group = n // unit_value
        n %= unit_value
        if group:
            if parts and group < 1000:
                parts.append("零")
            parts.append(below_10k(group) + unit_name)
        elif parts and n:
            parts.append("")
    return "".join(parts)


@given(st.integers(min_value=0, max_value=10**11))
def test_chinese_numerals_round_trip(n):
    assert parse_number(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_with_separators_and_fullwidth_round_trip(n):
    assert normalize(f"{n}件").value == n
    assert normalize(f"{n:,}件").value == n
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    assert normalize(fullwidth + "条").value == n


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_wan_multiplier_is_exact(d):
    assert normalize(f"{d}万元").value == d * 10000


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["余", "多"]))
def test_over_words(n, word):
    q = normalize(f"{n}{word}人")
    assert (q.value, q.unit, q.qualifier) == (n, "人", "over")
