"""The shipped quantity tagger: finds quantities with values, and never tags the scheme's traps."""

import pytest

import gongkai

TRAPS = [
    "2019年1月1日起施行。",                      # dates
    "申请人应在15个工作日内答复，24小时值班。",     # durations and legal limits
    "第一，加强领导；一是健全机制。",              # ordinals and list markers
    "印发了长政发〔2014〕9号文件。",                # document numbers
    "依据国务院令第711号。",                      # decree numbers
    "咨询电话：0731-88886666，邮编：410000。",      # phone numbers and postal codes
    "开通12345政府服务热线。",                     # names with numerals
    "全面落实“三高四新”战略，加快建设“五个耒阳”。",   # slogans, quoted as reports write them
    "本报告由六部分组成。",                         # the report's own parts
    "本级政府介绍5",                                # bare numeral
]

TABLE = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 2 | 0 | 15\n行政规范性文件 | 12件 | 3件 | 40件"


@pytest.fixture(scope="module")
def nlp():
    return gongkai.load(sections="model")


@pytest.mark.parametrize("text", TRAPS)
def test_traps_are_never_tagged(nlp, text):
    doc = nlp("一、总体情况\n" + text)
    assert [s.text for s in doc.spans["quantities"]] == []


def test_table_cells_are_never_tagged(nlp):
    doc = nlp("二、主动公开政府信息情况\n" + TABLE)
    assert list(doc.spans["quantities"]) == []


def test_finds_typed_quantities_with_values(nlp):
    text = "一、总体情况\n2020年，全区主动公开政府信息1,234条，12345热线受理群众诉求工单6713件，回访满意率达99.91%，投入工作经费2万元。"
    doc = nlp(text)
    got = {(s.text, s._.type, s._.value, s._.unit, s._.qualifier) for s in doc.spans["quantities"]}
    assert ("1,234条", "PUBLISHED", 1234, "条", "exact") in got
    assert ("6713件", "HOTLINE", 6713, "件", "exact") in got
    assert ("99.91%", "SATISFACTION", 99.91, "%", "exact") in got
    assert ("2万元", "MONEY", 20000, "元", "exact") in got
    for s in doc.spans["quantities"]:
        assert text[s.start_char:s.end_char] == s.text


def test_approximations_inside_the_span(nlp):
    doc = nlp("一、总体情况\n全年共培训180余人次，发布信息4000余条。")
    got = {(s.text, s._.qualifier) for s in doc.spans["quantities"]}
    assert ("180余人次", "over") in got and ("4000余条", "over") in got
