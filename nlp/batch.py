"""Batch prediction: many report files in, one output out, every input accounted for.

Each input file becomes one or more output records, or an error record naming the file and the
cause. Work runs in ``workers`` processes that load the models once each; results are written in
input order, so the same inputs and models give byte-identical output. Re-running the same command
skips reports already written (same content hash and model version), so a killed run resumes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

from .readers import ReportError, read_reports

_NLP = None
_SKIP: set = set()   # (id, content hash) already in the output: set once per worker, not per task
# Annual reports run to tens of thousands of characters; far beyond this is not one report.
MAX_REPORT_CHARS = 2_000_000


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _init_worker(model, sections, quantities, skip=frozenset()):
    global _NLP, _SKIP
    from .pipeline import load

    _NLP = load(model, sections=sections, quantities=quantities)
    _SKIP = skip


def _process_path(path) -> list[dict]:
    """Read one input file and predict every report in it; errors become error records."""
    skip = _SKIP
    from .pipeline import predict_record
    from .extract import report_metadata

    out = []
    try:
        for report in read_reports(path):
            if len(report.text) > MAX_REPORT_CHARS:
                out.append({"id": report.id, "source": report.source,
                            "error": f"{report.source}: text of {len(report.text)} characters is longer than the "
                                     f"{MAX_REPORT_CHARS} a report can have; split the file"})
                continue
            h = content_hash(report.text)
            if (report.id, h) in skip:
                out.append({"skipped": True, "id": report.id})
                continue
            try:
                record = predict_record(_NLP, report)
            except Exception as exc:  # a model failure on one report must not stop the batch
                out.append({"id": report.id, "source": report.source, "error": f"{report.source}: prediction failed ({type(exc).__name__}: {exc})"})
                continue
            record["content_hash"] = h
            record.update(report_metadata(report.text))
            out.append(record)
    except ReportError as exc:
        out.append({"id": Path(path).stem, "source": str(path), "error": str(exc)})
    except Exception as exc:  # never a traceback for one bad file
        out.append({"id": Path(path).stem, "source": str(path), "error": f"{path}: unexpected {type(exc).__name__}: {exc}"})
    return out


class Progress:
    """A tqdm bar on a terminal, plain periodic lines otherwise, nothing when quiet."""

    def __init__(self, total: int, quiet: bool = False, every: float = 10.0):
        self.total, self.quiet, self.every = total, quiet, every
        self.done = self.errors = 0
        self.start = self.last = time.time()
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr)

    def update(self, errors: int = 0):
        self.done += 1
        self.errors += errors
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.set_postfix(errors=self.errors)
            self.bar.update(1)
            return
        now = time.time()
        if now - self.last >= self.every or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.start, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0
            print(f"{self.done}/{self.total} files, {rate:.1f}/s, ETA {eta:.0f}s, {self.errors} errors", file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _existing(output: Path, model_version: str) -> set[tuple[str, str]]:
    """(id, content hash) of reports already written by the same models."""
    from .stores import store_for

    return store_for(output).done(model_version)


def _ray_results(jobs, workers: int, model, sections, quantities, address: str | None, skip) -> Iterator[list[dict]]:
    """The same per-file work on Ray Data, one pipeline per actor; results come back in input order."""
    try:
        import ray
    except ImportError:
        raise RuntimeError("--engine ray needs Ray: pip install 'gongkai[ray]'") from None
    import numpy as np

    ray.init(address=address, ignore_reinit_error=True, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    class Predictor:
        def __init__(self, model, sections, quantities, skip):
            _init_worker(model, sections, quantities, skip)

        def __call__(self, batch):
            out = [json.dumps(_process_path(p), ensure_ascii=False) for p in batch["path"]]
            return {"order": batch["order"], "records": np.array(out, dtype=object)}

    ds = ray.data.from_items([{"path": p, "order": i} for i, p in enumerate(jobs)])
    mapped = ds.map_batches(Predictor, batch_size=4, concurrency=max(1, workers),
                            fn_constructor_kwargs={"model": None if model is None else str(model), "sections": sections,
                                                   "quantities": quantities, "skip": skip})
    pending: dict[int, list[dict]] = {}
    nxt = 0
    for row in mapped.iter_rows():
        pending[int(row["order"])] = json.loads(row["records"])
        while nxt in pending:  # write in input order so output is deterministic
            yield pending.pop(nxt)
            nxt += 1


def run_batch(nlp, paths: list[Path], output, quiet: bool = False, workers: int = 1,
              model=None, sections: str = "model", quantities: str = "model",
              engine: str = "local", ray_address: str | None = None) -> dict:
    """Predict every report under ``paths`` into ``output``; returns counts."""
    from .stores import store_for

    global _NLP, _SKIP
    output = Path(output)
    model_version = json.dumps(nlp.meta.get("gongkai_models", {}), sort_keys=True) + f"|{sections}|{quantities}"
    store = store_for(output)
    skip = store.done(model_version)
    store.open(model_version)
    progress = Progress(len(paths), quiet=quiet)
    counts = {"files": len(paths), "reports": 0, "errors": 0, "skipped": 0}
    jobs = [str(p) for p in paths]
    pool = None
    try:
        if engine == "ray":
            results: Iterable[list[dict]] = _ray_results(jobs, workers, model, sections, quantities, ray_address, skip)
        elif workers <= 1:
            _NLP, _SKIP = nlp, skip
            results = map(_process_path, jobs)
        else:
            import multiprocessing as mp

            ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
            pool = ctx.Pool(workers, initializer=_init_worker, initargs=(model, sections, quantities, frozenset(skip)))
            results = pool.imap(_process_path, jobs, chunksize=4)
        for records in results:
            errors = 0
            for rec in records:
                if rec.get("skipped"):
                    counts["skipped"] += 1
                elif "error" in rec:
                    errors += 1
                    store.write_error(rec)
                else:
                    counts["reports"] += 1
                    store.write(rec)
            store.commit()
            counts["errors"] += errors
            progress.update(errors)
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        progress.close()
        store.close()
    return counts
