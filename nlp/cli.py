"""The ``gongkai`` command: a thin Typer app; each command wraps an importable function.

Heavy imports happen inside the commands so that ``gongkai --help`` is instant.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="gongkai (公开): government information disclosure annual reports → structured, checked data.")
data_app = typer.Typer(no_args_is_help=True, help="Corpus tools: build, validate, stats, Label Studio.")
train_app = typer.Typer(no_args_is_help=True, help="Train the section and quantity models.")
app.add_typer(data_app, name="data")
app.add_typer(train_app, name="train")


def _fail(message: str, code: int = 1):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def expand_inputs(inputs: List[Path]) -> list[Path]:
    """Files as given; directories walked for supported report files, in a stable order."""
    from .readers import SUPPORTED_SUFFIXES

    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            out.append(p)
    return out


@app.command("read")
def read_cmd(inputs: List[Path] = typer.Argument(..., help="Report files or directories."),
             output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write {id, source, format, text} JSONL here.")):
    """Read reports of any supported format and print (or write) their text."""
    from .readers import ReportError, read_reports

    failed = 0
    out = open(output, "w", encoding="utf-8") if output else None
    try:
        for path in expand_inputs(inputs):
            try:
                for report in read_reports(path):
                    if out:
                        out.write(json.dumps({"id": report.id, "source": report.source, "format": report.format,
                                              "text": report.text}, ensure_ascii=False) + "\n")
                    else:
                        lines = [l for l in report.text.splitlines() if l.strip()]
                        typer.echo(f"{report.source}\t{report.format}\t{len(report.text)} chars\t{len(lines)} lines\t{lines[0][:40] if lines else ''}")
            except ReportError as exc:
                failed += 1
                typer.echo(f"error: {exc}", err=True)
    finally:
        if out:
            out.close()
    if failed:
        raise typer.Exit(1)


@app.command("check")
def check_cmd(inputs: List[Path] = typer.Argument(..., help="Report files or directories."),
              model: Optional[Path] = typer.Option(None, "--model", help="Model directory (default: shipped models)."),
              show_passed: bool = typer.Option(False, "--passed", help="Also list the checks that pass."),
              html_out: Optional[Path] = typer.Option(None, "--html", help="Also write the tables and checks as an HTML review.")):
    """Read each report's statistical tables and print a verdict: what was read, which checks fail and where."""
    from .pipeline import predict_record
    from .readers import ReportError, read_reports
    from .tables.template import TABLE_NAMES

    nlp = _load_pipeline(model)
    failed_files = 0
    records = []
    for path in expand_inputs(inputs):
        try:
            reports = list(read_reports(path))
        except ReportError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed_files += 1
            continue
        for report in reports:
            rec = predict_record(nlp, report)
            records.append(rec)
            text = report.text
            line_of = lambda off: text.count("\n", 0, off) + 1 if off is not None else "?"
            fails = [c for c in rec["checks"] if c["status"] == "fail"]
            counts = {s: sum(1 for c in rec["checks"] if c["status"] == s) for s in ("pass", "fail", "skipped")}
            verdict = "INCONSISTENT" if fails else ("CONSISTENT" if counts["pass"] else "NOT CHECKED")
            typer.echo(f"== {report.source}: {verdict} — {counts['pass']} pass, {counts['fail']} fail, {counts['skipped']} skipped")
            if not rec["tables"]:
                typer.echo("   no standard statistical table found")
            for t in rec["tables"]:
                state = "read" if t["confident"] else "read with problems"
                typer.echo(f"   table {TABLE_NAMES[t['table']]} ({t['version'] or '-'}): {len(t['cells'])} cells, {state}")
                for p in t["problems"]:
                    typer.echo(f"      ! {p}")
            for c in rec["checks"]:
                if c["status"] == "fail" or (show_passed and c["status"] == "pass"):
                    where = ", ".join(f"{x['row']}/{x['column']}={x['value']} (line {line_of(x['start'])})" for x in c["cells"][:6])
                    typer.echo(f"   {c['status'].upper()} {c['description']}: {c['left']:g} vs {c['right']:g} — {where}")
    if html_out:
        from gongkai.evaluation.report import render_tables

        html_out.write_text(render_tables(records), encoding="utf-8")
    if failed_files:
        raise typer.Exit(1)


@data_app.command("validate")
def validate_cmd(paths: List[Path] = typer.Argument(..., help="Annotated JSONL files or directories of them.")):
    """Check annotated files against the scheme; print every problem with document id and offset."""
    from .scheme import validate
    from .scheme import iter_jsonl

    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    if not files:
        _fail("no .jsonl files given")
    total_docs = total_problems = 0
    for f in files:
        try:
            docs = list(iter_jsonl(f))
        except (OSError, ValueError) as exc:
            typer.echo(f"{f}: {exc}", err=True)
            total_problems += 1
            continue
        for doc in docs:
            total_docs += 1
            for problem in validate(doc):
                total_problems += 1
                typer.echo(f"{f}: {problem}")
    typer.echo(f"{total_docs} documents in {len(files)} files, {total_problems} problems")
    if total_problems:
        raise typer.Exit(1)


@data_app.command("build")
def build_cmd(source: Path = typer.Option(Path("data/source"), help="Markup sources (data/source/MARKUP.md)."),
              output: Path = typer.Option(Path("data"), "-o", "--output", help="Where train/dev/test.jsonl go.")):
    """Convert the markup sources into the scheme's JSONL and split them by issuer and year."""
    from gongkai.training.corpus import CorpusError, write_corpus

    try:
        counts = write_corpus(source, output)
    except CorpusError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    typer.echo(" ".join(f"{k}={v}" for k, v in counts.items()))


@data_app.command("stats")
def stats_cmd(data: Path = typer.Argument(Path("data"), help="Directory with train/dev/test.jsonl."),
              as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Counts by section label, quantity type, era, level and split."""
    from gongkai.training.corpus import HELD_BACK, SPLITS, corpus_stats, load_split

    docs = [d for s in SPLITS for d in load_split(data, s)]
    if (data / f"{HELD_BACK}.jsonl").exists():
        docs += load_split(data, HELD_BACK)
    stats = corpus_stats(docs)
    if as_json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    typer.echo(f"documents: {stats['documents']}  characters: {stats['characters']}")
    for key in ("split", "era", "level", "kind"):
        typer.echo(f"{key}: " + ", ".join(f"{k} {v}" for k, v in sorted(stats[key].items())))
    typer.echo("section: lines / documents")
    for label, n in stats["lines"].items():
        typer.echo(f"  {label:13s} {n:6d} / {stats['documents_with_section'].get(label, 0)}")
    typer.echo("quantity type: count")
    for t, n in stats["quantities"].items():
        typer.echo(f"  {t:13s} {n:6d}")


@data_app.command("import-labelstudio")
def import_labelstudio_cmd(export: Path = typer.Argument(..., help="Label Studio JSON export."),
                           output: Path = typer.Option(..., "-o", "--output", help="Annotated JSONL to write.")):
    """Convert a Label Studio JSON export (config: data/labelstudio/config.xml) into the scheme's JSONL."""
    from gongkai.scheme import dump_jsonl, validate
    from gongkai.training.labelstudio import LabelStudioError, read_export

    try:
        docs = read_export(export)
    except LabelStudioError as exc:
        _fail(str(exc))
    problems = [p for d in docs for p in validate(d)]
    for p in problems:
        typer.echo(f"{export}: {p}", err=True)
    dump_jsonl(docs, output)
    typer.echo(f"{len(docs)} documents written to {output}, {len(problems)} problems")
    if problems:
        raise typer.Exit(1)


@data_app.command("export-labelstudio")
def export_labelstudio_cmd(inputs: List[Path] = typer.Argument(..., help="Annotated JSONL files."),
                           output: Path = typer.Option(..., "-o", "--output", help="Label Studio tasks JSON to write."),
                           config: Optional[Path] = typer.Option(None, "--config", help="Also write the labelling config here.")):
    """Write annotated documents as Label Studio tasks (annotations pre-filled) for review or correction."""
    from gongkai.scheme import load_jsonl
    from gongkai.training.labelstudio import LABEL_CONFIG, export_tasks

    docs = [d for f in inputs for d in load_jsonl(f)]
    output.write_text(json.dumps(export_tasks(docs), ensure_ascii=False, indent=1), encoding="utf-8")
    if config:
        config.write_text(LABEL_CONFIG, encoding="utf-8")
    typer.echo(f"{len(docs)} tasks written to {output}")


def _train(kind: str, data: Path, output: Path, no_augment: bool, splits: str) -> None:
    from gongkai.training import train as training

    fn = {"sections": training.train_sections, "quantities": training.train_quantities}[kind]
    try:
        card = fn(data, output, augment=not no_augment, splits=tuple(s.strip() for s in splits.split(",")))
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    typer.echo(f"{kind} model written to {output} in {card['training_seconds']} s (data {card['data_hash']})")


_DATA_OPT = typer.Option(Path("data"), "--data", help="Corpus directory (train.jsonl …).")
_AUGMENT_OPT = typer.Option(False, "--no-augment", help="Train on the documents only.")
_SPLITS_OPT = typer.Option("train,dev", "--splits", help="Splits to train on (never test).")


@train_app.command("sections")
def train_sections_cmd(data: Path = _DATA_OPT,
                       output: Path = typer.Option(Path("models/sections"), "-o", "--output"),
                       no_augment: bool = _AUGMENT_OPT, splits: str = _SPLITS_OPT):
    """Train the section model (fixed seeds; test is never trained on); writes the model and training.json."""
    _train("sections", data, output, no_augment, splits)


@train_app.command("quantities")
def train_quantities_cmd(data: Path = _DATA_OPT,
                         output: Path = typer.Option(Path("models/quantities"), "-o", "--output"),
                         no_augment: bool = _AUGMENT_OPT, splits: str = _SPLITS_OPT):
    """Train the quantity tagger (fixed seeds; test is never trained on); writes the model and training.json."""
    _train("quantities", data, output, no_augment, splits)


def _load_pipeline(model: Optional[Path], sections: str = "model", quantities: str = "model"):
    from .pipeline import load

    try:
        return load(model, sections=sections, quantities=quantities)
    except (FileNotFoundError, OSError, ValueError) as exc:
        _fail(f"cannot load models from {model or 'the shipped models'}: {exc}")


@app.command("predict")
def predict_cmd(inputs: List[Path] = typer.Argument(..., help="Report files, directories, or .jsonl of {id, text}."),
                output: Path = typer.Option(..., "-o", "--output", help="Output file (.jsonl)."),
                model: Optional[Path] = typer.Option(None, "--model", help="Directory with sections/ and quantities/ models."),
                sections: str = typer.Option("model", help="model | rules | none"),
                quantities: str = typer.Option("model", help="model | rules | none"),
                workers: int = typer.Option(0, "--workers", help="Processes (default: the machine's cores)."),
                engine: str = typer.Option("local", "--engine", help="local (processes) or ray (Ray Data actors)."),
                ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Ray cluster address (default: a local Ray)."),
                overwrite: bool = typer.Option(False, "--overwrite", help="Start afresh instead of resuming into OUT."),
                quiet: bool = typer.Option(False, "--quiet", help="No progress output.")):
    """Tag every report's paragraphs with sections and find its quantities; one JSON line per report.

    A file that cannot be read gets an error line naming the file and the cause; the batch goes on
    and the exit code is 1 if any file failed.
    """
    import os

    from .batch import run_batch
    from .stores import store_for

    try:
        store_for(output)
    except ValueError as exc:
        _fail(str(exc))
    if overwrite:
        for old in [output] + list(output.parent.glob(f"{output.stem}.*.{output.suffix.lstrip('.')}")) \
                + [output.with_name(output.name + ".wal")]:
            if old.exists():
                old.unlink()
    nlp = _load_pipeline(model, sections, quantities)
    paths = expand_inputs(inputs)
    workers = workers or os.cpu_count() or 1
    workers = max(1, min(workers, len(paths)))
    if engine not in ("local", "ray"):
        _fail(f"unknown engine {engine!r}: use local or ray")
    try:
        summary = run_batch(nlp, paths, output, quiet=quiet, workers=workers, model=model,
                            sections=sections, quantities=quantities, engine=engine, ray_address=ray_address)
    except RuntimeError as exc:
        _fail(str(exc))
    typer.echo(f"{summary['files']} files: {summary['reports']} reports written to {output}, "
               f"{summary['skipped']} already done, {summary['errors']} errors", err=True)
    if summary["errors"]:
        raise typer.Exit(1)


@app.command("evaluate")
def evaluate_cmd(gold: Path = typer.Argument(None, help="Gold annotated JSONL (or use --data)."),
                 pred: Optional[Path] = typer.Argument(None, help="Prediction JSONL to score (else the pipeline runs)."),
                 data: Optional[str] = typer.Option(None, "--data", help="A split name in data/ (train, dev, test) or a JSONL path."),
                 model: Optional[Path] = typer.Option(None, "--model", help="Model directory (default: shipped models)."),
                 compare: List[str] = typer.Option([], "--compare", help="NAME=PRED.jsonl, repeatable."),
                 json_out: Optional[Path] = typer.Option(None, "--json", help="Write metrics JSON here."),
                 html_out: Optional[Path] = typer.Option(None, "--html", help="Write the HTML review report here."),
                 cv: int = typer.Option(0, "--cv", help="Also run K-fold cross-validation grouped by issuer on the corpus."),
                 peers: bool = typer.Option(True, "--peers/--no-peers", help="Score installed peers (jionlp, recognizers).")):
    """Score predictions (or the pipeline and the rule baselines) against gold annotations."""
    from gongkai.evaluation.harness import cross_validate, peer_predictions, score_systems, standard_systems
    from gongkai.evaluation.metrics import HEADLINE, evaluate, load_predictions
    from gongkai.evaluation.report import metrics_json, write_html
    from gongkai.scheme import load_jsonl

    if gold is None and data is None:
        _fail("give a GOLD file or --data SPLIT")
    gold_path = gold
    if data is not None:
        gold_path = Path(data) if data.endswith(".jsonl") else Path("data") / f"{data}.jsonl"
    try:
        gold_docs = load_jsonl(gold_path)
    except (OSError, ValueError) as exc:
        _fail(f"cannot read gold file: {exc}")
    results = {}
    if pred is not None:
        try:
            results[pred.stem] = evaluate(gold_docs, load_predictions(pred))
        except (OSError, ValueError) as exc:
            _fail(f"cannot read predictions: {exc}")
    else:
        systems = standard_systems(model)
        extra = peer_predictions(gold_docs) if peers else {}
        results.update(score_systems(gold_docs, systems, extra))
    for item in compare:
        name, _, path = item.partition("=")
        if not path:
            _fail(f"--compare takes NAME=PRED.jsonl, got {item!r}")
        try:
            results[name] = evaluate(gold_docs, load_predictions(path))
        except (OSError, ValueError) as exc:
            _fail(f"cannot read predictions {path}: {exc}")
    cv_summary = None
    if cv:
        from gongkai.training.corpus import SPLITS, load_split

        corpus = [d for s in SPLITS for d in load_split(Path("data"), s)]
        cv_summary = cross_validate(corpus, k=cv)
    header = f"{'system':14s}" + "".join(f"{k[:14]:>15s}" for k in HEADLINE)
    typer.echo(f"gold: {gold_path} ({len(gold_docs)} documents)")
    typer.echo(header)
    for name, r in results.items():
        typer.echo(f"{name:14s}" + "".join(f"{(r[k] if r[k] is not None else float('nan')):15.3f}" for k in HEADLINE))
    if cv_summary:
        typer.echo(f"grouped {cv}-fold cross-validation (mean ± std):")
        for name, r in cv_summary.items():
            typer.echo(f"{name:14s}" + "".join(
                f"{(r[k]['mean'] or 0):9.3f}±{r[k]['std']:.3f}" for k in HEADLINE))
    if json_out:
        json_out.write_text(json.dumps(metrics_json(results, cv_summary), ensure_ascii=False, indent=1), encoding="utf-8")
    if html_out:
        write_html(html_out, results, {d.id: d.text for d in gold_docs}, title=f"gongkai evaluation — {gold_path}",
                   cv=cv_summary)


def main():  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
