"""Errors the map renderer raises (all :class:`citykg.errors.CitykgError` subclasses)."""

from __future__ import annotations

from citykg.errors import CitykgError

__all__ = ["BrowserUnavailableError", "UnknownNodeError", "VizError"]


class VizError(CitykgError):
    """The map cannot be drawn from this graph or with these options."""


class UnknownNodeError(VizError):
    """A view was asked to centre on a node the graph does not have."""


class BrowserUnavailableError(VizError):
    """Headless Chromium (or the playwright package driving it) is missing or fails to start."""
