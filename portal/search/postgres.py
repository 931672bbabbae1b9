"""The PostgreSQL tsvector backend with CJK bigrams (see `portal.search.backend`)."""

from functools import reduce

from django.contrib.postgres.search import SearchQuery
from modelsearch.backends.database.postgres.postgres import (
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import CombinedLexeme, Lexeme

from portal.search.backend import CJKQueryCompilerMixin, TokenPhrase, using_indexer
from portal.search.cjk import index_text

# Upstream uses the server's default_text_search_config when none is given; we name one so the
# index doesn't change meaning with the server. "english" stems English words and leaves CJK
# tokens as they are (tests/portal/test_search.py checks that on PostgreSQL).
DEFAULT_SEARCH_CONFIG = "english"


class CJKObjectIndexer(ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        """Where each field's text becomes a weighted tsvector. The plain `title_text` and
        `body_text` kept for fuzzy (trigram) search stay as written."""
        texts = [(index_text(text), weight) for text, weight in texts]
        return super().as_vector(texts, for_autocomplete=for_autocomplete)


class CJKPostgresIndex(PostgresIndex):
    add_items = using_indexer(PostgresIndex.add_items, CJKObjectIndexer)


class CJKPhraseCompilerMixin(CJKQueryCompilerMixin):
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, TokenPhrase):
            # '法律' <-> '律援' <-> '援助': each token followed by the next. to_tsquery normalises
            # each one with the search config, as to_tsvector did when indexing.
            *tokens, last = query.tokens
            lexemes = [Lexeme(token) for token in tokens] + [Lexeme(last, prefix=query.prefix)]
            phrase = reduce(lambda a, b: CombinedLexeme(a, "<->", b), lexemes)
            return SearchQuery(phrase, search_type="raw", config=config, invert=invert)
        return super().build_tsquery_content(query, config=config, invert=invert)


class CJKPostgresSearchQueryCompiler(CJKPhraseCompilerMixin, PostgresSearchQueryCompiler):
    pass


class CJKPostgresAutocompleteQueryCompiler(
    CJKPhraseCompilerMixin, PostgresAutocompleteQueryCompiler
):
    pass


class CJKPostgresSearchBackend(PostgresSearchBackend):
    index_class = CJKPostgresIndex
    query_compiler_class = CJKPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = CJKPostgresAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__({"SEARCH_CONFIG": DEFAULT_SEARCH_CONFIG, **params})
