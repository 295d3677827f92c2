"""citykg: a knowledge graph of a city's international networks, partners and initiatives."""

__all__ = ["__version__"]

__version__ = "0.1.0"
