"""Rich tables for people; the same report dictionaries the JSON and YAML outputs carry."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["render_design", "render_compare", "render_families", "render_sizing", "render_faults", "render_moe"]


def _int(value: int) -> str:
    return f"{value:,}"


def _musd(value: float) -> str:
    return f"${value / 1e6:,.2f}M"


def _kusd(value: float) -> str:
    return f"${value / 1e3:,.2f}k"


def _gbps(value: float) -> str:
    return f"{value / 1e3:,.1f} Tb/s" if value >= 1e3 else f"{value:,.0f} Gb/s"


def _bisection(report: dict[str, Any]) -> str:
    bound = {"exact": "", "upper_bound": " (upper bound)", "lower_bound": " (lower bound)", "estimate": " (estimate)"}[
        report["bisection_kind"]
    ]
    return f"{_gbps(report['bisection_bandwidth_gbps'])}, {report['bisection_ratio']:.3f} of full{bound}"


_KIND_MARK = {"exact": "", "upper_bound": " (ub)", "lower_bound": " (lb)", "estimate": " (est)"}


def _proven_ratio(report: dict[str, Any]) -> str:
    lower = report["bisection_lower_bound_ratio"]
    return "graph needed" if lower is None else f"{lower:.3f}"


def _roles(report: dict[str, Any]) -> str:
    return ", ".join(f"{_int(n)} {role}" for role, n in report["num_switches_by_role"].items())


def _fault_cell(domain: dict[str, Any]) -> str:
    cell = f"{_int(domain['endpoints_disconnected'])} (x{_int(domain['count'])})"
    return cell + (f" ({_int(domain['endpoints_degraded'])} degraded)" if domain["endpoints_degraded"] else "")


def _share(ratio: float | None) -> str:
    return "" if ratio is None else f"{100 * ratio:.3g}%"


_THROUGHPUT_MARK = {"exact": "", "closed": "", "bound": " (ub)", "estimate": " (est)"}


def _throughput_cell(report: dict[str, Any], pattern: str) -> str:
    figure = report.get("throughput", {}).get(pattern)
    if not figure:
        return ""
    if figure["value"] is None:
        return "graph needed"
    return f"{figure['value']:.3f}" + _THROUGHPUT_MARK.get(figure["method"].split(":")[0].split()[0], "")


def _interval_cell(report: dict[str, Any]) -> str:
    b = report.get("analysis", {}).get("bisection")
    if not b:
        return "n/a"
    lower = "?" if b["lower_bound_ratio"] is None else f"{b['lower_bound_ratio']:.3f}"
    return f"[{lower}, {b['upper_bound_ratio']:.3f}]"


def render_design(console: Console, report: dict[str, Any]) -> None:
    console.print(f"[bold]{report['name']}[/bold]: {report['variant']}")
    if not report["constructible"]:
        console.print(f"[yellow]formula only, not constructible[/yellow]: {report['not_constructible_reason']}")
    params = ", ".join(f"{key}={value}" for key, value in report["parameters"].items())
    switch = report["switch"]
    console.print(f"parameters: {params}")
    console.print(
        f"switch: {switch['model']} ({switch['radix']} x {switch['port_speed_gbps']}G, ${switch['price_usd']:,}); "
        f"endpoints: {report['ports_per_endpoint']} x {report['endpoint_speed_gbps']}G port(s) each"
    )
    table = Table(title="Inventory and cost", show_header=True, header_style="bold")
    table.add_column("item")
    table.add_column("count", justify="right")
    table.add_column("cost", justify="right")
    breakdown = report["cost_breakdown_usd"]
    table.add_row("endpoints", _int(report["num_endpoints"]), "")
    for role, n in report["num_switches_by_role"].items():
        table.add_row(f"switches: {role}", _int(n), "")
    table.add_row("switches, total", _int(report["num_switches"]), _musd(breakdown["switches_usd"]))
    for group in report["switch_link_groups"]:
        table.add_row(f"switch links: {group['link_group']} ({group['cable_class']})", _int(group["count"]), "")
    links = report["num_switch_links_by_class"]
    table.add_row("switch links, electric", _int(links["electric"]), _musd(breakdown["electric_cables_usd"]))
    table.add_row("switch links, optical", _int(links["optical"]), _musd(breakdown["optical_cables_usd"]))
    table.add_row("transceivers", _int(2 * links["optical"]), _musd(breakdown["transceivers_usd"]))
    table.add_row("endpoint links", _int(report["num_endpoint_links"]), _musd(breakdown["endpoint_cables_usd"]))
    table.add_row("[bold]total[/bold]", "", f"[bold]{_musd(report['cost_usd'])}[/bold]")
    table.add_row("per endpoint", "", _kusd(report["cost_per_endpoint_usd"]))
    console.print(table)
    metrics = Table(title="Metrics", header_style="bold")
    metrics.add_column("metric")
    metrics.add_column("value")
    metrics.add_column("method")
    metrics.add_row("bisection", _bisection(report), report["bisection_method"])
    if report["bisection_kind"] == "upper_bound":
        lower = report["bisection_lower_bound_ratio"]
        metrics.add_row(
            "bisection, proven",
            f">= {lower:.3f} of full" if lower is not None else "needs the graph (--analysis full)",
            report["bisection_lower_bound_method"] or "",
        )
    metrics.add_row("diameter", f"{report['diameter_hops']} switch hops", "closed form")
    for pattern, figure in report.get("throughput", {}).items():
        value = "needs the graph" if figure["value"] is None else f"{figure['value']:.3f} of line rate"
        metrics.add_row(f"throughput, {pattern.replace('_', '-')}", value, figure["method"])
    analysis = report.get("analysis")
    if analysis and analysis.get("level") == "full":
        b, paths = analysis["bisection"], analysis["paths"]
        lower = "n/a" if b["lower_bound_ratio"] is None else f"{b['lower_bound_ratio']:.3f}"
        methods = dict.fromkeys((b["lower_bound_method"], b["upper_bound_method"]))
        metrics.add_row("bisection interval (graph)", f"[{lower}, {b['upper_bound_ratio']:.3f}] of full", "; ".join(methods))
        metrics.add_row("mean hops (graph)", f"{paths['mean_hops']:.3f} (diameter {paths['diameter_hops']})", paths["method"])
        metrics.add_row("ECMP width (graph)", f"{paths['shortest_paths_min']:,} shortest, {paths['edge_disjoint_paths_min']:,} "
                        "edge-disjoint (min)", paths["diversity_method"])
    if analysis and analysis.get("note"):
        metrics.add_row("graph analysis", "not run", analysis["note"])
    if analysis and "moe" in analysis:
        moe = analysis["moe"]
        metrics.add_row("MoE speed limit", f"{moe['step_time_us']:,} us/step, {moe['time_per_output_token_ms']:,} ms/token, "
                        f"{moe['tokens_per_s']:,} tokens/s", moe["gpu_bandwidth_source"])
    console.print(metrics)
    faults = Table(title="Fault domains: one failure", header_style="bold")
    faults.add_column("component")
    faults.add_column("count", justify="right")
    faults.add_column("endpoints disconnected", justify="right")
    faults.add_column("endpoints degraded", justify="right")
    faults.add_column("bisection lost", justify="right")
    for d in report["fault_domains"]:
        faults.add_row(d["component"], _int(d["count"]), _int(d["endpoints_disconnected"]), _int(d["endpoints_degraded"]),
                       _share(d.get("bisection_lost_ratio")))
    console.print(faults)
    if report.get("fault_domains_method"):
        console.print(f"fault domains: {report['fault_domains_method']}", highlight=False)


def render_compare(console: Console, title: str, reports: list[dict[str, Any]]) -> None:
    table = Table(title=title, header_style="bold")
    table.add_column("metric")
    for report in reports:
        table.add_column(report["name"] + ("" if report["constructible"] else " *"), justify="right")
    rows = [
        ("endpoints", lambda r: _int(r["num_endpoints"])),
        ("switches", lambda r: _int(r["num_switches"])),
        ("  by role", _roles),
        ("switch links", lambda r: _int(r["num_switch_links"])),
        ("  electric / optical", lambda r: "{electric:,} / {optical:,}".format(**r["num_switch_links_by_class"])),
        ("endpoint links", lambda r: _int(r["num_endpoint_links"])),
        ("cost", lambda r: _musd(r["cost_usd"])),
        ("cost per endpoint", lambda r: _kusd(r["cost_per_endpoint_usd"])),
        ("bisection", lambda r: _gbps(r["bisection_bandwidth_gbps"])),
        ("bisection ratio", lambda r: f"{r['bisection_ratio']:.3f}" + _KIND_MARK[r["bisection_kind"]]),
        ("  proven at least", _proven_ratio),
        ("diameter (switch hops)", lambda r: str(r["diameter_hops"])),
        ("all-to-all throughput", lambda r: _throughput_cell(r, "all_to_all")),
        ("permutation throughput", lambda r: _throughput_cell(r, "permutation")),
        ("MoE throughput", lambda r: _throughput_cell(r, "moe")),
    ]
    if any(r.get("analysis", {}).get("level") == "full" for r in reports):
        rows += [
            ("bisection ratio interval (graph)", _interval_cell),
            ("mean hops (graph)", lambda r: f"{r['analysis']['paths']['mean_hops']:.3f}" if "paths" in r.get("analysis", {}) else ""),
        ]
    for label, cell in rows:
        table.add_row(label, *(cell(r) for r in reports))
    console.print(table)
    components: list[str] = []
    for report in reports:
        for d in report["fault_domains"]:
            if d["component"] not in components:
                components.append(d["component"])
    faults = Table(title="Fault domains: endpoints disconnected by one failure (x how many such components)", header_style="bold")
    faults.add_column("component")
    for report in reports:
        faults.add_column(report["name"], justify="right")
    for component in components:
        cells = []
        for report in reports:
            match = [d for d in report["fault_domains"] if d["component"] == component]
            cells.append(_fault_cell(match[0]) if match else "")
        faults.add_row(component, *cells)
    console.print(faults)
    notes = [f"* {r['name']}: {r['not_constructible_reason']} (formula only)" for r in reports if not r["constructible"]]
    notes += [f"{r['name']}: {r['variant']}" for r in reports]
    notes.append(
        "(ub) upper bound: cut of an explicit balanced partition; (lb) proven lower bound; "
        "switch links exclude endpoint links"
    )
    notes.append("throughput: fraction of endpoint line rate; (ub) an upper bound, (est) an estimate; "
                 "--format json gives each figure's method")
    for note in notes:
        console.print(note, highlight=False)


def render_families(console: Console, families: list[dict[str, Any]]) -> None:
    table = Table(title="Topology families", header_style="bold")
    table.add_column("family")
    table.add_column("parameters")
    table.add_column("description")
    for family in families:
        table.add_row(family["name"], ", ".join(family["parameters"]), family["summary"])
    console.print(table)


def render_sizing(console: Console, sizing: dict[str, Any], prefix: str = "") -> None:
    """The solver's figures for a sized design: status, objective, best bound, time, per-tier note."""
    unit = {"cost": "USD", "switches": "switches", "cost_per_endpoint": "USD per endpoint"}[sizing["objective"]]
    console.print(
        f"{prefix}sizing: {sizing['status']}, {sizing['objective']} {sizing['objective_value']:,} {unit} "
        f"(best bound {sizing['best_bound']:,}), "
        + (f"{sizing['solve_time_s']:.3f} s " if "solve_time_s" in sizing else "")
        + f"over {sizing['num_candidates']:,} candidates",
        highlight=False,
    )
    console.print(f"{prefix}note: {sizing['note']}", highlight=False)
    proof = sizing.get("bisection_proof")
    if proof:
        console.print(f"{prefix}bisection proven >= {proof['lower_bound_ratio']:.3f} of full ({proof['method']})", highlight=False)


def render_faults(console: Console, result: dict[str, Any]) -> None:
    """`topoctl faults`: one failure per component class, then the random-failure percentiles."""
    console.print(f"[bold]{result['name']}[/bold]: {result['variant']}")
    if result.get("note"):
        console.print(f"[yellow]{result['note']}[/yellow]")
    if result.get("node_forwarding"):
        console.print("assumes node-local forwarding to a node-mate's NIC (NCCL PXN)")
    table = Table(title="Fault domains: one failure (worst case per class)", header_style="bold")
    for column in ("component", "count", "disconnected", "degraded", "bisection lost", "method"):
        table.add_column(column, justify="left" if column in ("component", "method") else "right")
    for d in result["fault_domains"]:
        table.add_row(d["component"], _int(d["count"]), _int(d["endpoints_disconnected"]), _int(d["endpoints_degraded"]),
                      _share(d.get("bisection_lost_ratio")), d.get("method", "closed form"))
    console.print(table)
    rf = result.get("random_failures")
    if rf:
        table = Table(title=f"Random failures: {rf['link_failure_ratio']:.3%} of cables, {rf['switch_failure_ratio']:.3%} "
                      f"of switches, {rf['trials']} trials, seed {rf['seed']}", header_style="bold")
        for column in ("measure", "p5", "median", "p95"):
            table.add_column(column, justify="left" if column == "measure" else "right")
        for key in ("disconnected_pairs_ratio", "retained_bisection_ratio"):
            q = rf[key]
            table.add_row(key.replace("_", " "), *(f"{q[k]:.4%}" for k in ("p5", "median", "p95")))
        console.print(table)
        console.print(rf["method"], highlight=False)


def render_moe(console: Console, results: list[dict[str, Any]]) -> None:
    """`topoctl moe`: the MoE inference speed limit per design."""
    table = Table(title="MoE speed limit (DeepSeek-V3 paper, Section 2.3.2)", header_style="bold")
    for column in ("design", "GB/s per GPU", "step", "time per token", "tokens/s", "bandwidth from"):
        table.add_column(column, justify="left" if column in ("design", "bandwidth from") else "right")
    for r in results:
        table.add_row(r["name"], f"{r['gpu_bandwidth_gbytes_per_s']:,.2f}", f"{r['step_time_us']:,.2f} us",
                      f"{r['time_per_output_token_ms']:,.2f} ms", f"{r['tokens_per_s']:,.1f}", r.get("gpu_bandwidth_source", "given"))
    console.print(table)
