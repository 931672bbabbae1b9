"""The PostgreSQL tsvector backend with CJK bigrams (see `portal.search.backend`), its ranked
searches bounded to a candidate set (docs/search.md)."""

from contextlib import contextmanager
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db.models import F, IntegerField, Q
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import CombinedLexeme, Lexeme
from modelsearch.query import And, Boost, Or, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from portal.search.backend import (
    CJKQueryCompilerMixin,
    TokenPhrase,
    search_candidates,
    using_indexer,
)
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
    # "<->": a phrase (each token followed by the next); "&" while building the loose query.
    phrase_connector = "<->"

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, TokenPhrase):
            # '法律' <-> '律援' <-> '援助': each token followed by the next. to_tsquery normalises
            # each one with the search config, as to_tsvector did when indexing.
            *tokens, last = query.tokens
            lexemes = [Lexeme(token) for token in tokens] + [Lexeme(last, prefix=query.prefix)]
            connector = self.phrase_connector
            phrase = reduce(lambda a, b: CombinedLexeme(a, connector, b), lexemes)
            return SearchQuery(phrase, search_type="raw", config=config, invert=invert)
        return super().build_tsquery_content(query, config=config, invert=invert)

    @contextmanager
    def _loose_phrases(self):
        self.phrase_connector = "&"
        try:
            yield
        finally:
            del self.phrase_connector


def _positive(query) -> bool:
    """Only words, phrases and their combinations (no Not, MatchAll or Fuzzy anywhere)."""
    if isinstance(query, (And, Or)):
        return all(_positive(q) for q in query.subqueries)
    if isinstance(query, Boost):
        return _positive(query.subquery)
    return isinstance(query, (PlainText, TokenPhrase))


def _title_and_body():
    return CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())


class BoundedRankingMixin:
    """A ranked search (ordered by relevance, or asked for a score) over the index entries
    scores a bounded candidate set instead of every match, as on SQLite:

        entry.id IN (  -- the phrase matches among the newest SEARCH_CANDIDATES entries holding
                       -- all of the query's tokens, and every title match
            SELECT id FROM entry WHERE id IN (
                SELECT id FROM entry WHERE ct IN (…) AND (title || body) @@ '法律' & '律援' & '援助'
                ORDER BY id DESC LIMIT <SEARCH_CANDIDATES>)
              AND (title || body) @@ '法律' <-> '律援' <-> '援助'
            UNION
            SELECT id FROM entry WHERE ct IN (…) AND title @@ '法律' <-> '律援' <-> '援助')

    The tokens' AND is answered by the GIN index on `title || body` (portal migration 0006)
    without reading a single vector: GIN rechecks only phrases. The phrase, which GIN can only
    confirm by reading each row's vector, and ts_rank, which reads it again, then run on at most
    SEARCH_CANDIDATES rows, and the title matches come from the title's own GIN index. The LIMIT
    keeps PostgreSQL from checking the phrase on every match first. The page is then looked up
    by its key (`page.id = object_id::integer`, beside the generic relation's text comparison,
    which no index on the page answers).

    Negated, fuzzy, unranked and field-restricted searches stay upstream's."""

    def search(self, config, start, stop, score_field=None, backend=None):
        ranked = self.order_by_relevance or score_field is not None
        if not ranked or self.fields is not None or not _positive(self.query):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(self.query, config=config)
        with self._loose_phrases():
            loose_query = self.build_tsquery(self.query, config=config)
        rank = self._build_rank_expression(self.get_search_vectors(search_query), config)
        candidates = self._candidates(search_query, loose_query)
        queryset = self.queryset.annotate(
            _search_entry=F("index_entries__id"),
            _search_object=Cast("index_entries__object_id", IntegerField()),
        ).filter(pk=F("_search_object"), _search_entry__in=candidates)
        return self._apply_ordering_and_scoring(queryset, rank, start, stop, score_field)

    def _candidates(self, search_query, loose_query):
        content_types = get_descendants_content_types_pks(self.queryset.model)
        entries = IndexEntry.objects.filter(content_type_id__in=content_types).order_by()
        newest = (
            entries.annotate(_vector=_title_and_body())
            .filter(_vector=loose_query)
            .order_by("-pk")
            .values("pk")[: search_candidates()]
        )
        # The title first: a small vector, where most strong matches are; the body's, read
        # from TOAST and joined to the title's, only for the others.
        phrase = (
            IndexEntry.objects.filter(pk__in=newest)
            .annotate(_vector=_title_and_body())
            .filter(Q(title=search_query) | Q(_vector=search_query))
            .order_by()
            .values("pk")
        )
        return phrase.union(entries.filter(title=search_query).values("pk"))


class CJKPostgresSearchQueryCompiler(
    BoundedRankingMixin, CJKPhraseCompilerMixin, PostgresSearchQueryCompiler
):
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
