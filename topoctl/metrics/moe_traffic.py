"""Expert-parallel MoE traffic with node-limited routing, as a sampled switch-level traffic matrix.

Reference: C. Zhao et al., "Insights into DeepSeek-V3: Scaling Challenges and Reflections on Hardware
for AI Architectures", ISCA 2025 (arXiv 2505.09343), Section 2.3.2: 256 routed experts in 8 groups,
one group per node of G GPUs; each token goes to at most M = 4 nodes; the network carries one copy of
the token per destination node (deduplicated) and NVLink fans it out to the experts inside the node.

Model (each figure states it):
- Nodes: G consecutive endpoint ports. Multi-plane fat trees use their ``endpoints_per_node`` (one plane
  holds G*m/P ports of each node, in the same consecutive order); the other families have no node
  notion, so G = 8 consecutive endpoints on the switches (8 GPUs per node, as in the paper) is assumed.
- Destinations: every source node sends its tokens to M other nodes (node-local experts are reached
  over NVLink and never touch the network), evenly. Which M nodes is sampled with a seed, balanced so
  every node also receives from exactly M nodes (the paper's auxiliary-loss-free load balancing keeps
  experts evenly loaded): a seeded random relabelling of the circulant "node i sends to i+1..i+M".
- Rate: every node injects theta * r per port, split evenly over its M destinations; a destination
  spreads what it receives evenly over its ports. theta is the fraction of line rate reached.
Demand is returned in units of r (line rate) per switch pair, the form the LP and ECMP code take.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and scipy stay out of design reports until a sample or a matrix is needed
    import numpy as np
    import scipy.sparse as sp

__all__ = [
    "DEFAULT_MOE_NODES",
    "DEFAULT_MOE_SEED",
    "DEFAULT_ENDPOINTS_PER_NODE",
    "MoeTraffic",
    "sample_targets",
    "moe_traffic",
    "tree_moe",
]

DEFAULT_MOE_NODES = 4  # DeepSeek-V3 node-limited routing
DEFAULT_MOE_SEED = 0
DEFAULT_ENDPOINTS_PER_NODE = 8  # 8 GPUs per node (the paper's H800 nodes)


def sample_targets(num_nodes: int, moe_nodes: int, seed: int) -> np.ndarray:
    """(num_nodes, M') destination nodes per source node, M' = min(M, num_nodes - 1): distinct, never
    the source, every node the destination of exactly M' sources."""
    import numpy as np

    m = min(moe_nodes, num_nodes - 1)
    order = np.random.default_rng(seed).permutation(num_nodes)
    targets = np.empty((num_nodes, m), dtype=np.int64)
    for shift in range(1, m + 1):
        targets[order, shift - 1] = order[(np.arange(num_nodes) + shift) % num_nodes]
    return targets


EXACT_BITS = 52  # binary digits a float64 holds exactly (53 with the hidden bit), less one for safety


@dataclass(frozen=True)
class MoeTraffic:
    """A sampled MoE traffic matrix over the switches of one graph (or one fat-tree plane): the model's
    sizes, with the sample (``targets``) drawn and the switch x switch ``demand`` (scipy) built from it
    on first use."""

    ports_per_switch: Sequence[int]  # endpoint ports on each switch (list or int array), numbered in order
    ports_per_node: int
    num_nodes: int
    moe_nodes: int  # M actually used (at most num_nodes - 1)
    seed: int
    num_ports: int

    @property
    def description(self) -> str:
        return (
            f"MoE node-limited routing: nodes of {self.ports_per_node} consecutive port(s) of the analysed graph, "
            f"each sending to M={self.moe_nodes} other nodes (one copy per node, balanced sample, seed {self.seed})"
        )

    @cached_property
    def targets(self) -> np.ndarray:
        """(num_nodes, M) destination nodes per source node: the seeded sample."""
        import numpy as np

        if self.num_nodes < 2:
            return np.zeros((max(self.num_nodes, 0), 0), dtype=np.int64)
        return sample_targets(self.num_nodes, self.moe_nodes, self.seed)

    @cached_property
    def _ports(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(switch of each port, node of each port, ports of each node as float64)."""
        import numpy as np

        counts = np.asarray(self.ports_per_switch, dtype=np.int64)
        port_switch = np.repeat(np.arange(len(counts)), counts)
        port_node = np.arange(int(counts.sum())) // self.ports_per_node
        node_ports = np.bincount(port_node, minlength=self.num_nodes).astype(np.float64)
        return port_switch, port_node, node_ports

    @cached_property
    def _matrices(self) -> tuple[sp.csr_matrix, float]:
        """The switch x switch demand, units of r, same-switch traffic kept on the diagonal; and the
        ingress cap, both by sparse products (scipy)."""
        import numpy as np
        import scipy.sparse as sp

        num_switches = len(self.ports_per_switch)
        if self.num_nodes < 2:
            return sp.csr_matrix((num_switches, num_switches)), 1.0
        port_switch, port_node, node_ports = self._ports
        num_nodes = self.num_nodes
        # node -> switch share of the node's ports (a node may straddle two switches)
        share = sp.csr_matrix(
            (1.0 / node_ports[port_node], (port_node, port_switch)), shape=(num_nodes, num_switches)
        )
        m = self.targets.shape[1]
        sources = np.repeat(np.arange(num_nodes), m)
        node_demand = sp.csr_matrix(
            (node_ports[sources] / m, (sources, self.targets.ravel())), shape=(num_nodes, num_nodes)
        )
        demand = (share.T @ node_demand @ share).tocsr()
        received_per_port = np.asarray(node_demand.sum(axis=0)).ravel() / node_ports
        return demand, float(min(1.0, 1.0 / received_per_port.max()))

    @property
    def demand(self) -> sp.csr_matrix:
        return self._matrices[0]

    @cached_property
    def exact(self) -> bool:
        """Whether every sum of the model is exact in float64, so any order of summing gives the same
        bits: node sizes and M powers of two (every share and rate a dyadic fraction) and all of them
        together within EXACT_BITS binary digits. Then the numpy path (``switch_terms``) stands in for
        the sparse products without scipy."""
        if self.num_nodes < 2:
            return True
        num_ports, size, m = self.num_ports, self.ports_per_node, self.moe_nodes
        sizes = {size, num_ports - (self.num_nodes - 1) * size, m}  # every node holds G ports but the last
        if any(x & (x - 1) for x in sizes):
            return False
        bits = num_ports.bit_length() + 2 * size.bit_length() + m.bit_length()
        return bits <= EXACT_BITS

    @property
    def equal_nodes(self) -> bool:
        """Every node holds G ports: then each port sends and receives exactly one line rate."""
        return self.num_nodes < 2 or self.num_ports % self.ports_per_node == 0

    @cached_property
    def ingress_cap(self) -> float:
        """theta at which the busiest receiving port reaches line rate (1 for equal nodes)."""
        if not self.exact:
            return self._matrices[1]
        if self.num_nodes < 2 or self.equal_nodes:  # every port receives its line rate, exactly
            return 1.0
        import numpy as np

        _, _, node_ports = self._ports
        m = self.targets.shape[1]
        received = np.bincount(self.targets.ravel(), weights=np.repeat(node_ports / m, m), minlength=self.num_nodes)
        return float(min(1.0, 1.0 / (received / node_ports).max()))

    def switch_terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The demand as unsummed terms (source switch, destination switch, units of r), one per source
        node, destination node and the switches each straddles: ``demand`` = their sums, without scipy
        (numpy only)."""
        import numpy as np

        if self.num_nodes < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy(), np.zeros(0)
        port_switch, port_node, node_ports = self._ports
        num_switches = len(self.ports_per_switch)
        # runs of ports on one (node, switch): the node's share on that switch
        key = port_node * num_switches + port_switch
        first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        run = np.diff(np.append(first, len(key)))
        node, switch = port_node[first], port_switch[first]
        fraction = run / node_ports[node]
        start = np.searchsorted(node, np.arange(self.num_nodes))  # node's first run
        spans = np.bincount(node, minlength=self.num_nodes)
        m = self.targets.shape[1]
        sources = np.repeat(np.arange(self.num_nodes), m)
        targets = self.targets.ravel()
        rate = node_ports[sources] / m

        def expand(nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Index of each term, and of each run of ``nodes[term]``, one row per (term, run)."""
            reps = spans[nodes]
            term = np.repeat(np.arange(len(nodes)), reps)
            offset = np.arange(len(term)) - np.repeat(np.cumsum(reps) - reps, reps)
            return term, start[nodes][term] + offset

        term, to_run = expand(targets)  # destination switches
        term2, from_run = expand(sources[term])
        to_run = to_run[term2]
        values = rate[term][term2] * fraction[from_run] * fraction[to_run]
        return switch[from_run], switch[to_run], values

    def network_demand(self) -> sp.csr_matrix:
        """The demand between distinct switches (what crosses switch-to-switch cables)."""
        import scipy.sparse as sp

        off = self.demand - sp.diags(self.demand.diagonal())
        off.eliminate_zeros()
        return off.tocsr()


def moe_traffic(endpoints_per_switch: Sequence[int], ports_per_node: int, moe_nodes: int = DEFAULT_MOE_NODES,
                seed: int = DEFAULT_MOE_SEED) -> MoeTraffic:
    """The switch-level demand of the model above. Ports are numbered consecutively over the switches
    in order; node j holds ports [j*G, (j+1)*G) (the last node may hold fewer). Nothing is sampled yet."""
    total = endpoints_per_switch.sum() if hasattr(endpoints_per_switch, "sum") else sum(endpoints_per_switch)
    num_ports = int(total)
    num_nodes = -(-num_ports // ports_per_node)
    used = min(moe_nodes, num_nodes - 1) if num_nodes >= 2 else 0
    return MoeTraffic(endpoints_per_switch, ports_per_node, num_nodes, used, seed, num_ports)


def tree_moe(traffic: MoeTraffic, up: int, leaves_per_pod: list[int] | None, endpoint_gbps: float,
             link_gbps: float, pod_uplinks: int | None = None) -> float:
    """Closed form on a sampled matrix for a fat tree whose first switches are its L leaves (the build
    order; ``traffic`` made from ``endpoints_per_leaf``): with every flow spread evenly over all up-paths
    (every switch has the same number of cables to each switch above it), a leaf's u uplinks carry
    exactly the demand leaving the leaf, its downlinks the demand entering it, and a pod's L_p*u
    aggregation-core cables (``pod_uplinks`` when given) the demand leaving and entering the pod; these
    cuts bound every routing,
    so theta = min(ingress cap, min over leaves and pods of capacity * c / (r * demand)), exact
    (Leiserson 1985; the cut argument of the all-to-all closed form, on the sampled matrix). When every
    sum is exact (``MoeTraffic.exact``) the loads are summed from the demand's terms with numpy, the
    same bits as the sparse products, so design reports need no scipy."""
    pods = leaves_per_pod if leaves_per_pod and len(leaves_per_pod) > 1 else None
    if _ports_bound_every_cut(traffic, up, pods, endpoint_gbps, link_gbps):
        return 1.0
    theta = traffic.ingress_cap
    leaving, entering, pod_leaving, pod_entering = (_exact_loads if traffic.exact else _sparse_loads)(traffic, pods)
    busiest = float(max(leaving.max(), entering.max())) if len(leaving) else 0.0
    if busiest > 0:
        theta = min(theta, up * link_gbps / (endpoint_gbps * busiest))
    if pods is not None and pod_leaving is not None and pod_entering is not None:
        pod_loads = [max(x, y) for x, y in zip(pod_leaving.tolist(), pod_entering.tolist(), strict=True)]
        for leaves, load in zip(pods, pod_loads, strict=True):
            if load > 0:
                pod_up = leaves * up if pod_uplinks is None else pod_uplinks
                theta = min(theta, pod_up * link_gbps / (endpoint_gbps * load))
    return float(min(1.0, theta))


def _ports_bound_every_cut(traffic: MoeTraffic, up: int, leaves_per_pod: list[int] | None, endpoint_gbps: float,
                           link_gbps: float) -> bool:
    """Whether theta is 1 whatever the sample, so none need be drawn: with equal nodes every port sends
    and receives exactly one line rate, so no leaf (pod) sends or receives more than its ports; when
    each leaf's (pod's) uplinks carry that, no cut binds. In the exact regime the sampled figure is then
    exactly 1.0 too: its loads are exact and at most the ports, and each test below is the float
    comparison its quotient would make."""
    if not (traffic.exact and traffic.equal_nodes):
        return False
    ports = list(traffic.ports_per_switch)
    if any(up * link_gbps < endpoint_gbps * e for e in ports):
        return False
    start = 0
    for leaves in leaves_per_pod or ():
        if leaves * up * link_gbps < endpoint_gbps * sum(ports[start:start + leaves]):
            return False
        start += leaves
    return True


Loads = tuple["np.ndarray", "np.ndarray", "np.ndarray | None", "np.ndarray | None"]


def _sparse_loads(traffic: MoeTraffic, leaves_per_pod: list[int] | None) -> Loads:
    """Demand leaving and entering each switch (the first ones the leaves) and each pod, by scipy."""
    import numpy as np
    import scipy.sparse as sp

    demand = traffic.demand
    diag = demand.diagonal()
    leaving = np.asarray(demand.sum(axis=1)).ravel() - diag
    entering = np.asarray(demand.sum(axis=0)).ravel() - diag
    if leaves_per_pod is None:
        return leaving, entering, None, None
    num_leaves = sum(leaves_per_pod)
    pod_of_leaf = np.repeat(np.arange(len(leaves_per_pod)), leaves_per_pod)
    member = sp.csr_matrix(
        (np.ones(num_leaves), (np.arange(num_leaves), pod_of_leaf)), shape=(demand.shape[0], len(leaves_per_pod))
    )
    pods = (member.T @ demand @ member).toarray()
    pod_diag = np.diag(pods)
    return leaving, entering, pods.sum(axis=1) - pod_diag, pods.sum(axis=0) - pod_diag


def _exact_loads(traffic: MoeTraffic, leaves_per_pod: list[int] | None) -> Loads:
    """``_sparse_loads`` summed from the demand's terms: equal bits when every sum is exact."""
    import numpy as np

    num_switches = len(traffic.ports_per_switch)
    rows, cols, values = traffic.switch_terms()
    inside = rows == cols
    diag = np.bincount(rows[inside], values[inside], minlength=num_switches)
    leaving = np.bincount(rows, values, minlength=num_switches) - diag
    entering = np.bincount(cols, values, minlength=num_switches) - diag
    if leaves_per_pod is None:
        return leaving, entering, None, None
    num_pods = len(leaves_per_pod)
    pod_of = np.full(num_switches, -1, dtype=np.int64)
    pod_of[: sum(leaves_per_pod)] = np.repeat(np.arange(num_pods), leaves_per_pod)
    counted = (pod_of[rows] >= 0) & (pod_of[cols] >= 0)
    rows, cols, values = pod_of[rows[counted]], pod_of[cols[counted]], values[counted]
    same = rows == cols
    pod_diag = np.bincount(rows[same], values[same], minlength=num_pods)
    return (leaving, entering, np.bincount(rows, values, minlength=num_pods) - pod_diag,
            np.bincount(cols, values, minlength=num_pods) - pod_diag)
