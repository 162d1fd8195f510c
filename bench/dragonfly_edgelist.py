"""A plain-Python edge-list dragonfly generator, the yardstick for topoctl's array build.

Written from the description alone, in the style of the generators of SPCL's EvalNet (plain Python
loops appending (u, v) pairs, one per cable, no numpy), with the same parameters and arrangement as
``topoctl.topologies.dragonfly``: J. Kim, W. J. Dally, S. Scott, D. Abts, "Technology-driven,
highly-scalable dragonfly topology", ISCA 2008 (``p`` endpoints, ``a`` switches and ``h`` global
links per switch, ``g`` groups), and the consecutive (absolute) global arrangement of Camarero,
Vallejo, Beivide, ACM TACO 2014: with a*h = c*(g-1) + r, every pair of groups gets c global links and
r more per group follow a circulant (i to i +- 1 .. i +- r/2, and i + g/2 when r is odd); port t of
group i (on switch t // h) goes to the t-th entry of i's neighbouring groups in ascending order.

    from dragonfly_edgelist import dragonfly_edges
    edges = dragonfly_edges(a=32, h=16, g=511)   # 384,272 (u, v) pairs, switch u = group * a + index
"""

from __future__ import annotations


def dragonfly_edges(a: int, h: int, g: int) -> list[tuple[int, int]]:
    """Every switch-to-switch cable once as (u, v), u < v: the full mesh of each group, then the global
    cables group pair by group pair."""
    edges = []
    for group in range(g):
        base = group * a
        for s in range(a):
            for t in range(s + 1, a):
                edges.append((base + s, base + t))
    if g < 2 or h == 0:
        return edges
    c, r = divmod(a * h, g - 1)
    links = [[c] * g for _ in range(g)]  # global links between each pair of groups
    for i in range(g):
        links[i][i] = 0
    offsets = list(range(1, r // 2 + 1)) + ([g // 2] if r % 2 else [])
    for step in offsets:
        for i in range(g):
            j = (i + step) % g
            links[i][j] += 1
            if 2 * step != g:
                links[j][i] += 1
    first = []  # first[i][j]: group i's first port towards group j
    for i in range(g):
        row, port = [0] * g, 0
        for j in range(g):
            row[j] = port
            port += links[i][j]
        first.append(row)
    for i in range(g):
        for j in range(i + 1, g):
            pi, pj = first[i][j], first[j][i]
            for k in range(links[i][j]):
                edges.append((i * a + (pi + k) // h, j * a + (pj + k) // h))
    return edges
