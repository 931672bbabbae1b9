import datetime
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from news.models import NewsByline, NewsIndexPage, NewsPage
from portal import demo
from portal.demo import communities as demo_communities
from portal.demo import seed
from portal.management.commands.load_demo import REFUSED_IN_PRODUCTION, REFUSED_WITHOUT_DEBUG
from portal.models import HomePage, StandardPage
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityDutyStaff,
    CommunityPage,
)

REPORT_TITLE = "云南曲靖市扎实开展在职党员到社区服务群众工作"
PAGE_CHROME = ("频道总排行", "频道本月排行", "356,868", "今日浏量", "责编")


@pytest.fixture
def loaded(db):
    call_command("load_demo", force=True)


def seed_report() -> NewsPage:
    return NewsPage.objects.get(title=REPORT_TITLE)


def test_load_demo_replaces_the_welcome_page_with_the_home_page(loaded):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.title == "在职党员进社区服务平台"
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert Page.objects.filter(depth=2).count() == 1


def test_load_demo_builds_the_menu_and_community_tree(loaded):
    home = HomePage.objects.get()
    menu = [p.title for p in Page.objects.child_of(home).in_menu().order_by("path")]
    assert menu == ["工作动态", "志愿活动", "社区导航", "关于平台", "帮助"]
    assert NewsIndexPage.objects.child_of(home).get().slug == "news"
    assert StandardPage.objects.get(slug="help").live
    fangcheng = CommunityPage.objects.get(title="方城社区")
    assert fangcheng.street_or_town == "盘江镇"
    assert fangcheng.get_parent().title == "沾益县"
    assert CommunityPage.objects.get(title="锦西社区").get_parent().title == "宣威市"
    assert CommunityPage.objects.get(title="方家园社区").get_parent().title == "麒麟区"
    assert fangcheng.duty_staff.exists()


def test_seed_report_keeps_its_metadata(loaded):
    report = seed_report()
    assert report.live
    assert report.date == datetime.datetime(
        2014, 7, 17, 1, 58, 29, tzinfo=ZoneInfo("Asia/Shanghai")
    )
    assert report.source == "国际神州网"
    assert report.responsible_editor == "唐国宣"
    assert [(b.name, b.role) for b in report.bylines.all()] == [
        ("吴红霄", "特约记者"),
        ("萧晶文", "特约记者"),
    ]
    assert {"报到", "服务群众", "曲靖"} <= set(report.tags.names())
    related = {c.title for c in report.related_communities.all()}
    assert {"麒麟社区", "方城社区", "锦西社区", "方家园社区"} <= related


def test_seed_report_body_is_the_reports_paragraphs_without_page_chrome(loaded):
    blocks = list(seed_report().body)
    assert [b.block_type for b in blocks] == ["paragraph"] * 4
    texts = [b.value.source for b in blocks]
    assert all(t.startswith("<p>") and t.endswith("</p>") for t in texts)
    assert texts[0].startswith("<p>曲靖市在深入开展")
    assert texts[-1].endswith("整体上水平。</p>")
    assert "&quot;" not in texts[1] and "“就近就地”" in texts[1]
    assert not any(chrome in t for chrome in PAGE_CHROME for t in texts)
    assert REPORT_TITLE not in "".join(texts)


def test_seed_report_page_shows_bylines_and_editor(client, loaded):
    response = client.get(seed_report().url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "责编：唐国宣" in html
    assert "特约记者 吴红霄" in html
    assert "356,868" not in html


def test_brand_project_has_its_three_cards_and_is_featured(client, loaded):
    brand = BrandProjectPage.objects.get(title="小卡片装载大服务")
    assert brand.featured and brand.live
    assert brand.get_parent().title == "麒麟社区"
    assert [c.kind for c in brand.cards.all()] == [
        BrandCard.Kind.LOVE_CONTACT,
        BrandCard.Kind.SERVICE_PROCESS,
        BrandCard.Kind.JOB_INFORMATION,
    ]
    assert "小卡片装载大服务" in client.get("/").content.decode()


def test_demo_news_includes_an_item_about_qilin_community(loaded):
    qilin = CommunityPage.objects.get(title="麒麟社区")
    demo_items = NewsPage.objects.filter(title__startswith="【演示】")
    assert demo_items.count() >= 3
    assert all(item.date.year == 2014 for item in demo_items)
    assert demo_items.filter(related_communities=qilin).exists()


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "cards": BrandCard.objects.count(),
        "bylines": NewsByline.objects.count(),
        "duty_staff": CommunityDutyStaff.objects.count(),
    }


def test_running_load_demo_twice_duplicates_nothing(loaded):
    before = _counts()
    call_command("load_demo", force=True)
    assert _counts() == before


def test_load_demo_repairs_changed_demo_content_with_one_new_revision(loaded):
    brand = BrandProjectPage.objects.get(title="小卡片装载大服务")
    brand.summary = "被改过的简介"
    brand.save_revision().publish()
    revisions = Revision.objects.count()
    call_command("load_demo", force=True)
    brand.refresh_from_db()
    assert brand.summary == demo_communities.BRAND_PROJECT["summary"]
    assert Revision.objects.count() == revisions + 1


def test_demo_users_log_in_with_the_demo_password(client, loaded):
    for spec in demo.DEMO_USERS:
        user = get_user_model().objects.get(username=spec.username)
        assert user.first_name == spec.display_name
        assert user.email == f"{spec.username}@example.com"
        assert client.login(username=spec.username, password="demo1234"), spec.username
        client.logout()


def test_only_admin_is_a_superuser_and_member_has_no_admin_access(loaded):
    users = {u.username: u for u in get_user_model().objects.all()}
    assert [name for name, u in users.items() if u.is_superuser] == ["admin"]
    assert not users["member"].has_perm("wagtailadmin.access_admin")
    for name in ("editor", "reviewer", "staff", "staff2"):
        assert users[name].has_perm("wagtailadmin.access_admin"), name


def test_community_staff_edit_only_their_own_community(loaded):
    users = get_user_model().objects
    staff, staff2 = users.get(username="staff"), users.get(username="staff2")
    qilin_brand = BrandProjectPage.objects.get(title="小卡片装载大服务")
    fangcheng = CommunityPage.objects.get(title="方城社区")
    assert qilin_brand.permissions_for_user(staff).can_edit()
    assert not qilin_brand.permissions_for_user(staff).can_publish()
    assert not fangcheng.permissions_for_user(staff).can_edit()
    assert fangcheng.permissions_for_user(staff2).can_edit()
    assert not qilin_brand.permissions_for_user(staff2).can_edit()


def test_editors_write_news_and_only_the_superuser_publishes_directly(loaded):
    users = get_user_model().objects
    editor, reviewer = users.get(username="editor"), users.get(username="reviewer")
    report = seed_report()
    assert report.permissions_for_user(editor).can_edit()
    assert not report.permissions_for_user(editor).can_publish()
    assert not CommunityPage.objects.first().permissions_for_user(editor).can_edit()
    # Reviewers approve through the workflow; its final approval is what publishes.
    assert not report.permissions_for_user(reviewer).can_publish()
    publishers = {
        user.username for user in users.all() if report.permissions_for_user(user).can_publish()
    }
    assert publishers == {"admin"}


def test_the_demo_pages_go_through_steps_named_for_who_reviews_them(loaded):
    """City news: 编辑部审核 → 发布审批; a community's brand project: 社区审核 → 发布审批; its
    activities and its own page: 社区审核 (the demo's communities have review scopes)."""

    def steps(page) -> list[str]:
        return [task.name for task in page.specific.get_workflow().tasks]

    assert steps(seed_report()) == ["编辑部审核", "发布审批"]
    assert steps(HomePage.objects.get()) == ["编辑部审核", "发布审批"]
    assert steps(BrandProjectPage.objects.get(title="小卡片装载大服务")) == ["社区审核", "发布审批"]
    assert steps(CommunityPage.objects.get(title="麒麟社区")) == ["社区审核"]


def test_load_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=str(REFUSED_WITHOUT_DEBUG)):
        call_command("load_demo")
    assert not get_user_model().objects.exists()


def test_load_demo_refuses_production_settings_even_when_forced(db, settings):
    settings.SETTINGS_MODULE = "portal.settings.production"
    with pytest.raises(CommandError, match=str(REFUSED_IN_PRODUCTION)):
        call_command("load_demo", force=True)
    assert not get_user_model().objects.exists()


def test_load_demo_fails_clearly_when_the_seed_folder_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="--seed"):
        call_command("load_demo", force=True, seed=tmp_path / "nowhere")
    assert not get_user_model().objects.exists()


def test_load_demo_reads_reports_from_the_seed_option(db, tmp_path):
    shutil.copytree(seed.default_seed_dir(), tmp_path / "seed")
    call_command("load_demo", force=True, seed=tmp_path / "seed")
    assert NewsPage.objects.filter(title=REPORT_TITLE).exists()


def test_parse_report_reads_a_minimal_page():
    text = "\n".join(
        [
            "标题",
            "2014-01-02 03:04:05 来源:某网 今日浏量:",
            "标题",
            "某网 记者 张三",
            "第一段。",
            "第二段<b>。",
            "责编：李四",
            "频道总排行",
            "- 1,234某条新闻",
        ]
    )
    report = seed.parse_report(text, name="x_abcdef0123.txt")
    assert report.title == "标题"
    assert report.source == "某网"
    assert report.bylines == (seed.Byline(name="张三", role="记者"),)
    assert report.responsible_editor == "李四"
    assert report.paragraphs == ("第一段。", "第二段<b>。")
    assert demo.paragraphs_stream(report.paragraphs)[1]["value"] == "<p>第二段&lt;b&gt;。</p>"


def test_bundled_seed_copy_matches_the_shared_report_and_is_the_fallback(settings, tmp_path):
    shared = Path(settings.BASE_DIR).parent / "shared" / "seed"
    if shared.is_dir():
        for bundled in seed.BUNDLED_SEED_DIR.glob("*.txt"):
            assert bundled.read_bytes() == (shared / bundled.name).read_bytes()
    settings.BASE_DIR = tmp_path / "clone"
    assert seed.default_seed_dir() == seed.BUNDLED_SEED_DIR
    assert seed.read_seed_reports(seed.BUNDLED_SEED_DIR)
