"""Wagtail's database search backend, taught to find Chinese words inside longer text.

`WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.backend"}}`. Like
`wagtail.search.backends.database`, it picks the backend of the active database engine; on
SQLite (FTS5) and PostgreSQL (tsvector) it returns a subclass that hooks in at two points:

- the text each object hands to the index goes through `cjk.index_text` (CJK runs become
  bigrams; see `portal.search.cjk`), in the engine's ObjectIndexer;
- a query with CJK in it has its words rewritten into `TokenPhrase`s: the same tokens, required
  in order, so 法律援助 matches that exact substring and not 法律 … 援助 far apart. The
  compilers only learn to compile a TokenPhrase.

Ranking and field boosts stay the engines' own, except that on SQLite bm25() is given column
weights (see `portal.search.sqlite`). Other engines get the upstream backend: the fallback
matches substrings with `icontains`, which finds CJK as it is; MySQL is not taught.
After switching to this backend, or changing `SEARCH_CONFIG`, run `manage.py update_index`.
"""

import types

from django.conf import settings
from django.db import connection
from modelsearch.backends import database
from modelsearch.backends.database.fallback import DatabaseSearchBackend
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText

from portal.search.cjk import QueryPhrase, has_cjk, query_phrase

# 50 pages of ten: more than anyone pages through, few enough to score in a few milliseconds.
DEFAULT_SEARCH_CANDIDATES = 500


def search_candidates() -> int:
    """How many of the newest matches a ranked search scores (settings.SEARCH_CANDIDATES); the
    engines' compilers bound their ranked searches with it (docs/search.md)."""
    return max(1, int(getattr(settings, "SEARCH_CANDIDATES", DEFAULT_SEARCH_CANDIDATES)))


def SearchBackend(params):  # noqa: N802 (the name Wagtail imports from a backend module)
    if connection.vendor == "postgresql":
        from portal.search.postgres import CJKPostgresSearchBackend

        return CJKPostgresSearchBackend(params)
    backend = database.SearchBackend(params)  # FTS5 if SQLite has it, else the fallback
    if connection.vendor == "sqlite" and not isinstance(backend, DatabaseSearchBackend):
        from portal.search.sqlite import CJKSQLiteSearchBackend

        return CJKSQLiteSearchBackend(params)
    return backend


class TokenPhrase(Phrase):
    """Tokens that must appear consecutively, the last one as a prefix if `prefix`. A Phrase, so
    the upstream ranking and query normalisation treat it as the leaf it is."""

    def __init__(self, phrase: QueryPhrase):
        super().__init__(" ".join(phrase.tokens))
        self.tokens = phrase.tokens
        self.prefix = phrase.prefix

    def __repr__(self):
        return f"<TokenPhrase {self.tokens!r} prefix={self.prefix!r}>"


def rewrite_query(query, *, last_is_prefix: bool = False):
    """The query with its words as TokenPhrases if it has any CJK. Queries without CJK come
    back untouched, so English search is upstream's; except that a double quote, which makes
    SQLite's FTS5 fail ("unterminated string"), is dropped."""
    text = getattr(query, "query_string", "")
    if isinstance(query, PlainText) and (has_cjk(text) or '"' in text):
        return _words_as_phrases(query, last_is_prefix=last_is_prefix)
    if isinstance(query, Phrase) and not isinstance(query, TokenPhrase) and has_cjk(text):
        return TokenPhrase(query_phrase(text))
    if isinstance(query, (And, Or)):
        return type(query)(
            [rewrite_query(q, last_is_prefix=last_is_prefix) for q in query.subqueries]
        )
    if isinstance(query, Not):
        return Not(rewrite_query(query.subquery, last_is_prefix=last_is_prefix))
    if isinstance(query, Boost):
        return Boost(rewrite_query(query.subquery, last_is_prefix=last_is_prefix), query.boost)
    return query


def _words_as_phrases(query: PlainText, *, last_is_prefix: bool):
    words = query.query_string.split()
    phrases = [
        query_phrase(word, prefix=last_is_prefix and i == len(words) - 1)
        for i, word in enumerate(words)
    ]
    parts = [TokenPhrase(phrase) for phrase in phrases if phrase.tokens]
    if not parts:
        return Not(MatchAll())  # nothing searchable left, e.g. q='"'
    combine = And if query.operator == "and" else Or
    return parts[0] if len(parts) == 1 else combine(parts)


class CJKQueryCompilerMixin:
    """Rewrites the query once, as the compiler receives it; the engine's subclass then only
    has to compile a TokenPhrase."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = rewrite_query(self.query, last_is_prefix=self.LAST_TERM_IS_PREFIX)


def using_indexer(add_items, indexer_class):
    """Upstream `Index.add_items`, building `indexer_class` instead of its module's ObjectIndexer.

    `add_items` creates its `ObjectIndexer` by global name, and is otherwise ~60 lines of
    engine-specific SQL we don't want to copy. A copy of the function object sharing its code,
    with that one global swapped, changes nothing else and nothing for anyone else (unlike
    patching the module attribute).
    """
    if "ObjectIndexer" not in _global_names(add_items.__code__):
        raise RuntimeError(f"{add_items.__qualname__} no longer builds an ObjectIndexer")
    copy = types.FunctionType(
        add_items.__code__,
        {**add_items.__globals__, "ObjectIndexer": indexer_class},
        add_items.__name__,
        add_items.__defaults__,
        add_items.__closure__,
    )
    copy.__kwdefaults__ = add_items.__kwdefaults__
    copy.__qualname__ = add_items.__qualname__
    copy.__doc__ = add_items.__doc__
    return copy


def _global_names(code: types.CodeType) -> set[str]:
    """Names a function's code may look up, its comprehensions' included."""
    nested = (c for c in code.co_consts if isinstance(c, types.CodeType))
    return set(code.co_names).union(*(_global_names(c) for c in nested))
