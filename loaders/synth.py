"""A synthetic world of city networks, deterministic for a seed: data for tests and benchmarks.

The world holds countries, cities (with coordinates and populations), organisations, city
networks with heavy-tailed member counts, programmes, projects with a lead and partners,
memberships with roles and periods, themes, purposes, roles, a strategy document whose
sections hold the quoted evidence, and a public source URL on every membership.

It is written either in citykg's own dataset format (``yaml``: YAML files for the small kinds,
CSV files for the long lists, loadable with ``citykg build FOLDER``) or as RDF (``nt`` or
``ttl``) holding exactly the triples the dataset loader emits for the same world. The RDF
writer streams line by line, so 10M triples need no more memory than the world's entity IDs.

Determinism: the same seed and counts give byte-identical files with the same citykg on the
same Python version (it draws only from :class:`random.Random`).
"""

from __future__ import annotations

import bisect
import csv
import json
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TextIO

from citykg.errors import CitykgError, did_you_mean
from citykg.files import open_output
from citykg.loaders.common import TIME_PROPERTY, passage_iri, section_id
from citykg.loaders.kinds import CLASSES, KIND_NAMES, ORGANISATION_TYPES, SCHEMES
from citykg.ontology.namespaces import (
    BASE,
    CKG,
    DCAT,
    DCTERMS,
    FOAF,
    ID,
    ORG,
    POS,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SDG,
    SKOS,
    TIME,
    XSD,
)
from citykg.progress import Progress

__all__ = [
    "FORMATS",
    "SIZES",
    "SynthCounts",
    "SynthResult",
    "counts_for_size",
    "parse_size",
    "write_synth",
]

#: Named sizes: about this many triples in the written data (before materialisation).
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
FORMATS = ("yaml", "nt", "ttl")

# ---------------------------------------------------------------------------------------------
# Counts


@dataclass(frozen=True)
class SynthCounts:
    """How many of each kind the world holds (memberships follow from the network sizes)."""

    cities: int
    organisations: int
    networks: int
    network_memberships: int
    projects: int
    programmes: int = 8
    countries: int = 0  # 0: derived from the number of cities

    def country_count(self) -> int:
        return self.countries or max(5, min(600, self.cities // 60 + 5))


def parse_size(text: str) -> int:
    """A size such as ``10k``, ``1M``, ``250000`` or ``2.5M`` as a number of triples.

    Examples
    --------
    >>> parse_size("100k"), parse_size("1M"), parse_size("2500")
    (100000, 1000000, 2500)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise CitykgError(
            f"'{text}' is not a size",
            did_you_mean(text, SIZES) or "Write a number of triples such as 10k, 100k, 1M or 10M.",
        )
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    value = int(float(match.group(1)) * factor)
    if value < 1_000:
        raise CitykgError(f"size {text} is too small", "Ask for at least 1k triples.")
    return value


# Triples per entity, measured on generated worlds: the counts aim at the asked size with
# cities ~20%, network memberships ~40%, projects and their partners ~35% of the triples.
_PER_CITY, _PER_MEMBERSHIP, _PER_PROJECT = 11.2, 12.6, 116.0


def counts_for_size(triples: int, **exact: int | None) -> SynthCounts:
    """Entity counts for a world of about ``triples`` triples; ``exact`` counts (``cities=500``,
    ``networks=12``, ...) replace the derived ones where not None.

    Examples
    --------
    >>> counts_for_size(10_000).cities
    178
    >>> counts_for_size(10_000, networks=7, cities=None).networks
    7
    """
    cities = max(20, int(0.2 * triples / _PER_CITY))
    projects = max(2, int(0.35 * triples / _PER_PROJECT))
    memberships = max(30, int(0.4 * triples / _PER_MEMBERSHIP))
    networks = max(3, memberships // 600)
    counts = SynthCounts(
        cities=cities,
        organisations=max(5, cities // 10),
        networks=networks,
        network_memberships=memberships,
        projects=projects,
    )
    unknown = set(exact) - set(SynthCounts.__dataclass_fields__)
    if unknown:
        raise CitykgError(
            f"unknown count '{sorted(unknown)[0]}'", "Give counts of cities, networks, ..."
        )
    counts = replace(counts, **{k: v for k, v in exact.items() if v is not None})
    # Every network gets at least 5 member cities (see _World._sizes).
    least = {
        "cities": 5,
        "organisations": 0,
        "networks": 1,
        "network_memberships": 5 * counts.networks,
        "projects": 0,
    }
    for name, minimum in least.items():
        value = getattr(counts, name)
        if value < minimum:
            option = "--" + name.replace("_", "-")
            raise CitykgError(
                f"{option} {value} is too small: a world needs at least {minimum}",
                f"Give {option} {minimum} or more.",
            )
    return counts


# ---------------------------------------------------------------------------------------------
# Vocabulary of the world

# Themes the world draws from: (ID, label, SDG, broader, defined here). Most are the shared
# vocabulary's (loaders/data/vocabulary), which every build includes; the world defines the
# rest itself, as a city's dataset extends the vocabulary.
_THEMES: tuple[tuple[str, str, int | None, str | None, bool], ...] = (
    ("climate", "Climate action", 13, None, False),
    ("climate-adaptation", "Climate adaptation", None, "climate", False),
    ("greenhouse-gas-reduction", "Greenhouse gas reduction", None, "climate", False),
    ("energy", "Affordable and clean energy", 7, None, False),
    ("energy-efficiency", "Energy efficiency", None, "energy", False),
    ("circular-economy", "Circular economy", 12, None, False),
    ("waste-management", "Waste management", None, "circular-economy", False),
    ("water-and-sanitation", "Clean water and sanitation", 6, None, False),
    ("sustainable-urban-development", "Sustainable urban development", 11, None, False),
    ("mobility", "Mobility", None, "sustainable-urban-development", False),
    ("housing", "Housing", None, "sustainable-urban-development", True),
    ("health", "Health", 3, None, False),
    ("education", "Quality education", 4, None, True),
    ("innovation", "Industry, innovation and infrastructure", 9, None, True),
    ("digitalisation", "Digitalisation", None, "innovation", True),
    ("culture", "Culture", None, None, True),
    ("tourism", "Tourism", None, None, True),
    ("social-inequality", "Reduced inequality", 10, None, False),
    ("partnerships", "Partnerships for the goals", 17, None, False),
    ("knowledge-sharing", "Knowledge sharing", None, None, False),
)
# The vocabulary's purposes and roles, which the world uses without defining them.
_PURPOSES = ("learn", "influence", "inspire", "cooperate", "brand-and-promote")
_ORG_TYPES = ("university", "company", "research-institute", "public-body", "association")
_SYLLABLES = (
    "ka",
    "ri",
    "mo",
    "lan",
    "ve",
    "to",
    "sa",
    "ber",
    "gen",
    "na",
    "lis",
    "dor",
    "ma",
    "hel",
    "sin",
    "ko",
    "ra",
    "vik",
    "ta",
    "bel",
    "mi",
    "stad",
    "por",
    "ne",
    "ho",
    "lu",
    "val",
    "an",
    "ze",
    "bur",
)
_NETWORK_WORDS = ("Cities", "Mayors", "Alliance", "Forum", "Network", "Partnership", "Initiative")
_PROJECT_WORDS = (
    "Green",
    "Smart",
    "Resilient",
    "Open",
    "Circular",
    "Healthy",
    "Connected",
    "Urban",
)
_DOCUMENT = "synth-strategy"
_DATASET = "synth"
SOURCE_HOST = "https://synth.example.org"


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


# ---------------------------------------------------------------------------------------------
# The world as dataset entries: (kind, fields) in the dataset format's own field names.

Entry = tuple[str, dict[str, Any]]


class _World:
    """Draws the world entry by entry from one random generator."""

    def __init__(self, counts: SynthCounts, seed: int) -> None:
        self.counts = counts
        self.rng = random.Random(seed)
        self.seed = seed

    def small(self) -> Iterator[Entry]:
        """Everything but the long lists: dataset, document, vocabularies, countries, networks."""
        yield (
            "dataset",
            {
                "id": _DATASET,
                "title": "A synthetic world of city networks",
                "description": f"Generated by citykg synth with seed {self.seed}.",
                "publisher": "citykg synth",
            },
        )
        sections = [
            {"id": f"s-{i}", "title": f"Section {i}"} for i in range(1, self.section_count() + 1)
        ]
        yield (
            "documents",
            {
                "id": _DOCUMENT,
                "title": "A synthetic international strategy",
                "published": "2024",
                "url": f"{SOURCE_HOST}/strategy",
                "sections": sections,
            },
        )
        for tid, label, sdg, broader, here in _THEMES:
            if not here:
                continue
            fields: dict[str, Any] = {"id": tid, "label": label}
            if sdg is not None:
                fields["sdg"] = sdg
            if broader is not None:
                fields["broader"] = broader
            yield "themes", fields
        yield from self.countries()
        yield (
            "organisations",
            {"id": "synth-commission", "label": "Synthetic Commission", "type": "public-body"},
        )
        for i in range(1, self.counts.programmes + 1):
            start = 1990 + 4 * i
            yield (
                "programmes",
                {
                    "id": f"programme-{i}",
                    "label": f"Research Programme {i}",
                    "start": str(start),
                    "end": str(start + 7),
                    "organizer": "synth-commission",
                    "evidence": [{"source": f"{SOURCE_HOST}/programmes/{i}"}],
                },
            )

    def section_count(self) -> int:
        return max(3, self.counts.networks // 2)

    def countries(self) -> Iterator[Entry]:
        rng = self.rng
        n = self.counts.country_count()
        self.country_ids: list[str] = []
        self.country_centres: list[tuple[float, float]] = []
        for i in range(n):
            code = chr(65 + i // 26) + chr(65 + i % 26)
            label = _name(rng, 2) + rng.choice(("ia", "land", "stan", "a", "or"))
            cid = f"{label.lower()}-{code.lower()}"
            self.country_ids.append(cid)
            self.country_centres.append((rng.uniform(-45, 65), rng.uniform(-170, 170)))
            yield "countries", {"id": cid, "label": label, "code": code}

    def cities(self) -> Iterator[Entry]:
        rng = self.rng
        countries = len(self.country_ids)
        # Zipf-like: a few countries hold many cities.
        weights = [1 / (k + 1) ** 0.8 for k in range(countries)]
        cumulative = _cumulative(weights)
        self.city_ids: list[str] = []
        self.city_weights: list[float] = []
        for i in range(self.counts.cities):
            country = _pick(rng, cumulative)
            lat0, long0 = self.country_centres[country]
            label = _name(rng, rng.choice((2, 2, 3)))
            cid = f"{label.lower()}-{i}"
            population = int(math.exp(rng.gauss(11.0, 1.3)))
            self.city_ids.append(cid)
            self.city_weights.append(math.log(population))
            yield (
                "cities",
                {
                    "id": cid,
                    "label": label,
                    "country": self.country_ids[country],
                    "lat": f"{max(-89.9, min(89.9, lat0 + rng.uniform(-6, 6))):.4f}",
                    "long": f"{max(-179.9, min(179.9, long0 + rng.uniform(-8, 8))):.4f}",
                    "population": str(population),
                },
            )

    def organisations(self) -> Iterator[Entry]:
        rng = self.rng
        self.org_ids: list[str] = []
        for i in range(self.counts.organisations):
            kind = rng.choice(_ORG_TYPES)
            city = rng.randrange(len(self.city_ids))
            label = f"{_name(rng, 2)} {kind.replace('-', ' ').title()}"
            oid = f"org-{i}"
            self.org_ids.append(oid)
            yield (
                "organisations",
                {"id": oid, "label": label, "type": kind, "located_in": self.city_ids[city]},
            )

    def _sizes(self) -> list[int]:
        # Pareto draws (a few very large networks, many small), scaled to the membership total.
        rng = self.rng
        draws = [(1 - rng.random()) ** (-1 / 1.1) for _ in range(self.counts.networks)]
        scale = self.counts.network_memberships / sum(draws)
        return [max(5, min(len(self.city_ids), round(d * scale))) for d in draws]

    def networks(self) -> Iterator[Entry]:
        """Networks with heavy-tailed sizes."""
        rng = self.rng
        self.network_sizes: list[tuple[str, int, int]] = []
        sections = self.section_count()
        for i, size in enumerate(self._sizes()):
            founded = rng.randrange(1985, 2020)
            nid = f"network-{i}"
            label = f"{_name(rng, 2)} {rng.choice(_NETWORK_WORDS)}"
            themes = sorted({rng.choice(_THEMES)[0] for _ in range(rng.randint(1, 3))})
            section = f"s-{i % sections + 1}"
            self.network_sizes.append((nid, size, founded))
            yield (
                "networks",
                {
                    "id": nid,
                    "label": label,
                    "founded": str(founded),
                    "member_count": size,
                    "themes": themes,
                    "purposes": sorted({rng.choice(_PURPOSES) for _ in range(2)}),
                    "sdgs": sorted(
                        {s for t in themes for tt in _THEMES if tt[0] == t and (s := tt[2])}
                    ),
                    "homepage": f"{SOURCE_HOST}/networks/{i}",
                    "evidence": [
                        {"section": section, "quote": f"{label} brings together {size} cities"},
                        {"source": f"{SOURCE_HOST}/networks/{i}/members"},
                    ],
                },
            )

    def projects(self) -> Iterator[Entry]:
        rng = self.rng
        self.project_rows: list[tuple[str, int, str, str]] = []
        for i in range(self.counts.projects):
            programme = rng.randint(1, self.counts.programmes)
            start_year = 1990 + 4 * programme + rng.randrange(0, 6)
            start = f"{start_year}-{rng.randint(1, 12):02d}-01"
            end = f"{start_year + rng.randint(2, 5)}-{rng.randint(1, 12):02d}-28"
            budget = rng.randrange(200, 20_000) * 1_000
            pid = f"project-{i}"
            partners = min(40, 2 + int(rng.lognormvariate(1.6, 0.6)))
            self.project_rows.append((pid, partners, start, end))
            themes = sorted({rng.choice(_THEMES)[0] for _ in range(rng.randint(1, 2))})
            yield (
                "projects",
                {
                    "id": pid,
                    "label": f"{rng.choice(_PROJECT_WORDS)} {_name(rng, 2)} {i}",
                    "start": start,
                    "end": end,
                    "programme": f"programme-{programme}",
                    "budget_eur": str(budget),
                    "eu_contribution_eur": str(budget * rng.randint(50, 100) // 100),
                    "grant_id": str(100000 + i),
                    "themes": themes,
                    "evidence": [{"source": f"{SOURCE_HOST}/projects/{100000 + i}"}],
                },
            )

    def memberships(self) -> Iterator[Entry]:
        rng = self.rng
        cities = len(self.city_ids)
        for nid, size, founded in self.network_sizes:
            source = f"{SOURCE_HOST}/networks/{nid.rsplit('-', 1)[1]}/members"
            members = rng.sample(range(cities), size)
            for rank, city in enumerate(members):
                start = rng.randrange(founded, 2025)
                fields: dict[str, Any] = {
                    "member": self.city_ids[city],
                    "organization": nid,
                    "role": "member",
                    "start": str(start)
                    if rng.random() < 0.6
                    else f"{start}-{rng.randint(1, 12):02d}",
                }
                if rng.random() < 0.15:
                    fields["end"] = str(rng.randrange(start, 2026))
                fields["source_url"] = source
                yield "memberships", fields
                if rank < 2:  # the first members also founded the network and sit on its board
                    role = "founder" if rank == 0 else "steering-committee"
                    yield (
                        "memberships",
                        {
                            "member": self.city_ids[city],
                            "organization": nid,
                            "role": role,
                            "start": str(founded),
                            "source_url": source,
                        },
                    )
        actors = len(self.city_ids) + len(self.org_ids)
        for pid, partners, begins, ends in self.project_rows:
            source = f"{SOURCE_HOST}/projects/{100000 + int(pid.rsplit('-', 1)[1])}"
            for rank, actor in enumerate(rng.sample(range(actors), min(partners, actors))):
                member = self.city_ids[actor] if actor < cities else self.org_ids[actor - cities]
                yield (
                    "memberships",
                    {
                        "member": member,
                        "organization": pid,
                        "role": "lead" if rank == 0 else "partner",
                        "start": begins,
                        "end": ends,
                        "source_url": source,
                    },
                )


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [c / total for c in out]


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_left(cumulative, rng.random()), len(cumulative) - 1)


def _entries(counts: SynthCounts, seed: int) -> Iterator[Entry]:
    """The whole world, in the order that each reference comes after what it names."""
    world = _World(counts, seed)
    yield from world.small()
    yield from world.cities()
    yield from world.organisations()
    yield from world.networks()
    yield from world.projects()
    yield from world.memberships()


# ---------------------------------------------------------------------------------------------
# RDF: the triples the dataset loader emits for each entry, as N-Triples lines.
#
# Written by hand (not by building an rdflib Graph) so that 10M triples stream in constant
# memory; tests check that the result is the same graph as the dataset loader makes of the
# YAML/CSV version of the same world.


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, lang: str | None = None) -> str:
    # A JSON string is a valid N-Triples string literal (same escapes).
    return json.dumps(value, ensure_ascii=False) + (f"@{lang}" if lang else "")


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def _date(value: str) -> str:
    kind = XSD.date if value.count("-") == 2 else XSD.gYearMonth if "-" in value else XSD.gYear
    return _typed(value, kind)


_TIME = {str(datatype): predicate for datatype, predicate in TIME_PROPERTY.items()}


def _passage(section: str, quote: str) -> str:
    return _iri(str(passage_iri(section_id(_DOCUMENT, section), quote)))


def _decimal(text: str) -> str:
    # The loader writes one canonical form of a decimal (citykg.loaders.common.decimal_literal).
    return _typed(format(Decimal(text).normalize(), "f"), XSD.decimal)


T = tuple[str, str, str]


def _triples(kind: str, f: dict[str, Any]) -> Iterator[T]:
    a = _iri(str(RDF.type))
    if kind == "dataset":
        node = _iri(f"{BASE}dataset/{f['id']}")
        yield node, a, _iri(str(DCAT.Dataset))
        yield node, _iri(str(DCTERMS.title)), _text(f["title"], "en")
        yield node, _iri(str(DCTERMS.description)), _text(f["description"], "en")
        yield node, _iri(str(DCTERMS.publisher)), _text(f["publisher"], "en")
        return
    if kind == "memberships":
        yield from _membership(f)
        return
    node = _iri(ID + f["id"])
    label = f.get("label") or f["title"]
    yield node, a, _iri(str(CLASSES[kind]))
    yield node, _iri(str(CKG.kind)), _text(KIND_NAMES[kind])
    yield node, _iri(str(DCTERMS.identifier)), _text(f["id"])
    yield node, _iri(str(CKG.inDataset)), _iri(f"{BASE}dataset/{_DATASET}")
    yield node, _iri(str(RDFS.label)), _text(label, "en")
    if kind in SCHEMES:
        yield node, _iri(str(SKOS.inScheme)), _iri(str(SCHEMES[kind]))
        yield node, _iri(str(SKOS.prefLabel)), _text(label, "en")
    for theme in f.get("themes", []):
        yield node, _iri(str(DCTERMS.subject)), _iri(ID + theme)
    for purpose in f.get("purposes", []):
        yield node, _iri(str(CKG.purpose)), _iri(ID + purpose)
    for goal in f.get("sdgs", []):
        yield node, _iri(str(CKG.contributesTo)), _iri(f"{SDG}{goal}")
    if "homepage" in f:
        yield node, _iri(str(FOAF.homepage)), _iri(f["homepage"])
    yield from _evidence(node, f)
    yield from _kind_triples(kind, node, f)


def _evidence(node: str, f: dict[str, Any]) -> Iterator[T]:
    items = list(f.get("evidence", []))
    if "source_url" in f:
        items.append({"source": f["source_url"]})
    for item in items:
        if "source" in item:
            yield node, _iri(str(DCTERMS.source)), _iri(item["source"])
            continue
        passage = _passage(item["section"], item["quote"])
        yield passage, _iri(str(RDF.type)), _iri(str(CKG.Passage))
        yield passage, _iri(str(PROV.value)), _text(item["quote"])
        yield (
            passage,
            _iri(str(DCTERMS.isPartOf)),
            _iri(ID + section_id(_DOCUMENT, item["section"])),
        )
        yield passage, _iri(str(PROV.wasQuotedFrom)), _iri(ID + _DOCUMENT)
        yield node, _iri(str(PROV.wasDerivedFrom)), passage
    # The status the dataset loader derives from the same evidence.
    if items:
        status = "stated" if any("quote" in item for item in items) else "listed"
        yield node, _iri(str(CKG.status)), _iri(str(CKG[status]))


def _kind_triples(kind: str, node: str, f: dict[str, Any]) -> Iterator[T]:
    a = _iri(str(RDF.type))
    if kind == "documents":
        yield node, _iri(str(SCHEMA.datePublished)), _date(f["published"])
        yield node, _iri(str(FOAF.homepage)), _iri(f["url"])
        for number, section in enumerate(f["sections"], 1):
            full = section_id(_DOCUMENT, section["id"])
            s = _iri(ID + full)
            yield s, a, _iri(str(CKG.Section))
            yield s, _iri(str(CKG.kind)), _text("section")
            yield s, _iri(str(DCTERMS.identifier)), _text(full)
            yield s, _iri(str(RDFS.label)), _text(section["title"], "en")
            yield s, _iri(str(DCTERMS.isPartOf)), node
            yield s, _iri(str(CKG.number)), _typed(str(number), XSD.integer)
    elif kind == "themes":
        if "broader" in f:
            yield node, _iri(str(SKOS.broader)), _iri(ID + f["broader"])
        if "sdg" in f:
            yield node, _iri(str(SKOS.closeMatch)), _iri(f"{SDG}{f['sdg']}")
    elif kind == "countries":
        yield node, _iri(str(SKOS.notation)), _text(f["code"])
    elif kind == "cities":
        place = _iri(f"{ID}place/{f['id']}")
        country = _iri(ID + f["country"])
        yield node, _iri(str(SCHEMA.location)), place
        yield place, a, _iri(str(SCHEMA.City))
        yield place, _iri(str(RDFS.label)), _text(f["label"], "en")
        yield place, _iri(str(POS.lat)), _decimal(f["lat"])
        yield place, _iri(str(POS.long)), _decimal(f["long"])
        yield place, _iri(str(CKG.population)), _typed(f["population"], XSD.integer)
        yield node, _iri(str(CKG.country)), country
        yield place, _iri(str(CKG.country)), country
    elif kind == "organisations":
        yield node, a, _iri(str(ORGANISATION_TYPES[f["type"]]))
        if "located_in" in f:
            yield node, _iri(str(SCHEMA.location)), _iri(f"{ID}place/{f['located_in']}")
    elif kind == "networks":
        yield node, _iri(str(SCHEMA.foundingDate)), _date(f["founded"])
        yield node, _iri(str(CKG.memberCount)), _typed(str(f["member_count"]), XSD.integer)
    elif kind == "projects":
        yield node, _iri(str(SCHEMA.startDate)), _date(f["start"])
        yield node, _iri(str(SCHEMA.endDate)), _date(f["end"])
        yield node, _iri(str(CKG.programme)), _iri(ID + f["programme"])
        yield node, _iri(str(CKG.budget)), _decimal(f["budget_eur"])
        yield node, _iri(str(CKG.euContribution)), _decimal(f["eu_contribution_eur"])
        yield node, _iri(str(CKG.grantId)), _text(f["grant_id"])
    elif kind == "programmes":
        yield node, _iri(str(SCHEMA.startDate)), _date(f["start"])
        yield node, _iri(str(SCHEMA.endDate)), _date(f["end"])
        yield node, _iri(str(SCHEMA.organizer)), _iri(ID + f["organizer"])


def _membership(f: dict[str, Any]) -> Iterator[T]:
    a = _iri(str(RDF.type))
    short = f"membership/{f['member']}/{f['organization']}/{f['role']}"
    node = _iri(ID + short)
    yield node, a, _iri(str(ORG.Membership))
    yield node, _iri(str(DCTERMS.identifier)), _text(short)
    yield node, _iri(str(ORG.member)), _iri(ID + f["member"])
    yield node, _iri(str(ORG.organization)), _iri(ID + f["organization"])
    yield node, _iri(str(ORG.role)), _iri(ID + f["role"])
    yield (
        node,
        _iri(str(RDFS.label)),
        _text(f"{f['member']} in {f['organization']} ({f['role']})", "en"),
    )
    if "start" in f or "end" in f:
        period = f"{ID}{short}/period"
        yield node, _iri(str(ORG.memberDuring)), _iri(period)
        yield _iri(period), a, _iri(str(TIME.Interval))
        for name, predicate in (("start", TIME.hasBeginning), ("end", TIME.hasEnd)):
            if name not in f:
                continue
            instant = _iri(f"{period}/{name}")
            value = _date(f[name])
            yield _iri(period), _iri(str(predicate)), instant
            yield instant, a, _iri(str(TIME.Instant))
            yield instant, _iri(str(_TIME[value.rsplit("^^<", 1)[1][:-1]])), value
    yield from _evidence(node, f)


# ---------------------------------------------------------------------------------------------
# Writers


@dataclass(frozen=True)
class SynthResult:
    """What :func:`write_synth` wrote."""

    path: Path
    format: str
    seed: int
    triples: int
    counts: dict[str, int]
    files: tuple[str, ...]


_TTL_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "ckg": str(CKG),
    "id": str(ID),
    "org": str(ORG),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "pos": str(POS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "dcat": str(DCAT),
}


def _write_rdf(out: IO[str], entries: Iterator[Entry], fmt: str, kinds: dict[str, int]) -> int:
    triples = 0
    if fmt == "ttl":
        # Turtle as N-Triples with prefixes declared: valid Turtle, streamed, and still readable.
        for prefix, namespace in _TTL_PREFIXES.items():
            out.write(f"@prefix {prefix}: <{namespace}> .\n")
    buffer: list[str] = []
    for kind, fields in entries:
        kinds[kind] = kinds.get(kind, 0) + 1
        for s, p, o in _triples(kind, fields):
            buffer.append(f"{s} {p} {o} .\n")
        if len(buffer) > 50_000:
            triples += len(buffer)
            out.write("".join(buffer))
            buffer.clear()
    triples += len(buffer)
    out.write("".join(buffer))
    return triples


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in value.items()) + "}"
    # Every string double-quoted in JSON's escapes, which YAML reads the same way.
    return json.dumps(str(value), ensure_ascii=False)


# Long lists go to CSV files (the loader reads them much faster than YAML); the columns.
# Projects stay in YAML: the CSV reader does not split reference lists such as themes.
_CSV_COLUMNS = {
    "cities": ("id", "label", "country", "lat", "long", "population"),
    "organisations": ("id", "label", "type", "located_in"),
    "memberships": ("member", "organization", "role", "start", "end", "source_url"),
}
_YAML_FILES = {
    "dataset": "dataset.yaml",
    "documents": "documents.yaml",
    "themes": "vocabulary.yaml",
    "purposes": "vocabulary.yaml",
    "roles": "vocabulary.yaml",
    "countries": "countries.yaml",
    "programmes": "programmes.yaml",
    "networks": "networks.yaml",
    "projects": "projects.yaml",
}


def _write_dataset(
    folder: Path, entries: Iterator[Entry], kinds: dict[str, int]
) -> tuple[int, list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    handles: dict[str, TextIO] = {}
    writers: dict[str, Any] = {}
    current: dict[str, str] = {}
    triples = 0
    try:
        for kind, fields in entries:
            kinds[kind] = kinds.get(kind, 0) + 1
            triples += sum(1 for _ in _triples(kind, fields))
            if kind in _CSV_COLUMNS:
                name = f"{kind}-synth.csv"
                if name not in handles:
                    handles[name] = open(folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
                    writers[name] = csv.writer(handles[name], lineterminator="\n")
                    writers[name].writerow(_CSV_COLUMNS[kind])
                row = [fields.get(c, "") for c in _CSV_COLUMNS[kind]]
                writers[name].writerow(["|".join(v) if isinstance(v, list) else v for v in row])
                continue
            name = _YAML_FILES[kind]
            if name not in handles:
                handles[name] = open(folder / name, "w", encoding="utf-8")  # noqa: SIM115
                handles[name].write("# Generated by citykg synth.\n")
            out = handles[name]
            if kind == "dataset":
                out.write(
                    "dataset:\n" + "".join(f"  {k}: {_yaml_scalar(v)}\n" for k, v in fields.items())
                )
                continue
            if current.get(name) != kind:
                current[name] = kind
                out.write(f"{kind}:\n")
            out.write("  - " + _yaml_scalar(fields) + "\n")
    finally:
        for handle in handles.values():
            handle.close()
    return triples, sorted(handles)


def write_synth(
    path: Path,
    *,
    fmt: str = "nt",
    counts: SynthCounts | None = None,
    size: int = SIZES["10k"],
    seed: int = 1,
    progress: Progress | None = None,
) -> SynthResult:
    """Generate a synthetic world and write it to ``path``.

    Parameters
    ----------
    path : Path
        A file for ``nt``/``ttl``; a folder (created) for ``yaml``.
    fmt : {"yaml", "nt", "ttl"}
        citykg's dataset format, N-Triples or Turtle.
    counts : SynthCounts, optional
        Exact entity counts; otherwise derived from ``size`` (about that many triples).
    seed : int
        The same seed gives byte-identical output.
    progress : Progress, optional
        Told the count of entities written, every few thousand.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "world.nt"
    >>> write_synth(out, size=5_000, seed=7).triples > 3_000
    True
    """
    if fmt not in FORMATS:
        raise CitykgError(
            f"unknown synth format '{fmt}'", did_you_mean(fmt, FORMATS) or "Use yaml, nt or ttl."
        )
    counts = counts or counts_for_size(size)
    entries = _with_progress(_entries(counts, seed), counts, progress)
    kinds: dict[str, int] = {}
    try:
        if fmt == "yaml":
            if path.exists() and not path.is_dir():
                raise CitykgError(
                    "exists and is not a folder", "Give a folder for --format yaml.", file=path
                )
            if path.is_dir() and any(path.iterdir()):
                # Its files would be overwritten one by one, or mixed with what is there.
                raise CitykgError(
                    "is a folder that is not empty", "Give a new or empty folder.", file=path
                )
            triples, files = _write_dataset(path, entries, kinds)
        else:
            if path.is_dir():
                raise CitykgError("is a folder", f"Give a file name for --format {fmt}.", file=path)
            with open_output(path) as out:
                triples = _write_rdf(out, entries, fmt, kinds)
            files = [path.name]
    except OSError as exc:
        raise CitykgError(
            f"cannot write ({exc.strerror})", "Choose another -o path.", file=path
        ) from None
    return SynthResult(path, fmt, seed, triples, dict(sorted(kinds.items())), tuple(files))


def _with_progress(
    entries: Iterator[Entry], counts: SynthCounts, progress: Progress | None
) -> Iterator[Entry]:
    if progress is None:
        yield from entries
        return
    total = counts.cities + counts.organisations + counts.projects * 9 + counts.network_memberships
    for done, entry in enumerate(entries, 1):
        if done % 5000 == 0:
            progress.count(done, max(total, done))
        yield entry
