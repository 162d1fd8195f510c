"""The exhaustive oracle for three-tier fat-tree constructions: every construction of the sizer's stated
space (topologies/fat_tree.py, TreeConstruction) enumerated and judged in integer arithmetic written
here, independently of the family's closed forms and of the solver.

Space, per plane of n endpoint ports on edge, aggregation and core switches of radix k_e, k_a, k_c (one
radix k: all three k): P >= 2 pods of E edges and A aggregation switches, m1 cables from each edge to each
aggregation switch of its pod, A/h core groups of G cores, m2 cables from each aggregation switch to each
core of its group; every edge holds an endpoint (P*E <= n), endpoints spread evenly (n_e = ceil(n/(P*E))
at most); ports: n_e + A*m1 <= k_e, E*m1 + G*m2 <= k_a with E*m1 <= G*m2, P*h*m2 <= k_c. Its bisection is
the minimum over every number l of fullest leaves cut off (not only the closed form's few) of
u*l + rho*max(0, F - hi(l)), whatever the tiers' models (they share the port speed).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache


def _radices(k: int | tuple[int, int, int]) -> tuple[int, int, int]:
    """(k_e, k_a, k_c): one radix for every tier, or the three tiers' own."""
    return (k, k, k) if isinstance(k, int) else k


def constructions(n: int, k: int | tuple[int, int, int], edge_multiple: int = 1, pod_multiple: int = 1):
    """Every (P, E, A, m1, h, G, m2) of the space for n endpoint ports on radix k (or per tier (k_e, k_a,
    k_c)); E a multiple of ``edge_multiple`` (a multi-rail tree's pods hold the same leaves of each of its G
    rails: E = G*q), P a multiple of ``pod_multiple`` (a rail-optimized fabric's pods are spine-leaf groups
    of one rail: P = G*X)."""
    k_edge, k_agg, k_core = _radices(k)
    for pods in range(max(2, pod_multiple), k_core + 1, pod_multiple):
        for h in range(1, k_core // pods + 1):
            for m2 in range(1, k_core // (pods * h) + 1):
                for edges in range(edge_multiple, k_agg + 1, edge_multiple):
                    leaves = pods * edges
                    if leaves > n:
                        break
                    busiest = -(-n // leaves)
                    for m1 in range(1, k_edge):
                        if edges * m1 + m2 > k_agg:
                            break
                        for aggs in range(h, k_edge, h):
                            if busiest + aggs * m1 > k_edge:
                                break
                            for per_group in range(-(-edges * m1 // m2), (k_agg - edges * m1) // m2 + 1):
                                yield pods, edges, aggs, m1, h, per_group, m2


@lru_cache(maxsize=1 << 16)
def bisection_cables(n: int, leaves: int, up: int, rho: Fraction) -> Fraction:
    """min over l = 0 .. floor(L/2) of u*l + rho*max(0, F - hi(l)), every l."""
    half, base, extra = n // 2, *divmod(n, leaves)
    return min(up * l + rho * max(0, half - (l * base + min(l, extra))) for l in range(leaves // 2 + 1))


def bisection_ratio(n: int, leaves: int, up: int, rho: Fraction) -> Fraction:
    """The bisection cables over those of full bisection, rho * floor(n/2) (1 for a single endpoint)."""
    return _bisection_ratio(n, leaves, up, rho.numerator, rho.denominator)


@lru_cache(maxsize=1 << 16)
def _bisection_ratio(n: int, leaves: int, up: int, rho_num: int, rho_den: int) -> Fraction:
    """bisection_ratio, cached by integers (a Fraction hashes slowly)."""
    rho, half = Fraction(rho_num, rho_den), n // 2
    return bisection_cables(n, leaves, up, rho) / (rho * half) if half else Fraction(1)


def counts(construction: tuple[int, ...]) -> tuple[tuple[int, int, int], int, int]:
    """One plane's (edges, aggregation switches, cores), electric edge-aggregation and optical
    aggregation-core cables."""
    pods, edges, aggs, m1, h, per_group, m2 = construction
    return (pods * edges, pods * aggs, aggs // h * per_group), pods * edges * aggs * m1, pods * aggs * per_group * m2


def figures(n: int, k: int | tuple[int, int, int], construction: tuple[int, ...], rho: Fraction, ports: int) -> dict:
    """One plane's switches (and of each tier), switch ports (each switch its tier's radix of ``k``),
    cables, bisection ratio and blast radius (one switch failure)."""
    pods, edges, aggs, m1 = construction[:4]
    (leaves, tier_aggs, cores), electric, optical = counts(construction)
    base, extra = divmod(n, leaves)
    busiest = base + (extra > 0)
    biggest_pod = edges * base + min(edges, extra)
    blast = 0
    if ports == 1:
        blast = busiest
        if aggs == 1:
            blast = max(blast, min(biggest_pod, n - busiest))
        if cores == 1:
            blast = max(blast, n - biggest_pod)
    k_edge, k_agg, k_core = _radices(k)
    return {
        "switches": leaves + tier_aggs + cores,
        "tiers": (leaves, tier_aggs, cores),
        "ports": leaves * k_edge + tier_aggs * k_agg + cores * k_core,
        "electric": electric,
        "optical": optical,
        "ratio": bisection_ratio(n, leaves, aggs * m1, rho),
        "blast": blast,
    }


def layouts(req):
    """(family, planes, NIC ports per endpoint, endpoint ports per plane) of every tree the fat-tree sizer
    sizes: one plane is a fat tree of one port per endpoint; P planes take whole nodes, m ports per endpoint
    with m dividing P and the nodes filling the planes equally."""
    n_total, g = req.num_endpoints, req.endpoints_per_node
    for planes in range(1, req.max_planes + 1):
        family = "fat_tree" if planes == 1 else "multiplane_fat_tree"
        if family not in req.families or (planes > 1 and n_total % g):
            continue
        for ports in range(1, min(planes, req.max_ports_per_endpoint) + 1):
            if planes % ports or (planes > 1 and (g * ports) % planes) or (planes == 1 and ports > 1):
                continue
            if (n_total * ports) % planes == 0:
                yield family, planes, ports, n_total * ports // planes


def best_construction(req, prices, powers=None, nic_mw=None, radices=None) -> tuple[int, dict] | None:
    """(objective, parameters) of the best construction meeting ``req`` over the planes and ports it
    allows (the fat-tree sizer's rules), or None; ``prices`` in cents: switch, endpoint, electric, optical
    (one model), or edge switch, aggregation switch, core switch, endpoint, electric, optical (a model per
    tier: the endpoint cable at the edge model's prices, the electric edge-aggregation link at its two
    ends', the optical aggregation-core link at its two ends'), with ``radices`` (k_e, k_a, k_c) (default:
    the first switch's radix thrice); for a power objective (one model) ``powers`` in milliwatts in the
    same order and ``nic_mw(ports)`` the NICs'."""
    if req.max_tiers < 3 or (req.max_hops is not None and req.max_hops < 4):
        return None
    n_total, g = req.num_endpoints, req.endpoints_per_node
    switch = req.switch_configs()[0]
    k = radices or (switch.radix,) * 3
    tier_cents = prices[:3] if len(prices) == 6 else (prices[0],) * 3
    endpoint_cents, electric_cents, optical_cents = prices[-3:]
    rho = Fraction(req.speed_gbps()).limit_denominator(10**6) / Fraction(switch.port_speed_gbps)
    need = Fraction(req.min_bisection_ratio).limit_denominator(1000)
    spare = Fraction(req.spare_ports_percent).limit_denominator(1000)
    best = None
    for family, planes, ports, n in layouts(req):
        meets: dict[tuple[int, int], bool] = {}  # (leaves, uplinks per leaf): the bisection is met
        for c in constructions(n, k):
            cut = (c[0] * c[1], c[2] * c[3])
            if cut not in meets:
                meets[cut] = bisection_ratio(n, *cut, rho) >= need
            if not meets[cut]:
                continue
            tiers, electric, optical = counts(c)
            switch_cents = sum(count * cents for count, cents in zip(tiers, tier_cents, strict=True))
            cents = (planes * (switch_cents + electric * electric_cents + optical * optical_cents)
                     + n_total * ports * endpoint_cents)
            if req.objective == "power":
                value = (planes * (sum(tiers) * powers[0] + electric * powers[2] + optical * powers[3])
                         + n_total * ports * powers[1] + nic_mw(ports))
            else:
                value = {"cost": cents, "switches": planes * sum(tiers),
                         "cost_per_endpoint": -(-1000 * cents // n_total)}[req.objective]
            if best is not None and value >= best[0]:
                continue  # judged only if it would be the best so far
            if req.max_cost_usd is not None and cents > req.max_cost_usd * 100:
                continue
            f = figures(n, k, c, rho, ports)
            if req.max_blast_radius is not None and f["blast"] > req.max_blast_radius:
                continue
            total = planes * f["ports"]
            used = n_total * ports + 2 * planes * (electric + optical)
            if 100 * (total - used) * spare.denominator < spare.numerator * total:
                continue
            if best is None or value < best[0]:
                names = ("pods", "edges_per_pod", "aggregations_per_pod", "edge_aggregation_links",
                         "aggregations_per_core_group", "cores_per_group", "aggregation_core_links")
                params = {"tiers": 3, "endpoints": n_total if planes == 1 else n_total,
                          "construction": dict(zip(names, c, strict=True))}
                if planes > 1:
                    params.update(planes=planes, endpoints_per_node=g, ports_per_endpoint=ports)
                best = (value, {"family": family, "parameters": params, "cents": cents, "value": value})
    return best
