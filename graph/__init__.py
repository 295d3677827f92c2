"""citykg.graph."""
