"""Plots of report rows (matplotlib, Agg backend, imported when a plot is drawn), as PNG or SVG.

Rows are flat (topoctl.sweep.flatten). Rows with a sweep point (``point.endpoints``) and more than one
point per series are drawn as lines against the endpoints asked for, on a log x axis, one series per
family (and per other value the sweep varies); otherwise, as bars, one per design (``topoctl compare``).

Each figure is a FigureSpec: what it shows, how each value is obtained (its ``method``, printed under the
figure in the HTML report) and whether it applies to the rows. Power and optics come from the parts
catalog's report fields (``power_per_endpoint_w``, ``num_optical_modules``); rows without them (results
saved before the catalog) plot optical cables for optics and no power.
Same rows, same bytes: SVG ids are hashed from a fixed salt and no date is written.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FIGURES", "FigureSpec", "Panel", "panels", "draw", "figure_names", "IMAGE_FORMATS"]

IMAGE_FORMATS = ("png", "svg")
KIND_MARKS = {"upper_bound": "ub", "lower_bound": "lb", "estimate": "est"}  # as the tables mark a bound
Row = Mapping[str, Any]


def _number(row: Row, key: str) -> float | None:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _per_endpoint(key: str) -> Callable[[Row], float | None]:
    def value(row: Row) -> float | None:
        number, endpoints = _number(row, key), _number(row, "num_endpoints")
        return None if number is None or not endpoints else number / endpoints

    return value


def _switch_roles(row: Row) -> list[str]:
    return [key.removeprefix("num_switches_by_role.") for key in row if key.startswith("num_switches_by_role.")]


def _blast_share(row: Row) -> float | None:
    """The share of the endpoints the worst single switch failure disconnects (the report's blast radius)."""
    endpoints = _number(row, "num_endpoints")
    worst = [_number(row, f"fault_domains.{role}.endpoints_disconnected") for role in _switch_roles(row)]
    found = [value for value in worst if value is not None]
    return None if not endpoints or not found else max(found) / endpoints


@dataclass(frozen=True)
class Panel:
    """One plot: its title, y label, a value per row (None: not plotted), whether y is logarithmic, the
    method text, and an optional second value per row drawn dashed (a proven lower bound)."""

    name: str
    title: str
    ylabel: str
    value: Callable[[Row], float | None]
    method: str
    log_y: bool = False
    lower: Callable[[Row], float | None] | None = None
    percent: bool = False


@dataclass(frozen=True)
class FigureSpec:
    """A figure the rows can have: ``make(rows)`` gives its panel, or None when the rows lack its fields."""

    name: str
    make: Callable[[Sequence[Row]], Panel | None]


def _cost(rows: Sequence[Row]) -> Panel | None:
    method = str(next((row["cost_method"] for row in rows if "cost_method" in row), "count-based cost"))
    return Panel("cost", "Cost per endpoint", "USD per endpoint", lambda r: _number(r, "cost_per_endpoint_usd"),
                 f"total cost / endpoints built; cost: {method}", log_y=False)


def _switches(rows: Sequence[Row]) -> Panel | None:
    return Panel("switches", "Switches per endpoint", "switches per endpoint", _per_endpoint("num_switches"),
                 "switches of every tier and plane / endpoints built (closed-form counts)")


def _links(rows: Sequence[Row]) -> Panel | None:
    return Panel("links", "Switch-to-switch cables per endpoint", "cables per endpoint",
                 _per_endpoint("num_switch_links"),
                 "switch-to-switch cables (parallel cables counted each; endpoint cables excluded) / endpoints")


def _optics(rows: Sequence[Row]) -> Panel | None:
    """Optical modules (transceivers) per endpoint, from the parts the report counts by class; rows from
    before the parts catalog have only optical cables, which stand in."""
    if any(_number(row, "num_optical_modules") is not None for row in rows):
        method = str(next((row["optics_method"] for row in rows if "optics_method" in row), "parts by class"))
        return Panel("optics", "Optical modules per endpoint", "modules per endpoint",
                     _per_endpoint("num_optical_modules"),
                     f"report field num_optical_modules / endpoints built; {method}")
    column = "num_switch_links_by_class.optical"
    if not any(_number(row, column) is not None for row in rows):
        return None
    return Panel("optics", "Optics per endpoint", "optical cables per endpoint", _per_endpoint(column),
                 f"report field {column} / endpoints built (optical switch-to-switch cables)")


def _power(rows: Sequence[Row]) -> Panel | None:
    """Power per endpoint as the report gives it (switches, optics and NICs, catalog figures)."""
    if not any(_number(row, "power_per_endpoint_w") is not None for row in rows):
        return None
    method = str(next((row["power_method"] for row in rows if "power_method" in row), "catalog figures"))
    return Panel("power", "Power per endpoint", "W per endpoint", lambda r: _number(r, "power_per_endpoint_w"),
                 f"report field power_per_endpoint_w; {method}")


def _bisection(rows: Sequence[Row]) -> Panel | None:
    return Panel("bisection", "Bisection ratio", "bisection / full bisection", lambda r: _number(r, "bisection_ratio"),
                 "closed-form bisection over the full bisection (floor(n/2) x endpoint speed per plane); the report's "
                 "figure (exact, or an upper bound where bisection_kind says so: marked ub), and its proven lower "
                 "bound where it differs (dashed line, or a black mark on a bar)",
                 lower=lambda r: _number(r, "bisection_lower_bound_ratio"))


def _faults(rows: Sequence[Row]) -> Panel | None:
    if not any(_blast_share(row) is not None for row in rows):
        return None
    return Panel("faults", "Worst single switch failure", "endpoints disconnected (% of all)", _blast_share,
                 "the switch class whose one failure disconnects the most endpoints (fault_domains), over the "
                 "endpoints built; degraded endpoints (another plane left) not counted", log_y=True, percent=True)


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("cost", _cost), FigureSpec("switches", _switches), FigureSpec("links", _links),
    FigureSpec("optics", _optics), FigureSpec("power", _power), FigureSpec("bisection", _bisection),
    FigureSpec("faults", _faults),
)


def figure_names() -> list[str]:
    return [spec.name for spec in FIGURES]


def panels(rows: Sequence[Row], names: Sequence[str] = ()) -> list[Panel]:
    """The panels of ``names`` (all when empty) that the rows have data for, in FIGURES' order."""
    from topoctl.errors import FlagError

    unknown = [name for name in names if name not in figure_names()]
    if unknown:
        raise FlagError(f"{unknown[0]!r} is not a figure; valid: {', '.join(figure_names())}", flag="--figure")
    ok = [row for row in rows if row.get("status", "ok") == "ok"]
    found = []
    for spec in FIGURES:
        if names and spec.name not in names:
            continue
        panel = spec.make(ok)
        if panel is not None and any(panel.value(row) is not None for row in ok):
            found.append(panel)
    if not found:
        raise FlagError("the results hold no design to plot (every point infeasible?)", flag="--figure")
    return found


# -- series ------------------------------------------------------------------------------------------------
def _fixed_axes(rows: Sequence[Row]) -> str:
    """The sweep's values every point shares (``max_planes=8``), as a line under the title."""
    keys = list(dict.fromkeys(key for row in rows for key in row if key.startswith("point.")))
    fixed = [(key, rows[0].get(key)) for key in keys if key != "point.endpoints"
             and len({repr(row.get(key)) for row in rows}) == 1]
    return ", ".join(f"{key.removeprefix('point.').removeprefix('parameters.')}={value}" for key, value in fixed)


def _series_key(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple((key.removeprefix("point."), str(value)) for key, value in row.items()
                 if key.startswith("point.") and key != "point.endpoints")


def is_sweep(rows: Sequence[Row]) -> bool:
    """Lines when some series has two or more points of the sweep; bars otherwise."""
    counts: dict[Any, int] = {}
    for row in rows:
        if "point.endpoints" in row:
            key = _series_key(row)
            counts[key] = counts.get(key, 0) + 1
    return any(count > 1 for count in counts.values())


def _series(rows: Sequence[Row]) -> list[tuple[str, str, list[Row]]]:
    """(label, family, rows) per series in first-seen order; the label names the family and any other
    value the sweep varies."""
    groups: dict[tuple[tuple[str, str], ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(_series_key(row), []).append(row)
    varied = {key for key, _ in {pair for k in groups for pair in k}
              if len({dict(k).get(key) for k in groups}) > 1 and key != "family"}
    out = []
    for key, members in groups.items():
        values = dict(key)
        family = values.get("family", str(members[0].get("family", "")))
        extra = ", ".join(f"{name.removeprefix('parameters.')}={values[name]}" for name in values if name in varied)
        out.append((family + (f" ({extra})" if extra else ""), family, members))
    return out


MARKERS = "osD^vP*Xh<>"


def _family_colors(families: Sequence[str]) -> dict[str, tuple[Any, str]]:
    """A fixed colour and marker per family of the registry (tab10), so a family keeps its look in every
    plot, and two families with equal figures still show both markers."""
    import matplotlib as mpl

    from topoctl.topologies import FAMILIES

    palette = [mpl.colormaps["tab10"](i) for i in range(10)]
    order = list(FAMILIES) + sorted(set(families) - set(FAMILIES))
    return {family: (palette[i % len(palette)], MARKERS[i % len(MARKERS)]) for i, family in enumerate(order)}


# -- drawing -----------------------------------------------------------------------------------------------
def _format_x(ax: Any, xs: Sequence[float]) -> None:
    """Endpoints as 1k, 1,024, 100k, 1M; a sweep of a few points is labelled at its points, a longer one at the
    decades (matplotlib's minor labels, 2 x 10^3, are left off)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    def label(value: float, _: Any = None) -> str:
        if value < 1e5 and float(value).is_integer() and value % 1000:
            return f"{int(value):,}"  # a point of the sweep, 1,024 rather than 1.02k
        if value >= 1e6:
            return f"{value / 1e6:.3g}M"
        if value >= 1e3:
            return f"{value / 1e3:.3g}k"
        return f"{value:g}"

    points = sorted(set(xs))
    if 1 < len(points) <= 8:
        ax.set_xticks(points)
    ax.xaxis.set_major_formatter(FuncFormatter(label))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _format_y(ax: Any, panel: Panel) -> None:
    from matplotlib.ticker import FuncFormatter

    if panel.percent:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:g}%"))
    elif panel.name == "cost":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v / 1000:g}k" if v >= 1000 else f"${v:g}"))


def _draw_lines(ax: Any, panel: Panel, rows: Sequence[Row], colors: Mapping[str, tuple[Any, str]]) -> list[Any]:
    styles = ["-", "--", ":", "-."]
    handles: list[Any] = []
    per_family: dict[str, int] = {}
    for label, family, members in _series(rows):
        style = styles[per_family.get(family, 0) % len(styles)]
        per_family[family] = per_family.get(family, 0) + 1
        points = [(float(r["point.endpoints"]), panel.value(r)) for r in members if r.get("status", "ok") == "ok"]
        points = [(x, y) for x, y in points if y is not None and (y > 0 or not panel.log_y)]
        if not points:
            continue
        xs, ys = zip(*sorted(points), strict=True)
        color, marker = colors[family]
        # later series drawn thinner, so a series hidden under an equal one still shows its markers and line
        width = max(0.9, 2.2 - 0.15 * len(handles))
        (line,) = ax.plot(xs, ys, style, marker=marker, markersize=4, linewidth=width, color=color, label=label,
                          markerfacecolor="none" if len(handles) % 2 else color)
        handles.append(line)
        if panel.lower is not None:
            lows = [(float(r["point.endpoints"]), panel.lower(r)) for r in members if r.get("status", "ok") == "ok"]
            shown = [(x, y) for x, y in lows if y is not None and y != panel.value(_row_at(members, x))]
            if shown:
                lx, ly = zip(*sorted(shown), strict=True)
                ax.plot(lx, ly, "--", marker="v", markersize=3, linewidth=1.0, color=color, alpha=0.7)
    ax.set_xscale("log")
    ax.set_xlabel("endpoints (requested, log scale)")
    _format_x(ax, [float(r["point.endpoints"]) for r in rows if "point.endpoints" in r])
    return handles


def _row_at(rows: Sequence[Row], x: float) -> Row:
    return next(r for r in rows if float(r["point.endpoints"]) == x)


def _draw_bars(ax: Any, panel: Panel, rows: Sequence[Row], colors: Mapping[str, tuple[Any, str]]) -> list[Any]:
    ok = [r for r in rows if r.get("status", "ok") == "ok"]
    names = [str(r.get("name", i)) for i, r in enumerate(ok)]
    values = [panel.value(r) for r in ok]
    xs = list(range(len(ok)))
    bars = ax.bar(xs, [v if v is not None else 0 for v in values],
                  color=[colors.get(str(r.get("family")), ("grey", "o"))[0] for r in ok], width=0.7)
    for bar, value, row in zip(bars, values, ok, strict=True):
        if value is None:
            continue
        text = f"{value * 100:.3g}%" if panel.percent else (f"${value / 1000:.3g}k" if panel.name == "cost"
                                                            else f"{value:.3g}")
        if panel.lower is not None and row.get("bisection_kind", "exact") != "exact":
            text += f" ({KIND_MARKS.get(str(row['bisection_kind']), '?')})"
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                    fontsize=7, xytext=(0, 1), textcoords="offset points")
    if panel.lower is not None:
        lows = [panel.lower(r) for r in ok]
        marks = [(x, y) for x, y, v in zip(xs, lows, values, strict=True) if y is not None and y != v]
        if marks:
            ax.scatter([x for x, _ in marks], [y for _, y in marks], marker="_", s=300, color="black", zorder=3,
                       label="proven lower bound")
            ax.legend(fontsize=7, loc="lower right")
    from matplotlib.patches import Patch

    ax.set_axisbelow(True)
    ax.set_xticks(xs)
    ax.set_xticklabels(names, rotation=30 if len(names) > 3 else 0, ha="right" if len(names) > 3 else "center",
                       fontsize=8)
    ax.margins(y=0.12)
    families = list(dict.fromkeys(str(r.get("family")) for r in ok))
    return [Patch(color=colors.get(family, ("grey", "o"))[0], label=family) for family in families]


def draw(rows: Sequence[Row], names: Sequence[str] = (), fmt: str = "png", title: str | None = None) -> bytes:
    """The panels of ``names`` (default: all the rows have) as one image (PNG or SVG), two per line, with
    one legend for the families."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    chosen = panels(rows, names)
    lines = is_sweep(rows)
    families = [str(r.get("point.family", r.get("family", ""))) for r in rows]
    colors = _family_colors(families)
    columns = 1 if len(chosen) == 1 else 2
    nrows = -(-len(chosen) // columns)
    width = 7.0 if columns == 1 else 12.0
    with plt.rc_context({"svg.hashsalt": "topoctl", "font.size": 9, "axes.titlesize": 10, "axes.grid": True,
                         "grid.alpha": 0.3}):
        fig, axes = plt.subplots(nrows, columns, figsize=(width, 3.4 * nrows + (0.9 if lines else 0.5)),
                                 squeeze=False)
        handles: dict[str, Any] = {}
        for ax, panel in zip(axes.flat, chosen, strict=False):
            drawn = (_draw_lines if lines else _draw_bars)(ax, panel, rows, colors)
            handles.update({h.get_label(): h for h in drawn if h.get_label() not in handles})
            if panel.log_y:
                ax.set_yscale("log")
            elif panel.name != "bisection" or lines:
                ax.set_ylim(bottom=0)
            ax.set_title(panel.title)
            ax.set_ylabel(panel.ylabel)
            _format_y(ax, panel)
        for ax in list(axes.flat)[len(chosen):]:
            ax.set_visible(False)
        fixed = _fixed_axes(rows)
        if title or fixed:
            fig.suptitle("\n".join(filter(None, [title, f"every point: {fixed}" if fixed else ""])),
                         fontsize=11)
        if handles:
            ncol = min(len(handles), 5 if columns == 2 else 3)
            fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=ncol, fontsize=8,
                       frameon=False)
            legend_rows = -(-len(handles) // ncol)
            fig.tight_layout(rect=(0, 0.035 * legend_rows * (2 / nrows) ** 0.5, 1, 1))  # keeps the suptitle clear
        else:
            fig.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
        plt.close(fig)
    return buffer.getvalue()
