"""citykg.viz."""
