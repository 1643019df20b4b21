"""The ``gongkai`` command: a thin Typer app; each command wraps an importable function.

Heavy imports happen inside the commands so that ``gongkai --help`` is instant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
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
    from gongkai.training.corpus import SPLITS, corpus_stats, load_split

    docs = [d for s in SPLITS for d in load_split(data, s)]
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


def main():  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
