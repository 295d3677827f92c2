"""A home's strategy as the analyses apply it: its principles and the purposes it gives.

Several cities' strategies can share one graph; ``assess`` and ``analyze themes`` work for one
home and use only what that home's strategy says (``sparql/strategy.rq``): the principles of
the documents it publishes, and the purposes its dataset states for initiatives
(``ckg:PurposeStatement``). A rule is found by what a principle is about
(``ckg:principleAbout``), never by its number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from citykg.ontology.namespaces import ID
from citykg.queries.sparql import SparqlSource

__all__ = ["TOPICS", "Principle", "Strategy", "home_strategy", "topic_name"]

#: What a principle can be about, as the dataset writes it (``about: [council-approval]``).
TOPICS = (
    "theme-priority",
    "networks-first",
    "request-assessment",
    "time-limited-agreements",
    "national-interest",
    "council-approval",
    "data-protection",
)


def topic_name(iri: str) -> str:
    """``ckg:councilApproval`` as the dataset writes it: ``council-approval``.

    Examples
    --------
    >>> topic_name("https://w3id.org/citykg/ontology#timeLimitedAgreements")
    'time-limited-agreements'
    """
    local = iri.rsplit("#", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local).lower()


@dataclass(frozen=True)
class Principle:
    """One principle of the home's strategy."""

    id: str
    number: int
    label: str
    themes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Strategy:
    """A home's principles (by number) and, per initiative, the purposes its strategy gives."""

    home: str = ""
    principles: tuple[Principle, ...] = ()
    purposes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def about(self, topic: str) -> tuple[Principle, ...]:
        """The principles about ``topic`` (one of :data:`TOPICS`), by number.

        Examples
        --------
        >>> s = Strategy("x", (Principle("p6", 6, "Council", topics=("council-approval",)),))
        >>> [p.id for p in s.about("council-approval")], s.about("networks-first")
        (['p6'], ())
        """
        return tuple(p for p in self.principles if topic in p.topics)


def home_strategy(source: SparqlSource, home: str) -> Strategy:
    """Read the strategy of ``home`` (an ID) from ``source``."""
    text = (resources.files("citykg.analysis") / "sparql" / "strategy.rq").read_text("utf-8")
    rows = source.select(text, {"home": ID[home]}).rows
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    purposes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        name, subject, value = (str(row[k]) for k in ("field", "s", "value"))
        if name == "purpose":
            purposes[subject].add(value)
        else:
            fields[subject][name].add(topic_name(value) if name == "topic" else value)
    principles = [
        Principle(
            pid,
            int(min(f["number"])),
            min(f["label"]) if f["label"] else pid,
            tuple(sorted(f["theme"])),
            tuple(sorted(f["topic"])),
        )
        for pid, f in fields.items()
        if f["number"]
    ]
    principles.sort(key=lambda p: (p.number, p.id))
    return Strategy(
        home, tuple(principles), {k: tuple(sorted(v)) for k, v in sorted(purposes.items())}
    )
