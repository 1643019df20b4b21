"""The spaCy pipeline: a character tokenizer and the components that tag sections and quantities.

Every character is one token, so spans over the ``Doc`` are exactly character offsets into the
reader's text. Components:

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
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .baselines import HeadingRuleSectioner, RegexQuantityFinder

for _name in ("type", "value", "unit", "qualifier", "score"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class CharTokenizer:
    """One token per character, no whitespace attached: ``doc.text == text`` and token i = char i."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = list(text)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data["gongkai_text"] = text   # Doc.text is rebuilt from the tokens at every access
        return doc

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self


@spacy.registry.tokenizers("gongkai.char_tokenizer.v1")
def create_char_tokenizer():
    def make(nlp):
        return CharTokenizer(nlp.vocab)

    return make


def doc_text(doc: Doc) -> str:
    """The Doc's text, kept by the character tokenizer (Doc.text would rebuild it from every token)."""
    text = doc.user_data.get("gongkai_text")
    if text is None:
        text = doc.user_data["gongkai_text"] = doc.text
    return text


def _span(doc: Doc, start: int, end: int, label: str) -> Span:
    # One token per character: token offsets are character offsets, no alignment search needed.
    if len(doc) == len(doc_text(doc)):
        return Span(doc, start, end, label=label)
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def _set_sections(doc: Doc, paragraphs: list[dict]) -> None:
    spans = []
    for p in paragraphs:
        span = _span(doc, p["start"], p["end"], p["section"])
        if span is not None:
            span._.score = p.get("score")
            spans.append(span)
    doc.spans["sections"] = spans


def _set_quantities(doc: Doc, quantities: list[dict]) -> None:
    spans = []
    for q in quantities:
        span = _span(doc, q["start"], q["end"], q["type"])
        if span is None:
            continue
        span._.type = q["type"]
        span._.value = q.get("value")
        span._.unit = q.get("unit")
        span._.qualifier = q.get("qualifier")
        span._.score = q.get("score")
        spans.append(span)
    doc.spans["quantities"] = spans


def doc_paragraphs(doc: Doc) -> list[dict]:
    return [{"start": s.start_char, "end": s.end_char, "section": s.label_, "score": s._.score}
            for s in doc.spans.get("sections", [])]


def doc_quantities(doc: Doc) -> list[dict]:
    return [{"start": s.start_char, "end": s.end_char, "text": s.text, "type": s._.type or s.label_,
             "value": s._.value, "unit": s._.unit, "qualifier": s._.qualifier, "score": s._.score}
            for s in doc.spans.get("quantities", [])]


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
        _set_sections(doc, self.model.predict_text(doc_text(doc)))
        return doc


class QuantitiesComponent(_ModelComponent):
    def __call__(self, doc: Doc) -> Doc:
        self._require()
        paragraphs = doc_paragraphs(doc) if "sections" in doc.spans else None
        _set_quantities(doc, self.model.predict_text(doc_text(doc), paragraphs))
        return doc


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
        _set_sections(doc, self.rules.predict(doc_text(doc)))
        return doc


class RegexQuantitiesComponent:
    def __init__(self, nlp, name):
        self.rules = RegexQuantityFinder()

    def __call__(self, doc: Doc) -> Doc:
        _set_quantities(doc, self.rules.predict(doc_text(doc)))
        return doc


@Language.factory("gongkai_heading_sections")
def make_heading_sections(nlp: Language, name: str):
    return HeadingSectionsComponent(nlp, name)


@Language.factory("gongkai_regex_quantities")
def make_regex_quantities(nlp: Language, name: str):
    return RegexQuantitiesComponent(nlp, name)


def blank() -> Language:
    """An empty gongkai pipeline: the character tokenizer and nothing else."""
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "gongkai.char_tokenizer.v1"}}})
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


def predict_record(nlp: Language, report) -> dict:
    """Run the pipeline on one report and return the prediction contract's record."""
    doc = nlp(report.text)
    text = report.text
    paragraphs = doc_paragraphs(doc)
    quantities = doc_quantities(doc)
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
