"""The briefing page on one partner, as one self-contained, printable HTML page or Markdown.

:func:`render_brief_html` draws a :class:`citykg.pagedata.Brief` (made by
:mod:`citykg.analysis.brief`); :func:`render_index_html` the index of a folder of briefs. The
pages need no script: the focus map is an inline SVG drawing made here, so the page reads the
same in a browser, a mail client's preview and on paper. Print styles fit a brief on two A4
pages; long lists are cut to :data:`SHOWN` items on the page with the number left out said.

Examples
--------
>>> import datetime as dt
>>> from citykg.pagedata import Brief, Provenance, Ref
>>> b = Brief("Nantes", Ref("copenhagen", "Copenhagen", "city"), None, (), (), (), (), 6, (),
...           (), 0, "weak fit", (), "", Provenance(dt.date(2026, 1, 2), dt.date(2026, 1, 2),
...           "store", (), True, "0.1"))
>>> "Nantes is not in the graph" in render_brief_md(b)
True
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import citykg
from citykg.pagedata import Brief, Shared

from .pages import csp, html_environment, md_environment, template_text

__all__ = [
    "SHOWN",
    "IndexEntry",
    "focus_map",
    "render_brief_html",
    "render_brief_md",
    "render_index_html",
    "render_index_md",
    "theme_work",
]

#: Items of a long list (the partner's collaborations, the index's shared items) shown on the
#: page; the rest are counted ("and 12 more").
SHOWN = 8
#: Shared items the focus map draws (it stays legible in its print column).
MAP_SHOWN = 5
#: Rows of the home city's initiatives on the themes in common shown on the page.
SHOWN_WORK = 12
#: On paper (two A4 pages at most), the first shared items are printed with their evidence,
#: the next ones as table rows, and the first reasons of the score; the page says what is left
#: to the screen.
PRINT_FULL = 4
PRINT_ROWS = 8
PRINT_REASONS = 5
PRINT_WORK = 6
PRINT_ENDING = 5

# The focus map's drawing, in SVG user units (the page scales it to its column).
_WIDTH = 360.0
_STEP = 54.0
_TOP = 24.0
_SIDE = 50.0


@dataclass(frozen=True)
class IndexEntry:
    """One brief of a folder: the brief and the file name it was written to."""

    brief: Brief
    file: str


def _wrap(text: str, width: int = 26, lines: int = 3) -> list[str]:
    return textwrap.wrap(text, width=width, max_lines=lines, placeholder=" …") or [""]


def focus_map(brief: Brief) -> dict[str, Any]:
    """The geometry of the focus map: the home city left, the partner right, what they share
    between them with a line from each side in the style of its role.

    Returns plain numbers and texts; the template draws them (and escapes the texts).

    Examples
    --------
    >>> import datetime as dt
    >>> from citykg.pagedata import Provenance, Ref
    >>> b = Brief("Nantes", Ref("copenhagen", "Copenhagen", "city"), None, (), (), (), (), 6,
    ...           (), (), 0, "weak fit", (), "", Provenance(dt.date(2026, 1, 2),
    ...           dt.date(2026, 1, 2), "store", (), True, "0.1"))
    >>> m = focus_map(b)
    >>> m["partner"]["known"], m["shared"], m["more"]
    (False, [], 0)
    """
    shown: Sequence[Shared] = brief.shared[:MAP_SHOWN]
    rows = max(len(shown), 1)
    height = _TOP + (rows - 1) * _STEP + 62
    middle = _TOP + (rows - 1) * _STEP / 2
    home = {"x": _SIDE, "y": middle, "lines": _wrap(brief.home.label, 16)}
    partner_name = brief.partner.ref.label if brief.partner else brief.request
    partner = {
        "x": _WIDTH - _SIDE,
        "y": middle,
        "lines": _wrap(partner_name, 16),
        "known": brief.partner is not None,
        "kind": brief.partner.ref.kind if brief.partner else "",
    }
    items: list[dict[str, Any]] = []
    for i, s in enumerate(shown):
        y = _TOP + i * _STEP
        items.append(
            {
                "x": _WIDTH / 2,
                "y": y,
                "kind": s.item.kind,
                "label": s.item.label,
                "lines": _wrap(s.item.label),
                "home_relation": s.home_relation or "member",
                "partner_relation": s.partner_relation or "member",
                "past": s.status != "current",
            }
        )
    relations = sorted({i["home_relation"] for i in items} | {i["partner_relation"] for i in items})
    return {
        "width": _WIDTH,
        "height": height,
        "home": home,
        "partner": partner,
        "shared": items,
        "more": len(brief.shared) - len(shown),
        "relations": relations,
    }


def _tidy(markdown: str) -> str:
    # the templates' conditional blocks leave runs of blank lines; Markdown needs one
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n") + "\n"


def theme_work(brief: Brief) -> list[dict[str, Any]]:
    """The home city's initiatives on the themes in common, each once with the themes it
    covers: shared ones first, then by label.

    Examples
    --------
    >>> import datetime as dt
    >>> from citykg.pagedata import CommonTheme, Initiative, Provenance, Ref
    >>> force = Initiative(Ref("force", "FORCE", "project"), False)
    >>> themes = (CommonTheme(Ref("waste", "Waste"), (force,)),
    ...           CommonTheme(Ref("climate", "Climate"), (force,)))
    >>> b = Brief("x", Ref("cph", "Copenhagen"), None, (), (), themes, (), 6, (), (), 0, "",
    ...           (), "", Provenance(dt.date(2026, 1, 1), dt.date(2026, 1, 1), "", (), True, ""))
    >>> [(w["initiative"].item.id, w["themes"]) for w in theme_work(b)]
    [('force', ['Climate', 'Waste'])]
    """
    found: dict[str, dict[str, Any]] = {}
    for common in brief.themes:
        for initiative in common.initiatives:
            entry = found.setdefault(initiative.item.id, {"initiative": initiative, "themes": []})
            entry["themes"].append(common.theme.label)
    rows = sorted(
        found.values(),
        key=lambda w: (
            not w["initiative"].shared,
            w["initiative"].item.label.casefold(),
            w["initiative"].item.id,
        ),
    )
    for row in rows:
        row["themes"].sort(key=str.casefold)
    return rows


def _context(brief: Brief) -> dict[str, Any]:
    return {
        "b": brief,
        "work": theme_work(brief),
        "name": brief.partner.ref.label if brief.partner else brief.request,
        "SHOWN": SHOWN,
        "SHOWN_WORK": SHOWN_WORK,
        "PRINT_FULL": PRINT_FULL,
        "PRINT_ROWS": PRINT_ROWS,
        "PRINT_REASONS": PRINT_REASONS,
        "PRINT_WORK": PRINT_WORK,
        "PRINT_ENDING": PRINT_ENDING,
        "map": focus_map(brief),
    }


def render_brief_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page (no script, nothing fetched).

    Examples
    --------
    >>> import datetime as dt
    >>> from citykg.pagedata import Provenance, Ref
    >>> b = Brief("<b>Nantes</b>", Ref("copenhagen", "Copenhagen", "city"), None, (), (), (),
    ...           (), 6, (), (), 0, "weak fit", (), "", Provenance(dt.date(2026, 1, 2),
    ...           dt.date(2026, 1, 2), "store", (), True, "0.1"))
    >>> page = render_brief_html(b)
    >>> "<b>Nantes" in page, "&lt;b&gt;Nantes&lt;/b&gt; is not in the graph" in page
    (False, True)
    """
    env = html_environment()
    return env.get_template("brief.html").render(
        **_context(brief),
        css=template_text("brief.css"),
        csp=csp(),
        version=citykg.__version__,
    )


def render_brief_md(brief: Brief) -> str:
    """The brief as Markdown: the same sections, every value escaped for Markdown."""
    return _tidy(md_environment().get_template("brief.md").render(**_context(brief)))


def _index_context(entries: Sequence[IndexEntry]) -> dict[str, Any]:
    ordered = sorted(
        entries,
        key=lambda e: (
            -e.brief.score,
            (e.brief.partner.ref.label if e.brief.partner else e.brief.request).casefold(),
            e.file,
        ),
    )
    first = entries[0].brief if entries else None
    return {"entries": ordered, "first": first, "SHOWN": SHOWN}


def render_index_html(entries: Sequence[IndexEntry], *, home: str) -> str:
    """The index page of a folder of briefs: one row per partner, best fit first."""
    env = html_environment()
    return env.get_template("brief-index.html").render(
        **_index_context(entries),
        home=home,
        css=template_text("brief.css"),
        csp=csp(),
        version=citykg.__version__,
    )


def render_index_md(entries: Sequence[IndexEntry], *, home: str) -> str:
    """The index of a folder of briefs as Markdown."""
    return (
        md_environment().get_template("brief-index.md").render(**_index_context(entries), home=home)
    )
