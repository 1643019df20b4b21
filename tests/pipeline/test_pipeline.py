import json

import pytest
import spacy

import gongkai
from gongkai.pipeline import LineTokenizer, analyse, blank, doc_paragraphs, doc_quantities, predict_record
from gongkai.scheme import text_lines

REPORT = ("某县人民政府2020年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n"
          "一、总体情况\n2020年，全县主动公开政府信息1234条。\n二、主动公开政府信息情况\n"
          "三、收到和处理政府信息公开申请情况\n本年度共收到政府信息公开申请56件。\n"
          "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n本年度无其他需要报告的事项。")


def test_line_tokenizer_keeps_offsets():
    nlp = blank()
    text = " 一、 总体\n情况 12 条\r\n\n末行"
    doc = nlp(text)
    assert doc.text == text and "".join(t.text for t in doc) == text
    assert isinstance(nlp.tokenizer, LineTokenizer)
    # every line of the scheme is exactly one token
    starts = {t.idx: t for t in doc}
    for s, e in text_lines(text):
        assert starts[s].text == text[s:e]
    assert blank()("").text == ""


def test_quantity_spans_are_exact_offsets_and_tokens_split_only_there():
    nlp = gongkai.load()
    doc = nlp(REPORT)
    assert doc.text == REPORT
    quantities = doc.spans["quantities"]
    assert [s.text for s in quantities] == ["1234条", "56件"]
    for span in quantities:
        assert REPORT[span.start_char:span.end_char] == span.text
        assert span._.type == span.label_ and span._.value in (1234, 56) and 0 < span._.score <= 1
    # section spans survive the re-cut of their lines
    assert [(s.start_char, s.end_char) for s in doc.spans["sections"]] == text_lines(REPORT)
    assert len(doc) == len(text_lines(REPORT)) * 2 - 1 + 2 * len(quantities)


def test_doc_path_and_record_path_agree():
    nlp = gongkai.load()
    doc = nlp(REPORT)
    paragraphs, quantities = analyse(nlp, REPORT)
    assert paragraphs == doc_paragraphs(doc)
    assert quantities == doc_quantities(doc)
    # with a component of a user in the pipeline, analyse reads the Doc instead
    nlp.add_pipe("sentencizer", first=True)
    assert analyse(nlp, REPORT) == (paragraphs, quantities)


def test_predict_record_does_not_grow_the_vocabulary():
    nlp = gongkai.load()
    nlp.add_pipe("sentencizer", first=True)  # forces the Doc path
    report = type("R", (), {"id": "r", "source": "r.txt", "format": "txt"})()
    before = len(nlp.vocab.strings)
    for k in range(3):
        report.text = REPORT.replace("1234", str(1000 + k))
        predict_record(nlp, report)
    assert len(nlp.vocab.strings) == before


def test_load_returns_language_with_components():
    nlp = gongkai.load()
    assert isinstance(nlp, spacy.language.Language)
    assert nlp.pipe_names == ["gongkai_sections", "gongkai_quantities"]


def test_sections_cover_every_line_once():
    doc = gongkai.load()(REPORT)
    paragraphs = doc_paragraphs(doc)
    assert [(p["start"], p["end"]) for p in paragraphs] == text_lines(REPORT)
    labels = [p["section"] for p in paragraphs]
    assert labels[0] == "preamble"
    assert labels[2] == "overview"
    assert labels[4] == "proactive"
    assert labels[5] == "requests" and labels[6] == "requests"
    assert labels[7] == "appeals" and labels[8] == "problems" and labels[-1] == "other"
    assert all(0 <= p["score"] <= 1 for p in paragraphs)


def test_rule_baselines_are_selectable():
    nlp = gongkai.load(sections="rules", quantities="rules")
    assert nlp.pipe_names == ["gongkai_heading_sections", "gongkai_regex_quantities"]
    doc = nlp(REPORT)
    assert doc.spans["sections"][0].label_ == "preamble"
    assert any(s.text == "1234条" for s in doc.spans["quantities"])


def test_to_disk_from_disk_round_trip(tmp_path):
    nlp = gongkai.load()
    for name in ("sections", "quantities"):
        nlp.get_pipe(f"gongkai_{name}").to_disk(tmp_path / name)
    assert not any(p.suffix in (".pkl", ".pickle", ".joblib") for p in tmp_path.rglob("*"))
    again = gongkai.load(tmp_path)
    a, b = nlp(REPORT), again(REPORT)
    assert doc_paragraphs(a) == doc_paragraphs(b)
    assert [(s.start_char, s.end_char, s.label_) for s in a.spans["quantities"]] == \
           [(s.start_char, s.end_char, s.label_) for s in b.spans["quantities"]]


def test_model_dir_errors_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a section model directory"):
        gongkai.load(tmp_path)


def test_model_cards_exist():
    from gongkai.pipeline import default_model_dir

    for name in ("sections", "quantities"):
        card = default_model_dir() / name / "README.md"
        assert card.exists(), f"{card} missing"
        info = json.loads((default_model_dir() / name / "training.json").read_text(encoding="utf-8"))
        assert info["data_hash"] and info["training_seconds"] > 0


def test_other_span_groups_and_entities_survive_the_re_cut_of_lines():
    from spacy.language import Language
    from spacy.tokens import Span

    if "gongkai_test_marker" not in Language.factories:
        @Language.component("gongkai_test_marker")
        def marker(doc):
            doc.spans["mine"] = [Span(doc, 0, 1, label="X")]
            doc.ents = [Span(doc, 2, 3, label="L")]
            return doc

    nlp = gongkai.load()
    nlp.add_pipe("gongkai_test_marker", after="gongkai_sections")
    text = "一、总体情况\n全年主动公开政府信息1234条。\n"
    doc = nlp(text)
    assert [s.text for s in doc.spans["quantities"]] == ["1234条"]   # the second line was re-cut
    assert [(s.text, s.label_) for s in doc.spans["mine"]] == [("一、总体情况", "X")]
    assert [(e.text, e.label_) for e in doc.ents] == [("全年主动公开政府信息1234条。", "L")]
