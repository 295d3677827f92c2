"""Why the search query folds labels with chained BINDs, not nested REPLACE calls.

Oxigraph 0.5 evaluates a nested expression in time that doubles with each level of nesting;
the search query needs 24 replacements. This script builds the built-in graph in memory and
times the fold of every label and alternative label both ways, nesting depth by depth, in the
same run.

    python bench/search_fold.py            # depths 8 to 18, and the chain of 24
"""

from __future__ import annotations

import sys
import time

from citykg.fold import FOLDS, sparql_fold
from citykg.graph.build import assemble
from citykg.queries.sparql import LocalSource

NAMES = "{ ?x rdfs:label ?name } UNION { ?x skos:altLabel ?name }"
PREFIXES = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def nested(depth: int) -> str:
    pairs = list(FOLDS.items())[:depth]
    text = "LCASE(STR(?name))"
    for ascii_, chars in pairs:
        text = f'REPLACE({text}, "[{chars}]", "{ascii_}")'
    return f"BIND({text} AS ?key)"


def chained(depth: int) -> str:
    lines = sparql_fold("?name", "?key").splitlines()
    return "\n".join(lines[: depth + 1]).replace(f"?fold{depth})", "?key)")


def timed(source: LocalSource, body: str) -> float:
    query = PREFIXES + f"SELECT (COUNT(?key) AS ?n) WHERE {{ {NAMES}\n{body} }}"
    start = time.perf_counter()
    source.select(query)
    return time.perf_counter() - start


def main() -> None:
    source = LocalSource(assemble(validate=False).dataset)
    names = source.select(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {NAMES} }}").rows[0]["n"]
    print(f"{names} labels and alternative labels; times in seconds, one run each")
    print(f"{'depth':>5}  {'nested':>8}  {'chained':>8}  {'ratio':>6}")
    for depth in range(8, 19, 2):
        slow, fast = timed(source, nested(depth)), timed(source, chained(depth))
        print(f"{depth:>5}  {slow:8.3f}  {fast:8.3f}  {slow / fast:6.1f}")
        sys.stdout.flush()
    full = timed(source, sparql_fold("?name", "?key"))
    print(f"the search query's chain of {len(FOLDS) + 1} replacements: {full:.3f} s")


if __name__ == "__main__":
    main()
