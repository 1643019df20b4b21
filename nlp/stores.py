"""Output stores chosen by the output's extension: .jsonl, .duckdb, .csv, .parquet.

Every store writes report records and error records, commits after each input file, and can say
which (id, content hash) pairs it already holds for a model version, which makes runs resumable.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

class JsonlStore:
    """One JSON object a line; appends are flushed and fsynced per file; a torn last line is cut."""

    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def done(self, model_version: str) -> set[tuple[str, str]]:
        if not self.path.exists():
            return set()
        out = set()
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if rec.get("model_version") == model_version and "content_hash" in rec:
                    out.add((rec["id"], rec["content_hash"]))
        return out

    def open(self, model_version: str) -> None:
        self.model_version = model_version
        if self.path.exists():
            data = self.path.read_bytes()
            if data and not data.endswith(b"\n"):  # a run killed mid-line: drop the torn line
                cut = data.rfind(b"\n") + 1
                with open(self.path, "r+b") as fh:
                    fh.truncate(cut)
            # Earlier error lines are retried, so drop them rather than duplicate them.
            lines = [l for l in self.path.read_text(encoding="utf-8").splitlines(keepends=True)
                     if '"error"' not in l or not _is_error(l)]
            tmp = self.path.with_suffix(self.path.suffix + ".tmp")
            tmp.write_text("".join(lines), encoding="utf-8")
            os.replace(tmp, self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a", encoding="utf-8")

    def write(self, record: dict) -> None:
        record = dict(record)
        record["model_version"] = self.model_version
        self.fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")

    def write_error(self, record: dict) -> None:
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        if self.fh:
            self.fh.close()
            self.fh = None


def _is_error(line: str) -> bool:
    try:
        return "error" in json.loads(line)
    except json.JSONDecodeError:
        return False


REPORT_COLUMNS = ["id", "source", "format", "issuer", "year", "text_length", "model_version", "content_hash"]
PARAGRAPH_COLUMNS = ["report_id", "source", "idx", "start", "end", "section", "score"]
QUANTITY_COLUMNS = ["report_id", "source", "idx", "start", "end", "text", "type", "value", "unit", "qualifier",
                    "score", "section", "context"]
ERROR_COLUMNS = ["id", "source", "error"]
CELL_COLUMNS = ["report_id", "source", "table_name", "version", "confident", "row_key", "column_key", "value", "start", "end"]
CHECK_COLUMNS = ["report_id", "source", "name", "description", "status", "left_value", "right_value", "reason", "cells"]


def flatten_tables(record: dict) -> tuple[list[dict], list[dict]]:
    """Table cells and checks of one report record as flat rows."""
    cells, checks = [], []
    for t in record.get("tables", []):
        for c in t["cells"]:
            cells.append({"report_id": record["id"], "source": record["source"], "table_name": t["table"],
                          "version": t.get("version"), "confident": t["confident"], "row_key": c["row"],
                          "column_key": c["column"], "value": None if c["value"] is None else float(c["value"]),
                          "start": c["start"], "end": c["end"]})
    for ch in record.get("checks", []):
        checks.append({"report_id": record["id"], "source": record["source"], "name": ch["name"],
                       "description": ch["description"], "status": ch["status"], "left_value": ch["left"],
                       "right_value": ch["right"], "reason": ch["reason"],
                       "cells": json.dumps(ch["cells"], ensure_ascii=False)})
    return cells, checks


def flatten(record: dict, model_version: str) -> tuple[dict, list[dict], list[dict]]:
    """One report record → a reports row, paragraph rows and quantity rows (with section and context)."""
    report = {k: record.get(k) for k in REPORT_COLUMNS}
    report["model_version"] = model_version
    paragraphs = []
    for i, p in enumerate(record.get("paragraphs", [])):
        paragraphs.append({"report_id": record["id"], "source": record["source"], "idx": i, "start": p["start"],
                           "end": p["end"], "section": p["section"], "score": p.get("score")})
    quantities = []
    bounds = [(p["start"], p["end"], p["section"]) for p in record.get("paragraphs", [])]
    for i, q in enumerate(record.get("quantities", [])):
        section = next((s for a, b, s in bounds if a <= q["start"] < b), None)
        quantities.append({"report_id": record["id"], "source": record["source"], "idx": i, "start": q["start"],
                           "end": q["end"], "text": q["text"], "type": q["type"],
                           "value": None if q.get("value") is None else float(q["value"]),
                           "unit": q.get("unit"), "qualifier": q.get("qualifier"), "score": q.get("score"),
                           "section": section, "context": q.get("context")})
    return report, paragraphs, quantities


class DuckDBStore:
    """An embedded DuckDB database; one transaction per input file, so a kill loses nothing committed."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS reports (id VARCHAR, source VARCHAR, format VARCHAR, issuer VARCHAR, year INTEGER,
        text_length INTEGER, model_version VARCHAR, content_hash VARCHAR);
    CREATE TABLE IF NOT EXISTS paragraphs (report_id VARCHAR, source VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER,
        section VARCHAR, score DOUBLE);
    CREATE TABLE IF NOT EXISTS quantities (report_id VARCHAR, source VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER,
        text VARCHAR, type VARCHAR, value DOUBLE, unit VARCHAR, qualifier VARCHAR, score DOUBLE, section VARCHAR,
        context VARCHAR);
    CREATE TABLE IF NOT EXISTS errors (id VARCHAR, source VARCHAR, error VARCHAR);
    CREATE TABLE IF NOT EXISTS table_cells (report_id VARCHAR, source VARCHAR, table_name VARCHAR, version VARCHAR,
        confident BOOLEAN, row_key VARCHAR, column_key VARCHAR, value DOUBLE, start INTEGER, "end" INTEGER);
    CREATE TABLE IF NOT EXISTS checks (report_id VARCHAR, source VARCHAR, name VARCHAR, description VARCHAR,
        status VARCHAR, left_value DOUBLE, right_value DOUBLE, reason VARCHAR, cells VARCHAR);
    CREATE OR REPLACE VIEW report_quantities AS
        SELECT r.issuer, r.year, r.id AS report_id, r.source, q.section, q.type, q.value, q.unit, q.qualifier,
               q.text, q.context, q.start, q."end"
        FROM quantities q JOIN reports r ON q.source = r.source AND q.report_id = r.id;
    """

    def __init__(self, path: Path):
        self.path = path
        self.con = None

    def _connect(self):
        import duckdb

        if self.con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(self.path))
            self.con.execute(self.SCHEMA)
        return self.con

    def done(self, model_version: str) -> set[tuple[str, str]]:
        if not self.path.exists():
            return set()
        con = self._connect()
        return set(con.execute("SELECT id, content_hash FROM reports WHERE model_version = ?", [model_version]).fetchall())

    def open(self, model_version: str) -> None:
        self.model_version = model_version
        con = self._connect()
        con.execute("DELETE FROM errors")  # failed inputs are retried on every run
        con.execute("BEGIN TRANSACTION")

    def write(self, record: dict) -> None:
        report, paragraphs, quantities = flatten(record, self.model_version)
        cells, checks = flatten_tables(record)
        # A report re-predicted (new model or changed content) replaces its old rows.
        for table, key in (("reports", "id"), ("paragraphs", "report_id"), ("quantities", "report_id"),
                           ("table_cells", "report_id"), ("checks", "report_id")):
            self.con.execute(f"DELETE FROM {table} WHERE {key} = ? AND source = ?", [record["id"], record["source"]])
        for table, columns, rows in (("reports", REPORT_COLUMNS, [report]), ("paragraphs", PARAGRAPH_COLUMNS, paragraphs),
                                     ("quantities", QUANTITY_COLUMNS, quantities), ("table_cells", CELL_COLUMNS, cells),
                                     ("checks", CHECK_COLUMNS, checks)):
            if rows:
                self.con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
                                     [[row[c] for c in columns] for row in rows])

    def write_error(self, record: dict) -> None:
        self.con.execute("INSERT INTO errors VALUES (?, ?, ?)", [record.get("id"), record.get("source"), record["error"]])

    def commit(self) -> None:
        self.con.execute("COMMIT")
        self.con.execute("BEGIN TRANSACTION")

    def close(self) -> None:
        if self.con is not None:
            try:
                self.con.execute("COMMIT")
            except Exception:
                pass
            self.con.close()
            self.con = None


class TableStore:
    """CSV or Parquet: four flat files side by side (OUT.reports.csv, OUT.paragraphs.csv, …).

    Rows are kept in memory and written atomically at the end (and merged with what an earlier
    run wrote), so a killed run leaves the previous files intact.
    """

    TABLES = {"reports": REPORT_COLUMNS, "paragraphs": PARAGRAPH_COLUMNS, "quantities": QUANTITY_COLUMNS,
              "table_cells": CELL_COLUMNS, "checks": CHECK_COLUMNS, "errors": ERROR_COLUMNS}

    def __init__(self, path: Path, kind: str):
        self.path, self.kind = path, kind
        self.rows = {t: [] for t in self.TABLES}

    def _file(self, table: str) -> Path:
        return self.path.with_name(f"{self.path.stem}.{table}.{self.kind}")

    def _read(self, table: str) -> list[dict]:
        f = self._file(table)
        if not f.exists():
            return []
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        t = pq.read_table(f) if self.kind == "parquet" else pacsv.read_csv(f)
        return t.to_pylist()

    def done(self, model_version: str) -> set[tuple[str, str]]:
        return {(r["id"], r["content_hash"]) for r in self._read("reports") if r.get("model_version") == model_version}

    def open(self, model_version: str) -> None:
        self.model_version = model_version
        kept = {(r["id"], r["source"]) for r in self._read("reports") if r.get("model_version") == model_version}
        self.rows["reports"] = [r for r in self._read("reports") if (r["id"], r["source"]) in kept]
        for t in ("paragraphs", "quantities", "table_cells", "checks"):
            self.rows[t] = [r for r in self._read(t) if (r["report_id"], r["source"]) in kept]

    def write(self, record: dict) -> None:
        report, paragraphs, quantities = flatten(record, self.model_version)
        self.rows["reports"].append(report)
        self.rows["paragraphs"].extend(paragraphs)
        self.rows["quantities"].extend(quantities)
        cells, checks = flatten_tables(record)
        self.rows["table_cells"].extend(cells)
        self.rows["checks"].extend(checks)

    def write_error(self, record: dict) -> None:
        self.rows["errors"].append({c: record.get(c) for c in ERROR_COLUMNS})

    def commit(self) -> None:
        pass

    def close(self) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        self.path.parent.mkdir(parents=True, exist_ok=True)
        for table, columns in self.TABLES.items():
            rows = self.rows[table]
            data = {c: [r.get(c) for r in rows] for c in columns}
            t = pa.table(data) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
            target = self._file(table)
            tmp = target.with_name(target.name + ".tmp")
            if self.kind == "parquet":
                pq.write_table(t, tmp)
            else:
                pacsv.write_csv(t, tmp)
            os.replace(tmp, target)


def store_for(output) -> "JsonlStore | DuckDBStore | TableStore":
    path = Path(output)
    ext = path.suffix.lower()
    if ext == ".jsonl":
        return JsonlStore(path)
    if ext in (".duckdb", ".db"):
        return DuckDBStore(path)
    if ext in (".csv", ".parquet"):
        return TableStore(path, ext.lstrip("."))
    raise ValueError(f"{path}: unknown output extension {path.suffix!r} (use .jsonl, .duckdb, .csv or .parquet)")
