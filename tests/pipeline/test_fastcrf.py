"""The compiled inference path must be the CRF that CRFsuite trained, and its fast paths must read
text exactly as the slow ones do."""

import re
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from gongkai.fastcrf import CompiledCRF, bio_allowed, key, key_strings
from gongkai.quantities import tagger as qt
from gongkai.quantities.normalizer import NormalizationError, _clean, _normalize_clean, _SIMPLE, normalize, read_simple
from gongkai.scheme import load_jsonl, text_lines
from gongkai.sections.model import SectionModel, line_keys
from gongkai.textnorm import _table, feature_text

DATA = Path(__file__).resolve().parents[2] / "data"


def _tiny_section_model(tmp_path):
    docs = [(["某局2023年政府信息公开工作年度报告", "一、总体情况", "全年主动公开信息12条。", "二、其他需要报告的事项", "无。"],
             ["preamble", "overview", "overview", "other", "other"]),
            (["一、总体情况", "本年度收到申请3件。", "二、存在的主要问题及改进情况", "公开不够及时。"],
             ["overview", "overview", "problems", "problems"])] * 3
    return SectionModel(max_iterations=30).fit(docs, tmp_path / "sections")


def test_compiled_crf_matches_crfsuite(tmp_path):
    model = _tiny_section_model(tmp_path)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "sections" / "sections.crfsuite"))
    text = "一、总体情况\n本年度收到申请5件，主动公开信息8条。\n二、存在的主要问题及改进情况\n人员不足。\n三、其他需要报告的事项"
    bounds = text_lines(text)
    cues, bag = line_keys(text, bounds)
    tagger.set([a + b for a, b in zip(key_strings(cues), key_strings(bag))])
    expected = tagger.tag()
    marginals = [tagger.marginal(y, i) for i, y in enumerate(expected)]
    got = model._predict(text, bounds)
    assert [y for y, _ in got] == expected
    assert np.allclose([m for _, m in got], marginals, atol=1e-4)


def test_weights_file_round_trip_without_pickle(tmp_path):
    model = _tiny_section_model(tmp_path)
    again = CompiledCRF.from_disk(tmp_path / "sections" / "weights.npz")
    assert again.labels == model.crf_.labels
    assert np.array_equal(again.keys, model.crf_.keys)
    with np.load(tmp_path / "sections" / "weights.npz", allow_pickle=False) as z:
        assert set(z.files) == {"labels", "keys", "weights", "transitions"}


def test_unknown_keys_score_nothing():
    crf = CompiledCRF(["O", "B-X"], np.array([key(1, 5)], dtype=np.uint64), np.array([[0.0, 2.0]]), np.zeros((2, 2)))
    e = crf.emissions(np.array([[key(1, 5), key(1, 6), 0]], dtype=np.uint64))
    assert e.tolist() == [[0.0, 2.0]]


def test_bio_constrained_decoding_never_starts_inside_another_type():
    labels = ["O", "B-A", "I-A", "B-B", "I-B"]
    # emissions that favour B-A then I-B: unconstrained Viterbi would take the invalid path
    emissions = np.array([[0, 5, 0, 0, 0], [0, 0, 0, 0, 5.0]])
    free = CompiledCRF(labels, np.zeros(0, dtype=np.uint64), np.zeros((0, 5)), np.zeros((5, 5)))
    assert free.decode(emissions, np.array([0, 2]))[0].tolist() == [1, 4]
    constrained = free.restrict(bio_allowed(labels))
    path = constrained.decode(emissions, np.array([0, 2]))[0].tolist()
    assert path != [1, 4] and not (labels[path[1]].startswith("I-") and labels[path[1]][2:] != labels[path[0]][2:])


def test_span_start_marginals_equal_full_marginals():
    rng = np.random.default_rng(0)
    labels = ["O", "B-A", "I-A"]
    crf = CompiledCRF(labels, np.zeros(0, dtype=np.uint64), np.zeros((0, 3)), rng.normal(size=(3, 3)))
    emissions = rng.normal(size=(12, 3)) * 3
    bounds = np.array([0, 5, 12])
    labels_full, full = crf.decode(emissions, bounds)
    labels_starts, starts = crf.decode(emissions, bounds, outside="O")
    assert labels_full.tolist() == labels_starts.tolist()
    for t in range(12):
        if starts[t]:
            assert starts[t] == pytest.approx(full[t])


def test_fast_numeral_reading_equals_the_general_path():
    n = 0
    for split in ("train", "dev", "test"):
        for doc in load_jsonl(DATA / f"{split}.jsonl"):
            for q in doc.quantities:
                span = doc.text[q.start:q.end]
                text = _clean(span)
                if not _SIMPLE.fullmatch(text):
                    continue
                n += 1
                general = _normalize_clean(text, span)
                assert normalize(span) == general
                simple = read_simple(span)
                if simple is not None:
                    assert simple == (general.number, general.unit) and type(simple[0]) is type(general.number)
    assert n > 1000
    with pytest.raises(NormalizationError):
        _normalize_clean("12", "12")


def test_feature_text_table_equals_translate():
    text = "臺灣省（二〇二三年）：ＡＢＣ１２３，资料　𠀋\n"
    assert feature_text(text) == text.translate(_table())
    assert feature_text("") == ""


def test_compiled_keyword_scan_equals_the_regex():
    for doc in load_jsonl(DATA / "dev.jsonl")[:10]:
        df = qt.DocFeatures(doc.text)
        ref = [(m.end() - 1, qt._KEYWORD_GROUP[m.group(0)]) for m in qt._KEYWORD_RE.finditer(df.norm)]
        assert list(zip(df.kw_ends.tolist(), df.kw_groups.tolist())) == ref


def test_windows_cover_every_gold_quantity():
    missed = total = 0
    for doc in load_jsonl(DATA / "dev.jsonl"):
        lines = text_lines(doc.text)
        codes = qt.DocFeatures(doc.text).codes
        windows = qt.candidate_windows(codes, [s for s, _ in lines], [e for _, e in lines]).tolist()
        for q in doc.quantities:
            total += 1
            missed += not any(a <= q.start and q.end <= b for a, b, _ in windows)
    assert total > 100 and missed / total < 0.01


def test_windows_start_at_qualifier_words_and_stop_at_punctuation():
    text = "共受理超过120件，其中约3件"
    codes = qt.DocFeatures(text).codes
    windows = [(a, b) for a, b, _ in qt.candidate_windows(codes, [0], [len(text)]).tolist()]
    assert (text.index("超过"), text.index("，")) in windows
    assert any(text[a:b].startswith("约3件") for a, b in windows)
    assert all(re.search(r"[0-9]", text[a:b]) for a, b in windows)
