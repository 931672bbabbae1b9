"""The SQLite FTS5 backend with CJK bigrams (see `portal.search.backend`)."""

from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite.query import (
    BM25,
    Lexeme,
    SearchQueryExpression,
    SQLiteFTSIndexEntry,
)
from modelsearch.backends.database.sqlite.sqlite import (
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)

from portal.search.backend import CJKQueryCompilerMixin, TokenPhrase, using_indexer
from portal.search.cjk import index_text


class CJKObjectIndexer(ObjectIndexer):
    """The three texts stored in the index (and copied into the FTS5 table by its triggers).
    Each joins its fields with spaces, and no CJK run crosses a space, so converting the joined
    text equals converting each field. (The parent's cached value is overwritten by ours.)"""

    @cached_property
    def title(self):
        return index_text(super().title)

    @cached_property
    def body(self):
        return index_text(super().body)

    @cached_property
    def autocomplete(self):
        return index_text(super().autocomplete)


class CJKSQLiteIndex(SQLiteIndex):
    add_items = using_indexer(SQLiteIndex.add_items, CJKObjectIndexer)


class WeightedBM25(BM25):
    """bm25() with a weight per FTS5 column, in the table's order: autocomplete, body, title."""

    def __init__(self, *, autocomplete: float, body: float, title: float):
        super().__init__()
        self.weights = [autocomplete, body, title]

    def as_sql(self, compiler, connection, function=None, template=None):
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, %s, %s, %s)", self.weights


class CJKPhraseCompilerMixin(CJKQueryCompilerMixin):
    def _build_rank_expression(self, vectors, config):
        """Upstream sums bm25() × title_norm and bm25() × 1 over the title and body "vectors",
        but bm25() scores the whole MATCH over all columns alike, so a title hit weighs no
        more than a body hit; and for And() queries it multiplies (1 + bm25) terms, which
        turns strong (very negative) scores positive, i.e. last. One bm25() with the title
        column weighted by the model's title boost ranks what we mean."""
        fields = self.get_search_fields_for_model()  # AutocompleteFields have no boost
        boost = next((getattr(f, "boost", None) for f in fields if f.field_name == "title"), None)
        return WeightedBM25(autocomplete=1.0, body=1.0, title=float(boost or 1.0))

    def build_search_query_content(self, query, config=None):
        if isinstance(query, TokenPhrase):
            # A Lexeme compiles to "…" (or "…"* as prefix), which FTS5 reads as a phrase of the
            # tokens inside: "法律 律援 援助".
            lexeme = Lexeme(" ".join(query.tokens), prefix=query.prefix)
            return SearchQueryExpression(lexeme, config=config)
        return super().build_search_query_content(query, config=config)


class CJKSQLiteSearchQueryCompiler(CJKPhraseCompilerMixin, SQLiteSearchQueryCompiler):
    pass


class CJKSQLiteAutocompleteQueryCompiler(CJKPhraseCompilerMixin, SQLiteAutocompleteQueryCompiler):
    pass


class CJKSQLiteSearchBackend(SQLiteSearchBackend):
    index_class = CJKSQLiteIndex
    query_compiler_class = CJKSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = CJKSQLiteAutocompleteQueryCompiler
