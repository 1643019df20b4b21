"""Speed benchmark (not a timed test): every system over the same documents in one process.

    python -m gongkai.evaluation.bench --data data/test.jsonl --repeat 5

prints lines/s and characters/s per core for the section model and the heading rules, the quantity
tagger and the regex finder, the whole pipeline, and jionlp's ``extract_money`` when installed, with
ratios measured in the same run, and the peak memory of the process. ``--only NAME`` runs one system
so that whole processes can be compared with an external timer.

The whole pipeline is timed two ways: ``pipeline`` is :func:`gongkai.pipeline.analyse` (sections,
quantities and values as records: what ``gongkai predict`` runs for every report) and
``pipeline_doc`` is ``nlp(text)``, which also builds the spaCy Doc with its span groups.

Whole-process check (any external timer): time ``--only NAME --repeat N`` and
``--only NAME --repeat N --skip-timed`` (the same start-up and warm-ups without the timed
documents); the difference is the timed documents' cost, comparable between systems.

Before every timed pass the pipeline's caches are emptied and refilled by running it over other
documents (``--warm``, the dev split): the timed pass sees the documents for the first time, as a
batch of new reports would, and never profits from having read the same text in an earlier pass.
As in ``timeit``, the garbage collector is off while a pass is timed (one process holds every
system, and a collection would scan all of their objects).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time

from gongkai.scheme import load_jsonl, text_lines


def _systems():
    from gongkai.baselines import HeadingRuleSectioner, RegexQuantityFinder
    from gongkai.pipeline import default_model_dir, load
    from gongkai.quantities.tagger import QuantityTagger
    from gongkai.sections.model import SectionModel

    from gongkai.pipeline import analyse

    base = default_model_dir()
    systems = {}
    sections = SectionModel.from_disk(base / "sections")
    quantities = QuantityTagger.from_disk(base / "quantities")
    heading = HeadingRuleSectioner()
    regex = RegexQuantityFinder()
    nlp = load()
    systems["sections_model"] = sections.predict_text
    systems["sections_rules"] = heading.predict
    systems["quantities_model"] = quantities.predict_text
    systems["quantities_regex"] = regex.predict
    systems["pipeline"] = lambda text: analyse(nlp, text)
    systems["pipeline_doc"] = nlp
    from .peers import available

    peers = available()
    if "jionlp" in peers:
        systems["jionlp_money"] = peers["jionlp"]
    return systems


def run(texts: list[str], repeat: int, only: str | None = None, warm: list[str] | None = None,
        skip_timed: bool = False) -> dict:
    from gongkai.pipeline import clear_caches

    systems = _systems()
    if only:
        systems = {only: systems[only]}
    warm = warm or texts[:3]
    if repeat <= 0:  # load every system and stop: the start-up cost, for whole-process timings
        return {"documents": len(texts), "repeat": 0, "systems": {}}
    n_lines = sum(len(text_lines(t)) for t in texts)
    n_chars = sum(len(t) for t in texts)
    out = {"documents": len(texts), "lines": n_lines, "characters": n_chars, "repeat": repeat, "systems": {}}
    for name, fn in systems.items():
        cpu = 0.0
        for _ in range(repeat):
            clear_caches()
            for t in warm:  # lazy imports, compiled code, and caches filled by other documents
                fn(t)
            gc.collect()
            if skip_timed:
                continue
            gc.disable()  # as timeit does: a collection scanning every system's objects is no one's cost
            t0 = time.process_time()
            for t in texts:
                fn(t)
            cpu += time.process_time() - t0
            gc.enable()
        if skip_timed:
            continue
        out["systems"][name] = {"cpu_seconds": round(cpu, 3), "lines_per_s": round(n_lines * repeat / cpu),
                                "chars_per_s": round(n_chars * repeat / cpu)}
    s = out["systems"]
    if "sections_model" in s and "sections_rules" in s:
        out["sections_model_vs_rules_speed"] = round(s["sections_model"]["lines_per_s"] / s["sections_rules"]["lines_per_s"], 3)
    if "pipeline" in s and "jionlp_money" in s:
        out["pipeline_vs_jionlp_speed"] = round(s["pipeline"]["chars_per_s"] / s["jionlp_money"]["chars_per_s"], 3)
    if "pipeline_doc" in s and "jionlp_money" in s:
        out["pipeline_doc_vs_jionlp_speed"] = round(s["pipeline_doc"]["chars_per_s"] / s["jionlp_money"]["chars_per_s"], 3)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def replicate(sample_dir, out_dir, n: int, vary: bool = True, seed: int = 0) -> int:
    """Copy the bundled sample round-robin into ``n`` report files (for batch benchmarks).

    ``vary``: every copy after the first round gets its digits redrawn (same length), so its lines
    with numbers are new text, as in a batch of different reports that share headings and
    boilerplate; no copy lets the pipeline's caches answer for a whole report.
    """
    import random
    import re
    from pathlib import Path

    rng = random.Random(seed)
    files = sorted(Path(sample_dir).glob("*.txt"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = files[i % len(files)]
        text = src.read_text(encoding="utf-8")
        if vary and i >= len(files):
            text = re.sub(r"[0-9]", lambda m: str(rng.randint(0, 9)), text)
        (out / f"{i:05d}_{src.name}").write_text(text, encoding="utf-8")
    return n


def main(argv=None):
    import sys

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "replicate":
        rp = argparse.ArgumentParser(description="Replicate the bundled sample into N report files.")
        rp.add_argument("--sample", default="data/sample")
        rp.add_argument("--n", type=int, default=1000)
        rp.add_argument("--out", required=True)
        rp.add_argument("--same", action="store_true", help="Exact copies (digits not redrawn).")
        a = rp.parse_args(argv[1:])
        print(replicate(a.sample, a.out, a.n, vary=not a.same), "files written to", a.out)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="data/test.jsonl")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default=None)
    ap.add_argument("--warm", default="data/dev.jsonl", help="Documents run (untimed) before every pass.")
    ap.add_argument("--skip-timed", action="store_true",
                    help="Do everything but the timed passes (start-up and warm-ups): subtracted from a whole-process "
                         "timing, what is left is the timed documents' cost.")
    args = ap.parse_args(argv)
    texts = [d.text for d in load_jsonl(args.data)]
    warm = [d.text for d in load_jsonl(args.warm)] if args.warm else None
    print(json.dumps(run(texts, args.repeat, args.only, warm, args.skip_timed), indent=1))


if __name__ == "__main__":
    main()
