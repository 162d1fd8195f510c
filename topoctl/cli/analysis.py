"""Commands that analyse designs: faults, moe."""

from typing import Any

from topoctl import api
from topoctl.cli import render
from topoctl.cli.app import app
from topoctl.cli.options import (
    ANALYSIS,
    DESIGN,
    EXECUTION,
    LIMITS,
    SIZING,
    SOLVER,
    ExpertsPerToken,
    Format,
    GpuBandwidth,
    HiddenSize,
    LinkFailures,
    NodeForwarding,
    NumLayers,
    OutputFormat,
    Pick,
    Seed,
    Spec,
    SwitchFailures,
    TokensPerStep,
    Trials,
    example,
    grouped,
)
from topoctl.cli.output import ProgressBar, show, working


def _one_or_all(results: list[Any]) -> dict[str, Any]:
    """The output form of one result, or of several under ``designs``."""
    return results[0].as_dict() if len(results) == 1 else {"designs": [result.as_dict() for result in results]}


@app.command(
    epilog=example("topoctl faults specs/deepseek-v3-table3.yaml --design FT2 --link-failures 1% --trials 100"))
@grouped
def faults(spec: Spec = None, flags: Any = DESIGN.without("formula_only"), pick: Pick = None,
           link_failures: LinkFailures = None, switch_failures: SwitchFailures = None, trials: Trials = 200,
           seed: Seed = 0, node_forwarding: NodeForwarding = False, sizing: Any = SIZING,
           solver: Any = SOLVER.without("timings"), runner: Any = EXECUTION, fmt: Format = OutputFormat.table,
           limits: Any = LIMITS) -> None:
    """Fault domains on the graph, and random failures.

    One failure of each component class, computed on the graph.

    With --link-failures or --switch-failures, also random failures over seeded trials. A set of designs
    is analysed whole, or the one --design names.

    The trials run in --jobs local processes, or on a Dask cluster (--executor dask --scheduler ADDRESS),
    with the same figures either way.

    Sized as by `topoctl size` with --endpoints alone or --requirement.
    """
    api.set_limits(**limits)
    results = api.fault_reports(spec, flags, sizing, solver, pick=pick, link_failures=link_failures,
                                switch_failures=switch_failures, trials=trials, seed=seed,
                                node_forwarding=node_forwarding, progress=ProgressBar, executor=runner)

    def tables(console: Any) -> None:
        for result in results:
            render.render_faults(console, result)

    show(fmt, _one_or_all(results), tables)


@app.command(epilog=example("topoctl moe specs/deepseek-v3-table3.yaml --design MPFT"))
@grouped
def moe(spec: Spec = None, flags: Any = DESIGN.without("formula_only"), pick: Pick = None,
        gpu_bandwidth: GpuBandwidth = None, tokens_per_step: TokensPerStep = 32, hidden_size: HiddenSize = 7000,
        experts_per_token: ExpertsPerToken = 9, num_layers: NumLayers = 61,
        analysis: Any = ANALYSIS.without("node_forwarding", "exact_lp", "routing"), sizing: Any = SIZING,
        solver: Any = SOLVER.without("timings"), fmt: Format = OutputFormat.table, limits: Any = LIMITS) -> None:
    """The MoE inference speed limit of a design or a bandwidth.

    Step time, time per output token and tokens per second of expert-parallel inference (DeepSeek-V3
    paper, Section 2.3.2) at a design's per-GPU bandwidth times its all-to-all throughput, or at
    --gpu-bandwidth-gbytes-per-s without a design.

    Sized as by `topoctl size` with --endpoints alone or --requirement.
    """
    api.set_limits(**limits)
    with working("evaluating"):
        results = api.moe_reports(spec, flags, analysis, sizing, solver, pick=pick,
                                  gpu_bandwidth_gbytes_per_s=gpu_bandwidth, tokens_per_step=tokens_per_step,
                                  hidden_size=hidden_size, experts_per_token=experts_per_token,
                                  num_layers=num_layers)
    show(fmt, _one_or_all(results), lambda console: render.render_moe(console, results))
