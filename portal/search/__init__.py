"""Site search that finds Chinese words inside longer text (backend: portal.search.backend)."""
