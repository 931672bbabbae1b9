"""Demo content for `manage.py load_demo`: the site tree, the seed report as a news item,
a brand project, demo news, groups and one account per role.

Everything is found by slug or name and updated in place, so running it again changes nothing
that is already right: pages get a new revision only when a value actually differs."""

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import GroupPagePermission, Locale, Page, Site

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage, StandardPage
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)
from volunteering.demo.assessment import load_assessment_demo
from volunteering.demo.loader import load_volunteering_demo
from volunteering.demo.people import MEMBER_LOGINS
from volunteering.demo.points import load_points_demo
from volunteering.demo.voice import load_voice_demo
from workflows.editorial import CITY_REVIEWERS
from workflows.models import ReviewScope

P = TypeVar("P", bound=Page)

DEMO_PASSWORD = "demo1234"
SITE_TITLE = "在职党员进社区服务平台"
# The source publishes in Beijing time; its timestamps carry no zone of their own.
REPORT_TIMEZONE = ZoneInfo("Asia/Shanghai")

SEED_DIR_MISSING = _(
    "找不到种子数据目录 %(path)s。请把 shared/seed/ 放在项目目录旁边，或用 --seed 指定目录。"
)
SEED_DIR_EMPTY = _("种子数据目录 %(path)s 中没有 .txt 报道文件。")
SEED_UNREADABLE = _("无法解析报道 %(file)s：%(problem)s")


class SeedError(Exception):
    """The seed folder or one of its reports cannot be used."""


# --- The seed report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Byline:
    name: str
    role: str


@dataclass(frozen=True)
class Report:
    """A news report as its page printed it, without the page's chrome."""

    slug: str
    title: str
    date: datetime
    source: str
    bylines: tuple[Byline, ...]
    responsible_editor: str
    paragraphs: tuple[str, ...]


META_LINE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s+来源\s*[:：]\s*(?P<source>\S+)"
)
BYLINE_LINE = re.compile(r"(?P<role>特约记者|通讯员|记者)\s+(?P<names>\S.*)$")
EDITOR_LINE = re.compile(r"^责编\s*[:：]\s*(?P<name>\S+)$")
# View counters and ranking lists printed around the article, never part of it.
CHROME_LINE = re.compile(r"^(今日浏|频道总排行|频道本月排行|- [\d,]+)")
MAX_BYLINE_LENGTH = 40


BUNDLED_SEED_DIR = Path(__file__).resolve().parent / "demo_content" / "seed"


def default_seed_dir() -> Path:
    """shared/seed/ beside the project directory (how the workspace and CI lay it out); on a
    machine without it, the copy of the report bundled with the portal, so that `make run`
    works from any clone."""
    shared = Path(settings.BASE_DIR).parent / "shared" / "seed"
    return shared if shared.is_dir() else BUNDLED_SEED_DIR


def read_seed_reports(seed_dir: Path) -> list[Report]:
    if not seed_dir.is_dir():
        raise SeedError(SEED_DIR_MISSING % {"path": seed_dir})
    files = sorted(seed_dir.glob("*.txt"))
    if not files:
        raise SeedError(SEED_DIR_EMPTY % {"path": seed_dir})
    return [parse_report(f.read_text(encoding="utf-8"), name=f.name) for f in files]


def parse_report(text: str, *, name: str) -> Report:
    """Read title, date, source, bylines, editor and paragraphs from a saved report page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise SeedError(SEED_UNREADABLE % {"file": name, "problem": "empty"})
    title = lines[0]
    meta = next((m for m in map(META_LINE.match, lines) if m), None)
    if meta is None:
        raise SeedError(SEED_UNREADABLE % {"file": name, "problem": "no date and source line"})
    paragraphs, bylines, editor = _split_body(lines[1:], title=title)
    if not paragraphs:
        raise SeedError(SEED_UNREADABLE % {"file": name, "problem": "no body text"})
    date = datetime.strptime(meta["date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=REPORT_TIMEZONE)
    return Report(
        slug=f"{date:%Y%m%d}-{Path(name).stem.split('_')[-1][:8]}".lower(),
        title=title,
        date=date,
        source=meta["source"],
        bylines=bylines,
        responsible_editor=editor,
        paragraphs=tuple(paragraphs),
    )


def _split_body(lines: Sequence[str], *, title: str) -> tuple[list[str], tuple[Byline, ...], str]:
    """Paragraphs up to the first 责编 line; what follows it is the page's ranking lists."""
    paragraphs: list[str] = []
    bylines: tuple[Byline, ...] = ()
    for line in lines:
        if editor := EDITOR_LINE.match(line):
            return paragraphs, bylines, editor["name"]
        if line == title or META_LINE.match(line) or CHROME_LINE.match(line):
            continue
        if not paragraphs and len(line) <= MAX_BYLINE_LENGTH and BYLINE_LINE.search(line):
            bylines = _parse_bylines(line)
            continue
        paragraphs.append(line)
    return paragraphs, bylines, ""


def _parse_bylines(line: str) -> tuple[Byline, ...]:
    match = BYLINE_LINE.search(line)
    return tuple(Byline(name=n, role=match["role"]) for n in match["names"].split())


def paragraphs_stream(paragraphs: Iterable[str]) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{escape(p)}</p>"} for p in paragraphs]


# --- Pages, found by slug and updated only when something differs -----------------------


def _stream_rows(rows: Iterable[dict]) -> list[dict]:
    """Blocks without their ids, which are new each time a stream is assigned."""
    return [{"type": row["type"], "value": row["value"]} for row in rows]


def _current(page: Page, name: str, wanted: Any) -> Any:
    """The page's value of `name` in the same shape as `wanted`, to compare the two."""
    field = page._meta.get_field(name)
    if isinstance(field, StreamField):
        return _stream_rows(getattr(page, name).raw_data)
    if isinstance(field, ParentalManyToManyField):
        return {p.pk for p in getattr(page, name).all()}
    if name == "tags":
        return sorted(page.tags.names())
    if field.one_to_many:
        keys = {key for row in wanted for key in row}
        return [{k: getattr(obj, k) for k in keys} for obj in getattr(page, name).all()]
    return getattr(page, name)


def _wanted(page: Page, name: str, value: Any) -> Any:
    field = page._meta.get_field(name)
    if isinstance(field, StreamField):
        return _stream_rows(value)
    if isinstance(field, ParentalManyToManyField):
        return {p.pk for p in value}
    if name == "tags":
        return sorted(value)
    return value


def _assign(page: Page, name: str, value: Any) -> None:
    field = page._meta.get_field(name)
    if name == "tags":
        page.tags.set(list(value))
    elif isinstance(field, StreamField):
        setattr(page, name, copy.deepcopy(value))  # Wagtail writes block ids into what it gets
    elif field.one_to_many:
        setattr(page, name, [field.related_model(**row) for row in value])
    else:
        setattr(page, name, value)


def upsert_page(parent: Page, model: type[P], *, slug: str, values: dict[str, Any]) -> P:
    """Find `parent`'s child `slug` or create it; publish a revision only when values differ."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug)
        for name, value in values.items():
            _assign(page, name, value)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = {
        name: value
        for name, value in values.items()
        if _current(page, name, value) != _wanted(page, name, value)
    }
    if changed or not page.live or page.has_unpublished_changes:
        for name, value in changed.items():
            _assign(page, name, value)
        page.save_revision().publish()
    return page


# --- The site: root, home page, welcome page --------------------------------------------


def _tree_root() -> Page:
    """The tree's root node, re-created (with the default locale) in an emptied database."""
    if not Locale.objects.exists():
        Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def _default_site(root: Page) -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=root, is_default_site=True
        )
    return site


def _remove_welcome_pages(root: Page) -> None:
    """Wagtail's 'Welcome to your new Wagtail site!': a plain, childless Page under the root.
    Sites pointing at it move to the root first (deleting a site's root deletes the site)."""
    welcome = Page.objects.child_of(root).filter(
        content_type=ContentType.objects.get_for_model(Page), numchild=0
    )
    Site.objects.filter(root_page__in=welcome).update(root_page=root)
    for page in welcome:
        page.delete()


def ensure_home() -> HomePage:
    root = _tree_root()
    site = _default_site(root)
    _remove_welcome_pages(root)
    home = upsert_page(root, HomePage, slug="home", values=HOME)
    Site.objects.filter(pk=site.pk).update(root_page=home, site_name=SITE_TITLE)
    return home


HOME = {
    "title": SITE_TITLE,
    "intro": (
        "工作在单位、活动在社区、奉献双岗位。在职党员在这里到社区报到、认领服务项目、"
        "参加志愿服务；居民在这里找到社区的报到窗口、服务品牌和最新工作动态。"
    ),
    "figures_note": "演示站点：页面内容为示例数据，统计数字根据系统中的数据实时计算。",
}


# --- Communities --------------------------------------------------------------------------

COMMUNITY_INDEX = {
    "title": "社区导航",
    "show_in_menus": True,
    "intro": "按县（市、区）查找社区的在职党员报到窗口、开放时间、值班人员和服务品牌。",
}

COUNTIES: tuple[dict[str, Any], ...] = (
    {
        "slug": "qilin",
        "title": "麒麟区",
        "kind": CountyPage.Kind.DISTRICT,
        "intro": "曲靖市中心城区。按照“四城联创”要求，组织在职党员开展维持秩序、咨询联络、"
        "文明引导、礼仪规范等志愿服务。",
    },
    {
        "slug": "zhanyi",
        "title": "沾益县",
        "kind": CountyPage.Kind.COUNTY,
        "intro": "市直单位到挂钩社区召开民情恳谈会，听取意见建议，解决群众关心的问题。",
    },
    {
        "slug": "xuanwei",
        "title": "宣威市",
        "kind": CountyPage.Kind.CITY,
        "intro": "健全在职党员领岗承诺、活动登记、工作记实等服务制度。",
    },
    {
        "slug": "shizong",
        "title": "师宗县",
        "kind": CountyPage.Kind.COUNTY,
        "intro": "全县10个社区党组织通过走访、问卷和座谈听取群众意见建议，推出服务菜单。",
    },
    {
        "slug": "malong",
        "title": "马龙县",
        "kind": CountyPage.Kind.COUNTY,
        "intro": "开展“党员为居民服务，党旗在社区飘扬”主题活动。",
    },
)

HOW_TO_REPORT = (
    "1. 携带单位开具的《在职党员到社区报到介绍信》和本人身份证，到社区报到窗口登记；\n"
    "2. 填写《在职党员到社区报到登记表》，写明特长和可参加服务的时间；\n"
    "3. 社区工作人员为您建立在职党员服务档案，并介绍服务菜单和近期活动；\n"
    "4. 也可先在本平台登录后提交报到申请，再到窗口确认。"
)
WINDOW_HOURS = "周一至周五 9:00—12:00，14:30—17:30（节假日另行通知）"


def _community(slug: str, title: str, phone: str, **values: Any) -> dict[str, Any]:
    """A demo community: the programme's window and rules, with its own facts on top."""
    values.setdefault("party_organisation", f"中共{title}委员会")
    return {
        "slug": slug,
        "title": title,
        "contact_phone": phone,
        "window_hours": WINDOW_HOURS,
        "how_to_report": HOW_TO_REPORT,
        "duty_staff": [
            {"name": "王老师", "role": "社区专职工作人员", "duty_time": "工作日全天"},
            {
                "name": "赵书记",
                "role": "社区党组织副书记，负责接洽登记",
                "duty_time": "每周二、周四",
            },
        ],
        **values,
    }


COMMUNITIES: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "qilin",
        _community(
            "qilin-community",
            "麒麟社区",
            "0874-3120101",
            intro="以“小卡片装载大服务”为载体，组织在职党员向居民发放爱心联系卡、便民服务流程卡、"
            "用工信息卡，为居民提供小微服务。（演示数据）",
            window_place="社区党群服务中心一楼 在职党员报到窗口",
            address="曲靖市麒麟区（演示地址）",
        ),
    ),
    (
        "qilin",
        _community(
            "fangjiayuan",
            "方家园社区",
            "0874-3120202",
            intro="曲靖市司法局在职党员组成的志愿者队伍在这里为社区单位和居民无偿解答法律咨询、"
            "代写法律文书，为困难居民提供法律援助。（演示数据）",
            window_place="社区服务站二楼 接待室",
            address="曲靖市麒麟区（演示地址）",
        ),
    ),
    (
        "zhanyi",
        _community(
            "fangcheng",
            "方城社区",
            "0874-3120303",
            street_or_town="盘江镇",
            party_organisation="中共方城社区总支部委员会",
            intro="曲靖市发改委在这里召开民情恳谈会，多方筹集资金解决村容村貌整治问题。（演示数据）",
            window_place="社区办公楼一楼 便民服务窗口",
            address="曲靖市沾益县盘江镇（演示地址）",
        ),
    ),
    (
        "xuanwei",
        _community(
            "jinxi",
            "锦西社区",
            "0874-3120404",
            street_or_town="西宁街道",
            intro="统一制作《锦西社区在职党员联系手册》，发放800余册，对在职党员参加活动随记随访。"
            "（演示数据）",
            window_place="社区服务中心一楼 党员服务窗口",
            address="宣威市西宁街道（演示地址）",
        ),
    ),
    (
        "shizong",
        _community(
            "danfeng",
            "丹凤社区",
            "0874-3120505",
            street_or_town="丹凤街道",
            intro="通过个别走访、发放问卷、集中座谈等方式听取社区群众意见建议。（演示数据）",
            window_place="社区服务站一楼",
            address="师宗县丹凤街道（演示地址）",
        ),
    ),
    (
        "malong",
        _community(
            "tongquan",
            "通泉社区",
            "0874-3120606",
            street_or_town="通泉镇",
            intro="开展“党员为居民服务，党旗在社区飘扬”主题活动。（演示数据）",
            window_place="社区党员活动室",
            address="马龙县通泉镇（演示地址）",
        ),
    ),
)


def ensure_communities(home: HomePage) -> dict[str, CommunityPage]:
    """社区导航 → counties → communities; returns the communities by slug."""
    index = upsert_page(home, CommunityIndexPage, slug="communities", values=COMMUNITY_INDEX)
    counties = {
        spec["slug"]: upsert_page(index, CountyPage, slug=spec["slug"], values=_without_slug(spec))
        for spec in COUNTIES
    }
    return {
        spec["slug"]: upsert_page(
            counties[county], CommunityPage, slug=spec["slug"], values=_without_slug(spec)
        )
        for county, spec in COMMUNITIES
    }


def _without_slug(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "slug"}


# --- News ---------------------------------------------------------------------------------

NEWS_INDEX = {
    "title": "工作动态",
    "show_in_menus": True,
    "intro": "全市在职党员到社区报到为群众服务工作的新闻和通知。",
}
# A report is tagged with each of these words it uses.
TAG_WORDS = ("报到", "服务群众", "曲靖", "法律援助", "服务菜单", "品牌")


def _tags_for(text: str) -> list[str]:
    return [word for word in TAG_WORDS if word in text]


def report_values(report: Report, communities: Iterable[CommunityPage]) -> dict[str, Any]:
    text = report.title + "".join(report.paragraphs)
    return {
        "title": report.title,
        "date": report.date,
        "source": report.source,
        "responsible_editor": report.responsible_editor,
        "body": paragraphs_stream(report.paragraphs),
        "bylines": [{"name": b.name, "role": b.role} for b in report.bylines],
        "tags": _tags_for(text),
        "related_communities": [c for c in communities if c.title in text],
    }


def _demo_date(month: int, day: int) -> datetime:
    return datetime(2014, month, day, 9, 30, tzinfo=REPORT_TIMEZONE)


DEMO_NEWS: tuple[dict[str, Any], ...] = (
    {
        "slug": "demo-small-cards",
        "title": "【演示】麒麟社区把“小卡片”送到居民家门口",
        "date": _demo_date(8, 6),
        "communities": ("qilin-community",),
        "tags": ["品牌", "麒麟社区"],
        "paragraphs": (
            "（演示新闻）麒麟社区在职党员利用周末走进居民小区，发放爱心联系卡、便民服务"
            "流程卡和用工信息卡，向居民介绍社区报到窗口的开放时间和服务事项。",
            "居民有困难，可以按卡片上的电话联系社区，社区将安排在职党员跟进服务。",
        ),
    },
    {
        "slug": "demo-legal-aid",
        "title": "【演示】方家园社区开展法律咨询服务日活动",
        "date": _demo_date(9, 12),
        "communities": ("fangjiayuan",),
        "tags": ["法律援助"],
        "paragraphs": (
            "（演示新闻）在职党员志愿者在方家园社区设立咨询台，为居民解答婚姻家庭、"
            "劳动用工、邻里纠纷等法律问题，并为困难居民登记法律援助需求。",
        ),
    },
    {
        "slug": "demo-contact-handbook",
        "title": "【演示】锦西社区为在职党员发放联系手册",
        "date": _demo_date(10, 20),
        "communities": ("jinxi",),
        "tags": ["报到"],
        "paragraphs": (
            "（演示新闻）锦西社区为到社区报到的在职党员发放联系手册，手册列出社区服务"
            "菜单、活动安排和联系人，方便党员随时参与社区服务。",
        ),
    },
)


def ensure_news(
    channel: NewsIndexPage, communities: dict[str, CommunityPage], reports: Sequence[Report]
) -> list[NewsPage]:
    pages = [
        upsert_page(channel, NewsPage, slug=r.slug, values=report_values(r, communities.values()))
        for r in reports
    ]
    for spec in DEMO_NEWS:
        pages.append(
            upsert_page(
                channel, NewsPage, slug=spec["slug"], values=_demo_news_values(spec, communities)
            )
        )
    return pages


def _demo_news_values(spec: dict[str, Any], communities: dict[str, CommunityPage]) -> dict:
    return {
        "title": spec["title"],
        "date": spec["date"],
        "source": "本站",
        "responsible_editor": "平台编辑部",
        "body": paragraphs_stream(spec["paragraphs"]),
        "bylines": [],
        "tags": spec["tags"],
        "related_communities": [communities[slug] for slug in spec["communities"]],
    }


COMMUNITY_CHANNEL = {
    "title": "社区动态",
    "intro": "麒麟社区自己的工作动态，由社区工作人员编写。",
}
COMMUNITY_NEWS = {
    "title": "【演示】麒麟社区在职党员报到窗口开始接待登记",
    "date": _demo_date(7, 25),
    "source": "麒麟社区",
    "responsible_editor": "麒麟社区",
    "body": paragraphs_stream(
        (
            "（演示新闻）麒麟社区党群服务中心一楼设立在职党员报到窗口，工作日有专人接洽登记，"
            "为报到党员建立服务档案。",
        )
    ),
    "bylines": [],
    "tags": ["报到", "麒麟社区"],
}


def ensure_community_channel(community: CommunityPage) -> NewsPage:
    """A community's own channel, the branch its staff group may edit."""
    channel = upsert_page(community, NewsIndexPage, slug="news", values=COMMUNITY_CHANNEL)
    return upsert_page(
        channel,
        NewsPage,
        slug="window-open",
        values={**COMMUNITY_NEWS, "related_communities": [community]},
    )


# --- Brand project and standard pages -----------------------------------------------------

BRAND_PROJECT = {
    "title": "小卡片装载大服务",
    "featured": True,
    "summary": "麒麟社区组织在职党员向居民发放爱心联系卡、便民服务流程卡、用工信息卡，"
    "用一张张小卡片为居民提供小微服务。",
    "story": paragraphs_stream(
        (
            "把行之有效、群众欢迎的服务项目以“品牌”形式固定下来，变临时性活动为持久性工作。",
            "在职党员入户走访时把卡片交到居民手中：有困难找谁、办事走什么流程、哪里在招工，"
            "一看就明白。每张卡片上都有二维码，扫码即可回到本平台查看最新信息。",
        )
    ),
}
BRAND_CARDS = [
    {
        "kind": BrandCard.Kind.LOVE_CONTACT,
        "title": "爱心联系卡",
        "text": "家中遇到困难、需要帮忙，请联系社区在职党员服务窗口。\n"
        "我们会在一个工作日内安排在职党员电话联系或上门服务。",
        "contact": "麒麟社区服务窗口 0874-3120101",
    },
    {
        "kind": BrandCard.Kind.SERVICE_PROCESS,
        "title": "便民服务流程卡",
        "text": "1. 到社区服务窗口说明要办的事项；\n2. 工作人员一次告知所需材料；\n"
        "3. 材料齐全当场受理，不齐的可预约补交；\n4. 办结后电话告知结果。\n"
        "窗口开放：工作日 9:00—12:00，14:30—17:30。",
        "contact": "麒麟社区服务窗口 0874-3120101",
    },
    {
        "kind": BrandCard.Kind.JOB_INFORMATION,
        "title": "用工信息卡",
        "text": "社区每周更新辖区企业和商户的用工信息，在职党员帮助求职居民对接岗位、"
        "解答就业和社保政策。",
        "contact": "麒麟社区就业服务 0874-3120101",
    },
]

STANDARD_PAGES: tuple[dict[str, Any], ...] = (
    {
        "slug": "about",
        "title": "关于平台",
        "show_in_menus": True,
        "intro": "在职党员进社区服务平台服务于在职党员到社区报到为群众服务工作。",
        "body": paragraphs_stream(
            (
                "平台把机关单位、在职党员和社区党组织连在一起：单位推动党员报到，党员到社区报到服务，"
                "社区设立专门窗口接洽登记、建立服务档案。",
                "本站为演示站点，社区信息、电话和新闻（除种子报道外）均为示例数据。",
            )
        ),
    },
    {
        "slug": "help",
        "title": "帮助",
        "show_in_menus": True,
        "intro": "如何到社区报到，如何在本站查找信息。",
        "body": [
            {"type": "heading", "value": {"text": "如何报到", "level": "h2"}},
            *paragraphs_stream(
                (
                    "在“社区导航”中找到要报到的社区，查看报到窗口的位置、开放时间和报到须知；"
                    "携带单位介绍信和身份证到窗口登记即可。",
                )
            ),
            {"type": "heading", "value": {"text": "如何搜索", "level": "h2"}},
            *paragraphs_stream(
                (
                    "在页面顶部的搜索框输入关键词，例如“法律援助”“报到”“爱心联系卡”，"
                    "即可查找新闻、社区和服务品牌。",
                )
            ),
        ],
    },
)


def ensure_brand_project(community: CommunityPage) -> BrandProjectPage:
    values = {**BRAND_PROJECT, "cards": BRAND_CARDS}
    return upsert_page(community, BrandProjectPage, slug="small-cards", values=values)


def ensure_standard_pages(home: HomePage) -> list[StandardPage]:
    return [
        upsert_page(home, StandardPage, slug=spec["slug"], values=_without_slug(spec))
        for spec in STANDARD_PAGES
    ]


# --- Groups and accounts ------------------------------------------------------------------

EDITORS = "编辑"
# The final approval (发布审批) and the review of city-wide pages; nobody but superusers
# publishes directly, so no demo group holds publish_page.
REVIEWERS = CITY_REVIEWERS
LEGACY_REVIEWERS = "审核人"  # earlier demos' reviewers, who could publish the whole site
ORGANISATION_ADMINS = "单位管理员"


def community_staff_group_name(community: CommunityPage) -> str:
    return f"{community.title}工作人员"


def community_reviewer_group_name(community: CommunityPage) -> str:
    return f"{community.title}审核人"


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_group(name: str, *, pages: Iterable[tuple[Page, Sequence[str]]]) -> Group:
    """A group with admin access and the given page permissions (added, never removed)."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for page, codenames in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_permission("wagtailcore", codename)
            )
    return group


def ensure_groups(
    home: HomePage, news: NewsIndexPage, staffed: Iterable[CommunityPage]
) -> dict[str, Group]:
    groups = {
        EDITORS: ensure_group(EDITORS, pages=[(news, ("add_page", "change_page"))]),
        REVIEWERS: ensure_group(
            REVIEWERS, pages=[(home, ("add_page", "change_page", "publish_page"))]
        ),
    }
    # Organisation admins use the admin for their own organisation only (volunteering.scopes).
    groups[ORGANISATION_ADMINS] = ensure_group(ORGANISATION_ADMINS, pages=[])
    for community in staffed:
        name = community_staff_group_name(community)
        groups[name] = ensure_group(name, pages=[(community, ("add_page", "change_page"))])
        groups[community_reviewer_group_name(community)] = ensure_community_reviewers(community)
    _withdraw_publishing([*groups.values(), *Group.objects.filter(name=LEGACY_REVIEWERS)])
    return groups


def ensure_community_reviewers(community: CommunityPage) -> Group:
    """The community's reviewers: no page permission at all, only a review scope on the
    community, which lets them open, approve and reject what is submitted from it."""
    group = ensure_group(community_reviewer_group_name(community), pages=[])
    ReviewScope.objects.get_or_create(group=group, page=community)
    return group


def _withdraw_publishing(groups: Iterable[Group]) -> None:
    """Pages are published by the final approval of their workflow, never directly."""
    GroupPagePermission.objects.filter(
        group__in=list(groups), permission__codename="publish_page"
    ).delete()


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Any  # a lazily translated label
    group: str = ""
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "平台管理员", _("超级管理员"), superuser=True),
    DemoUser("editor", "刘编辑", _("编辑：在“工作动态”栏目写稿"), group=EDITORS),
    DemoUser("reviewer", "陈责编", _("城市审核人：审核全市页面，终审发布"), group=REVIEWERS),
    DemoUser("reviewer_qilin", "王审核", _("麒麟社区审核人"), group="麒麟社区审核人"),
    DemoUser("reviewer_fangcheng", "赵审核", _("方城社区审核人"), group="方城社区审核人"),
    DemoUser("staff", "张晓红", _("麒麟社区工作人员"), group="麒麟社区工作人员"),
    DemoUser("staff2", "李文华", _("方城社区工作人员"), group="方城社区工作人员"),
    DemoUser("orgadmin", "周主任", _("单位管理员：曲靖市司法局"), group=ORGANISATION_ADMINS),
    DemoUser("member", "杨建国", _("在职党员（无后台权限）")),
    *(DemoUser(*login) for login in MEMBER_LOGINS),
)


def ensure_user(spec: DemoUser, groups: dict[str, Group]):
    user, _created = get_user_model().objects.get_or_create(username=spec.username)
    user.first_name = spec.display_name
    user.email = f"{spec.username}@example.com"
    user.is_superuser = user.is_staff = spec.superuser
    user.is_active = True
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    if spec.group:
        user.groups.add(groups[spec.group])
    return user


# --- Everything ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    home: HomePage
    news: list[NewsPage]
    communities: dict[str, CommunityPage]
    brand: BrandProjectPage
    users: list


@transaction.atomic
def load_demo(*, seed_dir: Path) -> DemoSummary:
    reports = read_seed_reports(seed_dir)
    home = ensure_home()
    channel = upsert_page(home, NewsIndexPage, slug="news", values=NEWS_INDEX)
    communities = ensure_communities(home)
    news = ensure_news(channel, communities, reports)
    ensure_community_channel(communities["qilin-community"])
    brand = ensure_brand_project(communities["qilin-community"])
    ensure_standard_pages(home)
    staffed = (communities["qilin-community"], communities["fangcheng"])
    groups = ensure_groups(home, channel, staffed)
    users = [ensure_user(spec, groups) for spec in DEMO_USERS]
    load_volunteering_demo(
        home=home,
        communities=communities,
        upsert_page=upsert_page,
        paragraphs_stream=paragraphs_stream,
    )
    load_voice_demo(communities=communities)
    load_points_demo()
    load_assessment_demo(communities=communities)
    return DemoSummary(home, news, communities, brand, users)
