"""Use cases: one function each, keyword arguments, an explicit ``now``; each owns its commit."""
