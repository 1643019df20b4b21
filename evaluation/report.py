"""The review report: one self-contained HTML file (no network needed) with the systems side by
side, per-class bar charts, the section confusion heatmap and a filterable error browser."""

from __future__ import annotations

import html
import json
from pathlib import Path

from gongkai.scheme import SECTIONS, TYPES

from .metrics import HEADLINE, NONE_LABEL

SECTION_COLOURS = {
    "preamble": "#9e9e9e", "overview": "#4e79a7", "proactive": "#59a14f", "response": "#8cd17d",
    "requests": "#f28e2b", "consultation": "#ffbe7d", "fees": "#b6992d", "appeals": "#e15759",
    "institution": "#76b7b2", "training": "#499894", "problems": "#b07aa1", "other": "#d4a6c8",
    "noise": "#d7d7d7", NONE_LABEL: "#000000",
}

CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
th{background:#f5f5f5}td.l,th.l{text-align:left}.best{font-weight:bold;background:#e8f5e9}
.bars{display:flex;flex-wrap:wrap;gap:24px}.bar-chart{font-size:12px}
.err{border:1px solid #eee;margin:6px 0;padding:6px;font-size:13px}.err .k{font-weight:bold;margin-right:8px}
.ctx{font-family:monospace;white-space:pre-wrap;background:#fafafa;padding:4px;margin-top:4px}
mark.g{background:#c8e6c9}mark.p{background:#ffcdd2}mark.gp{background:#fff59d}
.tag{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;margin:0 2px}
button{margin:2px;padding:3px 10px;border:1px solid #aaa;background:#fff;border-radius:3px;cursor:pointer}
button.on{background:#333;color:#fff}.note{color:#666;font-size:12px}
"""

JS = """
function filt(kind, btn){
  document.querySelectorAll('#filters button').forEach(b=>b.classList.remove('on'));btn.classList.add('on');
  let shown=0;document.querySelectorAll('.err').forEach(e=>{const ok=(kind==='all'||e.dataset.kind===kind);
  e.style.display=ok?'':'none';if(ok)shown++;});document.getElementById('shown').textContent=shown;
}
"""


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _tag(label: str) -> str:
    colour = SECTION_COLOURS.get(label, "#555")
    return f'<span class="tag" style="background:{colour}">{html.escape(str(label))}</span>'


def summary_table(results: dict[str, dict]) -> str:
    rows = ["<table><tr><th class=l>system</th>" + "".join(f"<th>{k}</th>" for k in HEADLINE) + "</tr>"]
    best = {}
    for k in HEADLINE:
        vals = [r.get(k) for r in results.values() if r.get(k) is not None]
        best[k] = max(vals) if vals else None
    for name, r in results.items():
        shown = {k: (None if k.startswith("section") and not r.get("predicts_sections", True) else r.get(k)) for k in HEADLINE}
        cells = "".join(
            f"<td class={'best' if shown[k] is not None and shown[k] == best[k] else ''}>{_fmt(shown[k])}</td>" for k in HEADLINE)
        rows.append(f"<tr><td class=l>{html.escape(name)}</td>{cells}</tr>")
    rows.append("</table>")
    return "".join(rows)


def bar_chart(title: str, per_class: dict[str, dict], systems: list[str], width: int = 360) -> str:
    """Horizontal F1 bars per class, one bar per system (inline SVG)."""
    classes = sorted({c for s in systems for c in per_class.get(s, {})},
                     key=lambda c: (list(SECTIONS) + list(TYPES)).index(c) if c in SECTIONS + TYPES else 99)
    colours = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1"]
    bar_h, gap = 9, 6
    height = len(classes) * (len(systems) * bar_h + gap) + 30
    parts = [f'<div class="bar-chart"><b>{html.escape(title)}</b><br><svg width="{width + 120}" height="{height}">']
    y = 5
    for c in classes:
        parts.append(f'<text x="0" y="{y + bar_h * len(systems) / 2 + 4}" font-size="11">{html.escape(c)}</text>')
        for i, s in enumerate(systems):
            m = per_class.get(s, {}).get(c)
            f1 = m["f1"] if m else 0.0
            parts.append(f'<rect x="100" y="{y}" width="{f1 * width:.1f}" height="{bar_h - 1}" fill="{colours[i % 5]}">'
                         f'<title>{html.escape(s)} {c}: F1 {f1:.3f}</title></rect>')
            parts.append(f'<text x="{104 + f1 * width:.1f}" y="{y + bar_h - 1}" font-size="9">{f1:.2f}</text>')
            y += bar_h
        y += gap
    legend = " ".join(f'<tspan fill="{colours[i % 5]}">■ {html.escape(s)}</tspan>' for i, s in enumerate(systems))
    parts.append(f'<text x="100" y="{height - 8}" font-size="11">{legend}</text></svg></div>')
    return "".join(parts)


def heatmap(confusion: dict[str, dict[str, int]]) -> str:
    gold = [s for s in SECTIONS if s in confusion]
    pred = [s for s in SECTIONS if any(s in row for row in confusion.values())]
    if any(NONE_LABEL in row for row in confusion.values()):
        pred.append(NONE_LABEL)
    rows = ["<table><tr><th class=l>gold ↓ / predicted →</th>" + "".join(f"<th>{html.escape(p)}</th>" for p in pred) + "</tr>"]
    for g in gold:
        total = sum(confusion[g].values()) or 1
        cells = []
        for p in pred:
            n = confusion[g].get(p, 0)
            share = n / total
            colour = f"rgba(46,125,50,{share:.2f})" if g == p else f"rgba(198,40,40,{share:.2f})"
            cells.append(f'<td style="background:{colour}" title="{n}/{total}">{n or ""}</td>')
        rows.append(f"<tr><th class=l>{html.escape(g)}</th>{''.join(cells)}</tr>")
    rows.append("</table>")
    return "".join(rows)


def _context(text: str, start: int, end: int, cls: str, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return (html.escape(text[a:start]) + f'<mark class="{cls}">' + html.escape(text[start:end]) + "</mark>"
            + html.escape(text[end:b]))


def error_browser(errors: list[dict], texts: dict[str, str], limit: int = 3000) -> str:
    kinds = ["missed", "spurious", "wrong type", "wrong value", "boundary", "wrong section"]
    counts = {k: sum(1 for e in errors if e["kind"] == k) for k in kinds}
    buttons = ['<button class="on" onclick="filt(\'all\',this)">all (%d)</button>' % len(errors)]
    buttons += [f'<button onclick="filt(\'{k}\',this)">{k} ({counts[k]})</button>' for k in kinds if counts[k]]
    parts = [f'<div id="filters">{"".join(buttons)}</div><p class=note>showing <span id="shown">{min(len(errors), limit)}</span> '
             f'(at most {limit} listed)</p>']
    for e in errors[:limit]:
        text = texts.get(e["doc"], "")
        if e["kind"] == "wrong section":
            body = (f"gold {_tag(e['gold'])} predicted {_tag(e['pred'])}"
                    f'<div class="ctx" style="border-left:6px solid {SECTION_COLOURS.get(e["gold"], "#555")}">'
                    f"{html.escape(text[e['start']:e['end']])}</div>")
        else:
            cls = {"missed": "g", "spurious": "p"}.get(e["kind"], "gp")
            body = (f"gold <b>{html.escape(str(e.get('gold')))}</b> · predicted <b>{html.escape(str(e.get('pred')))}</b>"
                    f'<div class="ctx">{_context(text, e["start"], e["end"], cls)}</div>')
        parts.append(f'<div class="err" data-kind="{e["kind"]}"><span class="k">{e["kind"]}</span>'
                     f'<span class=note>{html.escape(e["doc"])} @{e["start"]}</span> {body}</div>')
    return "".join(parts)


def render(results: dict[str, dict], texts: dict[str, str], title: str = "gongkai evaluation",
           focus: str | None = None, cv: dict | None = None, notes: str = "") -> str:
    """The whole report; ``focus`` names the system whose confusion matrix and errors are shown."""
    systems = list(results)
    focus = focus or systems[0]
    sec_systems = [s for s in systems if results[s].get("predicts_sections", True)]
    sec_per = {s: results[s]["sections"]["per_label"] for s in sec_systems}
    typ_per = {s: results[s]["quantities"]["per_type"] for s in systems}
    parts = [f"<!DOCTYPE html><html lang=zh><head><meta charset=utf-8><title>{html.escape(title)}</title>"
             f"<style>{CSS}</style><script>{JS}</script></head><body><h1>{html.escape(title)}</h1>"]
    if notes:
        parts.append(f"<p class=note>{html.escape(notes)}</p>")
    parts.append("<h2>Summary</h2>" + summary_table(results))
    parts.append("<p class=note>Sections: line accuracy and macro-F1 over gold labels, lines with ≥4 CJK characters. "
                 "Quantities: exact-span F1 untyped/typed, overlap detection F1 (any overlap, any type — the fair "
                 "comparison with peers), value/unit/qualifier accuracy over typed exact matches.</p>")
    if cv:
        rows = ["<table><tr><th class=l>system</th>" + "".join(f"<th>{k}</th>" for k in HEADLINE) + "</tr>"]
        for name, r in cv.items():
            rows.append(f"<tr><td class=l>{html.escape(name)} ({r.get('folds')} folds)</td>" + "".join(
                f"<td>{_fmt(r[k]['mean'])} ± {_fmt(r[k]['std'])}</td>" for k in HEADLINE) + "</tr>")
        parts.append("<h2>Grouped cross-validation</h2>" + "".join(rows) + "</table>")
    parts.append('<h2>Per class F1</h2><div class="bars">'
                 + bar_chart("sections", sec_per, sec_systems) + bar_chart("quantity types", typ_per, systems) + "</div>")
    parts.append(f"<h2>Section confusion — {html.escape(focus)}</h2>" + heatmap(results[focus]["sections"]["confusion"]))
    parts.append(f"<h2>Errors — {html.escape(focus)}</h2>" + error_browser(results[focus]["errors"], texts))
    parts.append("</body></html>")
    return "".join(parts)


def write_html(path, results: dict[str, dict], texts: dict[str, str], **kwargs) -> None:
    Path(path).write_text(render(results, texts, **kwargs), encoding="utf-8")


def metrics_json(results: dict[str, dict], cv: dict | None = None) -> dict:
    """The JSON written by ``gongkai evaluate --json``: the first system's headline keys at top level."""
    first = next(iter(results.values()))
    out = {k: first[k] for k in HEADLINE}
    out.update({"sections": first["sections"], "quantities": first["quantities"],
                "documents": first["documents"],
                "systems": {name: {k: v for k, v in r.items() if k != "errors"} for name, r in results.items()}})
    if cv:
        out["cv"] = cv
    return json.loads(json.dumps(out))


def render_tables(reports: list[dict], title: str = "gongkai — statistical tables and checks") -> str:
    """Each report's parsed tables as grids, cells in failing checks highlighted, checks listed below."""
    from gongkai.tables.template import (ACTIVE_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, OUTCOMES, REQUEST_ROWS,
                                         TABLE_NAMES, column_label)

    parts = [f"<!DOCTYPE html><html lang=zh><head><meta charset=utf-8><title>{html.escape(title)}</title>"
             f"<style>{CSS} td.bad{{background:#ffcdd2;font-weight:bold}} td.blank{{color:#aaa}}"
             f" .fail{{color:#c62828}} .pass{{color:#2e7d32}} .skipped{{color:#888}}</style></head><body>"
             f"<h1>{html.escape(title)}</h1>"]
    for rec in reports:
        fails = [c for c in rec.get("checks", []) if c["status"] == "fail"]
        bad = {(x["row"], x["column"]) for c in fails for x in c["cells"]}
        verdict = "INCONSISTENT" if fails else "consistent" if rec.get("checks") else "not checked"
        parts.append(f"<h2>{html.escape(rec['source'])} — {verdict}</h2>")
        if not rec.get("tables"):
            parts.append("<p class=note>no standard statistical table found</p>")
        for t in rec.get("tables", []):
            cells = {(c["row"], c["column"]): c["value"] for c in t["cells"]}
            parts.append(f"<h3>{html.escape(TABLE_NAMES[t['table']])} ({html.escape(str(t.get('version') or '-'))})</h3>")
            for p in t.get("problems", []):
                parts.append(f"<p class=fail>⚠ {html.escape(p)}</p>")
            if t["table"] == "requests":
                rows = [r.key for r in REQUEST_ROWS[t.get("version") or "2021"] if r.has_values]
                cols = [c for c, _ in APPLICANT_COLUMNS]
            elif t["table"] == "appeals":
                rows = [g for g, _ in APPEAL_GROUPS]
                cols = [o for o, _ in OUTCOMES]
            else:
                rows = list(ACTIVE_COLUMNS[t.get("version") or "2021"])
                cols = sorted({c["column"] for c in t["cells"]})
            head = "".join(f"<th>{html.escape(column_label(t['table'], rows[0] if rows else '', c, t.get('version') or '2021'))}</th>"
                           for c in cols) if t["table"] != "active" else "".join(f"<th>{html.escape(c)}</th>" for c in cols)
            grid = [f"<table><tr><th class=l>row</th>{head}</tr>"]
            for r in rows:
                if not any((r, c) in cells for c in cols):
                    continue
                tds = []
                for c in cols:
                    v = cells.get((r, c), "")
                    cls = "bad" if (r, c) in bad else ("blank" if v is None else "")
                    tds.append(f"<td class='{cls}'>{'' if v is None else html.escape(str(v))}</td>")
                grid.append(f"<tr><td class=l>{html.escape(r)}</td>{''.join(tds)}</tr>")
            grid.append("</table>")
            parts.append("".join(grid))
        if rec.get("checks"):
            parts.append("<h3>Checks</h3><ul>")
            for c in sorted(rec["checks"], key=lambda c: {"fail": 0, "skipped": 1, "pass": 2}[c["status"]]):
                nums = "" if c["left"] is None else f": {c['left']:g} vs {c['right']:g}"
                extra = f" ({html.escape(c['reason'])})" if c.get("reason") else ""
                parts.append(f"<li class={c['status']}>{c['status']} — {html.escape(c['description'])}{nums}{extra}</li>")
            parts.append("</ul>")
    parts.append("</body></html>")
    return "".join(parts)
