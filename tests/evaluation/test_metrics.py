"""Metrics pinned to numbers computed by hand (see the comments for the arithmetic)."""

import pytest

from gongkai.evaluation.metrics import Prediction, evaluate, prf
from gongkai.scheme import AnnotatedDoc, LineLabel, Quantity, text_lines

TEXT = "标题\n一、总体情况\n全年公开信息12条，收到申请3件。\n二、主动公开\n扫一扫"


def gold_doc():
    labels = ["preamble", "overview", "overview", "proactive", "noise"]
    lines = [LineLabel(s, e, lab) for (s, e), lab in zip(text_lines(TEXT), labels)]
    a = TEXT.index("12条")
    b = TEXT.index("3件")
    qs = [Quantity(a, a + 3, "PUBLISHED", 12, "条", "exact"), Quantity(b, b + 2, "REQUESTS", 3, "件", "exact")]
    return AnnotatedDoc("d1", TEXT, lines, qs)


def prediction(**override):
    spans = text_lines(TEXT)
    paragraphs = [
        {"start": spans[0][0], "end": spans[0][1], "section": "preamble"},
        {"start": spans[1][0], "end": spans[2][1], "section": "overview"},   # one paragraph over two lines
        {"start": spans[3][0], "end": spans[3][1], "section": "overview"},   # wrong
        # line 4 (扫一扫) is not covered: counts as wrong
    ]
    a, r = TEXT.index("12条"), TEXT.index("申请3件")
    two = TEXT.index("二、")
    quantities = [
        {"start": a, "end": a + 3, "type": "PUBLISHED", "value": override.get("value", 12), "unit": "条", "qualifier": "exact"},
        {"start": r, "end": r + 4, "type": "REQUESTS", "value": 3, "unit": "件", "qualifier": "exact"},  # overlaps, not exact
        {"start": two, "end": two + 2, "type": "COUNT", "value": 2, "unit": "、", "qualifier": "exact"},  # spurious
    ]
    return {"d1": Prediction("d1", paragraphs, quantities)}


def test_sections_by_hand():
    m = evaluate([gold_doc()], prediction())
    # Primary lines (>= 4 CJK): 一、总体情况 ok, the sentence ok, 二、主动公开 wrong → 2/3.
    assert m["section_accuracy"] == pytest.approx(2 / 3)
    # overview P=2/3 R=1 F1=0.8; proactive never predicted → F1 0; macro = 0.4.
    assert m["sections"]["per_label"]["overview"]["f1"] == pytest.approx(0.8)
    assert m["sections"]["per_label"]["proactive"]["f1"] == 0.0
    assert m["section_macro_f1"] == pytest.approx(0.4)
    # All lines: preamble ok, 2 overview ok, proactive wrong, uncovered noise wrong → 3/5.
    assert m["section_accuracy_all_lines"] == pytest.approx(0.6)
    assert m["section_macro_f1_all_lines"] == pytest.approx((1 + 0.8 + 0 + 0) / 4)
    assert m["sections"]["confusion"]["proactive"] == {"overview": 1}


def test_quantities_by_hand():
    m = evaluate([gold_doc()], prediction())
    # Exact spans: 1 of 3 predictions, 1 of 2 gold → P=1/3, R=1/2, F1=0.4.
    assert m["quantities"]["span"]["precision"] == pytest.approx(1 / 3)
    assert m["span_f1"] == pytest.approx(0.4)
    assert m["typed_f1"] == pytest.approx(0.4)
    # Overlap: 2 of 3 predictions touch gold, both gold are touched → P=2/3, R=1, F1=0.8.
    assert m["overlap_f1"] == pytest.approx(0.8)
    assert m["value_accuracy"] == 1.0 and m["unit_accuracy"] == 1.0 and m["qualifier_accuracy"] == 1.0
    kinds = sorted(e["kind"] for e in m["errors"] if e["kind"] != "wrong section")
    assert kinds == ["boundary", "spurious"]


def test_wrong_value_counts_against_value_accuracy_only():
    m = evaluate([gold_doc()], prediction(value=13))
    assert m["value_accuracy"] == 0.0
    assert m["typed_f1"] == pytest.approx(0.4)
    assert any(e["kind"] == "wrong value" for e in m["errors"])


def test_value_relative_tolerance():
    assert evaluate([gold_doc()], prediction(value=12 * (1 + 1e-7)))["value_accuracy"] == 1.0
    assert evaluate([gold_doc()], prediction(value=12 * (1 + 1e-5)))["value_accuracy"] == 0.0


def test_no_predictions():
    m = evaluate([gold_doc()], {})
    assert m["section_accuracy"] == 0.0
    assert m["span_f1"] == 0.0 and m["overlap_f1"] == 0.0
    assert m["value_accuracy"] is None
    assert m["documents_without_prediction"] == 1


def test_no_gold_quantities_and_none_predicted():
    doc = gold_doc()
    doc.quantities = []
    pred = prediction()
    pred["d1"].quantities = []
    m = evaluate([doc], pred)
    assert m["span_f1"] == 1.0 and m["typed_f1"] == 1.0 and m["overlap_f1"] == 1.0


def test_no_gold_quantities_but_some_predicted():
    doc = gold_doc()
    doc.quantities = []
    m = evaluate([doc], prediction())
    assert m["quantities"]["span"]["precision"] == 0.0
    assert m["span_f1"] == 0.0


def test_question_mark_lines_are_skipped():
    doc = gold_doc()
    doc.lines[3].section = "?"
    m = evaluate([doc], prediction())
    assert m["section_accuracy"] == 1.0


def test_prf_zero_division():
    assert prf(0, 0, 0)["f1"] == 1.0
    assert prf(0, 0, 3)["precision"] == 0.0
    assert prf(0, 2, 0)["recall"] == 0.0
