"""citykg.graph: the RDF side. The store, building and validating it, the public profile,
exports, and sharing it (push to a remote store, serve a local endpoint).
"""
