"""The DeepSeek-V3 paper's Table 3 (../shared/reference/table3.yaml) is the oracle for the default spec."""

from __future__ import annotations

import pytest

from topoctl.design import load_designs
from topoctl.report import design_report
from topoctl.spec import builtin_spec_path

# As printed: endpoints, switches, switch-to-switch links, cost (M$), cost per endpoint (k$).
PRINTED = {
    "FT2": (2048, 96, 2048, 9, 4.39),
    "MPFT": (16384, 768, 16384, 72, 4.39),
    "FT3": (65536, 5120, 131072, 491, 7.5),
    "SF": (32928, 1568, 32928, 146, 4.4),
    "DF": (261632, 16352, 384272, 1522, 5.8),
}


@pytest.fixture(scope="module")
def reports():
    _, designs = load_designs(builtin_spec_path())
    return {d.name: design_report(d).as_dict() for d in designs}  # the figures as published


def test_columns_in_order(reports):
    assert list(reports) == list(PRINTED)


@pytest.mark.parametrize("name", PRINTED)
def test_counts_exact(reports, name):
    endpoints, switches, links, _, _ = PRINTED[name]
    report = reports[name]
    assert (report["num_endpoints"], report["num_switches"], report["num_switch_links"]) == (endpoints, switches, links)
    assert report["num_endpoint_links"] == endpoints


@pytest.mark.parametrize("name", PRINTED)
def test_costs_within_two_percent(reports, name):
    _, _, _, cost_musd, per_endpoint_kusd = PRINTED[name]
    report = reports[name]
    assert report["cost_usd"] / 1e6 == pytest.approx(cost_musd, rel=0.02)
    assert report["cost_per_endpoint_usd"] / 1e3 == pytest.approx(per_endpoint_kusd, rel=0.02)


def test_mpft_is_cheaper_per_endpoint_than_ft3_by_about_41_percent(reports):
    saving = 1 - reports["MPFT"]["cost_per_endpoint_usd"] / reports["FT3"]["cost_per_endpoint_usd"]
    assert saving == pytest.approx(0.41, abs=0.02)


def test_metrics_beyond_the_paper(reports):
    assert [reports[n]["diameter_hops"] for n in PRINTED] == [2, 2, 4, 2, 3]
    assert reports["FT3"]["bisection_ratio"] == 1.0 and reports["FT3"]["bisection_exact"]
    assert reports["SF"]["bisection_ratio"] == pytest.approx(2 / 3, abs=1e-5)
    # groups split in halves: about g^2/4 = 65,280 global links (METIS finds 65,518 per algorithms.md)
    assert reports["DF"]["bisection_bandwidth_gbps"] / 400 == 65_282
    assert not reports["SF"]["constructible"] and "nearest valid: 27, 29" in reports["SF"]["not_constructible_reason"]
    leaf = {d["component"]: d for d in reports["FT2"]["fault_domains"]}["leaf"]
    assert leaf["endpoints_disconnected"] == 32
