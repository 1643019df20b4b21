import pytest

from gongkai.extract import report_metadata
from gongkai.structure import document_top_style, heading_section, is_noise_line, is_table_row, numbering_style, top_heading
from gongkai.textnorm import feature_text


@pytest.mark.parametrize("text,issuer,year", [
    ("长沙市岳麓区人民政府2020年政府信息公开工作年度报告\n正文", "长沙市岳麓区人民政府", 2020),
    ("2019 年四方台区人民政府信息公开工作 年 度 报 告", "四方台区人民政府", 2019),
    ("一、总体情况\n本报告统计期限自2021年1月1日起至2021年12月31日止。", None, 2021),
    ("（一）主动公开情况\n全年公开信息12条。", None, None),
])
def test_issuer_and_year_found_or_left_empty(text, issuer, year):
    assert report_metadata(text) == {"issuer": issuer, "year": year}


@pytest.mark.parametrize("line,style", [("一、总体情况", "cn_dun"), ("（二）依申请公开", "paren_cn"), ("第三部分 收费", "part"),
                                        ("【四】复议诉讼", "bracket_cn_box"), ("1.公开总量", "arabic_dot"), ("全年公开", None)])
def test_numbering_styles(line, style):
    assert numbering_style(line) == style


@pytest.mark.parametrize("heading,label", [
    ("三、收到和处理政府信息公开申请情况", "requests"), ("四、政府信息公开行政复议、行政诉讼情况", "appeals"),
    ("四、因政府信息公开申请行政复议、提起行政诉讼的情况", "appeals"), ("三、依申请公开及复议诉讼情况", "requests"),
    ("五、存在的主要问题及改进情况", "problems"), ("六、其他需要报告的事项", "other"), ("二、主动公开政府信息情况", "proactive"),
    ("七、政府信息公开的收费及减免情况", "fees"), ("八、机构建设和经费保障情况", "institution")])
def test_heading_keywords_follow_the_joined_topic_rule(heading, label):
    assert top_heading(heading) == label


def test_document_top_style_and_shapes():
    assert document_top_style(["（一）主动公开情况", "正文", "（二）依申请公开情况"]) == "paren_cn"
    assert document_top_style(["一、概述", "（一）主动公开", "二、主动公开政府信息情况"]) == "cn_dun"
    assert is_table_row("规章 | 2 | 0 | 15") and is_table_row("12\t0\t3") and is_table_row("64 0 0 0 64")
    assert not is_table_row("全年主动公开政府信息1234条。")
    assert is_noise_line("扫一扫在手机打开当前页") and not is_noise_line("一、总体情况")
    assert heading_section("政策解读与回应关切") == "response"


def test_feature_text_keeps_length():
    s = "主動公開政府資訊１２３條，１２％"
    out = feature_text(s)
    assert len(out) == len(s) and out.startswith("主动公开政府资讯123条")
