"""citykg.ontology."""
