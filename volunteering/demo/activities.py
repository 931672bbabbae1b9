"""Demo activities: the activity listing, themes, activities in the coming weeks (and some already
held, with attendance) and sign-ups in every state, made through the sign-up services."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from wagtail.models import Page

from volunteering.activities.models import ActivityPage, Theme
from volunteering.signups import services as signups
from volunteering.signups.models import SignUp

THEMES = (
    (
        "党员为居民服务，党旗在社区飘扬",
        "工作在单位、活动在社区、奉献双岗位",
        "在职党员到社区报到为群众服务主题活动。",
    ),
    ("四城联创志愿服务", "文明城市共建共享", "维持秩序、咨询联络、文明引导、礼仪规范志愿服务。"),
)


@dataclass(frozen=True)
class DemoActivity:
    slug: str
    community: str
    title: str
    summary: str
    place: str
    days: int  # from today; negative: already held
    start: datetime.time
    hours: float
    capacity: int
    theme: str | None = None
    skills: tuple[str, ...] = ()
    needs_approval: bool = False
    # username → what happens to their sign-up, in order
    signups: tuple[tuple[str, str], ...] = ()


MAIN_THEME = THEMES[0][0]
ACTIVITIES = (
    DemoActivity(
        "legal-aid-day",
        "qilin-community",
        "法律咨询服务日",
        "司法局在职党员在社区广场设咨询台，解答居民的法律问题，登记法律援助需求。",
        "社区广场",
        5,
        datetime.time(9, 0),
        2.5,
        10,
        MAIN_THEME,
        ("法律咨询",),
        signups=(("member2", "approved"), ("member3", "approved"), ("member", "approved")),
    ),
    DemoActivity(
        "civility-guidance",
        "qilin-community",
        "早高峰路口文明引导",
        "在南宁北路路口劝导行人和非机动车文明出行。",
        "南宁北路与麒麟路交叉口",
        8,
        datetime.time(7, 30),
        1.5,
        2,
        "四城联创志愿服务",
        ("文明引导", "维持秩序"),
        signups=(
            ("member6", "approved"),
            ("member", "approved"),
            ("member9", "waitlisted"),
            ("member5", "cancelled"),
        ),
    ),
    DemoActivity(
        "health-check",
        "qilin-community",
        "义诊进社区",
        "医院在职党员为居民免费测量血压血糖、提供健康咨询。报名需社区审核。",
        "社区党群服务中心一楼",
        12,
        datetime.time(14, 30),
        3,
        8,
        MAIN_THEME,
        ("医疗保健",),
        needs_approval=True,
        signups=(("member5", "pending"), ("member9", "approved"), ("member7", "rejected")),
    ),
    DemoActivity(
        "elder-visit",
        "qilin-community",
        "走访慰问独居老人",
        "分组走访社区独居老人，了解生活困难，登记服务需求。",
        "社区党群服务中心集合",
        -7,
        datetime.time(9, 0),
        2.5,
        6,
        MAIN_THEME,
        signups=(
            ("member", "attended"),
            ("member3", "attended"),
            ("member9", "attended"),
            ("member6", "no_show"),
        ),
    ),
    DemoActivity(
        "village-cleanup",
        "fangcheng",
        "村容村貌整治志愿清扫",
        "清扫背街小巷，清理卫生死角。请穿方便劳动的衣服。",
        "方城社区办公楼前集合",
        6,
        datetime.time(8, 30),
        3,
        20,
        MAIN_THEME,
        signups=(("member4", "approved"), ("member8", "approved")),
    ),
    DemoActivity(
        "fangcheng-forum",
        "fangcheng",
        "民情恳谈会",
        "市直单位在职党员和居民代表座谈，听取意见建议。",
        "社区办公楼二楼会议室",
        15,
        datetime.time(15, 0),
        2,
        30,
        signups=(("member", "approved"),),
    ),
    DemoActivity(
        "policy-talk",
        "fangcheng",
        "医保政策宣传进村组",
        "讲解城乡居民医保缴费和报销政策，现场解答问题。",
        "方城社区各村民小组",
        -14,
        datetime.time(14, 0),
        3,
        10,
        MAIN_THEME,
        ("政策宣传",),
        signups=(("member4", "attended"), ("member8", "attended")),
    ),
)
REJECT_REASON = "本次义诊需要医疗专业背景，欢迎报名社区的其他活动。"
ATTENDED_HOURS = {"member3": Decimal("3.0")}


def ensure_activity_index(home, *, upsert_page) -> Page:
    """The city-wide activity listing and calendar (志愿服务活动), in the main menu."""
    index_page = apps.get_model("volunteering", "ActivityIndexPage")
    values = {
        "title": "志愿活动",
        "intro": "全市各社区近期的在职党员志愿服务活动，可按县（市、区）、社区、日期和特长筛选。",
        "show_in_menus": True,
    }
    listing = upsert_page(home, index_page, slug="activities", values=values)
    news = Page.objects.child_of(home).filter(slug="news").first()
    if news is not None and listing.get_prev_sibling() != news:
        listing.move(news, pos="right")  # the menu reads 工作动态, 志愿活动, 社区导航, …
        listing.refresh_from_db()
    return listing


def ensure_themes() -> dict[str, Theme]:
    themes = {}
    for title, slogan, description in THEMES:
        themes[title], _created = Theme.objects.get_or_create(
            title=title, defaults={"slogan": slogan, "description": description}
        )
    return themes


def activity_times(spec: DemoActivity, *, days: int | None = None) -> dict[str, datetime.datetime]:
    """Start, end and the sign-up window of `spec`, `days` (default: its own) from today."""
    day = timezone.localdate() + datetime.timedelta(days=spec.days if days is None else days)
    starts = timezone.make_aware(datetime.datetime.combine(day, spec.start))
    return {
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=spec.hours),
        "signup_opens_at": starts - datetime.timedelta(days=30),
        "signup_closes_at": starts - datetime.timedelta(hours=12),
        "cancel_deadline": starts - datetime.timedelta(hours=12),
    }


def ensure_activities(communities, members, skills, themes, staff) -> dict[str, ActivityPage]:
    activities = {}
    for spec in ACTIVITIES:
        community = communities[spec.community]
        activity = ActivityPage.objects.child_of(community).filter(slug=spec.slug).first()
        if activity is None:
            activity = _create_activity(spec, community, members, skills, themes, staff)
        elif spec.days > 0 and activity.starts_at <= timezone.now():
            _redate(activity, activity_times(spec))
        activities[spec.slug] = activity
    return activities


def _create_activity(spec, community, members, skills, themes, staff) -> ActivityPage:
    """Publish the activity, then sign members up through the services. An activity already
    held is first published ahead (sign-ups are only taken before the start), then moved to
    its real date by a second revision, and attendance is marked."""
    held = spec.days < 0
    values = {
        "title": spec.title,
        "summary": spec.summary,
        "place": spec.place,
        "capacity": spec.capacity,
        "needs_approval": spec.needs_approval,
        "theme": themes.get(spec.theme) if spec.theme else None,
        **activity_times(spec, days=2 if held else None),
    }
    activity = ActivityPage(slug=spec.slug, **values)
    community.add_child(instance=activity)
    activity.skills.set([skills[name] for name in spec.skills])
    activity.save_revision().publish()
    decider = staff[spec.community]
    for username, target in spec.signups:
        if target not in ("attended", "no_show"):
            _signup_to(target, activity, members[username], decider)
        else:
            signups.signup_create(activity=activity, member=members[username])
    if held:
        activity = _redate(activity, activity_times(spec))
        for username, target in spec.signups:
            signup = SignUp.objects.get(activity=activity, member=members[username])
            signups.signup_mark_attendance(
                signup=signup,
                by=decider,
                attended=target == "attended",
                hours=ATTENDED_HOURS.get(username),
            )
    return activity


def _signup_to(target: str, activity, member, decider) -> SignUp:
    """Sign `member` up and take the sign-up to `target` through the services."""
    signup, _created = signups.signup_create(activity=activity, member=member)
    if target == "approved" and signup.state == SignUp.State.PENDING:
        signups.signup_approve(signup=signup, by=decider)
    elif target == "rejected":
        signups.signup_reject(signup=signup, by=decider, reason=REJECT_REASON)
    elif target == "cancelled":
        signups.signup_cancel(signup=signup, by=member.user, reason="临时有工作安排")
    return signup


def _redate(activity: ActivityPage, times: dict) -> ActivityPage:
    activity = ActivityPage.objects.get(pk=activity.pk)
    for name, value in times.items():
        setattr(activity, name, value)
    activity.save_revision().publish()
    return ActivityPage.objects.get(pk=activity.pk)
