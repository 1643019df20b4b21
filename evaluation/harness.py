"""The one path through which every model, baseline and peer is scored."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from gongkai.scheme import AnnotatedDoc

from .metrics import HEADLINE, Prediction, evaluate


def run_pipeline(nlp, docs: list[AnnotatedDoc]) -> dict[str, Prediction]:
    from gongkai.pipeline import doc_paragraphs, doc_quantities

    preds = {}
    for doc in docs:
        d = nlp(doc.text)
        preds[doc.id] = Prediction(doc.id, doc_paragraphs(d), doc_quantities(d))
    return preds


def standard_systems(model_dir=None) -> dict:
    """The trained pipeline and the rule baselines, as named systems."""
    from gongkai.pipeline import load

    return {"gongkai": load(model_dir), "rules": load(model_dir, sections="rules", quantities="rules")}


def peer_predictions(docs: list[AnnotatedDoc]) -> dict[str, dict[str, Prediction]]:
    """Peers scored the same way when installed (optional extra ``peers``)."""
    from . import peers

    out = {}
    for name, fn in peers.available().items():
        out[name] = {d.id: Prediction(d.id, [], fn(d.text)) for d in docs}
    return out


def score_systems(gold: list[AnnotatedDoc], systems: dict, extra: dict[str, dict[str, Prediction]] | None = None) -> dict:
    results = {}
    for name, nlp in systems.items():
        t0 = time.perf_counter()
        preds = run_pipeline(nlp, gold)
        m = evaluate(gold, preds)
        m["seconds"] = round(time.perf_counter() - t0, 3)
        results[name] = m
    for name, preds in (extra or {}).items():
        results[name] = evaluate(gold, preds)
    return results


def cross_validate(docs: list[AnnotatedDoc], k: int = 5, seed: int = 13) -> dict:
    """Grouped K-fold by issuer: train both models on K-1 folds, score model and rules on the rest."""
    import random

    from gongkai.quantities.tagger import QuantityTagger
    from gongkai.sections.model import SectionModel
    from gongkai.training.train import quantity_examples, section_examples

    groups = sorted({str(d.meta.get("issuer", d.id)) for d in docs})
    random.Random(seed).shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    per_fold: dict[str, list[dict]] = {"gongkai": [], "rules": []}
    for fold in range(k):
        train = [d for d in docs if fold_of[str(d.meta.get("issuer", d.id))] != fold]
        test = [d for d in docs if fold_of[str(d.meta.get("issuer", d.id))] == fold]
        if not test or not train:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            SectionModel().fit(section_examples(train), Path(tmp) / "sections")
            QuantityTagger().fit(quantity_examples(train), Path(tmp) / "quantities")
            systems = standard_systems(tmp)
            res = score_systems(test, systems)
        for name in per_fold:
            per_fold[name].append({key: res[name][key] for key in HEADLINE})
    summary = {}
    for name, folds in per_fold.items():
        summary[name] = {}
        for key in HEADLINE:
            vals = [f[key] for f in folds if f[key] is not None]
            summary[name][key] = {"mean": statistics.mean(vals) if vals else None,
                                  "std": statistics.stdev(vals) if len(vals) > 1 else 0.0}
        summary[name]["folds"] = len(folds)
    return summary
