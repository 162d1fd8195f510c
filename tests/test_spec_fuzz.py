"""Fuzzing the spec loader: whatever the input, the only error is a SpecError (no traceback)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topoctl.design import resolve_set
from topoctl.errors import SpecError
from topoctl.report import design_report
from topoctl.spec import parse_design_set, parse_yaml
from topoctl.topologies import FAMILIES as REGISTRY

FIELDS = ["name", "family", "parameters", "endpoint_speed_gbps", "switch", "prices", "cable_classes",
          "formula_only", "designs", "defaults", "description", "model", "radix", "port_speed_gbps",
          "price_usd", "k", "tiers", "oversubscription", "endpoints", "planes", "endpoints_per_node",
          "ports_per_endpoint", "p", "a", "h", "g", "q", "leaf-spine", "global", "role_switches", "breakout", "core",
          "spine"]
FAMILIES = [*REGISTRY, "no_such_family"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-5, max_value=70), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(FAMILIES + ["electric", "optical", "ib-ndr-64x400g", "q3400", "qm9700"]),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS), children, max_size=5),
    ),
    max_leaves=20,
)
documents = st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(data: object) -> None:
    spec_set = parse_design_set(data, "fuzz.yaml")
    for design in resolve_set(spec_set, "fuzz.yaml"):
        design_report(design)


@FUZZ
@given(documents)
def test_structured_documents_raise_only_spec_errors(data):
    try:
        _load(data)
    except SpecError as exc:
        assert str(exc).startswith("fuzz.yaml") and "\n" not in str(exc)


@FUZZ
@given(st.sampled_from(FAMILIES), st.dictionaries(st.sampled_from(FIELDS[11:]), scalars, max_size=5))
def test_family_parameters_raise_only_spec_errors(family, parameters):
    try:
        _load({"family": family, "parameters": parameters})
    except SpecError as exc:
        assert "\n" not in str(exc)


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_spec_errors(text):
    try:
        _load(parse_yaml(text, "fuzz.yaml"))
    except SpecError as exc:
        assert str(exc).startswith("fuzz.yaml")


ROLES = ["leaf", "spine", "edge", "aggregation", "core", "cores", "switch", ""]
role_models = st.one_of(
    values,
    st.fixed_dictionaries({"model": st.sampled_from(["q3400", "qm9700", "nope"])},
                          optional={"breakout": st.sampled_from([1, 2, 3, 4]), "price_usd": st.sampled_from([0, 1e5])}),
)
role_maps = st.one_of(st.none(), values, st.dictionaries(st.sampled_from(ROLES), role_models, max_size=3))
tree_designs = st.fixed_dictionaries(
    {"family": st.sampled_from(["fat_tree", "multiplane_fat_tree", "dragonfly", "rail_only"])},
    optional={"parameters": st.sampled_from([{"tiers": 2, "endpoints": 100}, {"tiers": 3, "endpoints": 500}, {}]),
              "role_switches": role_maps},
)


@FUZZ
@given(role_maps, st.lists(tree_designs, min_size=1, max_size=3))
def test_role_models_of_a_sets_defaults_raise_only_spec_errors(roles, designs):
    """Default role models of any shape over designs of families with and without roles: a set resolves, or
    one SpecError names the file."""
    try:
        _load({"name": "s", "defaults": {"switch": {"model": "qm9700"}, "role_switches": roles}, "designs": designs})
    except SpecError as exc:
        assert str(exc).startswith("fuzz.yaml") and "\n" not in str(exc)
