"""Deterministic synthetic city-network graphs in the renderer's input contract.

Used by ``bench/map_bench.py`` and by the large-graph tests. The mix of kinds and relations
imitates a city's international portfolio: many cities and organisations, a few dozen networks
that most of them join, projects with a lead and partners, events hosted by cities, themes.
"""

from __future__ import annotations

import random

import networkx as nx

__all__ = ["synthetic_graph"]

THEMES = [
    "Climate",
    "Mobility",
    "Health",
    "Culture",
    "Digitalisation",
    "Architecture",
    "Growth",
    "Water",
    "Energy",
    "Inclusion",
]

# share of nodes per kind (the rest of the 13 kinds are small)
MIX = [
    ("city", 0.40),
    ("organisation", 0.15),
    ("project", 0.13),
    ("region", 0.04),
    ("network", 0.02),
    ("event", 0.05),
    ("programme", 0.03),
    ("cooperation", 0.03),
    ("plan", 0.02),
    ("country", 0.03),
    ("person", 0.06),
    ("administration", 0.02),
    ("theme", 0.02),
]


def synthetic_graph(n: int, seed: int = 7) -> nx.Graph:
    """Build a graph of about ``n`` nodes (exactly ``n``) with realistic kinds and relations.

    Examples
    --------
    >>> G = synthetic_graph(200)
    >>> G.number_of_nodes()
    200
    """
    rng = random.Random(seed)
    G = nx.Graph()
    by_kind: dict[str, list[str]] = {}
    counts = [(k, max(1, round(share * n))) for k, share in MIX]
    total = sum(c for _, c in counts)
    counts[0] = ("city", counts[0][1] + n - total)
    for kind, count in counts:
        for i in range(count):
            nid = f"{kind}-{i}"
            label = f"{kind.title()} {i}"
            themes = rng.sample(THEMES, rng.randint(0, 3))
            G.add_node(
                nid,
                label=label,
                kind=kind,
                alt_labels=[f"{label} (alt)"] if rng.random() < 0.3 else [],
                themes=themes,
                networks=[],
                period=f"20{rng.randint(10, 20)}-0{rng.randint(1, 9)} \u2013 2025-12"
                if kind in ("project", "programme", "cooperation")
                else "",
                evidence=[
                    {
                        "quote": f"{label} is part of the strategy ({rng.randint(1, 99)}).",
                        "section": f"Section {rng.randint(1, 12)}",
                        "source": "Synthetic strategy 2024",
                    }
                ]
                if rng.random() < 0.5
                else [],
            )
            by_kind.setdefault(kind, []).append(nid)

    def pick(kind: str, k: int = 1) -> list[str]:
        pool = by_kind.get(kind, [])
        if not pool:
            return []
        # preferential: low indices are popular (a few big networks, a few big cities)
        return list({pool[min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1)] for _ in range(k)})

    networks = by_kind["network"]
    for nid in networks:
        G.nodes[nid]["networks"] = [G.nodes[nid]["label"]]
    actors = (
        by_kind["city"] + by_kind["organisation"] + by_kind["region"] + by_kind["administration"]
    )
    for a in actors:
        for net in pick("network", rng.randint(1, 8)):
            G.add_edge(
                a, net, relation=rng.choice(["member"] * 8 + ["founder", "steering-committee"])
            )
            G.nodes[a]["networks"].append(G.nodes[net]["label"])
    for kind in ("project", "cooperation", "programme"):
        for p in by_kind[kind]:
            lead = rng.choice(actors)
            G.add_edge(lead, p, relation="lead")
            for partner in rng.sample(actors, rng.randint(3, 12)):
                if partner != lead:
                    G.add_edge(partner, p, relation="partner")
            for t in pick("theme", rng.randint(1, 2)):
                G.add_edge(p, t, relation="theme")
            if kind == "project" and by_kind["programme"]:
                G.add_edge(p, rng.choice(by_kind["programme"]), relation="part-of")
    for e in by_kind["event"]:
        G.add_edge(e, rng.choice(by_kind["city"]), relation="host")
        for c in rng.sample(actors, rng.randint(2, 10)):
            G.add_edge(c, e, relation="participant")
    for pl in by_kind["plan"]:
        G.add_edge(pl, rng.choice(by_kind["administration"]), relation="part-of")
        for t in pick("theme", 2):
            G.add_edge(pl, t, relation="theme")
    for c in by_kind["city"] + by_kind["region"]:
        if by_kind["country"] and rng.random() < 0.8:
            G.add_edge(c, rng.choice(by_kind["country"]), relation="part-of")
    for person in by_kind["person"]:
        G.add_edge(person, rng.choice(actors), relation="party")
    # a few disconnected pairs, as real data has
    return G
