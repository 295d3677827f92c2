"""citykg: a knowledge graph of a city's international networks, partners and initiatives."""

from importlib.metadata import version

__all__ = ["__version__"]

#: The installed version; pyproject.toml is where it is stated.
__version__ = version("citykg")
