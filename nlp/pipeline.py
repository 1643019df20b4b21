"""The spaCy pipeline: a line tokenizer and the components that tag sections and quantities.

Tokens are segments of the reader's text, never changed or dropped (``doc.text == text``): each
line is a token, and so is each run of line breaks between lines. A component that finds spans
inside lines splits the line tokens at the span boundaries (and only there), so every span is
exactly its character offsets. Components:

- ``gongkai_sections``: the trained section model → ``doc.spans["sections"]`` (label = section,
  ``span._.score``);
- ``gongkai_quantities``: the trained quantity tagger → ``doc.spans["quantities"]`` (label = type,
  ``span._.type / value / unit / qualifier / score``);
- ``gongkai_heading_sections`` and ``gongkai_regex_quantities``: the rule baselines, selectable in
  their place.

>>> import gongkai
>>> nlp = gongkai.load()                                      # doctest: +SKIP
>>> doc = nlp("一、总体情况\\n全年主动公开政府信息1234条。")          # doctest: +SKIP
>>> [(s.label_, s._.value) for s in doc.spans["quantities"]]  # doctest: +SKIP
[('PUBLISHED', 1234)]
"""

from __future__ import annotations

import json
import shutil
from bisect import bisect_left
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .baselines import HeadingRuleSectioner, RegexQuantityFinder
from .scheme import SECTIONS, TYPES, text_lines

SPAN_ATTRS = ("type", "value", "unit", "qualifier", "score")
for _name in SPAN_ATTRS:
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

TEXT_KEY, LINES_KEY, BOUNDS_KEY = "gongkai_text", "gongkai_lines", "gongkai_bounds"
# The components' results as plain records, kept beside the span groups they made.
RECORDS_KEY = {"sections": "gongkai_paragraphs", "quantities": "gongkai_quantities"}


def _segment_doc(vocab: Vocab, text: str, bounds: list[int], lines=None, user_data=None) -> Doc:
    """A Doc whose tokens are ``text`` cut at the sorted character offsets ``bounds``."""
    starts = [0] + [b for b in bounds if 0 < b < len(text)] if text else []
    words = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    doc = Doc(vocab, words=words, spaces=[False] * len(words))
    if user_data:
        doc.user_data.update(user_data)
    doc.user_data[TEXT_KEY] = text   # Doc.text is rebuilt from the tokens at every access
    doc.user_data[BOUNDS_KEY] = starts   # each token's first character
    doc.user_data[LINES_KEY] = text_lines(text) if lines is None else lines
    return doc


class LineTokenizer:
    """One token per line and one per run of line breaks between lines: ``doc.text == text``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        lines = text_lines(text)
        bounds = sorted({x for s, e in lines for x in (s, e)})
        return _segment_doc(self.vocab, text, bounds, lines)

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self


@spacy.registry.tokenizers("gongkai.line_tokenizer.v1")
def create_line_tokenizer():
    def make(nlp):
        return LineTokenizer(nlp.vocab)

    return make


def doc_text(doc: Doc) -> str:
    """The Doc's text, kept by the tokenizer (Doc.text would rebuild it from every token)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_lines(doc: Doc) -> list[tuple[int, int]]:
    lines = doc.user_data.get(LINES_KEY)
    if lines is None:
        lines = doc.user_data[LINES_KEY] = text_lines(doc_text(doc))
    return lines


def _token_bounds(doc: Doc) -> list[int]:
    bounds = doc.user_data.get(BOUNDS_KEY)
    if bounds is None or len(bounds) != len(doc):
        bounds = doc.user_data[BOUNDS_KEY] = [t.idx for t in doc]
    return bounds


def _set_attr(doc: Doc, name: str, start: int, end: int, value) -> None:
    # What ``span._.name = value`` does (spaCy keeps span extensions in user_data under this key),
    # without building an Underscore object for every attribute of every span.
    doc.user_data[("._.", name, start, end)] = value


def _get_attr(doc: Doc, name: str, start: int, end: int):
    return doc.user_data.get(("._.", name, start, end))


def _aligned(doc: Doc, offsets) -> Doc:
    """``doc`` itself if every offset is a token boundary, else the same text re-cut so they all
    are (user data and span groups carried over)."""
    bounds = _token_bounds(doc)
    have = set(bounds)
    text = doc_text(doc)
    missing = {x for x in offsets if x not in have and 0 < x < len(text)}
    if not missing:
        return doc
    new = _segment_doc(doc.vocab, text, sorted(have | missing), doc_lines(doc), doc.user_data)
    for name, group in doc.spans.items():
        records = doc.user_data.get(RECORDS_KEY.get(name))
        if records is None or len(records) != len(group):  # a group someone else made: by its offsets
            records = [{"start": sp.start_char, "end": sp.end_char, "type": sp.label_} for sp in group]
        new.spans[name] = _spans(new, records)
    if doc.ents:
        new.ents = _spans(new, [{"start": e.start_char, "end": e.end_char, "type": e.label_} for e in doc.ents])
    return new


def _spans(doc: Doc, items: list[dict]) -> list[Span]:
    starts = _token_bounds(doc)
    n_chars = len(doc_text(doc))
    out = []
    for it in items:
        a = bisect_left(starts, it["start"])
        b = bisect_left(starts, it["end"]) if it["end"] < n_chars else len(starts)
        if a < b and starts[a] == it["start"] and (b == len(starts) or starts[b] == it["end"]):
            out.append(Span(doc, a, b, label=it.get("section") or it.get("type")))
    return out


def _paragraph_records(paragraphs: list[dict]) -> list[dict]:
    return [{"start": p["start"], "end": p["end"], "section": p["section"], "score": p.get("score")}
            for p in paragraphs]


def _quantity_records(text: str, quantities: list[dict]) -> list[dict]:
    return [{"start": q["start"], "end": q["end"], "text": text[q["start"]:q["end"]], "type": q["type"],
             "value": q.get("value"), "unit": q.get("unit"), "qualifier": q.get("qualifier"),
             "score": q.get("score")} for q in quantities]


def _set_sections(doc: Doc, paragraphs: list[dict]) -> Doc:
    paragraphs = _paragraph_records(paragraphs)
    doc = _aligned(doc, [x for p in paragraphs for x in (p["start"], p["end"])])
    for p in paragraphs:
        _set_attr(doc, "score", p["start"], p["end"], p.get("score"))
    doc.spans["sections"] = _spans(doc, paragraphs)
    doc.user_data[RECORDS_KEY["sections"]] = paragraphs
    return doc


def _set_quantities(doc: Doc, quantities: list[dict]) -> Doc:
    quantities = _quantity_records(doc_text(doc), quantities)
    doc = _aligned(doc, [x for q in quantities for x in (q["start"], q["end"])])
    for q in quantities:
        for name in SPAN_ATTRS:
            _set_attr(doc, name, q["start"], q["end"], q.get(name))
    doc.spans["quantities"] = _spans(doc, quantities)
    doc.user_data[RECORDS_KEY["quantities"]] = quantities
    return doc


def _records(doc: Doc, name: str) -> list[dict] | None:
    """The component's own records when its span group is still the one it made."""
    records = doc.user_data.get(RECORDS_KEY[name])
    group = doc.spans.get(name)
    if records is not None and group is not None and len(group) == len(records):
        return records
    return None


def doc_paragraphs(doc: Doc) -> list[dict]:
    records = _records(doc, "sections")
    if records is not None:
        return [dict(p) for p in records]
    return [{"start": s.start_char, "end": s.end_char, "section": s.label_,
             "score": _get_attr(doc, "score", s.start_char, s.end_char)}
            for s in doc.spans.get("sections", [])]


def doc_quantities(doc: Doc) -> list[dict]:
    records = _records(doc, "quantities")
    if records is not None:
        return [dict(q) for q in records]
    text = doc_text(doc)
    out = []
    for s in doc.spans.get("quantities", []):
        a, b = s.start_char, s.end_char
        q = {"start": a, "end": b, "text": text[a:b]}
        for name in SPAN_ATTRS:
            q[name] = _get_attr(doc, name, a, b)
        q["type"] = q["type"] or s.label_
        out.append(q)
    return out


class _ModelComponent:
    """Shared disk handling: the component's directory is the model directory."""

    model_cls = None
    name = ""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.model = None

    def _require(self):
        if self.model is None:
            raise RuntimeError(f"{self.name}: no model loaded; use gongkai.load() or component.from_disk(DIR)")

    def from_disk(self, path, exclude=tuple()):
        self.model = self.model_cls.from_disk(path)
        return self

    def to_disk(self, path, exclude=tuple()):
        self._require()
        src = Path(self.model.model_dir_)
        dst = Path(path)
        if src.resolve() == dst.resolve():
            return
        dst.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            if f.is_file():
                shutil.copy2(f, dst / f.name)


class SectionsComponent(_ModelComponent):
    def __call__(self, doc: Doc) -> Doc:
        self._require()
        return _set_sections(doc, self.model.predict_text(doc_text(doc), doc_lines(doc)))

    def records(self, text: str, lines, state: dict) -> None:
        """What ``__call__`` adds to a Doc, as records in ``state`` (the Doc-free path of predict_record)."""
        self._require()
        state["paragraphs"] = self.model.predict_text(text, lines)   # already records: start, end, section, score


class QuantitiesComponent(_ModelComponent):
    def __call__(self, doc: Doc) -> Doc:
        self._require()
        paragraphs = doc_paragraphs(doc) if "sections" in doc.spans else None
        return _set_quantities(doc, self.model.predict_text(doc_text(doc), paragraphs, doc_lines(doc)))

    def records(self, text: str, lines, state: dict) -> None:
        self._require()
        # already records: start, end, text, type, value, unit, qualifier, score
        state["quantities"] = self.model.predict_text(text, state.get("paragraphs"), lines)


def _section_model_cls():
    from .sections.model import SectionModel

    return SectionModel


def _quantity_model_cls():
    from .quantities.tagger import QuantityTagger

    return QuantityTagger


@Language.factory("gongkai_sections", default_config={})
def make_sections(nlp: Language, name: str):
    comp = SectionsComponent(nlp, name)
    comp.model_cls = _section_model_cls()
    return comp


@Language.factory("gongkai_quantities", default_config={})
def make_quantities(nlp: Language, name: str):
    comp = QuantitiesComponent(nlp, name)
    comp.model_cls = _quantity_model_cls()
    return comp


class HeadingSectionsComponent:
    def __init__(self, nlp, name):
        self.rules = HeadingRuleSectioner()

    def __call__(self, doc: Doc) -> Doc:
        return _set_sections(doc, self.rules.predict(doc_text(doc)))

    def records(self, text: str, lines, state: dict) -> None:
        state["paragraphs"] = _paragraph_records(self.rules.predict(text))


class RegexQuantitiesComponent:
    def __init__(self, nlp, name):
        self.rules = RegexQuantityFinder()

    def __call__(self, doc: Doc) -> Doc:
        return _set_quantities(doc, self.rules.predict(doc_text(doc)))

    def records(self, text: str, lines, state: dict) -> None:
        state["quantities"] = _quantity_records(text, self.rules.predict(text))


@Language.factory("gongkai_heading_sections")
def make_heading_sections(nlp: Language, name: str):
    return HeadingSectionsComponent(nlp, name)


@Language.factory("gongkai_regex_quantities")
def make_regex_quantities(nlp: Language, name: str):
    return RegexQuantitiesComponent(nlp, name)


def blank() -> Language:
    """An empty gongkai pipeline: the line tokenizer and nothing else."""
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "gongkai.line_tokenizer.v1"}}})
    # Tokens are whole lines: spaCy's lexical attributes (shape, like_url …) would be computed for every
    # new line and nothing here reads them.
    nlp.vocab.lex_attr_getters = {}
    for label in (*SECTIONS, *TYPES):
        nlp.vocab.strings.add(label)
    return nlp


def default_model_dir() -> Path:
    """Where the shipped models are: ``models/`` of the checkout (installed as ``gongkai.models``)."""
    from importlib.resources import files

    return Path(str(files("gongkai.models")))


def load(path=None, sections: str = "model", quantities: str = "model") -> Language:
    """The gongkai pipeline as a spaCy ``Language``.

    ``path``: a directory holding ``sections/`` and ``quantities/`` model directories (default: the
    shipped models). ``sections`` / ``quantities``: ``"model"`` for the trained component,
    ``"rules"`` for the baseline, ``"none"`` to leave it out.
    """
    base = Path(path) if path is not None else default_model_dir()
    nlp = blank()
    if sections == "model":
        nlp.add_pipe("gongkai_sections").from_disk(base / "sections")
    elif sections == "rules":
        nlp.add_pipe("gongkai_heading_sections")
    if quantities == "model":
        nlp.add_pipe("gongkai_quantities").from_disk(base / "quantities")
    elif quantities == "rules":
        nlp.add_pipe("gongkai_regex_quantities")
    nlp.meta["name"] = "gongkai"
    versions = {}
    for comp in ("sections", "quantities"):
        card = base / comp / "training.json"
        if card.exists():
            versions[comp] = json.loads(card.read_text(encoding="utf-8")).get("data_hash")
    nlp.meta["gongkai_models"] = versions
    return nlp


def clear_caches() -> None:
    """Empty the bounded caches of the pipeline (span readings, line shapes, heading words), for
    timings that start cold."""
    from .quantities.tagger import clear_caches as clear_quantity_caches
    from .sections.model import line_cues
    from .structure import heading_section, is_table_row

    clear_quantity_caches()
    line_cues.cache_clear()
    heading_section.cache_clear()
    is_table_row.cache_clear()


def analyse(nlp: Language, text: str) -> tuple[list[dict], list[dict]]:
    """Paragraph and quantity records of ``text``: what ``nlp(text)`` puts in ``doc.spans``.

    When every component of the pipeline is a gongkai component, they run on the text directly and
    no Doc is built (the batch path); otherwise the Doc is built and read.
    """
    if all(hasattr(proc, "records") for _, proc in nlp.pipeline):
        state: dict = {}
        lines = text_lines(text)
        for _, proc in nlp.pipeline:
            proc.records(text, lines, state)
        return state.get("paragraphs", []), state.get("quantities", [])
    # Every line is a token, so each report adds its lines to the vocabulary: a memory zone gives
    # them back once the records are read, and a batch of any size runs in constant memory.
    with nlp.memory_zone():
        doc = nlp(text)
        return doc_paragraphs(doc), doc_quantities(doc)


def predict_record(nlp: Language, report) -> dict:
    """Run the pipeline on one report and return the prediction contract's record."""
    text = report.text
    paragraphs, quantities = analyse(nlp, text)
    j = 0
    for q in quantities:  # paragraphs and quantities are both in text order
        while j < len(paragraphs) and paragraphs[j]["end"] <= q["start"]:
            j += 1
        q["section"] = paragraphs[j]["section"] if j < len(paragraphs) and paragraphs[j]["start"] <= q["start"] else None
        q["context"] = text[max(0, q["start"] - CONTEXT_CHARS):q["end"] + CONTEXT_CHARS].replace("\n", " ")
    from .tables.checks import check_tables
    from .tables.parser import parse_tables

    tables = parse_tables(text)
    checks = check_tables(text, tables, quantities)
    return {"id": report.id, "source": report.source, "format": report.format, "text_length": len(text),
            "paragraphs": paragraphs, "quantities": quantities,
            "tables": [t.to_dict() for t in tables], "checks": [c.to_dict() for c in checks]}


CONTEXT_CHARS = 20
