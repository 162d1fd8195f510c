"""Rack layout, cable lengths and classes, and the length-aware cost."""

from __future__ import annotations

import pytest

from topoctl.errors import SpecError
from topoctl.export.job import ExportJob
from topoctl.physical.layout import RU_M, CableTally, Layout, LayoutOptions, stock_length_m
from topoctl.topologies.base import ELECTRIC, OPTICAL

from export_cases import small_job


@pytest.mark.parametrize(
    ("length_m", "stock_m"), [(0.1, 0.5), (0.5, 0.5), (0.51, 1.0), (2.9, 3.0), (3.01, 4.0), (99.0, 100.0), (101.0, 150.0)]
)
def test_stock_lengths(length_m: float, stock_m: float) -> None:
    assert stock_length_m(length_m) == stock_m


def test_devices_fill_racks_bottom_up_without_overlap() -> None:
    job = small_job("ft3-partial")
    options = LayoutOptions(rack_units=10, node_u=2, switch_u=1)
    layout = Layout(job.plan, options)
    occupied: dict[int, set[int]] = {}
    devices = [(p, 1) for p in layout.switch_position] + [(p, 2) for p in layout.node_position]
    for (rack, u), height in devices:
        units = set(range(u, u + height))
        assert units <= set(range(1, options.rack_units + 1))
        assert not units & occupied.setdefault(rack, set())
        occupied[rack] |= units
    assert sorted(occupied) == list(range(layout.num_racks))


def test_nodes_fill_compute_racks_by_power_and_switches_stand_apart() -> None:
    job = small_job("ft2")
    layout = Layout(job.plan, LayoutOptions(rack_power_kw=3.0, endpoint_power_w=1000.0))
    # three 1U nodes of 1 kW fill a 3 kW rack; the switches follow in racks of their own
    assert [rack for rack, _ in layout.node_position[:4]] == [0, 0, 0, 1]
    first_switch_rack = layout.racks.num_node_racks
    assert layout.switch_position[0] == (first_switch_rack, 1)
    assert layout.num_racks == layout.racks.num_racks


def test_length_is_manhattan_plus_slack() -> None:
    job = small_job("ft2")
    o = LayoutOptions(slack_m=1.0, rack_width_m=0.6, row_pitch_m=2.4, rack_height_m=2.0, racks_per_row=2)
    layout = Layout(job.plan, o)
    same_rack = layout.length_m((0, 1), 1, (0, 11), 1)
    assert same_rack == stock_length_m(10 * RU_M + 1.0)
    # rack 0 to rack 3: one column over (0.6 m) and one row down (2.4 m), plus both runs to the tray
    z = 0.5 * RU_M
    across = layout.length_m((0, 1), 1, (3, 1), 1)
    assert across == stock_length_m(2 * (2.0 - z) + 0.6 + 2.4 + 1.0) == 10.0


def test_class_is_the_cheapest_part_that_reaches() -> None:
    job = ExportJob(small_job("df").design, {}, LayoutOptions())
    for cable in job.cables():
        part = job.design.parts.cables[cable.part]
        assert part.reach_m >= cable.length_m and part.medium == cable.cable_class
        options = job.design.parts.cable_options(400, "infiniband", (1 if cable.link_group == "endpoint" else 1, 1))
        price = next(o.price_usd for o in options if o.name == cable.part)
        assert not [o for o in options if o.price_usd < price and o.entry.reach_m >= cable.length_m]
    far = ExportJob(small_job("df").design, {}, LayoutOptions(row_pitch_m=1000.0, racks_per_row=1))
    assert {c.cable_class for c in far.cables() if c.a_rack != c.z_rack} == {OPTICAL}


def test_length_aware_cost_matches_count_based_when_classes_agree() -> None:
    """All-electric endpoint cables and the link groups' default classes give the count-based cost."""
    job = small_job("ft2")  # endpoint cables short (electric), leaf-spine optical by default
    tally = CableTally(job.layout.cage_of)
    for cable in job.cables():
        endpoint = cable.link_group == "endpoint"
        tally.add(cable._replace(cable_class=ELECTRIC if endpoint else OPTICAL, part="dac-400g" if endpoint else "sr4-400g"))
    assert tally.cost(job.design).total_usd == pytest.approx(job.design.cost.total_usd)


def test_length_aware_cost_prices_each_class() -> None:
    job = small_job("ft3")
    tally = CableTally(job.layout.cage_of)
    for cable in job.cables():
        tally.add(cable)
    prices, counts = job.design.prices, job.design.counts
    electric_endpoint = tally.num(True, ELECTRIC)
    optical_endpoint = tally.num(True, OPTICAL)
    electric_switch = tally.num(False, ELECTRIC)
    optical_switch = tally.num(False, OPTICAL)
    assert electric_endpoint + optical_endpoint == counts.num_endpoint_links
    assert electric_switch + optical_switch == counts.num_switch_links
    expected = (
        counts.num_switches * job.design.switch.price_usd
        + electric_endpoint * prices.endpoint_cable_usd
        + electric_switch * prices.electric_cable_usd
        + (optical_endpoint + optical_switch) * prices.optical_link_usd
    )
    assert tally.cost(job.design).total_usd == pytest.approx(expected)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rack_units": 0}, "layout.rack_units: must be a whole number from 1 to 100 (got 0)"),
        ({"slack_m": -1}, "layout.slack_m: must be a length in metres, 0 to 10000 (got -1)"),
        ({"node_u": 50}, "layout.node_u: exceeds rack_units=42"),
        ({"rack_unit": 4}, "layout: unknown field 'rack_unit'; valid: rack_units, racks_per_row, rack_power_kw, "
                           "endpoint_u, endpoint_power_w, switch_u, node_u, rack_width_m, row_pitch_m, rack_height_m, "
                           "slack_m"),
    ],
)
def test_bad_layout_options(data: dict, message: str) -> None:
    with pytest.raises(SpecError) as info:
        LayoutOptions.from_dict(data)
    assert str(info.value) == message


def test_the_length_aware_cost_buys_whole_modules_as_the_bill_of_materials_does():
    """Leaves of 3 uplinks on qm9700's twin-port cages: the third end takes a whole module. The length-aware
    cost buys it, as the bill of materials does ($404,660 both; by each module's share of its cage the cost
    read $400,760)."""
    from topoctl.export.bom import bill_of_materials
    from topoctl.export.source import job_from_raw
    from topoctl.physical.layout import CableTally

    job = job_from_raw({"family": "fat_tree", "parameters": {"k": 8, "tiers": 2, "oversubscription": 5 / 3,
                                                             "endpoints": 40}, "switch": {"model": "qm9700"}}, "test")
    tally = CableTally(job.layout.cage_of)
    for cable in job.cables():
        tally.add(cable)
    assert bill_of_materials(job)["totals"]["total_usd"] == tally.cost(job.design).total_usd == 404_660
