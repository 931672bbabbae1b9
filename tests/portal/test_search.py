"""Site search: Chinese words inside longer text, ranking, English, and the search page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal.search.cjk import QueryPhrase, index_text, query_phrase
from portal.views import MAX_QUERY_LENGTH, SEARCH_PER_PAGE
from tests import factories

# One run of 40-odd characters, no punctuation or spaces near 法律援助.
LONG_SENTENCE = (
    "今年以来麒麟社区党委组织在职党员开展法律援助进社区活动"
    "为辖区群众解答婚姻家庭邻里纠纷等问题共计四十余次"
)
NO_RESULTS = "没有找到相关内容"
PROMPT = "请输入关键词"


def news(site_tree, title, text="正文段落。", **kwargs):
    return factories.NewsPageFactory(
        parent=site_tree.news, title=title, body=[("paragraph", f"<p>{text}</p>")], **kwargs
    )


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response


def found(client, q, **params) -> list[str]:
    return [page.title for page in search(client, q, **params).context["results"]]


def test_a_chinese_word_is_found_inside_a_long_sentence(client, site_tree):
    news(site_tree, "社区工作简报", LONG_SENTENCE)
    assert found(client, "法律援助") == ["社区工作简报"]
    assert found(client, "援助进社区") == ["社区工作简报"]


def test_a_chinese_word_needs_its_characters_together(client, site_tree):
    news(site_tree, "普法宣传", "开展法律知识讲座并为困难群众提供援助服务")
    assert found(client, "法律") == ["普法宣传"]
    assert found(client, "法律援助") == []


def test_words_on_a_brand_projects_cards_are_found(client, site_tree):
    card = factories.BrandCardFactory.build(title="爱心联系卡", text="有困难找党员随叫随到")
    factories.BrandProjectPageFactory(
        parent=site_tree.community, title="小卡片装载大服务", summary="便民", cards=[card]
    )
    assert found(client, "爱心联系卡") == ["小卡片装载大服务"]
    assert found(client, "随叫随到") == ["小卡片装载大服务"]


def test_a_title_match_ranks_above_a_body_only_match(client, site_tree):
    news(site_tree, "法律援助进社区")
    news(site_tree, "社区工作简报", LONG_SENTENCE * 3)  # newer: would come first on a tie
    assert found(client, "法律援助") == ["法律援助进社区", "社区工作简报"]
    assert found(client, "法律援助 社区") == ["法律援助进社区", "社区工作简报"]


def test_english_words_are_found(client, site_tree):
    news(site_tree, "Free legal aid for residents", "Ask the community office.")
    news(site_tree, "法律援助进社区")
    assert found(client, "legal") == ["Free legal aid for residents"]
    assert found(client, "Legal AID") == ["Free legal aid for residents"]


def test_latin_and_chinese_in_one_word_are_found(client, site_tree):
    news(site_tree, "报名方式", "党员可以使用APP报名参加志愿服务")
    assert found(client, "APP报名") == ["报名方式"]
    assert found(client, "使用APP") == ["报名方式"]


def test_a_single_character_is_found(client, site_tree):
    news(site_tree, "社区工作简报", LONG_SENTENCE)
    news(site_tree, "Legal aid")
    assert found(client, "援") == ["社区工作简报"]
    assert found(client, "次") == ["社区工作简报"]  # the run's last character


def test_full_width_letters_and_digits_match_their_ascii_forms(client, site_tree):
    news(site_tree, "热线电话", "法律援助热线１２３４８全天服务")
    assert found(client, "12348") == ["热线电话"]


def test_drafts_and_private_pages_are_not_found(client, site_tree):
    news(site_tree, "法律援助草稿", live=False)
    private = news(site_tree, "法律援助内部通知")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert found(client, "法律援助") == []


def test_the_tree_root_is_not_found(client, site_tree):
    assert found(client, "Root") == []


def test_a_republished_page_is_found_by_its_new_words_only(client, site_tree):
    page = news(site_tree, "社区工作简报", "开展法律援助活动")
    page.body = [("paragraph", "<p>开展心理疏导活动</p>")]
    page.save_revision().publish()
    assert found(client, "心理疏导") == ["社区工作简报"]
    assert found(client, "法律援助") == []


def test_no_result_says_so(client, site_tree):
    news(site_tree, "社区工作简报", LONG_SENTENCE)
    html = search(client, "垃圾分类").content.decode()
    assert NO_RESULTS in html


def test_an_empty_query_asks_for_a_keyword(client, site_tree):
    response = search(client, "   ")
    assert response.context["query"] == ""
    assert PROMPT in response.content.decode()


@pytest.mark.parametrize("q", ['"', 'a"b', "*", "AND", "(", "'", "\\"])
def test_odd_queries_do_not_fail(client, site_tree, q):
    news(site_tree, "社区工作简报", LONG_SENTENCE)
    search(client, q)


def test_a_control_character_in_the_query_is_refused_with_a_page_that_says_why(client, site_tree):
    response = client.get("/search/", {"q": "法律\x00援助"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_an_over_long_query_is_trimmed(client, site_tree):
    news(site_tree, "社区工作简报", LONG_SENTENCE)
    response = search(client, "法律援助" + "啊" * 500)
    assert len(response.context["query"]) == MAX_QUERY_LENGTH


def test_results_come_ten_to_a_page_and_bad_page_numbers_show_the_first(client, site_tree):
    for n in range(SEARCH_PER_PAGE + 2):
        news(site_tree, f"法律援助简报{n}")
    assert len(found(client, "法律援助")) == SEARCH_PER_PAGE
    assert len(found(client, "法律援助", page=2)) == 2
    first = found(client, "法律援助")
    for bad in ("abc", "0", "-1", "999", "1.5", ""):
        assert found(client, "法律援助", page=bad) == first
    assert "page=2" in search(client, "法律援助").content.decode()


def _queries(client, q) -> list[str]:
    client.get("/search/", {"q": q})  # warm the caches (site root paths) as a busy site has them
    with CaptureQueriesContext(connection) as captured:
        search(client, q)
    return [query["sql"] for query in captured.captured_queries]


def test_search_page_queries_do_not_grow_with_the_number_of_results(client, site_tree):
    news(site_tree, "法律援助简报")
    before = _queries(client, "法律援助")
    for n in range(SEARCH_PER_PAGE * 2):
        news(site_tree, f"法律援助简报{n}")
    after = _queries(client, "法律援助")
    assert len(after) == len(before), "\n".join(after)
    assert len(after) <= 10, "\n".join(after)


def test_search_page_queries_do_not_grow_with_the_page_types_found(client, site_tree):
    """Issue 11: results loaded specific cost one query per page type found (7 queries in the
    demo, 4 at city scale). One query reads every type's fields (`portal.specific_rows`), and
    each result still shows its own type's label and summary."""
    news(site_tree, "法律援助简报", lead="新闻的导语")
    before = _queries(client, "法律援助")
    factories.StandardPageFactory(parent=site_tree.home, title="法律援助须知", intro="须知的引言")
    factories.NewsIndexPageFactory(parent=site_tree.home, title="法律援助动态", intro="栏目引言")
    factories.CountyPageFactory(parent=site_tree.communities, title="法律援助县", intro="县引言")
    factories.CommunityPageFactory(parent=site_tree.county, title="法律援助社区", intro="")
    factories.BrandProjectPageFactory(
        parent=site_tree.community, title="法律援助品牌", summary="品牌的概要"
    )
    factories.ActivityPageFactory(
        parent=site_tree.community, title="法律援助活动", summary="活动的概要"
    )
    after = _queries(client, "法律援助")
    assert len(after) == len(before), "\n".join(after)
    assert len(after) <= 3, "\n".join(after)  # the site, the count, the results

    response = search(client, "法律援助")
    results = {page.title: page for page in response.context["results"]}
    assert len(results) == 7
    assert {type(page).__name__ for page in results.values()} == {
        "NewsPage",
        "StandardPage",
        "NewsIndexPage",
        "CountyPage",
        "CommunityPage",
        "BrandProjectPage",
        "ActivityPage",
    }
    html = response.content.decode()
    for summary in ("新闻的导语", "须知的引言", "栏目引言", "县引言", "品牌的概要", "活动的概要"):
        assert summary in html
    assert "西宁街道 社区党委" in html  # a community without an introduction: its facts
    for page in results.values():
        assert str(page.specific_class._meta.verbose_name) in html
        assert f'href="{page.url}"' in html


def test_index_text_makes_bigrams_of_chinese_and_leaves_latin_alone():
    assert index_text("法律援助，Legal aid").split() == [
        "法律",
        "律援",
        "援助",
        "助",
        ",Legal",
        "aid",
    ]


def test_a_query_is_the_phrase_of_the_tokens_the_text_was_indexed_with():
    assert query_phrase("法律援助").tokens == ("法律", "律援", "援助")
    assert query_phrase("援") == QueryPhrase(("援",), prefix=True)
    assert query_phrase("使用APP").tokens == ("使用", "用", "APP")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search only")
def test_chinese_tokens_survive_the_postgres_search_configuration(db):
    from portal.search.postgres import DEFAULT_SEARCH_CONFIG

    text = index_text(LONG_SENTENCE + "爱心联系卡")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(lexeme) FROM unnest(to_tsvector(%s::regconfig, %s))",
            [DEFAULT_SEARCH_CONFIG, text],
        )
        (lexemes,) = cursor.fetchone()
    assert set(lexemes) == set(text.split())


def _ranked_query(client, q) -> str:
    """The SQL of the search page's ranked results query (the one that orders by score)."""
    queries = _queries(client, q)
    ranked = [sql for sql in queries if "_score" in sql]
    assert len(ranked) == 1, "\n".join(queries)
    return ranked[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
def test_sqlite_ranks_in_one_pass_over_the_matches_without_a_subquery_per_hit(client, site_tree):
    for n in range(SEARCH_PER_PAGE + 2):
        news(site_tree, f"简报{n}", LONG_SENTENCE)
    sql = _ranked_query(client, "法律援助")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [row[-1] for row in cursor.fetchall()]
    assert not any("CORRELATED" in step for step in plan), plan
    # The outer loop is the FTS5 MATCH, scanned once; entries and pages are looked up by key.
    assert plan[0].startswith("SCAN wagtailsearch_indexentry_fts VIRTUAL TABLE INDEX 0:M"), plan
    lookups = [step for step in plan if step.startswith("SEARCH")]
    assert lookups and all("PRIMARY KEY" in step for step in lookups), plan
    # bm25() is computed in the query that matches, not in a subquery per page.
    assert sql.count("bm25(") == 1 and "(SELECT bm25" not in sql


def test_only_the_newest_matches_and_every_title_match_are_scored(client, site_tree, settings):
    settings.SEARCH_CANDIDATES = 3
    old_title_hit = news(site_tree, "法律援助进社区")
    body_hits = [news(site_tree, f"简报{n}", LONG_SENTENCE) for n in range(5)]
    newest = [page.title for page in reversed(body_hits[-3:])]
    assert found(client, "法律援助") == [old_title_hit.title, *newest]
    assert search(client, "法律援助").context["page_obj"].paginator.count == 4
    settings.SEARCH_CANDIDATES = 100
    assert len(found(client, "法律援助")) == 6


def test_more_mentions_rank_higher_among_body_matches(client, site_tree):
    filler = "为辖区群众解答婚姻家庭邻里纠纷等问题"
    news(site_tree, "一次", f"法律援助{filler}{filler}{filler}")
    news(site_tree, "三次", f"法律援助{filler}法律援助{filler}法律援助{filler}")
    news(site_tree, "没有", f"心理疏导{filler}")
    assert found(client, "法律援助") == ["三次", "一次"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search only")
def test_postgres_ranks_a_bounded_candidate_set_found_by_the_gin_indexes(
    client, site_tree, settings
):
    settings.SEARCH_CANDIDATES = 7
    news(site_tree, "法律援助进社区")
    for n in range(3):
        news(site_tree, f"简报{n}", LONG_SENTENCE)
    queries = _queries(client, "法律援助")
    ranked = [sql for sql in queries if "ts_rank" in sql]
    assert len(ranked) == 1, "\n".join(queries)
    sql = ranked[0]
    # Scored in the outer query only; the candidates' subquery is bounded by the setting.
    where, _order = sql.upper().rsplit("ORDER BY", 1)
    assert "TS_RANK" not in where and "LIMIT 7" in where, sql
    assert found(client, "法律援助")[0] == "法律援助进社区"
    # The candidates' match, `(title || body) @@ …`, is the expression of the GIN index that
    # portal migration 0006 adds, so PostgreSQL can answer it from the index.
    from django.contrib.postgres.search import SearchQuery
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    from portal.search.postgres import _title_and_body

    tokens = SearchQuery("'法律' & '援助'", search_type="raw", config="english")
    matches = IndexEntry.objects.annotate(v=_title_and_body()).filter(v=tokens).values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's tables are tiny
    assert "portal_search_title_body" in matches.explain()
