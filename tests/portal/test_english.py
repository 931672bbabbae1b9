"""English mode is complete: with the demo content loaded and English chosen, the public pages
and the members' pages show no Chinese but the content people wrote (titles, bodies, names,
places: every text stored in the database is taken out before looking); and counted words
agree with their number ("1 community", "6 communities")."""

import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page

# Han characters and the full-width punctuation that goes with them (：（）、，。…).
HAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "value")


class _Text(HTMLParser):
    """The text a reader meets: text nodes and the attributes read aloud or shown, without
    scripts, styles, <meta> (the sharing card is Chinese by design) and whatever is marked
    lang="zh-Hans" (the language switcher's 中文)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style") or (attrs.get("lang") or "").lower().startswith("zh"):
            self.skipping.append(tag)
        if self.skipping or tag == "meta":
            return
        self.found += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.found.append(data)


def _pieces(value) -> list[str]:
    """The texts inside a stored value: rich text split at its tags, StreamField JSON walked."""
    if isinstance(value, dict | list):
        items = value.values() if isinstance(value, dict) else value
        return [piece for item in items for piece in _pieces(item)]
    if not isinstance(value, str) or not HAN.search(value):
        return []
    if value.lstrip().startswith(("[", "{")):
        try:
            return _pieces(json.loads(value))
        except ValueError:
            pass
    text = html.unescape(value)
    # Split at tags and lines, and at phone numbers, which pages turn into tel: links.
    return [
        text,
        *(p.strip() for p in re.split(r"<[^>]+>|\n|[+\d][\d \-－()（）]{6,}", text) if p.strip()),
    ]


def content_strings() -> list[str]:
    """Every text stored in the database (longest first): what editors, staff, members and
    residents wrote, which English mode shows as written."""
    found: set[str] = set()
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | StreamField)
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            for value in row:
                if isinstance(value, str | dict | list):
                    found.update(_pieces(value))
                elif value is not None and hasattr(value, "raw_data"):
                    found.update(_pieces(list(value.raw_data)))
    return sorted(found, key=len, reverse=True)


def untranslated(page: str, content: list[str]) -> list[str]:
    """The Chinese left on `page` once the content is taken out."""
    parser = _Text()
    parser.feed(page)
    left = []
    for text in parser.found:
        if not HAN.search(text):
            continue
        for known in content:
            if known in text:
                text = text.replace(known, " ")
                if not HAN.search(text):
                    break
        for run in HAN.findall(text):
            # cut short ("社区办公楼…") or masked ("李**"): the start of something stored
            shortened = f"{run}…" in text or f"{run}*" in text
            if not (shortened and any(k.startswith(run) for k in content)):
                left.append(f"{run!r} in {text.strip()[:80]!r}")
    return sorted(set(left))


def _public_urls() -> list[str]:
    from volunteering.communities.models import BrandProjectPage, CommunityPage, CountyPage
    from volunteering.menu.models import Need, Post
    from volunteering.people.models import Organisation
    from volunteering.teams.models import Team
    from volunteering.voice.models import Feedback

    pages = [page.url for page in Page.objects.live().public().specific() if page.depth > 1]
    community = CommunityPage.objects.live().first()
    county = CountyPage.objects.live().first()
    brand = BrandProjectPage.objects.live().first()
    code = Feedback.objects.exclude(code="").values_list("code", flat=True).first()
    return [
        *pages,
        "/activities/calendar/",
        f"{brand.url}print/",
        "/statistics/",
        f"/statistics/?county={county.pk}",
        f"/statistics/?community={community.pk}",
        "/screen/",
        "/screen/?slide=1",
        "/screen/?slide=2",
        f"/screen/community/{community.pk}/",
        f"/search/?q={SEARCHED}",
        "/accounts/login/",
        f"/feedback/communities/{community.pk}/",
        "/feedback/status/",
        f"/feedback/status/?code={code}",
        f"/service/needs/{Need.objects.first().pk}/",
        f"/service/posts/{Post.objects.first().pk}/",
        f"/service/teams/{Team.objects.first().pk}/",
        f"/service/communities/{community.pk}/ranking/",
        f"/service/organisations/{Organisation.objects.first().pk}/ranking/",
    ]


SEARCHED = "社区"  # what the reader typed
MEMBER_URLS = ["/my/", "/my/profile/", "/my/points/", "/activities/"]


@pytest.mark.django_db
def test_pages_in_english_show_no_chinese_but_content(client):
    call_command("load_demo", force=True)
    content = [*content_strings(), SEARCHED]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = _public_urls()
    assert len(urls) > 30
    problems = {}
    for who, paths in [(None, urls), ("member", MEMBER_URLS)]:
        if who:
            client.force_login(get_user_model().objects.get(username=who))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Content-Language"] == "en"
            left = untranslated(response.content.decode(), content)
            if left:
                problems[f"{who or 'public'} {path}"] = left
    assert problems == {}
    # The sections the setup creates are named in English in the navigation and the title.
    home = client.get("/").content.decode()
    for words in ("News", "Activities", "About", "Help", "- Members Serving Communities Portal"):
        assert words in home, words


def test_the_check_finds_chinese_a_template_left_untranslated():
    page = '<p lang="zh-Hans">中文</p><p>Source：本站</p><meta content="标题"><a title="更多">x</a>'
    assert untranslated(page, ["本站"]) == ["'更多' in '更多'", "'：' in 'Source：'"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("communities", "words"), [(1, "Community"), (6, "Communities"), (0, "Communities")]
)
def test_figure_words_agree_with_their_number_in_english(client, site_tree, communities, words):
    from tests import factories
    from volunteering.figures.selectors import figure_items, figures

    county = site_tree.county
    for page in site_tree.communities.get_descendants().type(
        apps.get_model("volunteering", "CommunityPage")
    ):
        page.specific.unpublish()
    for _n in range(communities):
        factories.CommunityPageFactory(parent=county)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/statistics/").content.decode()
    assert re.search(
        rf'figure-grid__label">{words}</span>\s*<span class="figure-grid__value">{communities}<',
        page,
    )
    from django.utils import translation

    with translation.override("zh-hans"):
        assert figure_items(figures())[0].label == "社区"


# English words that read the same for one and for many ("Members reported (1)").
SAME_IN_BOTH_FORMS = {"报到党员（%(n)s 人）", "候补 %(n)s 人", "%(counter)s 封未读"}


def test_every_plural_in_the_english_catalog_has_both_forms():
    from babel.messages.pofile import read_po

    path = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert len(plurals) >= 20
    assert [m.id for m in plurals if len(m.string) != 2 or not all(m.string)] == []
    same = {m.id[0] for m in plurals if m.string[0] == m.string[1]}
    assert same == SAME_IN_BOTH_FORMS


@pytest.mark.django_db
def test_the_statistics_name_residents_suggestions_not_views_in_english(client, site_tree):
    # 听取意见 is what residents suggested and the community heard, not "views" of a page.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/statistics/").content.decode()
    assert "Suggestions heard" in page
    assert "Views heard" not in page
