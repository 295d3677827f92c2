"""citykg.queries."""
