"""The MoE speed limit reproduces the DeepSeek-V3 paper's figures (Section 2.3.2)."""

from __future__ import annotations

import pytest

from topoctl.design import load_designs
from topoctl.errors import SpecError
from topoctl.metrics.analysis import design_moe, summary_throughput
from topoctl.metrics.moe import MoeModel, moe_speed_limit
from topoctl.spec import builtin_spec_path
from topoctl.topologies.base import BoundKind


def test_infiniband_50_gbytes_per_s():
    r = moe_speed_limit(50).as_dict()
    assert r["bytes_per_step"] == 3 * 32 * 9 * 7000
    assert r["step_time_us"] == pytest.approx(120.96)
    assert r["time_per_output_token_ms"] == pytest.approx(14.76, abs=0.005)
    assert int(r["tokens_per_s"]) == 67


def test_nvl72_900_gbytes_per_s():
    r = moe_speed_limit(900).as_dict()
    assert r["step_time_us"] == pytest.approx(6.72)
    assert r["time_per_output_token_ms"] == pytest.approx(0.82, abs=0.005)
    assert r["tokens_per_s"] == pytest.approx(1200, rel=0.02)


def test_model_inputs_scale_the_step():
    half = moe_speed_limit(50, MoeModel(tokens_per_step=16))
    assert half.step_time_s == pytest.approx(60.48e-6)


def test_zero_bandwidth_is_an_input_error():
    with pytest.raises(SpecError, match="gpu_bandwidth_gbytes_per_s"):
        moe_speed_limit(0)


def test_table3_designs_at_full_line_rate():
    """400G per GPU and full all-to-all throughput on the fat trees: the paper's 50 GB/s case."""
    _, designs = load_designs(builtin_spec_path())
    ft2 = next(d for d in designs if d.name == "FT2")
    all_to_all = summary_throughput(ft2).all_to_all
    assert all_to_all.value == 1.0 and all_to_all.kind == BoundKind.EXACT and all_to_all.method.startswith("closed form")
    assert design_moe(ft2, 1.0).step_time_s == pytest.approx(120.96e-6)
