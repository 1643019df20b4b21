from pathlib import Path

import pytest

from gongkai.scheme import validate
from gongkai.training.corpus import SPLITS, load_corpus, load_split, source_to_doc
from gongkai.training.labelstudio import export_tasks, import_tasks
from gongkai.training.markup import MarkupError, parse_markup

DATA = Path(__file__).resolve().parents[2] / "data"

SOURCE = """#! id: t1
#! era: 2019
#! level: county
#! issuer: 某县人民政府
#! year: 2020
#! kind: full
@preamble
某县2020年政府信息公开工作年度报告
@overview
一、总体情况
全年主动公开政府信息⟦1,204条|PUBLISHED⟧，约占⟦93%|RATE|93|%|about⟧，培训⟦180余人次|TRAINING⟧。
@noise
打印本页
"""


def test_markup_converts_with_normalised_values(tmp_path):
    p = tmp_path / "t1.txt"
    p.write_text(SOURCE, encoding="utf-8")
    doc = source_to_doc(p)
    assert doc.text.splitlines()[0] == "某县2020年政府信息公开工作年度报告"
    assert [l.section for l in doc.lines] == ["preamble", "overview", "overview", "noise"]
    spans = [(doc.text[q.start:q.end], q.type, q.value, q.unit, q.qualifier) for q in doc.quantities]
    assert spans == [("1,204条", "PUBLISHED", 1204, "条", "exact"), ("93%", "RATE", 93, "%", "about"),
                     ("180余人次", "TRAINING", 180, "人次", "over")]
    assert validate(doc) == []


@pytest.mark.parametrize("bad,msg", [
    ("@overview\n全年⟦12条|PUBLISHD⟧", "unknown quantity type"),
    ("@overvew\n正文", "unknown section"),
    ("正文", "before any @section"),
    ("@overview\n全年⟦12条|PUBLISHED", "unbalanced"),
])
def test_markup_errors_name_the_problem(bad, msg):
    header = "#! id: x\n#! era: 2019\n#! level: city\n#! issuer: 某市\n#! year: 2020\n#! kind: full\n"
    with pytest.raises(MarkupError, match=msg):
        parse_markup(header + bad, name="x.txt")


def test_shipped_corpus_is_valid_and_split_by_issuer_and_year():
    splits = {s: load_split(DATA, s) for s in SPLITS}
    assert sum(len(v) for v in splits.values()) >= 105
    for docs in splits.values():
        for doc in docs:
            assert validate(doc) == [], doc.id
    trained = splits["train"] + splits["dev"]   # the shipped models train on both
    train_issuers = {d.meta["issuer"] for d in trained}
    train_years = {d.meta["year"] for d in trained}
    for doc in splits["test"]:
        assert doc.meta["issuer"] not in train_issuers
        assert doc.meta["year"] not in train_years
    ids = [d.id for v in splits.values() for d in v]
    assert len(ids) == len(set(ids))


def test_corpus_loads_as_datasetdict():
    ds = load_corpus(DATA)
    assert set(ds.keys()) == set(SPLITS)
    row = ds["train"][0]
    assert {"id", "text", "lines", "quantities", "era", "level", "issuer", "year"} <= set(row)
    assert row["lines"][0]["section"]


def test_labelstudio_round_trip():
    docs = load_split(DATA, "test")[:5]
    back = import_tasks(export_tasks(docs))
    for a, b in zip(docs, back):
        assert a.text == b.text
        assert [(l.start, l.end, l.section) for l in a.lines] == [(l.start, l.end, l.section) for l in b.lines]
        assert [(q.start, q.end, q.type, q.value, q.unit, q.qualifier) for q in a.quantities] == \
               [(q.start, q.end, q.type, q.value, q.unit, q.qualifier) for q in b.quantities]


def test_augmentation_moves_spans_with_their_text():
    import random

    from gongkai.training.augment import quantity_variants

    text = "全年公开信息1234条，满意率99%"
    spans = [(6, 11, "PUBLISHED"), (15, 18, "SATISFACTION")]
    rng = random.Random(3)
    for _ in range(20):
        for noisy, moved in quantity_variants(text, spans, rng):
            got = [noisy[s:e].replace(" ", "") for s, e, _ in moved]
            assert [g.translate({0xFF10 + i: str(i) for i in range(10)}).replace("％", "%") for g in got] == ["1234条", "99%"]
            assert all(noisy[s] != " " and noisy[e - 1] != " " for s, e, _ in moved)
