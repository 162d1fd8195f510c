"""The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched) holding the
figures with the method behind each, the comparison table (a sweep's: a row per point, infeasible ones
with their reason), and every method the reports name.

Rows are flat (topoctl.sweep.flatten): a compare's designs or a sweep's points. Same rows, same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from topoctl.figures.plots import draw, panels

__all__ = ["report_html", "TABLE_COLUMNS"]

Row = Mapping[str, Any]

STYLE = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px;
       color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
p.source { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.infeasible td { color: #8a1f11; background: #fff5f3; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 1em 2em; }
figure { margin: 0.5em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #333; max-width: 900px; }
.methods td:first-child { white-space: nowrap; font-family: monospace; }
div.wide { overflow-x: auto; }
"""

# (column header, row key or function, kind): what the comparison table shows of each row
TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("design", "name", "text"),
    ("family", "family", "text"),
    ("endpoints", "num_endpoints", "int"),
    ("switches", "num_switches", "int"),
    ("switch links", "num_switch_links", "int"),
    ("optical links", "num_switch_links_by_class.optical", "int"),
    ("cost (USD)", "cost_usd", "usd"),
    ("cost per endpoint (USD)", "cost_per_endpoint_usd", "usd"),
    ("bisection ratio", "bisection_ratio", "ratio"),
    ("bisection kind", "bisection_kind", "kind"),
    ("proven at least", "bisection_lower_bound_ratio", "ratio"),
    ("diameter (hops)", "diameter_hops", "int"),
)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return '<td class="num">-</td>' if kind != "text" else "<td>-</td>"
    if kind == "int" and isinstance(value, int | float):
        return f'<td class="num">{int(value):,}</td>'
    if kind == "usd" and isinstance(value, int | float):
        return f'<td class="num">{value:,.0f}</td>'
    if kind == "ratio" and isinstance(value, int | float):
        return f'<td class="num">{value:.3f}</td>'
    if kind == "kind":
        return f"<td>{escape(str(value).replace('_', ' '))}</td>"
    if kind == "num" and isinstance(value, int | float):
        return f'<td class="num">{value:,.6g}</td>'
    return f"<td>{escape(str(value))}</td>"


def _point_axes(rows: Sequence[Row]) -> tuple[list[str], dict[str, Any]]:
    """A sweep's point columns: those whose value varies, and the fixed ones with their one value."""
    keys = list(dict.fromkeys(key for row in rows for key in row if key.startswith("point.")))
    varied, fixed = [], {}
    for key in keys:
        values = {repr(row.get(key)) for row in rows}
        if len(values) > 1:
            varied.append(key)
        else:
            fixed[key.removeprefix("point.")] = rows[0].get(key)
    return varied, fixed


def _table(rows: Sequence[Row]) -> str:
    varied, _ = _point_axes(rows)
    if varied:  # a sweep: the point's values name the row; the design's own name repeats them
        head_columns = [(key.removeprefix("point.").removeprefix("parameters."), key, "int" if key == "point.endpoints"
                         else "text") for key in varied]
        body_columns = [(("built" if key == "num_endpoints" else title), key, kind)
                        for title, key, kind in TABLE_COLUMNS[1:] if key != "family" or "point.family" not in varied]
    else:
        head_columns, body_columns = list(TABLE_COLUMNS[:1]), list(TABLE_COLUMNS[1:])
    columns = head_columns + body_columns + [(c, c, "num") for c in _power_columns(rows)]
    head = "".join(f"<th>{escape(title)}</th>" for title, _, _ in columns)
    body = []
    for row in rows:
        first = "".join(_cell(row.get(key), kind) for _, key, kind in head_columns)
        if row.get("status", "ok") != "ok":
            body.append(f'<tr class="infeasible">{first}'
                        f'<td colspan="{len(columns) - len(head_columns)}">{escape(str(row["status"]))}: '
                        f'{escape(str(row.get("reason", "")))}</td></tr>')
            continue
        cells = "".join(_cell(row.get(key), kind) for _, key, kind in columns[len(head_columns):])
        body.append(f"<tr>{first}{cells}</tr>")
    return (f'<div class="wide"><table class="designs"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _power_columns(rows: Sequence[Row]) -> list[str]:
    """Top-level power fields a newer report carries (``power_w``, ``power_per_endpoint_w``), shown as they come."""
    return sorted({key for row in rows for key in row if "power" in key and "." not in key
                   and isinstance(row[key], int | float) and not isinstance(row[key], bool)})


def _svg(rows: Sequence[Row], name: str) -> str:
    text = draw(rows, [name], "svg").decode("utf-8")
    return text[text.index("<svg"):]


def _methods(rows: Sequence[Row]) -> str:
    """Every distinct method text of the rows, with the field it explains and the designs it applies to."""
    found: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.get("status", "ok") != "ok":
            continue
        for key, value in row.items():
            if (key.endswith("method") or key.endswith(".note")) and isinstance(value, str) and value:
                field = key.split(".", 1)[0] if key.startswith("fault_domains.") else key
                found.setdefault((field, value), []).append(str(row.get("name", "")))
    lines = []
    for (field, text), names in found.items():
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        lines.append(f"<tr><td>{escape(field)}</td><td>{escape(text)}</td><td>{escape(shown)}</td></tr>")
    return ('<table class="methods"><thead><tr><th>figure</th><th>method</th><th>designs</th></tr></thead>'
            f"<tbody>{''.join(lines)}</tbody></table>")


def report_html(title: str, rows: Sequence[Row], source: str) -> str:
    """The whole report as one HTML document."""
    figures = []
    for number, panel in enumerate(panels(rows), 1):
        figures.append(
            f'<figure id="figure-{escape(panel.name)}">{_svg(rows, panel.name)}'
            f"<figcaption><b>Figure {number}. {escape(panel.title)}.</b> Method: {escape(panel.method)}."
            "</figcaption></figure>")
    ok = sum(1 for row in rows if row.get("status", "ok") == "ok")
    what = "point" if any("point.endpoints" in row for row in rows) else "design"
    summary = f"{len(rows)} {what}{'s' if len(rows) != 1 else ''}" + (
        f", {len(rows) - ok} infeasible" if ok != len(rows) else "")
    _, fixed = _point_axes(rows)
    if fixed:
        summary += "; every point: " + ", ".join(f"{key.removeprefix('parameters.')}={value}"
                                                 for key, value in fixed.items())
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="source">topoctl report of {escape(source)}: {summary}.</p>',
        '<h2 id="figures">Figures</h2>',
        '<div class="figures">',
        *figures,
        "</div>",
        '<h2 id="comparison">Comparison</h2>',
        _table(rows),
        '<h2 id="methods">Methods</h2>',
        "<p>How each figure of the table was obtained, as the reports state it.</p>",
        _methods(rows),
        "</body></html>",
        "",
    ])
