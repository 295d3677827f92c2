"""citykg's benchmark: every number next to its baseline, measured in the same run.

    python bench/run.py --sizes 10k,100k,1M

For each size it generates a synthetic world (``citykg synth``, seed 1) as N-Triples and
measures, printing one table per part with ratios:

- build: ``citykg build --no-validate`` vs rdflib's memory store parsing the same file vs
  pyoxigraph's raw bulk load of the file (into the default graph, and into one named graph as
  citykg does); each in its own subprocess, with its peak RSS;
- validation: citykg's SPARQL validator on the built store vs pySHACL on rdflib (stopped after
  ``--shacl-timeout`` seconds);
- named queries: every ``queries/*.rq`` (the query library) and ``bench/queries/*.rq``, through
  citykg (rows of rdflib terms) vs the same text in pyoxigraph directly (rows counted, values
  not converted), on the same store, best of three taking turns;
- analyses, end to end in subprocesses taking turns: ``citykg overlaps --all-pairs --top 10``
  and ``citykg overlaps ACTOR`` vs the hand-written pyoxigraph + scipy path
  (``bench/handwritten.py``; the answers are compared), each ``citykg analyze`` command vs
  the same computation on igraph (``bench/igraph_analyses.py``);
- map: ``citykg map`` end to end on a world of about 5,000 map nodes (``--map-size``), then
  the renderer's own ``bench/map_bench.py`` (1k and 5k nodes in headless Chromium), once;
- overlaps: the analysis layer's own ``bench/projection.py`` (250k memberships, citykg's sparse
  projection vs networkx's ``overlap_weighted_projected_graph``), once;
- server: ``citykg push`` of the store to a real ``oxigraph serve`` on loopback, first and
  again unchanged, vs one hand-made HTTP PUT of the same N-Triples to a second server; then
  the named queries over HTTP.

Nothing here is a unit test: the numbers depend on the machine. Generated data goes to a
temporary folder (``--keep DIR`` keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CITYKG = [PY, "-m", "citykg"]


def run_measured(
    cmd: list[str],
    timeout: float | None = None,
    output: Path | None = None,
    failed: list[str] | None = None,
) -> tuple[float, float, bool]:
    """Run ``cmd`` (stdout to ``output``); return (wall seconds, peak RSS in MB, finished).

    A command that fails stops the benchmark, unless ``failed`` collects its last stderr line.
    """
    start = time.perf_counter()
    sink = open(output, "wb") if output else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, False
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if output:
        sink.close()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        if failed is None:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
        failed.append(err.strip().splitlines()[-1] if err.strip() else "failed")
    return wall, usage.ru_maxrss / 1024, True


def table(title: str, headers: list[str], rows: list[list[object]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    sys.stdout.flush()


def fmt_s(seconds: float, finished: bool = True) -> str:
    if not finished:
        return f"> {seconds:.0f} s (stopped)"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


RAW_LOAD = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
graph = ox.NamedNode(sys.argv[3]) if len(sys.argv) > 3 else ox.DefaultGraph()
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
store.flush()
"""
RDFLIB_LOAD = "import sys; from rdflib import Graph; Graph().parse(sys.argv[1], format='nt')"
SHACL = """
import sys
from rdflib import Graph
from citykg.graph.validate import validate_graph
from citykg.ontology import ontology_graph
g = ontology_graph()
g.parse(sys.argv[1], format="nt")
print(len(validate_graph(g).violations))
"""


def bench_build(nt: Path, work: Path, repeat: int) -> Path:
    rows = []
    results: dict[str, tuple[float, float]] = {}
    runs: dict[str, Callable[[int], list[str]]] = {
        "citykg build --no-validate": lambda i: [
            *CITYKG,
            "build",
            str(nt),
            "--store",
            str(work / f"store-{i}"),
            "--no-validate",
            "-q",
        ],
        "pyoxigraph bulk_load (default graph)": lambda i: [
            PY,
            "-c",
            RAW_LOAD,
            str(work / f"raw-{i}"),
            str(nt),
        ],
        "pyoxigraph bulk_load (named graph)": lambda i: [
            PY,
            "-c",
            RAW_LOAD,
            str(work / f"rawg-{i}"),
            str(nt),
            "https://w3id.org/citykg/graph/source/world",
        ],
        "rdflib memory store parse": lambda i: [PY, "-c", RDFLIB_LOAD, str(nt)],
    }
    for name, make in runs.items():
        best = (float("inf"), 0.0)
        for i in range(repeat if name != "rdflib memory store parse" else 1):
            wall, rss, _ = run_measured(make(i))
            best = min(best, (wall, rss))
            for leftover in work.glob(f"raw*-{i}"):
                shutil.rmtree(leftover)
        results[name] = best
    base_default = results["pyoxigraph bulk_load (default graph)"]
    base_named = results["pyoxigraph bulk_load (named graph)"]
    for name, (wall, rss) in results.items():
        rows.append(
            [
                name,
                fmt_s(wall),
                f"{rss:.0f} MB",
                ratio(wall, base_default[0]),
                ratio(wall, base_named[0]),
                ratio(rss, base_default[1]),
            ]
        )
    citykg = results["citykg build --no-validate"]
    rdflib = results["rdflib memory store parse"]
    table(
        f"build (best of {repeat}; rdflib once)",
        ["work", "time", "peak RSS", "time / raw default", "time / raw named", "RSS / raw default"],
        rows,
    )
    print(
        f"\ncitykg vs rdflib memory store: {rdflib[0] / citykg[0]:.1f}x faster, "
        f"{rdflib[1] / citykg[1]:.1f}x less memory"
    )
    for i in range(1, repeat):
        shutil.rmtree(work / f"store-{i}", ignore_errors=True)
    return work / "store-0"


def data_folder(store: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from citykg.graph.store import read_info

    return store / read_info(store).data


def bench_validation(nt: Path, store: Path, work: Path, shacl_timeout: float) -> None:
    import pyoxigraph as ox

    from citykg.graph.validate_sparql import validate_store

    inner = ox.Store.read_only(str(data_folder(store)))
    start = time.perf_counter()
    report = validate_store(inner)
    sparql = time.perf_counter() - start
    del inner
    counted = work / "shacl.txt"
    wall, _, finished = run_measured(
        [PY, "-c", SHACL, str(nt)], timeout=shacl_timeout, output=counted
    )
    table(
        "validation",
        ["validator", "time", "violations", "ratio"],
        [
            [
                "citykg (shapes as SPARQL on the store)",
                fmt_s(sparql),
                len(report.violations),
                "1.00x",
            ],
            [
                "pySHACL on rdflib (parse + validate)",
                fmt_s(wall, finished),
                counted.read_text().strip() if finished else "-",
                ratio(wall, sparql) if finished else f"> {wall / sparql:.0f}x",
            ],
        ],
    )


# Parameters a named query needs, filled from the synthetic world (its defaults name the
# Copenhagen data): by the parameter's name, else by its type.
_PICK = {
    "network": "network",
    "project": "project",
    "programme": "programme",
    "theme": "theme",
    "purpose": "purpose",
    "b": "city2",
}


def sample_ids(source: Any) -> dict[str, str]:
    """IDs of the synthetic world to bind: the two cities in the most networks, and so on."""
    from citykg.queries.library import prepare

    top = source.select(
        prepare(
            "SELECT ?id (COUNT(?n) AS ?k) WHERE { ?c a ckg:City ; dcterms:identifier ?id ; "
            "org:memberOf ?n } GROUP BY ?id ORDER BY DESC(?k) ?id LIMIT 2"
        ).text
    )
    cities = [str(row["id"]) for row in top.rows]
    return {
        "city": cities[0],
        "city2": cities[-1],
        "network": "network-0",
        "project": "project-0",
        "programme": "programme-1",
        "theme": "climate",
        "purpose": "cooperate",
    }


def query_values(query: Any, ids: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for param in query.params:
        if param.optional:
            continue
        if param.type == "iri":
            values[param.name] = ids[_PICK.get(param.name, "city")]
        elif param.default is None:
            values[param.name] = ids["city"] if param.type in ("string", "text") else "1"
    return values


def bench_queries(store: Path, endpoint: str | None = None) -> list[list[object]]:
    """Every named query (the library and bench/queries), through citykg and pyoxigraph."""
    import pyoxigraph as ox

    from citykg.errors import CitykgError
    from citykg.graph.store import open_dataset
    from citykg.queries.library import list_queries, load_query_file, prepare, resolve_params
    from citykg.queries.sparql import LocalSource

    queries = list_queries() + [
        load_query_file(p) for p in sorted((ROOT / "bench" / "queries").glob("*.rq"))
    ]
    source = LocalSource(open_dataset(store))
    direct = ox.Store.read_only(str(data_folder(store)))
    ids = sample_ids(source)
    rows: list[list[object]] = []
    for query in queries:
        try:
            bindings = resolve_params(query, query_values(query, ids), source)
        except CitykgError as exc:
            rows.append([query.name, f"skipped: {exc}", "", "", "", ""][: 6 if endpoint else 5])
            continue
        text = prepare(query.text, bindings).text
        mine = theirs = float("inf")
        # Best of three, taking turns, so that neither side profits from the other's caches.
        for _ in range(3):
            start = time.perf_counter()
            if query.form == "SELECT":
                n = len(source.select(text).rows)
            elif query.form == "ASK":
                n = int(source.ask(text))
            else:
                n = len(source.construct(text))
            mine = min(mine, time.perf_counter() - start)
            start = time.perf_counter()
            answer = direct.query(text, use_default_graph_as_union=True)
            m = int(bool(answer)) if isinstance(answer, ox.QueryBoolean) else sum(1 for _ in answer)
            theirs = min(theirs, time.perf_counter() - start)
            assert m == n, query.name
        row: list[object] = [query.name, n, fmt_s(mine), fmt_s(theirs), ratio(mine, theirs)]
        if endpoint:
            accept = (
                "application/n-triples"
                if query.form in ("CONSTRUCT", "DESCRIBE")
                else ("application/sparql-results+json")
            )
            start = time.perf_counter()
            req = urllib.request.Request(
                endpoint + "/query",
                data=text.encode(),
                headers={"Content-Type": "application/sparql-query", "Accept": accept},
            )
            with urllib.request.urlopen(req, timeout=600) as response:
                body = response.read()
            row.append(fmt_s(time.perf_counter() - start))
            if query.form == "SELECT":
                assert len(json.loads(body)["results"]["bindings"]) == n, query.name
        rows.append(row)
    return rows


def bench_server(nt: Path, store: Path, work: Path) -> None:
    from citykg.errors import CitykgError
    from citykg.graph.serve import find_oxigraph
    from tests.servers import oxigraph_server

    try:
        find_oxigraph()
    except CitykgError:
        print("\n(server: skipped, no 'oxigraph' program)")
        return
    with (
        oxigraph_server(work / "server", union_default_graph=True) as url,
        oxigraph_server(work / "server-baseline") as base_url,
    ):
        push = [*CITYKG, "push", "--graph-store", url + "/store", "--store", str(store)]
        first, first_rss, _ = run_measured([*push, "--timeout", "3600"])
        again, _, _ = run_measured([*push, "--timeout", "3600"])
        # The server's own cost: the same N-Triples in one PUT, sent by hand to a second server.
        body = work / "push.nt"
        run_measured([*CITYKG, "export", "--format", "nt", "--store", str(store)], output=body)
        start = time.perf_counter()
        with open(body, "rb") as data:
            req = urllib.request.Request(
                base_url + "/store?graph=urn:baseline",
                data=data,
                method="PUT",
                headers={"Content-Type": "application/n-triples"},
            )
            urllib.request.urlopen(req, timeout=3600).read()
        raw_put = time.perf_counter() - start
        with open(body, "rb") as lines:
            statements = sum(1 for _ in lines)
        table(
            f"push of {statements} statements to a real oxigraph serve on loopback",
            ["work", "time", "ratio", "peak RSS"],
            [
                ["HTTP PUT of the N-Triples by hand (baseline)", fmt_s(raw_put), "1.00x", "-"],
                ["citykg push (export, GET, PUT)", fmt_s(first), ratio(first, raw_put),
                 f"{first_rss:.0f} MB"],
                ["citykg push again (unchanged: GET only)", fmt_s(again), ratio(again, raw_put),
                 "-"],
            ],
        )  # fmt: skip
        table(
            "named queries: citykg vs pyoxigraph direct vs the server over HTTP",
            ["query", "rows", "citykg", "pyoxigraph", "ratio", "server (HTTP)"],
            bench_queries(store, endpoint=url),
        )


def _overlap_rows(path: Path, mode: str) -> list[tuple[object, ...]]:
    """The rows of an overlaps answer as (a, b, shared, jaccard, item IDs, item labels)."""
    text = path.read_text(encoding="utf-8")
    if mode == "hand":
        found = [json.loads(line) for line in text.splitlines()]
        return [(r["a"], r["b"], r["shared"], r["jaccard"], r["items"], r["labels"]) for r in found]
    return [
        (
            r.get("actor_a", mode),
            r.get("actor_b", r.get("actor")),
            r["shared"],
            r["jaccard"],
            [i["id"] for i in r["items"]],
            [i["label"] for i in r["items"]],
        )
        for r in json.loads(text)
    ]


def bench_analyses(store: Path, work: Path, repeat: int, timeout: float) -> None:
    """End to end, in subprocesses taking turns: citykg's overlaps and analyses against the
    hand-written pyoxigraph + scipy path (``bench/handwritten.py``, the same answers checked)
    and the same computations on igraph (``bench/igraph_analyses.py``)."""
    from citykg.graph.store import open_dataset
    from citykg.queries.sparql import LocalSource

    data = str(data_folder(store))
    actor = sample_ids(LocalSource(open_dataset(store)))["city"]
    here = ROOT / "bench"
    at = ["--store", str(store), "--as-of", "2026-01-01"]
    cases: list[tuple[str, list[str], list[str], str]] = [
        (
            "overlaps --all-pairs --top 10",
            [*CITYKG, "overlaps", "--all-pairs", "--top", "10", "--format", "json", *at],
            [PY, str(here / "handwritten.py"), data, "pairs", "10"],
            "within 1.5x of the hand-written path",
        ),
        (
            f"overlaps {actor}",
            [*CITYKG, "overlaps", actor, "--format", "json", *at],
            [PY, str(here / "handwritten.py"), data, "actor", actor],
            "under 1 s",
        ),
    ]
    for command in ("centrality", "communities", "brokers", "themes"):
        extra = ["--home", actor] if command == "themes" else []
        cases.append(
            (
                f"analyze {command}",
                [*CITYKG, "analyze", command, *extra, *at],
                [PY, str(here / "igraph_analyses.py"), data, command, actor],
                "under 10 s",
            )
        )
    rows: list[list[object]] = []
    for name, mine, theirs, target in cases:
        times: dict[str, list[float]] = {"citykg": [], "baseline": []}
        rss: dict[str, float] = {"citykg": 0.0, "baseline": 0.0}
        finished = True
        refused: list[str] = []
        for _ in range(repeat):
            for who, cmd in (("citykg", mine), ("baseline", theirs)):
                wall, peak, done = run_measured(
                    cmd, timeout=timeout, output=work / f"{who}.out", failed=refused
                )
                times[who].append(wall)
                rss[who] = max(rss[who], peak)
                finished = finished and done
            if not finished or refused:
                break
        if refused:  # a loud refusal (brokers of a projection too large): its message
            rows.append([name, refused[0][:160], "-", "-", "-", "-", target])
            continue
        same = "-"
        if name.startswith("overlaps") and finished:
            mode = "pairs" if "--all-pairs" in mine else actor
            equal = _overlap_rows(work / "citykg.out", mode) == _overlap_rows(
                work / "baseline.out", "hand"
            )
            same = "yes" if equal else "NO"
        mine_s, theirs_s = min(times["citykg"]), min(times["baseline"])
        rows.append(
            [
                name,
                f"{fmt_s(mine_s, finished)} (worst {fmt_s(max(times['citykg']), finished)})",
                f"{rss['citykg']:.0f} MB",
                f"{fmt_s(theirs_s, finished)} (worst {fmt_s(max(times['baseline']), finished)})",
                ratio(mine_s, theirs_s) if finished else "-",
                same,
                target,
            ]
        )
    table(
        f"analyses end to end (best of {repeat}, taking turns; actor {actor})",
        ["command", "citykg", "peak RSS", "baseline", "ratio", "same answers", "target"],
        rows,
    )


def bench_big_map(size: str, work: Path) -> None:
    """``citykg map`` end to end on a synthetic world of about 5,000 map nodes."""
    from citykg.loaders.synth import parse_size, write_synth

    nt = work / "map-world.nt"
    write_synth(nt, size=parse_size(size), seed=1)
    store = work / "map-store"
    run_measured([*CITYKG, "build", str(nt), "--store", str(store), "--no-validate", "-q"])
    page = work / "map.html"
    cmd = [*CITYKG, "map", "-o", str(page), "--store", str(store), "--as-of", "2026-01-01"]
    wall, rss, _ = run_measured(cmd, output=work / "map.out")
    said = (work / "map.out").read_text(encoding="utf-8").strip()
    table(
        f"map of a {size}-triple world, end to end",
        ["command", "time", "peak RSS", "file", "written", "target"],
        [["citykg map", fmt_s(wall), f"{rss:.0f} MB", f"{page.stat().st_size / 1e6:.1f} MB",
          said.split(": ", 1)[-1], "5,000 nodes in under 10 s"]],
    )  # fmt: skip


def bench_map() -> None:
    """The map renderer's own benchmark (1k and 5k nodes, headless Chromium)."""
    script = ROOT / "bench" / "map_bench.py"
    print("\n### map (bench/map_bench.py)\n")
    sys.stdout.flush()
    subprocess.run([PY, str(script), "1000", "5000"], cwd=ROOT / "bench", check=False)


def bench_overlaps() -> None:
    """The analysis layer's own benchmark: overlaps of 250k memberships vs networkx."""
    script = ROOT / "bench" / "projection.py"
    print("\n### overlaps (bench/projection.py, 250k memberships)\n")
    sys.stdout.flush()
    subprocess.run([PY, str(script)], cwd=ROOT / "bench", check=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1M,10M")
    parser.add_argument("--repeat", type=int, default=2, help="build runs per tool (best is kept)")
    parser.add_argument(
        "--shacl-timeout", type=float, default=300, help="stop pySHACL after this many seconds"
    )
    parser.add_argument("--keep", type=Path, help="keep generated data here")
    parser.add_argument("--no-server", action="store_true", help="skip the oxigraph serve part")
    parser.add_argument("--no-map", action="store_true", help="skip the map and overlaps parts")
    parser.add_argument(
        "--only",
        default="build,validation,queries,server,analyses",
        help="the parts to run at each size (comma-separated)",
    )
    parser.add_argument(
        "--analysis-timeout", type=float, default=300, help="stop an analysis after this long"
    )
    parser.add_argument(
        "--map-size", default="230k", help="the world of the big map (about 5,000 nodes)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from citykg.loaders.synth import parse_size, write_synth

    print(
        f"citykg bench on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )
    for size in args.sizes.split(","):
        work = (
            args.keep / size
            if args.keep
            else Path(tempfile.mkdtemp(prefix=f"citykg-bench-{size}-"))
        )
        work.mkdir(parents=True, exist_ok=True)
        nt = work / "world.nt"
        start = time.perf_counter()
        made = write_synth(nt, size=parse_size(size), seed=1)
        print(
            f"\n## {size}: {made.triples} triples of N-Triples "
            f"({made.counts.get('memberships', 0)} memberships), "
            f"generated in {time.perf_counter() - start:.1f} s"
        )
        parts = set(args.only.split(","))
        store = bench_build(nt, work, args.repeat)
        if "validation" in parts:
            bench_validation(nt, store, work, args.shacl_timeout)
        if "queries" in parts and (args.no_server or "server" not in parts):
            table(
                "named queries: citykg vs pyoxigraph direct",
                ["query", "rows", "citykg", "pyoxigraph", "ratio"],
                bench_queries(store),
            )
        elif "server" in parts and not args.no_server:
            bench_server(nt, store, work)
        if "analyses" in parts:
            bench_analyses(store, work, args.repeat, args.analysis_timeout)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if not args.no_map:
        work = Path(tempfile.mkdtemp(prefix="citykg-bench-map-"))
        bench_big_map(args.map_size, work)
        shutil.rmtree(work, ignore_errors=True)
        bench_map()
        bench_overlaps()


if __name__ == "__main__":
    main()
