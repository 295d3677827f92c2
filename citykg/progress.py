"""One progress protocol for the library's long work: named steps and counted work.

A long library function (a build, a push, a Wikidata enrichment, a synthetic world) takes
``progress: Progress | None``. It calls :meth:`Progress.step` as each named step of the job
begins, and :meth:`Progress.count` as it gets through counted work within the current step.
The library never prints: the command line hands it a bar that draws both on stderr
(``citykg.clitools.ProgressBar``); a Python caller may hand it anything with these two methods.

Examples
--------
A progress that prints what it is told:

>>> class Printed:
...     def step(self, name: str, detail: str = "") -> None:
...         print("step", name, detail)
...     def count(self, done: int, total: int) -> None:
...         print(f"{done}/{total}")
>>> import tempfile
>>> from pathlib import Path
>>> from citykg.loaders.synth import SynthCounts, write_synth
>>> counts = SynthCounts(cities=6000, organisations=0, networks=2, network_memberships=10,
...                      projects=0)
>>> _ = write_synth(Path(tempfile.mkdtemp()) / "w.nt", counts=counts, progress=Printed())
5000/6010
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["SILENT", "Progress"]


class Progress(Protocol):
    """What a long job tells about its progress."""

    def step(self, name: str, detail: str = "") -> None:
        """The step ``name`` begins (``detail``: what it works on, such as a file)."""

    def count(self, done: int, total: int) -> None:
        """``done`` of the current step's ``total`` units of work are done."""


class _Silent:
    def step(self, name: str, detail: str = "") -> None:
        """Say nothing."""

    def count(self, done: int, total: int) -> None:
        """Say nothing."""


#: The progress a long job reports to when it is given none: it tells nobody.
SILENT = _Silent()
