"""The SQLite FTS5 backend with CJK bigrams (see `portal.search.backend`), ranking in one pass.

Upstream filters the model's rows with `pk IN (SELECT object_id … MATCH …)` and ranks them with a
correlated scalar subquery that runs the MATCH again for every hit; FTS5's bm25() then re-counts
each phrase's documents (its IDF) for every one of them, so ranking n hits costs about n² (709 ms
for 896 hits at city scale). Here a ranked search joins the FTS5 table once: one MATCH, scanned
first, bm25() computed over that single cursor, the model's rows looked up by primary key. Unranked
and negated searches keep upstream's `pk IN (…)`, which evaluates the MATCH once too.
"""

from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite.query import (
    BM25,
    Lexeme,
    MatchExpression,
    SearchQueryExpression,
    SQLiteFTSIndexEntry,
    normalize,
)
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from portal.search.backend import (
    CJKQueryCompilerMixin,
    TokenPhrase,
    search_candidates,
    using_indexer,
)
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


class OnePassRankingMixin:
    """`search()` with the FTS5 table joined once instead of a score subquery per hit."""

    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        ranked = self.order_by_relevance or score_field is not None
        if isinstance(query, (MatchAll, Not)) or not ranked:
            return super().search(config, start, stop, score_field=score_field)
        queryset = self.joined_to_matches(self.build_search_query(query, config=config))
        score_field = score_field or "_score"
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        queryset = queryset.annotate(**{score_field: rank})
        if self.order_by_relevance:  # bm25() is negative: the best match is the lowest
            queryset = queryset.order_by(score_field, "-pk")
        elif not queryset.query.order_by:
            queryset = queryset.order_by("-pk")  # stable pages (wagtail#3729), as upstream
        return queryset[start:stop]

    def joined_to_matches(self, search_query):
        """The queryset's rows that match, each joined to its index entry and FTS5 row:

            FROM model, fts, entry WHERE fts MATCH %s AND entry.id = fts.rowid
                 AND entry.content_type_id IN (…) AND model.pk = entry.object_id
                 AND (fts.rowid >= <the CANDIDATES-th newest match's rowid>
                      OR fts.rowid IN (<the title matches>))

        `model.pk = entry.object_id` compares an integer key with a text column, which SQLite
        can only answer by looking the key up (the comparison takes the key's numeric affinity,
        so the text index on object_id is no use): the planner scans the MATCH first, once. An
        object has one index entry among its model's content types (Page.get_indexed_objects
        indexes each page as its own type only), so no row comes twice.

        The last condition bounds the work per search whatever the size of the site: only the
        `SEARCH_CANDIDATES` most recently indexed matches and every title match (few, and the
        ones a resident looking for a known item types) are joined, scored and counted. Both
        subqueries are uncorrelated: SQLite runs each once."""
        model = self.queryset.model
        columns = self.fields or self.FTS_TABLE_FIELDS
        compiler = self.queryset.query.get_compiler(using=self.queryset.db)
        connection = compiler.connection
        match_sql, match_params = MatchExpression(columns, search_query).as_sql(
            compiler, connection
        )
        qn = connection.ops.quote_name
        fts, entry = qn(SQLiteFTSIndexEntry._meta.db_table), qn(IndexEntry._meta.db_table)
        content_types = get_descendants_content_types_pks(model)
        placeholders = ", ".join(["%s"] * len(content_types))
        pk = f"{qn(model._meta.db_table)}.{qn(model._meta.pk.column)}"
        window = (
            f"{fts}.rowid >= COALESCE((SELECT w.rowid FROM {fts} AS w WHERE w.{fts} MATCH %s"
            " ORDER BY w.rowid DESC LIMIT 1 OFFSET %s), 0)"
        )
        candidates, candidate_params = window, [*match_params, search_candidates() - 1]
        if "title" in columns and len(columns) > 1:
            _, title_params = MatchExpression(["title"], search_query).as_sql(compiler, connection)
            titles = f"SELECT t.rowid FROM {fts} AS t WHERE t.{fts} MATCH %s"
            candidates = f"({window} OR {fts}.rowid IN ({titles}))"
            candidate_params += title_params
        return self.queryset.extra(
            tables=[SQLiteFTSIndexEntry._meta.db_table, IndexEntry._meta.db_table],
            where=[
                match_sql,
                f"{entry}.{qn('id')} = {fts}.{qn('rowid')}",
                f"{entry}.{qn('content_type_id')} IN ({placeholders})",
                f"{pk} = {entry}.{qn('object_id')}",
                candidates,
            ],
            params=[*match_params, *content_types, *candidate_params],
        )


class CJKSQLiteSearchQueryCompiler(
    OnePassRankingMixin, CJKPhraseCompilerMixin, SQLiteSearchQueryCompiler
):
    pass


class CJKSQLiteAutocompleteQueryCompiler(
    OnePassRankingMixin, CJKPhraseCompilerMixin, SQLiteAutocompleteQueryCompiler
):
    pass


class CJKSQLiteSearchBackend(SQLiteSearchBackend):
    index_class = CJKSQLiteIndex
    query_compiler_class = CJKSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = CJKSQLiteAutocompleteQueryCompiler
