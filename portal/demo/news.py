"""The demo's news: the 工作动态 channel with the seed report and three demo items, and a
community's own channel (社区动态), the branch its staff may edit."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from news.models import NewsIndexPage, NewsPage
from portal.demo.pages import paragraphs_stream, upsert_page
from portal.demo.seed import REPORT_TIMEZONE, Report
from volunteering.communities.models import CommunityPage

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


# --- A community's own channel ------------------------------------------------------------

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
