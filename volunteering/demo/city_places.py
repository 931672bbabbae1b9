"""The city's counties and communities (pages, under 社区导航 as the demo's are) and its
organisations (机关单位, 窗口单位, 服务行业单位)."""

from volunteering.communities.models import CommunityDutyStaff, CommunityPage, CountyPage
from volunteering.demo.city_base import City, save_with_history
from volunteering.people.models import Organisation

# Qujing's other county-level divisions, beside the demo's five.
MORE_COUNTIES = (
    ("fuyuan", "富源县", CountyPage.Kind.COUNTY),
    ("luoping", "罗平县", CountyPage.Kind.COUNTY),
    ("luliang", "陆良县", CountyPage.Kind.COUNTY),
    ("huize", "会泽县", CountyPage.Kind.COUNTY),
)
COUNTY_INTRO = "{title}各社区设立在职党员报到窗口，推行服务菜单、领岗承诺和活动记实。"
NAME_ROOTS = (
    "建设 和平 文化 东风 南苑 北关 西城 翠峰 花园 锦绣 阳光 幸福 和谐 富民 兴隆 新华 "
    "人民 胜利 友谊 红旗 光明 向阳 青年 民族 园丁 杏林 石林 珠江 南盘 潇湘 寥廓 三宝 "
    "越州 茨营 白石江 龙潭 金麟 银杏 学府 康乐 瑞和 丰乐 永安 长安 春城 泰和 双龙 "
    "玉林 紫云 凤凰 彩云 沿江 滨河 桂花 梨园 竹园 松林 荷花 梅园 九龙 麒麟湖 西河"
).split()
TOWN_SUFFIXES = ("街道", "镇")
HOW_TO_REPORT = (
    "1. 携带单位开具的《在职党员到社区报到介绍信》和本人身份证，到社区报到窗口登记；\n"
    "2. 填写《在职党员到社区报到登记表》，写明特长和可参加服务的时间；\n"
    "3. 也可先在本平台登录后提交报到申请，再到窗口确认。"
)
WINDOW_HOURS = "周一至周五 9:00—12:00，14:30—17:30"
WINDOW_PLACES = ("社区党群服务中心一楼", "社区服务站二楼接待室", "社区办公楼一楼便民服务窗口")
AGENCY_DEPARTMENTS = (
    "司法局 发展和改革局 教育局 卫生健康局 民政局 人力资源和社会保障局 自然资源局 "
    "住房和城乡建设局 交通运输局 农业农村局 水务局 商务局 文化和旅游局 审计局 统计局 "
    "市场监督管理局 生态环境局 财政局 应急管理局 林业和草原局 医疗保障局 退役军人事务局 "
    "信访局 科学技术局 工业和信息化局 档案馆 党校 总工会 团委 妇联 科协 残联 法院 检察院"
).split()
WINDOW_KINDS = (
    "政务服务中心 供电局营业厅 自来水公司营业厅 燃气公司服务网点 不动产登记中心 "
    "社保服务大厅 医保服务大厅 公积金管理中心 车管所 出入境服务窗口 邮政营业所 税务服务厅"
).split()
SERVICE_SUFFIXES = ("医院", "学校", "银行支行", "客运站", "中学", "幼儿园", "保险公司", "书店")


def ensure_counties(city: City, index, *, add_pages) -> None:
    """The counties: the demo's, and as many of Qujing's other four as the scale asks for."""
    existing = list(CountyPage.objects.child_of(index).order_by("path"))
    extra = min(len(MORE_COUNTIES), city.scale.extra("counties", existing=len(existing), minimum=1))
    pages = [
        CountyPage(slug=slug, title=title, kind=kind, intro=COUNTY_INTRO.format(title=title))
        for slug, title, kind in MORE_COUNTIES[:extra]
    ]
    city.counties = existing + add_pages(index, pages)


def _community_names(city: City, count: int, taken: set[str]) -> list[str]:
    names, roots, n = [], list(NAME_ROOTS), 0
    while len(names) < count:
        root = roots[n % len(roots)]
        name = f"{root}社区" if n < len(roots) else f"{root}{'一二三四五六七八九'[n // len(roots) % 9]}社区"
        if n >= 9 * len(roots):
            name = f"{root}{n}社区"
        n += 1
        if name not in taken:
            taken.add(name)
            names.append(name)
    city.rng.shuffle(names)
    return names


def ensure_communities(city: City, *, add_pages) -> None:
    existing = list(CommunityPage.objects.order_by("path"))
    extra = city.scale.extra("communities", existing=len(existing), minimum=3)
    names = _community_names(city, extra, {c.title for c in existing})
    fake, rng = city.fake, city.rng
    by_county = {county.pk: [] for county in city.counties}
    for number, name in enumerate(names):
        county = city.counties[number % len(city.counties)]
        town = f"{fake.street_name()[:-1]}{rng.choice(TOWN_SUFFIXES)}"
        by_county[county.pk].append(
            CommunityPage(
                slug=f"c{number + 1:04d}",
                title=name,
                street_or_town=town,
                party_organisation=f"中共{name}委员会",
                intro=f"{name}位于{county.title}{town}，"
                f"辖区居民{rng.randint(12, 90) * 100}余户，"
                f"{rng.randint(3, 12)}家挂钩单位的在职党员在这里报到服务。",
                address=f"曲靖市{county.title}{town}{fake.street_name()}{rng.randint(1, 300)}号",
                contact_phone=f"0874-{rng.randint(3_100_000, 8_999_999)}",
                window_place=rng.choice(WINDOW_PLACES),
                window_hours=WINDOW_HOURS,
                how_to_report=HOW_TO_REPORT,
            )
        )
    made = []
    for county in city.counties:
        made += add_pages(county, by_county[county.pk])
    CommunityDutyStaff.objects.bulk_create(
        CommunityDutyStaff(
            page_id=page.pk,
            sort_order=order,
            name=fake.name(),
            role=role,
            duty_time=duty,
        )
        for page in made
        for order, (role, duty) in enumerate(
            (("社区专职工作人员", "工作日全天"), ("社区党组织副书记", "每周二、周四"))
        )
    )
    city.communities = existing + made
    city.counts["communities"] = len(made)


def ensure_organisations(city: City) -> None:
    existing = Organisation.objects.count()
    extra = city.scale.extra("organisations", existing=existing, minimum=6)
    taken = set(Organisation.objects.values_list("name", flat=True))
    communities_of = {}
    for community in city.communities:
        communities_of.setdefault(community.path[: -CommunityPage.steplen], []).append(community)
    rng, fake = city.rng, city.fake
    organisations = []
    for number in range(extra):
        county = city.counties[number % len(city.counties)]
        kind = Organisation.Kind.values[number % 3] if number < 6 else rng.choices(
            Organisation.Kind.values, weights=(45, 20, 35)
        )[0]
        name = _organisation_name(kind, county.title, rng, fake)
        while name in taken:
            name = f"{name[:100]}（{rng.randint(2, 999)}）"
        taken.add(name)
        nearby = communities_of.get(county.path) or city.communities
        linked = rng.choice(nearby) if kind == Organisation.Kind.AGENCY or rng.random() < 0.3 else None
        organisations.append(
            Organisation(
                name=name,
                kind=kind,
                county_id=county.pk,
                linked_community_id=linked.pk if linked else None,
                address=f"曲靖市{county.title}{fake.street_name()}{rng.randint(1, 500)}号",
            )
        )
    city.organisations = save_with_history(Organisation, organisations)
    city.counts["organisations"] = len(organisations)


def _organisation_name(kind: str, county: str, rng, fake) -> str:
    if kind == Organisation.Kind.AGENCY:
        return f"{county}{rng.choice(AGENCY_DEPARTMENTS)}"
    if kind == Organisation.Kind.WINDOW:
        return f"{county}{rng.choice(WINDOW_KINDS)}（{fake.street_name()}）"
    if rng.random() < 0.5:
        return f"{county}{fake.street_name()[:-1]}{rng.choice(SERVICE_SUFFIXES)}"
    return f"曲靖{fake.company()}"

