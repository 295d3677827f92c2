"""citykg.loaders."""
