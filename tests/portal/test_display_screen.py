"""The display screen (显示屏) of the city and of each community: three slides (the figures,
the latest news, the coming activities), rotated by a small script with a pause button, never by
a meta refresh (which no one can stop)."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from tests import factories
from volunteering.reporting.models import Report


@pytest.fixture
def screen_data(site_tree):
    soon = timezone.now() + datetime.timedelta(days=2)
    factories.ActivityPageFactory(
        parent=site_tree.community, title="义诊进社区", starts_at=soon, place="党群服务中心"
    )
    factories.ActivityPageFactory(parent=site_tree.other_community, title="法律咨询日")
    factories.NewsPageFactory(parent=site_tree.news, title="全市在职党员报到工作推进会召开")
    factories.ReportFactory(community=site_tree.community, state=Report.State.CONFIRMED)
    return site_tree


@pytest.mark.django_db
def test_city_screen_rotates_through_figures_news_and_activities(client, screen_data):
    html = client.get("/screen/").content.decode()
    assert "全市" in html and "工作数据" in html
    assert "报到在职党员" in html
    assert 'data-seconds="20" data-next="?slide=1"' in html
    html = client.get("/screen/?slide=1").content.decode()
    assert "全市在职党员报到工作推进会召开" in html
    assert 'data-next="?slide=2"' in html and 'class="screen__next" href="?slide=2"' in html
    html = client.get("/screen/?slide=2").content.decode()
    assert "义诊进社区" in html and "法律咨询日" in html
    assert 'data-next="?slide=0"' in html


@pytest.mark.django_db
def test_the_screen_has_no_meta_refresh_but_a_script_with_a_pause_button(client, screen_data):
    html = client.get("/screen/").content.decode()
    assert "http-equiv" not in html.lower()
    assert '<script src="/static/portal/js/screen.js" defer></script>' in html
    assert 'class="screen__pause" aria-pressed="false"' in html
    assert 'data-pause="暂停轮播" data-resume="继续轮播"' in html
    script = finders.find("portal/js/screen.js")
    with open(script, encoding="utf-8") as f:
        code = f.read()
    for needed in ("fetch(", "data-next", "aria-pressed", "clearTimeout"):
        assert needed in code, needed


@pytest.mark.django_db
def test_community_screen_shows_only_its_own(client, screen_data):
    url = f"/screen/community/{screen_data.community.pk}/"
    html = client.get(url).content.decode()
    assert "麒麟社区" in html
    assert "报到在职党员" in html
    assert 'screen-figures__label">社区<' not in html  # a community's own figures
    html = client.get(url + "?slide=2").content.decode()
    assert "义诊进社区" in html and "法律咨询日" not in html


@pytest.mark.django_db
def test_a_slide_number_past_the_end_wraps_round(client, screen_data):
    html = client.get("/screen/?slide=4").content.decode()
    assert "最新动态" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/screen/community/999999/", "/screen/?slide=x"])
def test_unknown_community_or_slide_is_not_found(client, screen_data, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("slide", [0, 1, 2])
def test_each_slide_in_a_few_queries(client, screen_data, slide, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(f"/screen/community/{screen_data.community.pk}/?slide={slide}")
    with django_assert_max_num_queries(12):
        client.get(f"/screen/?slide={slide}")
