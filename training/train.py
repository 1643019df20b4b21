"""Training entry points for the section model and the quantity tagger (``gongkai train …``)."""

from __future__ import annotations

import json
import platform
import random
import time
from pathlib import Path

from gongkai.scheme import AnnotatedDoc

from .augment import quantity_variants, section_variants
from .corpus import data_hash, load_split

SEED = 13


def section_examples(docs: list[AnnotatedDoc], augment: bool = True, seed: int = SEED):
    rng = random.Random(seed)
    out = []
    for doc in docs:
        lines = [doc.text[l.start:l.end] for l in doc.lines]
        labels = [l.section for l in doc.lines]
        if augment:
            out.extend(section_variants(lines, labels, rng, meta=doc.meta))
        else:
            keep = [(x, y) for x, y in zip(lines, labels) if y != "?"]
            if keep:
                out.append(([k[0] for k in keep], [k[1] for k in keep]))
    return out


def quantity_examples(docs: list[AnnotatedDoc], augment: bool = True, seed: int = SEED):
    rng = random.Random(seed)
    out = []
    for doc in docs:
        for line in doc.lines:
            text = doc.text[line.start:line.end]
            spans = [(q.start - line.start, q.end - line.start, q.type) for q in doc.quantities
                     if line.start <= q.start and q.end <= line.end]
            section = line.section if line.section != "?" else None
            out.append((text, section, spans))
            if augment:
                for noisy, moved in quantity_variants(text, spans, rng):
                    out.append((noisy, section, moved))
    return out


def _versions() -> dict:
    import pycrfsuite  # noqa: F401
    import sklearn
    import spacy

    import gongkai

    try:
        from importlib.metadata import version
        crf = version("python-crfsuite")
    except Exception:  # pragma: no cover
        crf = "unknown"
    import numba

    return {"gongkai": gongkai.__version__, "python": platform.python_version(), "python-crfsuite": crf,
            "numba": numba.__version__, "spacy": spacy.__version__, "scikit-learn": sklearn.__version__}


def _training_docs(data_dir: Path, splits: tuple[str, ...]) -> list[AnnotatedDoc]:
    if "test" in splits:
        raise ValueError("the test split is never trained on")
    return [d for s in splits for d in load_split(data_dir, s)]


def _train(model_cls, examples_fn, data_dir, out_dir, augment: bool, splits: tuple[str, ...]) -> dict:
    """Train one model on the given splits and write its ``training.json`` beside it."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    train = _training_docs(data_dir, splits)
    t0 = time.time()
    model_cls().fit(examples_fn(train, augment=augment), out_dir)
    card = {"model": model_cls.component, "trained_on": "+".join(splits), "documents": len(train),
            "data_hash": data_hash([data_dir / f"{s}.jsonl" for s in splits]), "seed": SEED, "augment": augment,
            "training_seconds": round(time.time() - t0, 1), "versions": _versions()}
    (out_dir / "training.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    return card


def train_sections(data_dir, out_dir, augment: bool = True, splits: tuple[str, ...] = ("train", "dev")) -> dict:
    from gongkai.sections.model import SectionModel

    return _train(SectionModel, section_examples, data_dir, out_dir, augment, splits)


def train_quantities(data_dir, out_dir, augment: bool = True, splits: tuple[str, ...] = ("train", "dev")) -> dict:
    from gongkai.quantities.tagger import QuantityTagger

    return _train(QuantityTagger, quantity_examples, data_dir, out_dir, augment, splits)
