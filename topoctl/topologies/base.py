"""The interface every topology family implements, and the records it returns.

A family is a frozen dataclass built from its validated ``Parameters`` and the switch radix. It gives
closed-form counts and metrics without a graph, and a deterministic switch-level graph on demand as
arrays (``topoctl.topologies.graph.SwitchGraph``): switches with a role, endpoint ports, plane and pod
or group; parallel cables between two switches are one bundle with a count and a link group.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from topoctl import budget
from topoctl.errors import SpecError
from topoctl.topologies.demand import bisection_demand_ports, bisection_ratio

if TYPE_CHECKING:
    import numpy as np

    from topoctl.topologies.graph import SwitchGraph  # numpy stays out until a graph is built
    from topoctl.topologies.sizing import (
        Candidate,
        Deadline,
        Prices,
        SizedVars,
        SizingRequest,
        SwitchConfig,
        TierSwitches,
    )

__all__ = [
    "FamilyParameters",
    "LinkGroup",
    "Counts",
    "BoundKind",
    "Bisection",
    "FaultDomain",
    "ScaleUp",
    "Topology",
    "spread",
    "counted",
    "bisection_demand_ports",
    "check_endpoints",
    "MAX_ENDPOINTS",
    "bisection_ratio",
]

ELECTRIC = "electric"
OPTICAL = "optical"
# Tier of each switch role the families use, 0 at the endpoints (Topology.role_tier's default).
ROLE_TIERS = {"leaf": 0, "edge": 0, "switch": 0, "spine": 1, "aggregation": 1, "core": 2}


class FamilyParameters(BaseModel):
    """Base of every family's parameter model: strict, frozen, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


@dataclass(frozen=True)
class LinkGroup:
    """Switch-to-switch cables of one kind, e.g. all leaf-spine cables."""

    name: str
    count: int
    cable_class: str  # default class: ELECTRIC (short copper) or OPTICAL (fibre and transceivers)
    ends: tuple[str, str] | None = None  # the switch roles at its two ends, where the family states them


@dataclass(frozen=True)
class Counts:
    """Closed-form inventory of a design."""

    num_endpoints: int
    num_switches_by_role: dict[str, int]
    link_groups: tuple[LinkGroup, ...]
    num_endpoint_links: int  # endpoint-to-switch cables (one per endpoint port)

    @property
    def num_switches(self) -> int:
        return sum(self.num_switches_by_role.values())

    @property
    def num_switch_links(self) -> int:
        return sum(group.count for group in self.link_groups)


class BoundKind(StrEnum):
    """How a figure relates to the true value: equal to it, or a proven bound on it from below or above,
    or an estimate. The value is the word the JSON output carries ("exact", "upper_bound", ...)."""

    EXACT = "exact"
    LOWER_BOUND = "lower_bound"
    UPPER_BOUND = "upper_bound"
    ESTIMATE = "estimate"


@dataclass(frozen=True)
class Bisection:
    """Switch-to-switch links crossing a balanced cut of the endpoints.

    ``kind``: EXACT for proven minimum bisections (closed forms); UPPER_BOUND when ``links`` is the cut of
    an explicit balanced partition; LOWER_BOUND when it is a proven lower bound.
    """

    links: float
    method: str
    kind: BoundKind
    proven_links: float | None = None  # a proven lower bound beside an upper-bound ``links``
    proven_method: str = ""

    @property
    def exact(self) -> bool:
        return self.kind is BoundKind.EXACT

    @property
    def upper_bound(self) -> bool:
        return self.kind is BoundKind.UPPER_BOUND

    @property
    def lower_bound(self) -> bool:
        return self.kind is BoundKind.LOWER_BOUND

    @property
    def proven(self) -> tuple[float, str] | None:
        """A proven lower bound on the minimum bisection (links, method), or None if none is known."""
        if self.kind in (BoundKind.EXACT, BoundKind.LOWER_BOUND):
            return self.links, self.method
        return (self.proven_links, self.proven_method) if self.proven_links is not None else None


@dataclass(frozen=True)
class FaultDomain:
    """What one failure of a component takes down (worst case over the components of that class)."""

    component: str
    count: int
    endpoints_disconnected: int
    endpoints_degraded: int = 0  # lost a port but still reachable through another plane


@dataclass(frozen=True)
class ScaleUp:
    """A scale-up domain (NVLink and NVSwitch): endpoints that reach one another without the switch
    network, 8 on an HGX-class node, 72 in an NVL72 rack."""

    size: int  # endpoints in one domain
    gbps_per_endpoint: float  # scale-up bandwidth of one endpoint, each direction


MAX_ENDPOINTS = 10**9  # beyond any cluster; keeps every count and estimate in range


def check_endpoints(num_endpoints: int, what: str, path: str, advice: str | None = None) -> None:
    """SpecError if a design (often a default, the largest the parameters allow) exceeds MAX_ENDPOINTS;
    ``advice`` says what would help (default: set ``path``, for a default that is too large)."""
    if num_endpoints > MAX_ENDPOINTS:
        raise SpecError(
            f"{what}: {num_endpoints:,} endpoints, above the {MAX_ENDPOINTS:,} topoctl handles; "
            + (advice if advice is not None else f"set {path} or use smaller parameters"),
            path=path,
        )


def counted(n: int, noun: str, plural: str | None = None, fmt: str = "") -> str:
    """``n`` and the noun, singular for 1: counted(1, "rail") == "1 rail", counted(3, "switch", "switches").

    >>> counted(1, "leaf", "leaves"), counted(2048, "endpoint", fmt=",")
    ('1 leaf', '2,048 endpoints')
    """
    return f"{n:{fmt}} {noun if n == 1 else plural or noun + 's'}"


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` integers differing by at most one, larger ones first.

    >>> spread(10, 4)
    [3, 3, 2, 2]
    """
    base, extra = divmod(total, parts)
    return [base + 1] * extra + [base] * (parts - extra)


@dataclass(frozen=True)
class Topology(ABC):
    """One resolved design of a family."""

    family: ClassVar[str]
    summary: ClassVar[str]
    Parameters: ClassVar[type[FamilyParameters]]

    radix: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every family's ``build`` checks the resource budget first (topoctl.budget), so a graph that
        would not fit is refused from the closed-form counts before anything is allocated."""
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "budgeted", False):
            cls.build = _budgeted(build)  # type: ignore[method-assign]

    @classmethod
    @abstractmethod
    def from_parameters(cls, params: Any, radix: int, *, formula_only: bool = False) -> Topology:
        """Resolve validated parameters on radix-``radix`` switches; raise SpecError if impossible."""

    @property
    def constructible(self) -> bool:
        """False for formula-only designs (no graph exists)."""
        return True

    @property
    def ports_per_endpoint(self) -> int:
        return 1

    @property
    def variant(self) -> str:
        """One line saying which variant of the family this is."""
        return self.summary

    @abstractmethod
    def parameters(self) -> dict[str, Any]:
        """The resolved parameters, paper symbols first."""

    @abstractmethod
    def counts(self) -> Counts: ...

    @abstractmethod
    def diameter_hops(self) -> int:
        """Switch-to-switch links on the longest shortest path between two endpoints."""

    @abstractmethod
    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """The balanced bisection in cables at the port speed, an endpoint link counting
        ``endpoint_link_cables`` = endpoint speed / port speed of a cable."""

    @abstractmethod
    def fault_domains(self) -> list[FaultDomain]: ...

    @abstractmethod
    def build(self) -> SwitchGraph:
        """The deterministic switch-level graph, as arrays (``SwitchGraph.to_networkx`` for networkx)."""

    def num_planes(self) -> int:
        return 1

    def not_constructible_reason(self) -> str:
        return ""

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small parameter sets (each resolving on some radix up to 64, a few hundred switches at most)
        that between them cover the family's variants; the contract test (tests/test_family_contract.py)
        checks every family on them, so a new family brings its own."""
        return ()

    # -- what the generic metrics ask of a family (defaults: nothing family-specific is known) ---------
    def analysed_plane(self) -> Topology:
        """The topology whose graph the analysis builds: one plane where the planes are identical copies."""
        return self

    def tree_plane(self) -> Any:
        """The fat tree one plane is, where the fat-tree closed forms of throughput and MoE apply; else None."""
        return None

    def ports_by_role(self) -> dict[str, int] | None:
        """Ports cabled on the busiest switch of each role (its endpoint links and switch cables), where the
        family states them: a role may then have its own switch model of at least that radix. The default
        reads them from the fat tree one plane is (``tree_plane``), role by tier; None where there is none
        (the family's switches take one model)."""
        tree = self.tree_plane()
        if tree is None or tree is self:
            return None
        by_tier = {tree.role_tier(role): ports for role, ports in tree.ports_by_role().items()}
        roles = self.counts().num_switches_by_role
        if {self.role_tier(role) for role in roles} - set(by_tier):
            return None
        return {role: by_tier[self.role_tier(role)] for role in roles}

    # the parameter node_size() comes from, named in the metrics' notes
    node_size_parameter: ClassVar[str] = "endpoints_per_node"

    def node_size(self) -> int | None:
        """Endpoints per node where the family defines nodes (its ``node_size_parameter``); None: the
        metrics assume their default."""
        return None

    def rails(self) -> int | None:
        """R for a rail-aligned design: endpoint i of every node attaches to a switch of rail i mod R (the
        graph's ``rail`` label; -1 on switches of no rail), so a node's endpoints sit on R different
        switches; the port plan deals them that way. None (default): a node's endpoint ports are dealt
        to the switches of its plane consecutively."""
        return None

    def scale_up_domain(self) -> ScaleUp | None:
        """The scale-up domain through which traffic between planes is forwarded when an endpoint has one
        port (m = 1 in P > 1 planes, every domain holding size/P endpoints of each plane), for the metrics'
        scale-up caps on throughput (topoctl.metrics.throughput.scale_up_caps). None (default): not
        modelled, forwarding taken as free (as multiplane_fat_tree's figures do)."""
        return None

    def switches_per_group(self) -> int | None:
        """Switches per group, for metrics that sample whole groups; None where there are no groups."""
        return None

    # -- what the routing figures ask of a family (topoctl.metrics.routing) -------------------------------
    def congestion(self) -> float | None:
        """C: the most endpoint pairs one switch cable carries in one direction when every ordered endpoint
        pair sends one unit by a routing the family knows in closed form (at least that routing's busiest
        cable); None where none is known. That routing is feasible, so uniform all-to-all reaches
        theta >= c*(N-1)/(r*C) (Leighton 1992, Section 1.9: the congestion of a routing)."""
        return None

    def cabling_note(self) -> str | None:
        """What the graph figures assume about a cabling choice of the family (which switch holds which
        link), in one line; None where there is no such choice."""
        return None

    def switch_rotation(self) -> int | None:
        """s > 0 such that moving every switch i to (i + s) mod n (build order) maps the built graph onto
        itself with its endpoints, or None where the family knows none. The routing figures then route
        from the first s switches only and sum the loads over each cable's orbit (exact for a demand the
        rotation also preserves)."""
        return None

    def valiant_groups(self, graph: SwitchGraph) -> np.ndarray | None:
        """Group of each switch for Valiant routing and the adversarial shift (every endpoint of group i
        to the same endpoint of group i + 1; Kim et al. 2008), -1 for none; None: no groups. Default: the
        graph's groups where it has them (``SwitchGraph.pod_kind`` "group")."""
        if graph.pod_kind != "group" or not (graph.pods[graph.endpoints > 0] >= 0).all():
            return None
        return graph.pods

    def valiant_weights(self, graph: SwitchGraph) -> np.ndarray:
        """Probability of each switch being the random intermediate of Valiant routing (Valiant and
        Brebner 1981): a random group (``valiant_groups``), then a random switch of its top tier, or a
        random switch of the top tier without groups; the top tier by ``role_tier`` (every switch of a
        single-tier family, the spines or cores of a tree)."""
        import numpy as np

        tiers = np.array([self.role_tier(role) for role in graph.roles.tolist()], dtype=np.int64)
        top = tiers == tiers.max() if len(tiers) else np.zeros(0, dtype=bool)
        groups = self.valiant_groups(graph)
        if groups is None:
            return top / max(1, int(top.sum()))
        member = top & (groups >= 0)
        ids, index = np.unique(groups[member], return_inverse=True)
        per_group = np.bincount(index, minlength=len(ids)).astype(np.float64)
        weights = np.zeros(graph.num_switches)
        weights[member] = 1.0 / (len(ids) * per_group[index])
        return weights

    def mean_hops(self) -> float | None:
        """Endpoint-weighted mean switch hops in closed form, where one is known."""
        return None

    def role_tier(self, role: str) -> int:
        """Tier of a switch role, 0 at the endpoints and rising towards the top; the port plan cables
        lower tiers first and the rack layout counts the switches above tier 0."""
        return ROLE_TIERS.get(role, 0)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """Share of the family's bisection cut that the worst component of each class carries, and
        whether that is exact; the metrics estimate the classes left out as 1/count."""
        return {}

    # -- inverse sizing: what the sizer (topoctl.optimize) asks of a family (records in sizing.py) --------
    closed_form_limits: ClassVar[frozenset[str]]
    """Requirement fields the family's sub-model cannot state linearly: its candidates' closed forms
    check them (``Candidate.hops``, ``blast_radius``, ``bisection_ratio``), and a candidate that breaks
    one never reaches the solver."""

    decided_power: ClassVar[bool] = False
    """Whether the model of the family's decided candidates states their power (``SizedVars.power``, from
    ``Candidate.powers``); if not, they are left out of a request with a power objective or cap."""

    also_sizes: ClassVar[tuple[str, ...]] = ()
    """Families whose candidates this family's ``candidates`` yields too, in one enumeration and one order,
    when the request allows them; the sizer then asks only this family."""

    @classmethod
    @abstractmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """The family's shapes on ``switch`` within the request's limits, each with its closed-form
        minimal sizing, in a fixed order (the sizer breaks ties by it); SizingTimeLimitError past
        ``deadline``."""

    @classmethod
    def mixed_candidates(cls, requirement: SizingRequest, switches: TierSwitches,
                         deadline: Deadline | None = None) -> Iterator[Candidate]:
        """The family's decided shapes whose tiers each take one of ``switches`` (the solver choosing per
        tier, not one config for all), in a fixed order; none where the family's switches are of one model."""
        return iter(())

    @classmethod
    def sizing_role_switches(cls, candidate: Candidate) -> dict[str, SwitchConfig]:
        """Each role's switch config in a sized ``mixed_candidates`` shape, from the endpoints up (the first
        is the design's ``switch``, the others its ``role_switches`` where they differ)."""
        return {}

    @classmethod
    @abstractmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """The candidate's sizing as constraints on the CP-SAT ``model``, enforced when the Boolean ``use``
        is true (and every sizing variable zero otherwise): the closed forms of ``candidates`` as integer
        constraints, the bisection ratio, spare ports and whatever else is linear."""

    @classmethod
    @abstractmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        """The candidate's shape in a few words (after the family name)."""

    @classmethod
    @abstractmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        """The candidate's sized structure in one line."""

    @classmethod
    @abstractmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        """The family parameters that rebuild the candidate's design (``from_parameters``)."""

    @classmethod
    @abstractmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        """The candidate's switches by role, as ``counts`` names them."""


def _budgeted(build: Callable[..., SwitchGraph]) -> Callable[..., SwitchGraph]:
    @functools.wraps(build)
    def checked(self: Topology, *args: Any, **kwargs: Any) -> SwitchGraph:
        if self.constructible:
            budget.check("graph", self.counts())
        return build(self, *args, **kwargs)

    checked.budgeted = True  # type: ignore[attr-defined]
    return checked
