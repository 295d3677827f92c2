"""What the briefing and timeline pages share: templates, escaping, the page's security policy.

Templates are Jinja2 files in ``templates/`` rendered with autoescaping, so every value from
the graph is escaped as HTML by the template engine itself, not by each call site remembering
to. The Markdown environment escapes every value for Markdown the same way
(:func:`md_escape`). Pages load nothing: styles are inlined, scripts (the timeline's only)
are inlined and pinned by hash in a Content-Security-Policy that forbids any fetch.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from citykg.files import write_atomic
from citykg.pagedata import Evidence, Ref, Support

from .errors import VizError
from .style import kind_style, relation_style

__all__ = [
    "STATUS_TEXT",
    "csp",
    "html_environment",
    "inline_script",
    "md_environment",
    "md_escape",
    "shape_svg",
    "template_text",
    "write_page",
]

#: What each evidence status means, for the legend of a page.
STATUS_TEXT = {
    "stated": "quoted from the strategy",
    "listed": "from a public list",
    "inferred": "the editor's inference",
    None: "the data gives no evidence",
}


def template_text(name: str) -> str:
    """A file of ``templates/`` as text."""
    return (resources.files("citykg.viz") / "templates" / name).read_text(encoding="utf-8")


def inline_script(js: str) -> str:
    """JavaScript made safe to put between ``<script>`` tags (``</script`` cannot end it)."""
    # Inside <script>, "</script" ends the element and "<!--" can start an escaped state;
    # in JavaScript source "<\/" and "<\!--" mean the same inside strings and regexes.
    return re.sub(r"<(/script|!--)", r"<\\\1", js, flags=re.IGNORECASE)


def csp(*scripts: str, images: str = "data:") -> str:
    """A Content-Security-Policy that lets only these inline scripts run and fetches nothing.

    Only our own inline scripts may run, by hash: an injected inline handler such as
    ``onerror=...`` would be refused even if markup ever got in.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes or chr(39) + 'none' + chr(39)}; "
        f"style-src 'unsafe-inline'; img-src {images}; base-uri 'none'; form-action 'none'"
    )


def _date(value: dt.date) -> str:
    # 1 July 2022: unambiguous in every country an officer might print it in
    return f"{value.day} {value:%B %Y}"


def shape_svg(kind: str, x: float, y: float, r: float) -> Markup:
    """An SVG element drawing ``kind``'s shape and colour (the map's) centred on (x, y).

    Examples
    --------
    >>> str(shape_svg("city", 10, 10, 5))
    '<circle cx="10.0" cy="10.0" r="5.0" fill="#1f77b4" stroke="#3b4650" stroke-width="1"/>'
    """
    style = kind_style(kind)
    paint = f'fill="{style["color"]}" stroke="#3b4650" stroke-width="1"'
    shape = style["shape"]
    units: dict[str, list[tuple[float, float]]] = {
        "square": [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)],
        "diamond": [(0, -1.1), (1.1, 0), (0, 1.1), (-1.1, 0)],
        "triangle": [(0, -1.05), (1, 0.8), (-1, 0.8)],
        "triangleDown": [(-1, -0.8), (1, -0.8), (0, 1.05)],
        "hexagon": [(-0.5, -0.9), (0.5, -0.9), (1, 0), (0.5, 0.9), (-0.5, 0.9), (-1, 0)],
        "star": [
            (0, -1.1),
            (0.27, -0.35),
            (1.05, -0.35),
            (0.42, 0.13),
            (0.65, 0.9),
            (0, 0.43),
            (-0.65, 0.9),
            (-0.42, 0.13),
            (-1.05, -0.35),
            (-0.27, -0.35),
        ],
    }
    unit = units.get(shape)
    if unit is None:
        return Markup(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>')
    # only numbers and the fixed palette go into this markup
    points = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in unit)
    return Markup(f'<polygon points="{points}" {paint}/>')


def _short_url(url: str, width: int = 60) -> str:
    text = re.sub(r"^https?://(www\.)?", "", url)
    return text if len(text) <= width else text[: width - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _line_style(relation: str) -> dict[str, Any]:
    style = relation_style(relation)
    dashes = style["dashes"]
    return {
        "color": style["color"],
        "width": max(1.5, style["width"]),
        "dash": " ".join(str(d) for d in dashes) if isinstance(dashes, list) else "",
    }


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.filters["date"] = _date
    env.filters["ref_text"] = _ref_text
    env.globals["STATUS_TEXT"] = STATUS_TEXT
    env.globals["kind_color"] = lambda kind: kind_style(kind)["color"]
    return env


@cache
def html_environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML pages: autoescaping on, undefined names an error."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(template_text),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["shape"] = shape_svg
    env.globals["line_style"] = _line_style
    env.filters["short_url"] = _short_url
    return _common(env)


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(value: Any) -> str:
    """A value as Markdown text: punctuation that could start markup backslash-escaped and
    line breaks made spaces, so a label cannot become a link, an HTML tag or a new block.

    Examples
    --------
    >>> md_escape("<img src=x onerror=alert(1)>")
    '\\\\<img src=x onerror=alert(1)\\\\>'
    >>> md_escape("C40 | *Cities*")
    'C40 \\\\| \\\\*Cities\\\\*'
    """
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", text))


def _md_status(support: Support) -> Markup:
    text = md_escape(support.status or "no evidence")
    if support.as_of:
        text += ", as of " + md_escape(support.as_of)
    if support.note:
        text += ": " + md_escape(support.note)
    return Markup(text)


def _md_quotes(evidence: Iterable[Evidence], indent: str = "") -> Markup:
    """Every quoted passage, then the list sources, as list items (Markdown has no print
    style to cut them by, so it has them all)."""
    items = list(dict.fromkeys(evidence))
    urls = list(dict.fromkeys(e.url for e in items if not e.quote and e.url))
    lines = []
    for e in items:
        if e.quote:
            where = f" ({md_escape(e.section)})" if e.section else ""
            lines.append(f"{indent}- \u201c{md_escape(e.quote)}\u201d{where}")
    if urls:
        lines.append(f"{indent}- Listed on " + ", ".join(md_escape(u) for u in urls))
    return Markup("\n".join(lines))


def _ref_text(ref: Ref) -> str:
    return f"{ref.label} ({ref.id})"


def _yesno(value: bool | None) -> str:
    return "not recorded" if value is None else "yes" if value else "no"


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markup):  # the output of a filter that already made Markdown
        return str(value)
    return md_escape(value)


@cache
def md_environment() -> jinja2.Environment:
    """The Jinja2 environment of the Markdown pages: every value goes through :func:`md_escape`."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(template_text),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_md_finalize,
    )
    env.globals.update(md_status=_md_status, md_quotes=_md_quotes, yesno=_yesno)
    return _common(env)


def write_page(text: str, path: str | PathLike[str]) -> Path:
    """Write a page (UTF-8) to ``path`` at once (never half a file) and return the path."""
    out = Path(path)
    try:
        write_atomic(out, text)
    except OSError as exc:
        raise VizError(
            f"cannot write the page ({exc.strerror or exc})",
            "Check that the folder exists and is writable.",
            file=out,
        ) from exc
    return out
