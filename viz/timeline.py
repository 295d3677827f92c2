"""The home city's ties on a time axis, as one self-contained, offline HTML page.

:func:`render_timeline_html` draws a :class:`citykg.pagedata.Timeline` (made by
:mod:`citykg.analysis.timeline`): one row per membership, agreement, project or event, a bar
from its first to its last day, open to the right while it goes on (no end recorded), open to
the left when only its end is known, a point for an event on one day and a band for one whose
date is only a month or a year. A line marks the reference date; what ends within the horizon
is outlined. What has no date is listed under the axis, never placed. The bars are HTML laid
out here (percentages of the axis), so they read without a script; a small inlined script
(pinned by hash in the page's Content-Security-Policy) shows a row's evidence when clicked.

Examples
--------
>>> import datetime as dt
>>> from citykg.pagedata import Provenance, Ref, Support, Timeline, TimelineItem
>>> force = TimelineItem(Ref("force", "FORCE", "project"), ("lead",), "2016-09", "2020-08",
...     dt.date(2016, 9, 1), dt.date(2020, 8, 31), "2016-09 to 2020-08", "past", False, False,
...     (), Support(), Support())
>>> t = Timeline(Ref("cph", "Copenhagen", "city"), 6, (force,), Provenance(
...     dt.date(2026, 1, 1), dt.date(2026, 1, 1), "store", (), True, "0.1"))
>>> axis = timeline_layout(t)
>>> axis["start"], axis["end"], axis["groups"][0]["rows"][0]["left"]
(datetime.date(2016, 1, 1), datetime.date(2027, 1, 1), 6.073)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import citykg
from citykg.pagedata import Timeline, TimelineItem

from .pages import csp, html_environment, inline_script, template_text

__all__ = ["GROUPS", "render_timeline_html", "timeline_layout"]

#: The rows' groups, in page order: a heading and the kinds it holds.
GROUPS = (
    ("Networks and programmes", ("network", "programme")),
    ("Agreements", ("cooperation",)),
    ("Projects", ("project",)),
    ("Events", ("event",)),
)
#: A bar is never thinner than this share of the axis (in percent), so a short one shows.
_MIN_WIDTH = 0.5


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def _when(item: TimelineItem) -> str:
    """The dates as the data gives them: ``2019``, ``2016-09 to 2020-08``, ``since 2021``."""
    start, end = item.start, item.end
    if start and (end == start or item.point):
        return start
    if start and end:
        return f"{start} to {end}"
    return f"since {start}, ongoing" if start else f"until {end}; start not recorded"


def _row(index: int, item: TimelineItem, x: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"index": index, "item": item, "when": _when(item)}
    first, last = item.first, item.last
    if item.point and first is not None:
        row.update(shape="point", left=x(first), width=0.0)
    elif first is not None and last is not None:
        left = x(first)
        width = max(x(last + dt.timedelta(days=1)) - left, _MIN_WIDTH)
        row.update(shape="band" if item.item.kind == "event" else "bar", left=left, width=width)
    elif first is not None:  # ongoing: open to the right
        row.update(shape="open-right", left=x(first), width=round(100 - x(first), 3))
    else:  # only the end is known: open to the left
        assert last is not None
        row.update(shape="open-left", left=0.0, width=x(last + dt.timedelta(days=1)))
    # the date's text starts under the mark, or ends under it near the axis' right end
    right = row["left"] + row["width"]
    row["anchor"] = "right" if row["left"] > 70 else "left"
    row["at"] = round(100 - right, 3) if row["anchor"] == "right" else row["left"]
    return row


def timeline_layout(timeline: Timeline) -> dict[str, Any]:
    """Where everything goes: the axis (whole years), its ticks, the rows by group, each row's
    left edge and width in percent of the axis.

    The axis runs from the first January before the earliest date to the first January after
    the latest date, the reference date and the horizon; with anything ongoing, at least a
    year past the reference date, so that open bars visibly run on.
    """
    today = timeline.provenance.as_of
    dated = timeline.dated
    horizon = timeline.horizon
    days = [d for i in dated for d in (i.first, i.last) if d is not None] + [today, horizon]
    if any(i.first is not None and i.last is None for i in dated):
        days.append(_add_years(today, 1))
    start = dt.date(min(days).year, 1, 1)
    end = dt.date(max(days).year + 1, 1, 1)
    total = (end - start).days

    def x(day: dt.date) -> float:
        return round((day - start).days / total * 100, 3)

    years = end.year - start.year
    step = next(s for s in (1, 2, 5, 10, 25, 50, 100) if years / s <= 14)
    ticks = [
        {"label": str(year), "x": x(dt.date(year, 1, 1))}
        for year in range(start.year, end.year, step)
    ]
    rows = [_row(n, item, x) for n, item in enumerate(timeline.items) if item.dated]
    groups = []
    for heading, kinds in GROUPS:
        found = [r for r in rows if r["item"].item.kind in kinds]
        if found:
            groups.append({"heading": heading, "rows": found})
    other = [r for r in rows if not any(r["item"].item.kind in k for _, k in GROUPS)]
    if other:
        groups.append({"heading": "Other", "rows": other})
    undated = [
        {"index": n, "item": item} for n, item in enumerate(timeline.items) if not item.dated
    ]
    return {
        "start": start,
        "end": end,
        "ticks": ticks,
        "today": x(today),
        "horizon": x(horizon),
        "groups": groups,
        "undated": undated,
        "kinds": sorted({i.item.kind for i in timeline.items}),
    }


def render_timeline_html(timeline: Timeline, *, title: str | None = None) -> str:
    """The timeline as one self-contained HTML page that fetches nothing.

    Examples
    --------
    >>> import datetime as dt
    >>> from citykg.pagedata import Provenance, Ref, Timeline
    >>> t = Timeline(Ref("cph", "Copenhagen", "city"), 6, (), Provenance(
    ...     dt.date(2026, 1, 1), dt.date(2026, 1, 1), "store", (), True, "0.1"))
    >>> "Copenhagen" in render_timeline_html(t)
    True
    """
    script = inline_script(template_text("timeline.js"))
    return (
        html_environment()
        .get_template("timeline.html")
        .render(
            t=timeline,
            title=title or f"{timeline.home.label}'s international ties over time",
            axis=timeline_layout(timeline),
            css=template_text("brief.css") + template_text("timeline.css"),
            script=script,
            csp=csp(script),
            version=citykg.__version__,
        )
    )
