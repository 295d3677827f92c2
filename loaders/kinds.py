"""The dataset format's kinds and fields: what each kind of entry may hold and what it becomes.

These tables are the format. The dataset loader checks entries against them and emits RDF
with them; the synthetic world (:mod:`citykg.loaders.synth`) writes the same classes with them;
docs/dataset-format.md describes them for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib.namespace import DCTERMS, FOAF, ORG, RDFS, SDO, SKOS

from citykg.ontology.namespaces import CKG

__all__ = [
    "ACTOR_KINDS",
    "CLASSES",
    "COLLABORATION_KINDS",
    "COMMON_FIELDS",
    "CONTACT_FIELDS",
    "ENTITY_KINDS",
    "FACT_PREDICATES",
    "FIELDS",
    "GROUND_KINDS",
    "KINDS",
    "KIND_NAMES",
    "LISTED_KINDS",
    "ORGANISATION_TYPES",
    "PART_OF",
    "PLAN_TYPES",
    "PREDICATES",
    "PRINCIPLE_TOPICS",
    "QUALIFIERS",
    "REQUIRED",
    "SCHEMES",
    "SPEC",
    "STATUSES",
    "TRUTH_FIELDS",
    "Ref",
    "is_list_field",
    "kinds_text",
]

# Field types. A reference type names the kinds it may point to.
STR, TEXT, URL, QID, DATE, INT, DEC, BOOL, LAT, LONG = (
    "str",
    "text",
    "url",
    "qid",
    "date",
    "int",
    "decimal",
    "bool",
    "lat",
    "long",
)
ALT_LABELS, EVIDENCE, SDGS, INTERNAL, SECTIONS, STR_LIST, TOPICS = (
    "alt_labels",
    "evidence",
    "sdgs",
    "internal",
    "sections",
    "str_list",
    "topics",
)
INFERRED, QUANTITIES = "inferred", "quantities"
EMAIL, PHONE = "email", "phone"
# Names and short fields end up in every table, map label and export; a name of a megabyte is
# a pasting accident, not data.
MAX_LENGTH = {STR: 1_000, TEXT: 100_000}
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]{2,30}$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
LIST_TYPES = {ALT_LABELS, SDGS, STR_LIST, TOPICS}

ACTOR_KINDS = ("cities", "regions", "organisations", "administrations")
COLLABORATION_KINDS = ("networks", "projects", "programmes", "cooperations")


@dataclass(frozen=True)
class Ref:
    """A field that refers to entries of the given kinds (``many``: a list of them)."""

    kinds: tuple[str, ...]
    many: bool = False


#: Kinds a plan-like reference (``based_on``) may point to: what an entry rests on or grew from.
GROUND_KINDS = ("plans", "documents", "events", "cooperations")
#: Every kind of entity a reference may point to (``concerns``).
ENTITY_KINDS = (
    "documents",
    "themes",
    "purposes",
    "roles",
    "countries",
    *ACTOR_KINDS,
    *COLLABORATION_KINDS,
    "events",
    "plans",
    "principles",
)

#: Fields of the truth of a fact, allowed wherever evidence is: its status, the editor's reason
#: for an inference, fields inferred one by one, quantities, and the plans it supports or rests
#: on (docs/dataset-format.md, "Status, per-fact evidence and quantities").
TRUTH_FIELDS: dict[str, Any] = {
    "status": STR,
    "reason": STR,
    "inferred": INFERRED,
    "quantities": QUANTITIES,
    "supports": Ref(("plans",), many=True),
    "based_on": Ref(GROUND_KINDS, many=True),
}

COMMON_FIELDS: dict[str, Any] = {
    "id": STR,
    "label": STR,
    "alt_labels": ALT_LABELS,
    "description": TEXT,
    "themes": Ref(("themes",), many=True),
    "purposes": Ref(("purposes",), many=True),
    "sdgs": SDGS,
    "wikidata": QID,
    "homepage": URL,
    "owner": Ref(("administrations",)),
    "evidence": EVIDENCE,
    "internal": INTERNAL,
}

# Contact data: allowed on every entry, and internal by default (the loader marks each of
# these fields with ckg:internalProperty), because such data is about people.
CONTACT_FIELDS: dict[str, Any] = {
    "contact": Ref(("persons",), many=True),
    "email": EMAIL,
    "phone": PHONE,
    "notes": TEXT,
}
COMMON_FIELDS |= CONTACT_FIELDS | TRUTH_FIELDS

FIELDS: dict[str, dict[str, Any]] = {
    "dataset": {"title": STR, "publisher": STR, "home": Ref(ACTOR_KINDS)},
    "documents": {
        "title": STR,
        "published": DATE,
        "url": URL,
        "sections": SECTIONS,
        "publisher": Ref(ACTOR_KINDS),
    },
    "themes": {"broader": Ref(("themes",)), "sdg": INT},
    "measures": {"unit": STR},
    "purposes": {},
    "roles": {},
    "countries": {"code": STR},
    "cities": {
        "commits_to": Ref(("plans",), many=True),
        "country": Ref(("countries",)),
        "region": Ref(("regions",)),
        "lat": LAT,
        "long": LONG,
        "population": INT,
        "capital": BOOL,
    },
    "regions": {"country": Ref(("countries",)), "commits_to": Ref(("plans",), many=True)},
    "organisations": {
        "commits_to": Ref(("plans",), many=True),
        "country": Ref(("countries",)),
        "type": STR,
        "part_of": Ref(("organisations", "networks", "regions")),
        "located_in": Ref(("cities",)),
    },
    "administrations": {
        "part_of": Ref(("cities",)),
        "commits_to": Ref(("plans",), many=True),
    },
    "networks": {
        "commits_to": Ref(("plans",), many=True),
        "founded": DATE,
        "member_count": INT,
        "part_of": Ref(("networks", "organisations")),
    },
    "projects": {
        "start": DATE,
        "end": DATE,
        "programme": Ref(("programmes",)),
        "budget_eur": DEC,
        "eu_contribution_eur": DEC,
        "grant_id": STR,
    },
    "programmes": {
        "start": DATE,
        "end": DATE,
        "organizer": Ref((*ACTOR_KINDS, *COLLABORATION_KINDS), many=True),
    },
    "cooperations": {
        "parties": Ref(ACTOR_KINDS, many=True),
        "programme": Ref(("programmes",)),
        "start": DATE,
        "end": DATE,
        "binding": BOOL,
        "council_approval_required": BOOL,
        "council_approved": DATE,
    },
    "events": {
        "start": DATE,
        "end": DATE,
        "location": Ref(("cities",)),
        "hosts": Ref(ACTOR_KINDS, many=True),
        "part_of": Ref(("events",)),
        "organizer": Ref((*ACTOR_KINDS, *COLLABORATION_KINDS), many=True),
    },
    "plans": {
        "type": STR,
        "year": DATE,
        "parties": Ref(ACTOR_KINDS, many=True),
        "publisher": Ref(ACTOR_KINDS),
        "concerns": Ref(ENTITY_KINDS, many=True),
    },
    "principles": {
        "number": INT,
        "text": TEXT,
        "document": Ref(("documents",)),
        "about": TOPICS,
        "concerns": Ref(ENTITY_KINDS, many=True),
    },
    "memberships": {
        "member": Ref(ACTOR_KINDS),
        "organization": Ref((*COLLABORATION_KINDS, "organisations", "regions")),
        "role": Ref(("roles",)),
        "start": DATE,
        "end": DATE,
        "note": TEXT,
    }
    | TRUTH_FIELDS,
    # Persons exist only as internal data: an entry without 'internal: true' is refused.
    "persons": {
        "name": STR,
        "post": STR,
        "works_for": Ref(ACTOR_KINDS),
    },
}

KINDS: tuple[str, ...] = tuple(FIELDS)

SPEC: dict[str, dict[str, Any]] = {
    kind: ({} if kind in ("dataset", "memberships") else dict(COMMON_FIELDS)) | extra
    for kind, extra in FIELDS.items()
}
SPEC["dataset"] |= {"id": STR, "description": TEXT, "homepage": URL}
SPEC["memberships"] |= {"evidence": EVIDENCE, "internal": INTERNAL} | CONTACT_FIELDS
SPEC["persons"] = {"id": STR, "internal": INTERNAL} | CONTACT_FIELDS | FIELDS["persons"]
del SPEC["persons"]["contact"]

#: Fields every entry of a kind needs. An entity entry without its name ('label', a document's
#: 'title', a person's 'name') adds facts to an entity another source defines; what a
#: definition needs besides is in :data:`DEFINITION_REQUIRED`.
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: ("id",) for kind in KINDS if kind not in ("dataset", "memberships")
}
REQUIRED["dataset"] = ("id", "title")
REQUIRED["memberships"] = ("member", "organization")
# A person is internal data of one source: never shared, so never added to.
REQUIRED["persons"] = ("id", "name")
DEFINITION_REQUIRED: dict[str, tuple[str, ...]] = {"principles": ("number",)}
#: The field that names an entity: present, the entry defines it; absent, it adds facts.
NAME_FIELDS = ("label", "title", "name")

KIND_NAMES = {
    "documents": "document",
    "themes": "theme",
    "measures": "measure",
    "purposes": "purpose",
    "roles": "role",
    "countries": "country",
    "cities": "city",
    "regions": "region",
    "organisations": "organisation",
    "administrations": "administration",
    "networks": "network",
    "projects": "project",
    "programmes": "programme",
    "cooperations": "cooperation",
    "events": "event",
    "plans": "plan",
    "principles": "principle",
    "memberships": "membership",
    "sections": "section",
    "persons": "person",
}
#: Kinds whose IDs an unknown reference lists in full: short vocabularies a user picks from.
LISTED_KINDS = ("themes", "measures", "purposes", "roles", "sections")

CLASSES = {
    "documents": CKG.Document,
    "themes": CKG.Theme,
    "measures": CKG.Measure,
    "purposes": CKG.Purpose,
    "roles": CKG.Role,
    "countries": CKG.Country,
    "cities": CKG.City,
    "regions": CKG.Region,
    "organisations": CKG.Organisation,
    "administrations": CKG.Administration,
    "networks": CKG.CityNetwork,
    "projects": CKG.Project,
    "programmes": CKG.Programme,
    "cooperations": CKG.CooperationAgreement,
    "events": CKG.Event,
    "plans": CKG.Plan,
    "principles": CKG.Principle,
    "persons": CKG.Person,
}

ORGANISATION_TYPES = {
    "ministry": CKG.Ministry,
    "federation": CKG.Federation,
    "university": CKG.University,
    "company": CKG.Company,
    "un-body": CKG.UNBody,
    "international-organisation": CKG.InternationalOrganisation,
    "public-body": CKG.PublicBody,
    "research-institute": CKG.ResearchInstitute,
    "association": CKG.Association,
    "office": CKG.Office,
}
PLAN_TYPES = ("plan", "policy", "strategy", "statute", "handbook", "agreement")
SCHEMES = {
    "themes": CKG.ThemeScheme,
    "measures": CKG.MeasureScheme,
    "purposes": CKG.PurposeScheme,
    "roles": CKG.RoleScheme,
}

#: What a principle may be about (``about:`` in the dataset, ``ckg:principleAbout``). The
#: analyses find the rules they apply by these marks, never by a principle's number.
PRINCIPLE_TOPICS = {
    "theme-priority": CKG.themePriority,
    "networks-first": CKG.networksFirst,
    "request-assessment": CKG.requestAssessment,
    "time-limited-agreements": CKG.timeLimitedAgreements,
    "national-interest": CKG.nationalInterest,
    "council-approval": CKG.councilApproval,
    "data-protection": CKG.dataProtection,
}

# Where a field's values go, for fields that map to one predicate (used for the internal mark).
PREDICATES = {
    "label": RDFS.label,
    "alt_labels": SKOS.altLabel,
    "description": DCTERMS.description,
    "themes": DCTERMS.subject,
    "purposes": CKG.purpose,
    "sdgs": CKG.contributesTo,
    "homepage": FOAF.homepage,
    "owner": CKG.ownedBy,
    "note": RDFS.comment,
    "text": DCTERMS.description,
    "population": CKG.population,
    "contact": CKG.contact,
    "email": FOAF.mbox,
    "phone": FOAF.phone,
    "notes": SKOS.note,
    "supports": CKG.supports,
    "based_on": CKG.basedOn,
    "concerns": CKG.concerns,
    "commits_to": CKG.commitsTo,
}

#: Where the values of a field go when a fact of it is reified (``for:`` evidence or
#: ``inferred:``), besides :data:`PREDICATES`; by kind where a field's predicate depends on it.
#: A field missing here cannot carry evidence of its own.
FACT_PREDICATES: dict[str, Any] = PREDICATES | {
    "hosts": CKG.hostedBy,
    "organizer": SDO.organizer,
    "parties": CKG.party,
    "programme": CKG.programme,
    "country": CKG.country,
    "region": CKG.inRegion,
    "location": SDO.location,
    "broader": SKOS.broader,
    "sdg": SKOS.closeMatch,
    "founded": SDO.foundingDate,
    "member_count": CKG.memberCount,
    "start": SDO.startDate,
    "end": SDO.endDate,
    "year": DCTERMS.issued,
    "publisher": DCTERMS.publisher,
    "document": DCTERMS.isPartOf,
    "member": ORG.member,
    "organization": ORG.organization,
    "role": ORG.role,
}
#: ``part_of`` by kind.
PART_OF = {
    "organisations": ORG.subOrganizationOf,
    "networks": ORG.subOrganizationOf,
    "administrations": ORG.unitOf,
    "events": SDO.superEvent,
}
#: The statuses a fact may have (``status:``), strongest first.
STATUSES = ("stated", "listed", "inferred")
#: Quantity qualifiers (``qualifier:``) and their IRIs; ``around`` is ``about``.
QUALIFIERS = {
    "exact": CKG.exact,
    "about": CKG.about,
    "around": CKG.about,
    "more-than": CKG.moreThan,
    "at-least": CKG.atLeast,
    "less-than": CKG.lessThan,
    "up-to": CKG.upTo,
}


def is_list_field(spec: object) -> bool:
    """Whether a field holds a list (in a CSV cell: items separated by ``|``)."""
    return spec in LIST_TYPES or (isinstance(spec, Ref) and spec.many)


def kinds_text(kinds: tuple[str, ...]) -> str:
    """Kinds for people: ``city``, ``city or region``, ``city, region or organisation``.

    Examples
    --------
    >>> kinds_text(("cities", "regions", "organisations"))
    'city, region or organisation'
    """
    names = [KIND_NAMES.get(k, k) for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
