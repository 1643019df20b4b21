"""Quantity tagger comparison: the character CRF against spaCy's NER over character tokens.

    python -m gongkai.training.compare_taggers [--epochs 10] [--out evaluation/tagger_comparison.json]

Both are trained on the same lines of the train + dev splits (spaCy: lines that hold a numeral,
character tokens, the ten types as entity labels) and scored on the test split with the same
metrics, their spans going through the same normaliser and filters; speed is characters per
second of tagging on the test split, measured in the same process.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

from gongkai.evaluation.metrics import Prediction, evaluate
from gongkai.quantities.tagger import QuantityTagger, finish_quantity, split_joined
from gongkai.scheme import text_lines
from gongkai.structure import is_table_row

from .corpus import load_split
from .train import quantity_examples

_NUMERAL = re.compile(r"[0-9０-９零〇一二两兩三四五六七八九十百千万萬亿億]")


def _char_pipeline():
    """A blank pipeline with one token per character: what spaCy's NER is compared on (the gongkai
    pipeline itself cuts tokens at lines and spans)."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("xx")
    nlp.tokenizer = lambda text: Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    return nlp


def _spacy_examples(nlp, lines):
    from spacy.training import Example

    out = []
    for text, _section, spans in lines:
        if not text or not _NUMERAL.search(text):
            continue
        doc = nlp.make_doc(text)
        ents = [(s, e, t) for s, e, t in spans]
        out.append(Example.from_dict(doc, {"entities": ents}))
    return out


def train_spacy_ner(lines, epochs: int, seed: int = 13):
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = _char_pipeline()
    ner = nlp.add_pipe("ner")
    for t in ("HOTLINE", "SATISFACTION", "RATE", "MONEY", "PUBLISHED", "REQUESTS", "APPEALS", "TRAINING", "SERVICE", "COUNT"):
        ner.add_label(t)
    examples = _spacy_examples(nlp, lines)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.1)
        print(f"  spaCy NER epoch {epoch + 1}/{epochs}: loss {losses.get('ner', 0):.1f}", flush=True)
    del spacy
    return nlp


def spacy_predict(nlp, text: str) -> list[dict]:
    out = []
    for s, e in text_lines(text):
        line = text[s:e]
        if not _NUMERAL.search(line) or is_table_row(line):
            continue
        for ent in nlp(line).ents:
            for a, b in split_joined(text, s + ent.start_char, s + ent.end_char):
                q = finish_quantity(text, a, b, ent.label_)
                if q is not None:
                    out.append(q)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Compare the CRF quantity tagger with spaCy NER on character tokens.")
    ap.add_argument("--data", default="data")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--out", default="evaluation/tagger_comparison.json")
    args = ap.parse_args(argv)
    data = Path(args.data)
    train = [d for s in ("train", "dev") for d in load_split(data, s)]
    test = load_split(data, "test")
    lines = quantity_examples(train, augment=False)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.time()
        crf = QuantityTagger().fit(quantity_examples(train, augment=False), Path(tmp) / "crf")
        crf_train = time.time() - t0
        t0 = time.process_time()
        preds = {d.id: Prediction(d.id, [], crf.predict_text(d.text)) for d in test}
        crf_cpu = time.process_time() - t0
        results["crf"] = {"metrics": evaluate(test, preds), "train_seconds": crf_train, "tag_cpu_seconds": crf_cpu}
    t0 = time.time()
    ner = train_spacy_ner(lines, args.epochs)
    ner_train = time.time() - t0
    t0 = time.process_time()
    preds = {d.id: Prediction(d.id, [], spacy_predict(ner, d.text)) for d in test}
    ner_cpu = time.process_time() - t0
    results["spacy_ner"] = {"metrics": evaluate(test, preds), "train_seconds": ner_train, "tag_cpu_seconds": ner_cpu}
    chars = sum(len(d.text) for d in test)
    summary = {}
    for name, r in results.items():
        m = r["metrics"]
        summary[name] = {"span_f1": m["span_f1"], "typed_f1": m["typed_f1"], "overlap_f1": m["overlap_f1"],
                         "value_accuracy": m["value_accuracy"], "train_seconds": round(r["train_seconds"], 1),
                         "chars_per_s": round(chars / r["tag_cpu_seconds"])}
    summary["note"] = ("same training lines (train+dev, no augmentation), test split, same normaliser and filters; "
                       f"spaCy NER: blank pipeline with character tokens, {args.epochs} epochs, default ner model")
    Path(args.out).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
