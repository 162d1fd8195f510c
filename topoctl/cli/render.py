"""Rich tables for people, from the library's typed results, and progress bars on stderr.

A table shows each figure as the JSON and YAML outputs publish it (the result's ``as_dict``, rounded)
and marks a bound or an estimate from the figure's ``kind`` (topoctl.topologies.base.BoundKind), never
from the wording of its method.

Every table fits the console's width. A table that fits as it is prints as it is. One too wide is laid
out again: a comparison (a label column, then one column per design) is split into several tables of
as many designs as fit, each column at least as wide as its longest value, so a figure never breaks; a
table with a long ``method`` column numbers the methods in it ([1], [2], ...) and lists them under the
table when the column would get fewer than METHOD_MIN_WIDTH characters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is imported when a table is drawn, never at start-up
    from rich.console import Console
    from rich.table import Table

    from topoctl.api import BoundKind, DesignReport, FaultAnalysis, MoeReport, Section

__all__ = [
    "render_design",
    "render_sized",
    "render_compare",
    "render_comparison",
    "render_families",
    "render_sizing",
    "render_faults",
    "render_moe",
    "render_parts",
    "render_routing",
    "render_sweep",
    "ProgressBar",
    "working",
]

METHOD_MIN_WIDTH = 30  # a method column narrower than this is a column of single words: list them below


def _table(title: str | None = None, **options: Any) -> Table:
    from rich.table import Table

    return Table(title=title, header_style="bold", **options)


def _widths(console: Console, text: str) -> tuple[int, int]:
    """(longest word, whole text) as rich measures a cell (markup read)."""
    from rich.measure import Measurement

    measured = Measurement.get(console, console.options, text)
    return measured.minimum, measured.maximum


def _fits(console: Console, table: Table) -> bool:
    """Whether the table fits unwrapped (rich measures a table within the width it is given: give it all)."""
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update_width(1 << 20), table).maximum <= console.width


def _border(widths: Sequence[int]) -> int:
    """A table's width for these column contents: one space of padding each side, a rule between."""
    return sum(widths) + 3 * len(widths) + 1


def _fit_columns(
    console: Console,
    title: str,
    label_header: str,
    labels: Sequence[str],
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    wrap_rows: Sequence[int] = (),
) -> None:
    """A label column and one right-justified column per entry (``cells[column][row]``), as one table if
    it fits, else split into tables of as many columns as fit. Only the rows in ``wrap_rows`` may wrap
    (at spaces); every other cell keeps its figure on one line."""

    def build(columns: Sequence[int], suffix: str = "", widths: Sequence[int] | None = None) -> Table:
        table = _table(title + suffix)
        table.add_column(label_header, width=widths[0] if widths else None)
        for position, column in enumerate(columns):
            table.add_column(headers[column], justify="right", width=widths[position + 1] if widths else None)
        for row, label in enumerate(labels):
            if suffix and not any(cells[column][row] for column in columns):
                continue  # a row none of this part's entries has (a fault class of another family)
            table.add_row(label, *(cells[column][row] for column in columns))
        return table

    whole = build(range(len(headers)))
    if _fits(console, whole):
        console.print(whole)
        return
    label_width = max(_widths(console, text)[1] for text in [label_header, *labels])
    least, most = [], []  # per column: the width no figure breaks at, and the width nothing wraps at
    for column, header in enumerate(headers):
        sizes = [_widths(console, cell) for cell in cells[column]]
        least.append(
            max([_widths(console, header)[1]] + [s[0] if r in wrap_rows else s[1] for r, s in enumerate(sizes)])
        )
        most.append(max([_widths(console, header)[1]] + [s[1] for s in sizes]))
    runs = _runs([label_width], least, console.width)
    for number, run in enumerate(runs, 1):
        widths = [label_width, *(least[c] for c in run)]
        spare = console.width - _border(widths)
        for position, column in enumerate(run, 1):  # room left goes to the columns that would wrap
            grow = max(0, min(spare, most[column] - widths[position]))
            widths[position] += grow
            spare -= grow
        suffix = f" ({number} of {len(runs)})" if len(runs) > 1 else ""
        console.print(build(run, suffix, widths if _border(widths) <= console.width else None))


def _runs(fixed: Sequence[int], widths: Sequence[int], width: int) -> list[list[int]]:
    """The columns (``widths``) in as few consecutive runs beside the ``fixed`` ones as fit in ``width``,
    as even in size as they can be (5 columns in two tables: 3 and 2, not 4 and 1)."""
    greedy: list[list[int]] = [[]]
    for column, least in enumerate(widths):
        if greedy[-1] and _border([*fixed, *(widths[c] for c in greedy[-1]), least]) > width:
            greedy.append([])
        greedy[-1].append(column)
    count, size = len(greedy), -(-len(widths) // len(greedy))
    even = [list(range(start, min(start + size, len(widths)))) for start in range(0, len(widths), size)]
    fits = all(_border([*fixed, *(widths[c] for c in run)]) <= width for run in even)
    return even if len(even) == count and fits else greedy


def _with_method_notes(
    console: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], left: Sequence[str]
) -> None:
    """A table whose last column is each row's method (columns in ``left`` left-justified, the others
    right), its method cells as they are; or, when the method column would get fewer than
    METHOD_MIN_WIDTH characters beside the other columns, with each method numbered in the table and
    listed below it."""

    def make(method: Callable[[str], str]) -> Table:
        table = _table(title)
        for column in headers:
            table.add_column(column, justify="left" if column in left else "right")
        for row in rows:
            table.add_row(*row[:-1], method(row[-1]))
        return table

    table = make(lambda method: method)
    others_width = _others_width(console, [row[:-1] for row in rows], headers[:-1])
    if _fits(console, table) or console.width - others_width - 3 >= METHOD_MIN_WIDTH:
        console.print(table)
        return
    notes = list(dict.fromkeys(row[-1] for row in rows if row[-1]))
    console.print(make(lambda method: f"\\[{notes.index(method) + 1}]" if method else ""))
    grid = _table(box=None, show_header=False, padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for number, note in enumerate(notes, 1):
        grid.add_row(f"\\[{number}]", note)
    console.print(grid, highlight=False)


def _others_width(console: Console, rows: Sequence[Sequence[str]], headers: Sequence[str]) -> int:
    """The width the columns other than the method one take unwrapped, with their borders."""
    widths = [max(_widths(console, text)[1] for text in column) for column in zip(headers, *rows, strict=True)]
    return _border(widths)


def _int(value: int) -> str:
    return f"{value:,}"


def _musd(value: float) -> str:
    return f"${value / 1e6:,.2f}M"


def _kusd(value: float) -> str:
    return f"${value / 1e3:,.2f}k"


def _watts(value: float) -> str:
    return f"{value / 1e6:,.2f} MW" if value >= 1e6 else f"{value / 1e3:,.1f} kW"


def _power_split(power: dict[str, float]) -> str:
    """``72 / 35 / 51 kW``: the three sources in the unit of the total."""
    mega = power["total"] >= 1e6
    scale, unit, digits = (1e6, "MW", 2) if mega else (1e3, "kW", 1)
    return " / ".join(f"{power[k] / scale:,.{digits}f}" for k in ("switches", "optics", "nics")) + f" {unit}"


def _parts_cell(data: dict[str, Any]) -> str:
    return ", ".join(f"{_int(line['links'])} {part}" for part, line in data["optics_by_class"].items())


def _latency_cell(data: dict[str, Any]) -> str:
    latency = data["latency_us"]
    forwarded = latency["worst_case"] != latency["same_plane_worst_case"]
    return f"{latency['worst_case']:.2f} us" + (" (fwd)" if forwarded else "")


def _gbps(value: float) -> str:
    return f"{value / 1e3:,.1f} Tb/s" if value >= 1e3 else f"{value:,.0f} Gb/s"


# Keyed by the values of BoundKind, a StrEnum, so a figure's kind finds its entry while the CLI imports
# nothing of the library but topoctl.api (and that only lightly) at start-up.
_KIND_WORDS = {"exact": "", "upper_bound": " (upper bound)", "lower_bound": " (lower bound)", "estimate": " (estimate)"}
_KIND_MARKS = {"exact": "", "upper_bound": " (ub)", "lower_bound": " (lb)", "estimate": " (est)"}


def _kind_words(kind: BoundKind) -> str:
    """After a figure: what it is, in words (nothing for an exact figure)."""
    return _KIND_WORDS[kind]


def _kind_mark(kind: BoundKind) -> str:
    """After a figure in a comparison: what it is, abbreviated as the notes under the table explain."""
    return _KIND_MARKS[kind]


def _bisection(report: DesignReport, data: dict[str, Any]) -> str:
    bound = _kind_words(report.bisection.kind)
    return f"{_gbps(data['bisection_bandwidth_gbps'])}, {data['bisection_ratio']:.3f} of full{bound}"


def _proven_ratio(data: dict[str, Any]) -> str:
    lower = data["bisection_lower_bound_ratio"]
    return "graph needed" if lower is None else f"{lower:.3f}"


def _roles(data: dict[str, Any]) -> str:
    return ", ".join(f"{_int(n)} {role}" for role, n in data["num_switches_by_role"].items())


def _fault_cell(domain: dict[str, Any]) -> str:
    cell = f"{_int(domain['endpoints_disconnected'])} (x{_int(domain['count'])})"
    return cell + (f" ({_int(domain['endpoints_degraded'])} degraded)" if domain["endpoints_degraded"] else "")


def _share(ratio: float | None) -> str:
    return "" if ratio is None else f"{100 * ratio:.3g}%"


def _throughput_cell(report: DesignReport, data: dict[str, Any], pattern: str) -> str:
    kind = report.throughput.figures()[pattern].kind
    value = data["throughput"][pattern]["value"]
    if value is None or kind is None:
        return "graph needed"
    return f"{value:.3f}" + _kind_mark(kind)


def _interval_cell(data: dict[str, Any]) -> str:
    b = data.get("analysis", {}).get("bisection")
    if not b:
        return "n/a"
    lower = "?" if b["lower_bound_ratio"] is None else f"{b['lower_bound_ratio']:.3f}"
    return f"[{lower}, {b['upper_bound_ratio']:.3f}]"


def _mean_hops_cell(data: dict[str, Any]) -> str:
    paths = data.get("analysis", {}).get("paths")
    return f"{paths['mean_hops']:.3f}" if paths else ""


def _metric_rows(report: DesignReport, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The Metrics table of a design: (metric, value, method)."""
    rows = [("bisection", _bisection(report, data), data["bisection_method"])]
    if report.bisection.kind == "upper_bound":  # BoundKind.UPPER_BOUND
        lower = data["bisection_lower_bound_ratio"]
        rows.append((
            "bisection, proven",
            f">= {lower:.3f} of full" if lower is not None else "needs the graph (--analysis full)",
            data["bisection_lower_bound_method"] or "",
        ))
    rows.append(("diameter", f"{data['diameter_hops']} switch hops", "closed form"))
    latency = data["latency_us"]
    value = f"{latency['worst_case']:.2f} us worst ({latency['link_layer']})"
    if latency["worst_case"] != latency["same_plane_worst_case"]:
        value += f", {latency['same_plane_worst_case']:.2f} us in one plane"
    if latency["mean"] is not None:
        value += f", {latency['mean']:.2f} us mean"
    rows.append(("latency", value, latency["method"]))
    for pattern, figure in data["throughput"].items():
        value = "needs the graph" if figure["value"] is None else f"{figure['value']:.3f} of line rate"
        rows.append((f"throughput, {pattern.replace('_', '-')}", value, figure["method"]))
    analysis = data.get("analysis")
    if analysis and analysis.get("level") == "full":
        b, paths = analysis["bisection"], analysis["paths"]
        lower = "n/a" if b["lower_bound_ratio"] is None else f"{b['lower_bound_ratio']:.3f}"
        methods = dict.fromkeys((b["lower_bound_method"], b["upper_bound_method"]))
        rows.append(
            ("bisection interval (graph)", f"[{lower}, {b['upper_bound_ratio']:.3f}] of full", "; ".join(methods))
        )
        rows.append(
            ("mean hops (graph)", f"{paths['mean_hops']:.3f} (diameter {paths['diameter_hops']})", paths["method"])
        )
        rows.append(("ECMP width (graph)",
                     f"{paths['shortest_paths_min']:,} shortest, {paths['edge_disjoint_paths_min']:,} "
                     "edge-disjoint (min)", paths["diversity_method"]))
    if analysis and analysis.get("note"):
        rows.append(("graph analysis", "not run", analysis["note"]))
    if analysis and "moe" in analysis:
        moe = analysis["moe"]
        rows.append(("MoE speed limit",
                     f"{moe['step_time_us']:,} us/step, {moe['time_per_output_token_ms']:,} ms/token, "
                     f"{moe['tokens_per_s']:,} tokens/s", moe["gpu_bandwidth_source"]))
    return rows


def _routing_cell(figure: dict[str, Any] | None) -> str:
    """A routing figure: the value and its mark, or an interval lower-upper (<= upper when no lower end)."""
    if figure is None:
        return ""
    if "upper" in figure and figure["kind"] != "exact":
        if figure["lower"] is None:
            return f"<= {figure['upper']:.3f}"
        return f"{figure['lower']:.3f}-{figure['upper']:.3f}"
    return f"{figure['value']:.3f}" + _KIND_MARKS[figure["kind"]]


def _routing_section(data: dict[str, Any]) -> dict[str, Any] | None:
    analysis = data.get("analysis") or {}
    return analysis.get("routing")


def render_routing(console: Console, routing: dict[str, Any]) -> None:
    """The routing figures of one design: a pattern a row, a routing a column."""
    table = _table("Throughput by routing (fraction of line rate)")
    table.add_column("traffic")
    for name in routing["routings"]:
        table.add_column(name, justify="right")
    for pattern, figures in routing["patterns"].items():
        table.add_row(pattern.replace("_", "-"), *(_routing_cell(figures.get(name)) for name in routing["routings"]))
    console.print(table)
    for note in routing["notes"]:
        console.print(f"routing: {note}", highlight=False)
    console.print("(ub) upper bound, (est) estimate, a-b the ideal's certified interval; --format json gives "
                  "each figure's method", highlight=False)


def render_design(console: Console, report: DesignReport) -> None:
    data = report.as_dict()
    console.print(f"[bold]{data['name']}[/bold]: {data['variant']}")
    if not data["constructible"]:
        console.print(f"[yellow]formula only, not constructible[/yellow]: {data['not_constructible_reason']}")
    params = ", ".join(f"{key}={value}" for key, value in data["parameters"].items())
    switch = data["switch"]
    console.print(f"parameters: {params}")
    breakout = switch["breakout"]
    split = f", {switch['radix'] // breakout} cages split {breakout}" if breakout > 1 else ""
    role_models = data.get("role_switches", {})
    roles = [role for role in data["num_switches_by_role"] if role not in role_models]
    listed = " and ".join([", ".join(roles[:-1]), roles[-1]] if len(roles) > 1 else roles)
    used = (f", {listed} switches" if roles else ", for port speed and link layer (each role has its own)"
            ) if role_models else ""
    console.print(
        f"switch: {switch['model']} ({switch['radix']} x {switch['port_speed_gbps']}G{split}, "
        f"${switch['price_usd']:,}, {switch['link_layer']}){used}; "
        f"endpoints: {data['ports_per_endpoint']} x {data['endpoint_speed_gbps']}G port(s) each",
        highlight=False,
    )
    if switch["selection"]:
        console.print(f"switch choice: {switch['selection']}", highlight=False)
    for role, own in role_models.items():
        split = f", {own['radix'] // own['breakout']} cages split {own['breakout']}" if own["breakout"] > 1 else ""
        console.print(f"{role} switches: {own['model']} ({own['radix']} x {own['port_speed_gbps']}G{split}, "
                      f"${own['price_usd']:,})", highlight=False)
    table = _table("Inventory and cost", show_header=True)
    table.add_column("item")
    table.add_column("count", justify="right")
    table.add_column("cost", justify="right")
    breakdown = data["cost_breakdown_usd"]
    table.add_row("endpoints", _int(data["num_endpoints"]), "")
    for role, n in data["num_switches_by_role"].items():
        table.add_row(f"switches: {role}", _int(n), "")
    table.add_row("switches, total", _int(data["num_switches"]), _musd(breakdown["switches_usd"]))
    for group in data["switch_link_groups"]:
        table.add_row(f"switch links: {group['link_group']} ({group['cable_class']})", _int(group["count"]), "")
    links = data["num_switch_links_by_class"]
    table.add_row("switch links, electric", _int(links["electric"]), _musd(breakdown["electric_cables_usd"]))
    table.add_row("switch links, optical", _int(links["optical"]), _musd(breakdown["optical_cables_usd"]))
    table.add_row("transceivers", _int(2 * links["optical"]), _musd(breakdown["transceivers_usd"]))
    table.add_row("endpoint links", _int(data["num_endpoint_links"]), _musd(breakdown["endpoint_cables_usd"]))
    table.add_row("[bold]total[/bold]", "", f"[bold]{_musd(data['cost_usd'])}[/bold]")
    table.add_row("per endpoint", "", _kusd(data["cost_per_endpoint_usd"]))
    console.print(table)
    _render_footprint(console, data)
    if "cost_length_aware_usd" in data:
        _render_plan(console, data)
    headers = ("metric", "value", "method")
    _with_method_notes(console, "Metrics", headers, _metric_rows(report, data), left=headers)
    faults = _table("Fault domains: one failure")
    faults.add_column("component")
    faults.add_column("count", justify="right")
    faults.add_column("endpoints disconnected", justify="right")
    faults.add_column("endpoints degraded", justify="right")
    faults.add_column("bisection lost", justify="right")
    for d in data["fault_domains"]:
        faults.add_row(d["component"], _int(d["count"]), _int(d["endpoints_disconnected"]),
                       _int(d["endpoints_degraded"]), _share(d.get("bisection_lost_ratio")))
    console.print(faults)
    if data.get("fault_domains_method"):
        console.print(f"fault domains: {data['fault_domains_method']}", highlight=False)
    routing = _routing_section(data)
    if routing:
        render_routing(console, routing)


def _render_footprint(console: Console, data: dict[str, Any]) -> None:
    """Power by source, parts by class, racks (count-based)."""
    table = _table("Power, parts and racks (count-based)")
    for column in ("item", "count", "power"):
        table.add_column(column, justify="left" if column == "item" else "right")
    switch, power = data["switch"], data["power_w"]
    models = data.get("switches_by_model")
    if models is None:
        table.add_row(f"switches: {switch['model']} at {_int(round(switch['power_typical_w']))} W",
                      _int(data["num_switches"]), _watts(power["switches"]))
    for model in models or ():  # each model's switches at its power
        table.add_row(f"switches: {model['model']} at {_int(round(model['power_typical_w']))} W",
                      _int(model["switches"]), _watts(model["switches"] * model["power_typical_w"]))
    nic = data["nic"]
    if nic is not None:
        planes = f", {nic['planes']} planes" if nic["planes"] > 1 else ""
        table.add_row(f"NICs: {nic['model']}{planes}", _int(nic["count"]), _watts(power["nics"]))
    else:
        table.add_row("NICs: none in the catalog fits", "", "")
    for part, line in data["optics_by_class"].items():
        table.add_row(f"{part} ({line['kind']}) links", _int(line["links"]), _watts(line["power_w"]))
        for module, count in line["modules"].items():
            table.add_row(f"  {module}", _int(count), "")
    table.add_row("[bold]total[/bold]", "", f"[bold]{_watts(power['total'])}[/bold]")
    table.add_row("per endpoint", "", f"{data['power_per_endpoint_w']:,.1f} W")
    racks = data["racks"]
    table.add_row(f"racks: compute ({_int(racks['nodes_per_rack'])} nodes of {racks['node_u']}U each)",
                  _int(racks["compute"]), "")
    for group in racks.get("switch_groups") or [racks]:  # each model's racks, with several models
        model = f"{group['model']}: " if "model" in group else ""
        table.add_row(f"racks: network ({model}{_int(group['switches_per_rack'])} switches of {group['switch_u']}U "
                      "each)", _int(group.get("racks", racks["network"])), "")
    console.print(table)
    console.print(f"parts: {data['optics_method']}; racks of {racks['rack_power_kw']:g} kW", highlight=False)


def _render_plan(console: Console, data: dict[str, Any]) -> None:
    """--cost-lengths: the cabling plan's cost and parts (each cable's class by its length)."""
    table = _table("From the cabling plan (--cost-lengths)")
    for column in ("item", "links", "modules", "power"):
        table.add_column(column, justify="left" if column == "item" else "right")
    parts = data.get("parts_length_aware")
    if parts is not None:
        for part, line in parts["by_class"].items():
            table.add_row(f"{part} ({line['kind']})", _int(line["links"]), _int(sum(line["modules"].values())),
                          _watts(line["power_w"]))
        table.add_row("parts, total", "", _int(parts["num_modules"]), _watts(parts["power_w"]))
    table.add_row("[bold]cost, length-aware[/bold]", "", "", f"[bold]{_musd(data['cost_length_aware_usd'])}[/bold]")
    console.print(table)
    console.print(f"cost: {data['cost_length_aware_method']}", highlight=False)


def render_compare(console: Console, title: str, reports: list[DesignReport]) -> None:
    pairs = [(report, report.as_dict()) for report in reports]
    rows: list[tuple[str, Callable[[DesignReport, dict[str, Any]], str]]] = [
        ("endpoints", lambda r, d: _int(d["num_endpoints"])),
        ("switches", lambda r, d: _int(d["num_switches"])),
        ("  by role", lambda r, d: _roles(d)),
        ("switch links", lambda r, d: _int(d["num_switch_links"])),
        ("  electric / optical", lambda r, d: "{electric:,} / {optical:,}".format(**d["num_switch_links_by_class"])),
        ("endpoint links", lambda r, d: _int(d["num_endpoint_links"])),
        ("cost", lambda r, d: _musd(d["cost_usd"])),
        ("cost per endpoint", lambda r, d: _kusd(d["cost_per_endpoint_usd"])),
        ("power", lambda r, d: _watts(d["power_w"]["total"])),
        ("  per endpoint", lambda r, d: f"{d['power_per_endpoint_w']:,.1f} W"),
        ("  switch/optics/NIC", lambda r, d: _power_split(d["power_w"])),
        ("optical modules", lambda r, d: _int(d["num_optical_modules"])),
        ("links by part class", lambda r, d: _parts_cell(d)),
        ("racks", lambda r, d: _int(d["racks"]["total"])),
        ("  of them network", lambda r, d: _int(d["racks"]["network"])),
        ("latency, worst case", lambda r, d: _latency_cell(d)),
        ("bisection", lambda r, d: _gbps(d["bisection_bandwidth_gbps"])),
        ("bisection ratio", lambda r, d: f"{d['bisection_ratio']:.3f}" + _kind_mark(r.bisection.kind)),
        ("  proven at least", lambda r, d: _proven_ratio(d)),
        ("diameter (switch hops)", lambda r, d: str(d["diameter_hops"])),
        ("all-to-all throughput", lambda r, d: _throughput_cell(r, d, "all_to_all")),
        ("permutation throughput", lambda r, d: _throughput_cell(r, d, "permutation")),
        ("MoE throughput", lambda r, d: _throughput_cell(r, d, "moe")),
    ]
    if any(report.analysis is not None and report.analysis.level == "full" for report in reports):
        rows += [
            ("bisection ratio interval (graph)", lambda r, d: _interval_cell(d)),
            ("mean hops (graph)", lambda r, d: _mean_hops_cell(d)),
        ]
    routed = [_routing_section(data) for _, data in pairs]
    routings = list(dict.fromkeys(name for section in routed if section for name in section["routings"]))
    def routed_cell(pattern: str, name: str) -> Callable[[DesignReport, dict[str, Any]], str]:
        def cell(report: DesignReport, data: dict[str, Any]) -> str:
            patterns = (_routing_section(data) or {}).get("patterns", {})
            return _routing_cell((patterns.get(pattern) or {}).get(name))

        return cell

    for name in routings:
        for pattern in ("uniform", "shift", "bit_reverse", "moe"):
            rows.append((f"{pattern.replace('_', '-')}, {name}", routed_cell(pattern, name)))
    headers = [data["name"] + ("" if data["constructible"] else " *") for _, data in pairs]
    cells = [[cell(report, data) for _, cell in rows] for report, data in pairs]
    labels = [label for label, _ in rows]
    wrap = [labels.index("  by role"), labels.index("links by part class"), labels.index("  switch/optics/NIC")]
    _fit_columns(console, title, "metric", labels, headers, cells, wrap_rows=wrap)
    components: list[str] = []
    for _, data in pairs:
        for d in data["fault_domains"]:
            if d["component"] not in components:
                components.append(d["component"])
    faults = []
    for _, data in pairs:
        by_component = {d["component"]: d for d in data["fault_domains"]}
        faults.append([_fault_cell(by_component[c]) if c in by_component else "" for c in components])
    _fit_columns(console, "Fault domains: endpoints disconnected by one failure (x how many such components)",
                 "component", components, [data["name"] for _, data in pairs], faults)
    notes = [
        f"* {d['name']}: {d['not_constructible_reason']} (formula only)" for _, d in pairs if not d["constructible"]
    ]
    notes += [f"{d['name']}: {d['variant']}" for _, d in pairs]
    notes.append(
        "(ub) upper bound: cut of an explicit balanced partition; (lb) proven lower bound; "
        "switch links exclude endpoint links"
    )
    notes.append("throughput: fraction of endpoint line rate; (ub) an upper bound, (est) an estimate; "
                 "--format json gives each figure's method")
    notes.append("power and parts: count-based, catalog figures; latency: the DeepSeek-V3 paper's Table 5 per switch "
                 "traversed, (fwd) with forwarding between planes in the node")
    if routings:
        notes.append("traffic, routing: throughput under that routing model; a-b the ideal's certified interval")
        for _, data in pairs:
            section = _routing_section(data)
            notes += [f"{data['name']}: {note}" for note in (section["notes"] if section else [])]
    for note in notes:
        console.print(note, highlight=False)


def render_comparison(console: Console, comparison: Any) -> None:
    """`topoctl compare` (api.Comparison): the designs side by side; sized ones with the solver's figures
    and the families none of whose designs met the requirement."""
    render_compare(console, comparison.title, comparison.reports)
    if comparison.infeasible is None:
        return
    for report in comparison.reports:
        if report.sizing is not None:
            render_sizing(console, report.sizing, prefix=f"{report.name}: ")
    for family, why in comparison.infeasible.items():
        console.print(f"{family}: none: {why}", highlight=False)
    for family, why in comparison.timed_out.items():
        console.print(f"{family}: not sized: {why}", highlight=False)


def render_sized(console: Console, reports: list[DesignReport], numbered: bool = False,
                 shortfall: str | None = None) -> None:
    """`topoctl size`: each design's report and the solver's figures, numbered when more were asked for;
    ``shortfall``, why the list holds fewer than asked for, first and last (a long list scrolls)."""
    if shortfall:
        console.print(shortfall, highlight=False)
    for index, report in enumerate(reports):
        if numbered:
            console.print(f"[bold]#{index + 1} of {len(reports)}[/bold]")
        render_design(console, report)
        if report.sizing is not None:
            render_sizing(console, report.sizing)
    if shortfall and len(reports) > 1:
        console.print(shortfall, highlight=False)


def render_families(console: Console, families: list[dict[str, Any]]) -> None:
    table = _table("Topology families")
    table.add_column("family")
    table.add_column("parameters")
    table.add_column("description")
    for family in families:
        table.add_row(family["name"], ", ".join(family["parameters"]), family["summary"])
    console.print(table)


def render_parts(console: Console, data: dict[str, Any]) -> None:
    """`topoctl parts`: switches, NICs and cable classes of the active catalog."""
    table = _table("Switch models")
    for column in ("model", "ports", "layer", "power", "U", "price"):
        table.add_column(column, justify="right" if column in ("power", "U", "price") else "left",
                         no_wrap=column == "model")
    for s in data["switches"]:
        table.add_row(s["name"], ", ".join(s["configurations"]), s["link_layer"],
                      f"{s['power_typical_w']:,.0f} W", str(s["rack_units"]), f"${s['price_usd']:,.0f}")
    console.print(table)
    table = _table("NICs")
    for column in ("model", "product", "ports", "power", "price"):
        table.add_column(column, justify="right" if column in ("power", "price") else "left")
    for n in data["nics"]:
        ports = ", ".join(f"{p} x {n['port_gbps'] / p:g}G" for p in n["planes"])
        table.add_row(n["name"], n["product"], ports, f"{n['power_w']:g} W", f"${n['price_usd']:,.0f}")
    console.print(table)
    table = _table("Cable and optics classes")
    for column in ("class", "kind", "speed", "reach", "power", "price"):
        table.add_column(column, justify="left" if column in ("class", "kind") else "right")
    for c in data["cables"]:
        if c["kind"] == "transceiver":
            power = ", ".join(f"{m['power_w']:g} W/{m['ports']}" for m in c["modules"])
            price = ", ".join(f"${m['price_usd']:,.0f}/{m['ports']}" for m in c["modules"])
        else:
            power, price = f"{c['power_per_end_w']:g} W/end", f"${c['price_usd']:,.0f}"
        table.add_row(c["name"], c["kind"], f"{c['link_gbps']:g}G", f"{c['reach_m']:g} m", power, price)
    console.print(table)
    console.print("transceivers: per module serving /N links of a cage; sources: topoctl parts --format yaml",
                  highlight=False)


def render_sizing(console: Console, section: Section, prefix: str = "") -> None:
    """The solver's figures for a sized design: status, objective, best bound, time, per-tier note."""
    sizing = section.as_dict()
    unit = {"cost": "USD", "switches": "switches", "cost_per_endpoint": "USD per endpoint",
            "power": "kW"}[sizing["objective"]]
    console.print(
        f"{prefix}sizing: {sizing['status']}, {sizing['objective']} {sizing['objective_value']:,} {unit} "
        + (f"(best bound {sizing['best_bound']:,}, gap {sizing['gap']:.2%}), " if sizing["best_bound"] is not None
           else "(no bound proven), ")
        + (f"{sizing['solve_time_s']:.3f} s " if "solve_time_s" in sizing else "")
        + f"over {sizing['num_candidates']:,} candidates",
        highlight=False,
    )
    console.print(f"{prefix}note: {sizing['note']}", highlight=False)
    if sizing.get("picked_by_closed_forms"):
        console.print(f"{prefix}not solved: the solver found no design before the time limit; this is the best "
                      "shape by its closed forms, rebuilt and checked", highlight=False)
    if "enumeration_stopped" in sizing:
        console.print(f"{prefix}not proven optimal: the time limit ended the enumeration of shapes while "
                      f"{sizing['enumeration_stopped']}", highlight=False)
    proof = sizing.get("bisection_proof")
    if proof:
        console.print(
            f"{prefix}bisection proven >= {proof['lower_bound_ratio']:.3f} of full ({proof['method']})", highlight=False
        )


def render_faults(console: Console, analysis: FaultAnalysis) -> None:
    """`topoctl faults`: one failure per component class, then the random-failure percentiles."""
    result = analysis.as_dict()
    console.print(f"[bold]{result['name']}[/bold]: {result['variant']}")
    if result.get("note"):
        console.print(f"[yellow]{result['note']}[/yellow]")
    if result.get("node_forwarding"):
        console.print("assumes node-local forwarding to a node-mate's NIC (NCCL PXN)")
    rows = [
        (d["component"], _int(d["count"]), _int(d["endpoints_disconnected"]), _int(d["endpoints_degraded"]),
         _share(d.get("bisection_lost_ratio")), d.get("method", "closed form"))
        for d in result["fault_domains"]
    ]
    headers = ("component", "count", "disconnected", "degraded", "bisection lost", "method")
    _with_method_notes(console, "Fault domains: one failure (worst case per class)", headers, rows,
                       left=("component", "method"))
    rf = result.get("random_failures")
    if rf:
        table = _table(f"Random failures: {rf['link_failure_ratio']:.3%} of cables, {rf['switch_failure_ratio']:.3%} "
                       f"of switches, {rf['trials']} trials, seed {rf['seed']}")
        for column in ("measure", "p5", "median", "p95"):
            table.add_column(column, justify="left" if column == "measure" else "right")
        for key in ("disconnected_pairs_ratio", "retained_bisection_ratio"):
            q = rf[key]
            table.add_row(key.replace("_", " "), *(f"{q[k]:.4%}" for k in ("p5", "median", "p95")))
        console.print(table)
        console.print(rf["method"], highlight=False)


def render_moe(console: Console, reports: list[MoeReport]) -> None:
    """`topoctl moe`: the MoE inference speed limit per design."""
    headers = ("design", "GB/s per GPU", "step", "time per token", "tokens/s", "bandwidth from")
    results = [report.as_dict() for report in reports]
    rows = [
        (r["name"], f"{r['gpu_bandwidth_gbytes_per_s']:,.2f}", f"{r['step_time_us']:,.2f} us",
         f"{r['time_per_output_token_ms']:,.2f} ms", f"{r['tokens_per_s']:,.1f}",
         r.get("gpu_bandwidth_source", "given"))
        for r in results
    ]

    _with_method_notes(console, "MoE speed limit (DeepSeek-V3 paper, Section 2.3.2)", headers, rows,
                       left=("design", "bandwidth from"))


def _axis_cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def render_sweep(console: Console, result: Any) -> None:
    """`topoctl sweep` (api.SweepResult): a row per point, the axes it varies first; an infeasible point's
    reason as a numbered note under the table (one note per distinct reason)."""
    axes = [axis for axis in result.varied if axis != "endpoints"] or ["family"]
    headers = [axis.removeprefix("parameters.") for axis in axes] + [
        "asked", "built", "switches", "$/endpoint", "bisection", "hops"]
    table = _table(title=f"{result.name}: {len(result.rows):,} points")
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index < len(axes) else "right", no_wrap=index >= len(axes))
    notes: dict[str, int] = {}
    for row in result.rows:
        point = row["point"]
        cells = [_axis_cell(point.get(axis.removeprefix("point."), "")) for axis in axes]
        cells.append(_int(point["endpoints"]))
        if row["status"] != "ok":
            number = notes.setdefault(row["reason"], len(notes) + 1)
            shown = "timed out" if row["status"] == "timed_out" else "none"  # more time may find one
            table.add_row(*cells, f"{shown} [{number}]", "", "", "", "")
            continue
        mark = "" if row["bisection_kind"] == "exact" else _KIND_MARKS.get(row["bisection_kind"], "")
        table.add_row(*cells, _int(row["num_endpoints"]), _int(row["num_switches"]),
                      _kusd(row["cost_per_endpoint_usd"]), f"{row['bisection_ratio']:.3f}{mark}",
                      str(row["diameter_hops"]))
    console.print(table)
    console.print("asked: endpoints of the point; built: endpoints of its design; $/endpoint: count-based cost; "
                  "(ub) upper bound", highlight=False)
    for reason, number in notes.items():
        console.print(f"[{number}] {reason}", highlight=False, markup=False)


class ProgressBar:
    """A transient rich progress bar on stderr: drawn on a terminal only, and only once the work has run
    for ``delay_s`` (so quick runs print nothing)."""

    def __init__(self, description: str, delay_s: float = 0.0) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._description, self._delay_s = description, delay_s
        self._bar: Any = None
        self._task: Any = None
        self._done = 0

    def advance(self, steps: int, total: int | None) -> None:
        self.update(self._done + steps, total)

    def update(self, completed: int, total: int | None) -> None:
        self._done = completed
        if self._bar is None:
            if self._clock() - self._start < self._delay_s:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            stderr = Console(stderr=True)
            # a spinner and the elapsed time: work that does not advance for a while (an eigensolver, a
            # solve) still shows it is running
            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       *([MofNCompleteColumn()] if total is not None else []), TimeElapsedColumn()]
            self._bar = Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal)
            self._bar.start()
            self._task = self._bar.add_task(self._description, total=total)
        self._bar.update(self._task, completed=self._done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner with the elapsed time on stderr (a terminal only) while one long step runs: a solve, a
    graph analysis."""
    with ProgressBar(description) as bar:
        bar.update(0, None)
        yield
