"""The city's news: items in the 工作动态 channel and in the channels of some communities
(社区动态), with tags and related communities, as the demo's are."""

from taggit.models import Tag

from news.models import NewsIndexPage, NewsPage, NewsPageTag
from portal.demo.news import TAG_WORDS
from portal.demo.pages import paragraphs_stream
from volunteering.demo.city_base import City

HEADLINES = (
    ("{community}开展“党员为居民服务，党旗在社区飘扬”主题活动", "报到"),
    ("{organisation}在职党员到{community}报到服务", "报到"),
    ("{community}组织在职党员开展法律援助进社区活动", "法律援助"),
    ("{community}推出新一期服务菜单", "服务菜单"),
    ("{community}“小卡片”服务品牌深入人心", "品牌"),
    ("{organisation}与{community}召开民情恳谈会", "服务群众"),
    ("{community}在职党员为独居老人送去温暖", "服务群众"),
    ("曲靖市{organisation}领岗承诺全部兑现", "曲靖"),
)
PARAGRAPHS = (
    "{date}，{organisation}的{n}名在职党员来到{community}，参加社区组织的志愿服务活动。",
    "活动中，在职党员们分工协作，{task}，受到居民群众的欢迎。",
    "社区党组织负责人表示，将继续发挥在职党员的专业特长，"
    "把服务送到居民家门口，推动“工作在单位、活动在社区、奉献双岗位”落到实处。",
)
TASKS = (
    "有的为居民解答法律问题，有的为老人测量血压",
    "清扫背街小巷，清理卫生死角",
    "走访困难家庭，登记服务需求",
    "在路口开展文明引导，劝导行人遵守交通规则",
    "讲解医保和养老政策，现场帮助居民办理业务",
)
EDITORS = ("平台编辑部", "刘编辑", "陈责编")


def ensure_news(city: City, channel: NewsIndexPage, *, add_pages) -> None:
    rng, fake = city.rng, city.fake
    count = city.scale.extra("news", existing=NewsPage.objects.count(), minimum=20)
    communities = city.communities
    # A tenth of the news in the own channels of one community in twenty-five.
    local = communities[:: max(1, len(communities) // max(1, len(communities) // 25))][:40]
    channels = {}
    for community in local:
        made = NewsIndexPage.objects.child_of(community).filter(slug="news").first()
        if made is None:
            made = add_pages(
                community,
                [NewsIndexPage(slug="news", title="社区动态", intro=f"{community.title}的工作动态。")],
            )[0]
        channels[community.pk] = made
    pages = {channel.pk: []}
    related = []
    for n in range(count):
        community = rng.choice(communities)
        where = channel
        if rng.random() < 0.1 and community.pk in channels:
            where = channels[community.pk]
        organisation = rng.choice(city.organisations).name
        headline, tag = HEADLINES[rng.randrange(len(HEADLINES))]
        date = city.days_ago(0, 3 * 365).replace(second=0)
        words = {
            "community": community.title,
            "organisation": organisation,
            "date": f"{date.month}月{date.day}日",
            "n": rng.randint(5, 40),
            "task": rng.choice(TASKS),
        }
        page = NewsPage(
            slug=f"n{n + 1:05d}",
            title=headline.format(**words),
            date=date,
            source=rng.choice((community.title, organisation, "本站")),
            responsible_editor=rng.choice(EDITORS),
            lead=PARAGRAPHS[0].format(**words),
            body=paragraphs_stream(
                [p.format(**words) for p in PARAGRAPHS] + [fake.sentence(nb_words=12)]
            ),
            first_published_at=date,
        )
        page._city_tag = tag
        related.append((page, community.pk))
        pages.setdefault(where.pk, []).append(page)
    parents = {channel.pk: channel, **{c.pk: c for c in channels.values()}}
    made = []
    for parent_pk, children in pages.items():
        made += add_pages(parents[parent_pk], children)
    tags = {word: Tag.objects.get_or_create(name=word)[0] for word in TAG_WORDS}
    NewsPageTag.objects.bulk_create(
        NewsPageTag(content_object_id=page.pk, tag=tags[page._city_tag]) for page in made
    )
    through = NewsPage.related_communities.through
    through.objects.bulk_create(
        through(newspage_id=page.pk, communitypage_id=community_pk) for page, community_pk in related
    )
    city.counts["news"] = len(made)
    city.news = made

