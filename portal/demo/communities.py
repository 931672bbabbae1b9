"""The demo's communities: 社区导航, five counties, six communities with their report window
and duty staff, and the brand project 小卡片装载大服务 with its three cards."""

from typing import Any

from portal.demo.pages import paragraphs_stream, upsert_page, without_slug
from portal.models import HomePage
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)

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
        spec["slug"]: upsert_page(index, CountyPage, slug=spec["slug"], values=without_slug(spec))
        for spec in COUNTIES
    }
    return {
        spec["slug"]: upsert_page(
            counties[county], CommunityPage, slug=spec["slug"], values=without_slug(spec)
        )
        for county, spec in COMMUNITIES
    }


# --- Brand project ------------------------------------------------------------------------

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


def ensure_brand_project(community: CommunityPage) -> BrandProjectPage:
    values = {**BRAND_PROJECT, "cards": BRAND_CARDS}
    return upsert_page(community, BrandProjectPage, slug="small-cards", values=values)
