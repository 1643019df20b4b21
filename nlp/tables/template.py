"""The three statistical tables of the national template (国办公开办函〔2019〕60号 and 〔2021〕30号).

Canonical keys with their Chinese labels. Rows are listed in template order; the parser matches
the report's row labels against them in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIVE = "active"          # 一、主动公开政府信息情况 (第二十条)
REQUESTS = "requests"      # 二、收到和处理政府信息公开申请情况
APPEALS = "appeals"        # 三、政府信息公开行政复议、行政诉讼情况
TABLE_NAMES = {ACTIVE: "主动公开政府信息情况", REQUESTS: "收到和处理政府信息公开申请情况",
               APPEALS: "政府信息公开行政复议、行政诉讼情况"}
TABLE_SECTION = {ACTIVE: "proactive", REQUESTS: "requests", APPEALS: "appeals"}


@dataclass(frozen=True)
class Row:
    key: str
    label: str                 # the template's wording, matched fuzzily
    has_values: bool = True
    aliases: tuple[str, ...] = ()


# --- table 2: applications ----------------------------------------------------------------
APPLICANT_COLUMNS = [("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
                     ("public_interest", "社会公益组织"), ("legal_service", "法律服务机构"), ("other", "其他"),
                     ("total", "总计")]

_REFUSED = [("state_secret", "属于国家秘密"), ("prohibited", "其他法律行政法规禁止公开"),
            ("safety", "危及“三安全一稳定”"), ("third_party", "保护第三方合法权益"),
            ("internal", "属于三类内部事务信息"), ("process", "属于四类过程性信息"),
            ("enforcement", "属于行政执法案卷"), ("inquiry", "属于行政查询事项")]
_UNABLE = [("not_held", "本机关不掌握相关政府信息"), ("needs_making", "没有现成信息需要另行制作"),
           ("unclear", "补正后申请内容仍不明确")]
_NOT_PROCESSED = [("petition", "信访举报投诉类申请"), ("repeated", "重复申请"), ("publication", "要求提供公开出版物"),
                  ("mass_repeated", "无正当理由大量反复申请"), ("confirmation", "要求行政机关确认或重新出具已获取信息")]
_OTHER_2021 = [("no_supplement", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other", "其他")]


def _request_rows(version: str) -> list[Row]:
    rows = [Row("new", "本年新收政府信息公开申请数量"), Row("carried_in", "上年结转政府信息公开申请数量"),
            Row("results", "本年度办理结果", has_values=False),
            Row("open", "予以公开"), Row("partial", "部分公开", aliases=("部分公开（区分处理的，只计这一情形，不计其他情形）",)),
            Row("refused", "不予公开", has_values=False)]
    rows += [Row(f"refused.{k}", l) for k, l in _REFUSED]
    rows.append(Row("unable", "无法提供", has_values=False))
    rows += [Row(f"unable.{k}", l) for k, l in _UNABLE]
    rows.append(Row("not_processed", "不予处理", has_values=False))
    rows += [Row(f"not_processed.{k}", l) for k, l in _NOT_PROCESSED]
    if version == "2021":
        rows.append(Row("other_handling", "其他处理", has_values=False))
        rows += [Row(f"other_handling.{k}", l) for k, l in _OTHER_2021]
    else:
        rows.append(Row("other_handling", "其他处理"))
    rows += [Row("results_total", "总计"), Row("carried_out", "结转下年度继续办理")]
    return rows


REQUEST_GROUPS = {"refused": [f"refused.{k}" for k, _ in _REFUSED], "unable": [f"unable.{k}" for k, _ in _UNABLE],
                  "not_processed": [f"not_processed.{k}" for k, _ in _NOT_PROCESSED],
                  "other_handling": [f"other_handling.{k}" for k, _ in _OTHER_2021]}
RESULT_PARTS = ["open", "partial", "refused", "unable", "not_processed", "other_handling"]

# --- table 3: reconsideration and litigation ----------------------------------------------
OUTCOMES = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
            ("total", "总计")]
APPEAL_GROUPS = [("reconsideration", "行政复议"), ("litigation_direct", "未经复议直接起诉"),
                 ("litigation_after", "复议后起诉")]
APPEAL_COLUMNS = [(f"{g}.{o}", f"{gl}·{ol}") for g, gl in APPEAL_GROUPS for o, ol in OUTCOMES]

# --- table 1: proactive disclosure (第二十条) ----------------------------------------------
ACTIVE_COLUMNS = {
    "2021": {"rules": [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
             "normative": [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
             "licensing": [("decisions", "本年处理决定数量")],
             "penalty": [("decisions", "本年处理决定数量")],
             "enforcement": [("decisions", "本年处理决定数量")],
             "fees": [("amount_wan", "本年收费金额（万元）")]},
    "2019": {"rules": [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量")],
             "normative": [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量")],
             "licensing": [("last_year", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
             "other_services": [("last_year", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
             "penalty": [("last_year", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
             "enforcement": [("last_year", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
             "fees": [("last_year", "上一年项目数量"), ("change", "本年增/减")],
             "procurement": [("projects", "采购项目数量"), ("amount", "采购总金额")]},
}
ACTIVE_ROWS = [Row("rules", "规章"), Row("normative", "行政规范性文件", aliases=("规范性文件",)),
               Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项"),
               Row("penalty", "行政处罚"), Row("enforcement", "行政强制"),
               Row("fees", "行政事业性收费"), Row("procurement", "政府集中采购")]

REQUEST_ROWS = {"2019": _request_rows("2019"), "2021": _request_rows("2021")}


def column_label(table: str, row: str, column: str, version: str = "2021") -> str:
    if table == REQUESTS:
        return dict(APPLICANT_COLUMNS)[column]
    if table == APPEALS:
        return dict(OUTCOMES).get(column) or dict(APPEAL_COLUMNS).get(f"{row}.{column}", column)
    return dict(ACTIVE_COLUMNS[version].get(row, [])).get(column, column)
