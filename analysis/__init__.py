"""citykg.analysis: network analyses of the graph with networkx.

Each module reads what it needs through a :class:`citykg.queries.sparql.SparqlSource` (the
local store or an endpoint) and works on networkx graphs; none of them touches the store.
"""
