"""The volunteering part of `manage.py load_demo`: skills, organisations, members (`member`,
`member2` … `member9`), reports in every state, needs and claims, teams, posts and pledges,
themes, activities in the coming weeks and sign-ups in every state, and the privacy notice.

Everything is made through the services and workflows, so its history exists, and is found
again by name, slug or (member, object) on the next run: nothing is duplicated and nothing that
exists is touched — except an upcoming activity whose date has passed, which moves to its
planned day from today (its sign-ups stay valid for a later date)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from wagtail.models import Page

from volunteering.models import (
    ActivityPage,
    CommunityPage,
    Member,
    Need,
    NeedClaim,
    Organisation,
    Post,
    PostPledge,
    Report,
    SignUp,
    Skill,
    Team,
    TeamMembership,
    Theme,
)
from volunteering.services import menu, reports, signups

# --- The people ---------------------------------------------------------------------------

SKILLS = (
    ("法律咨询", "解答法律问题、代写法律文书、法律援助"),
    ("医疗保健", "义诊、健康咨询、陪同就医"),
    ("文明引导", "文明劝导、礼仪规范"),
    ("维持秩序", "大型活动、路口和集市的秩序维护"),
    ("心理疏导", "心理咨询、矛盾调解"),
    ("政策宣传", "讲解医保、养老、就业等政策"),
    ("家电维修", "家用电器、水电的简单维修"),
    ("文艺演出", "文艺节目、宣传演出"),
    ("教育辅导", "青少年课业辅导、家庭教育"),
    ("就业指导", "求职指导、用工信息对接"),
)

# name, kind, county slug, linked community slug, address
ORGANISATIONS = (
    ("曲靖市司法局", Organisation.Kind.AGENCY, "qilin", "fangjiayuan", "曲靖市麒麟区（演示地址）"),
    ("曲靖市发改委", Organisation.Kind.AGENCY, "qilin", "fangcheng", "曲靖市麒麟区（演示地址）"),
    (
        "麒麟区政务服务中心",
        Organisation.Kind.WINDOW,
        "qilin",
        "qilin-community",
        "曲靖市麒麟区（演示地址）",
    ),
    ("曲靖市第一人民医院", Organisation.Kind.SERVICE, "qilin", None, "曲靖市麒麟区（演示地址）"),
    ("沾益县教育局", Organisation.Kind.AGENCY, "zhanyi", None, "沾益县（演示地址）"),
)


@dataclass(frozen=True)
class DemoMember:
    username: str
    real_name: str
    organisation: str
    skills: tuple[str, ...]
    residence: str | None
    other_skills: str = ""

    @property
    def role(self):
        """A lazily translated label for `demo_logins`."""
        return lazy(_member_role, str)(self.organisation)


def _member_role(organisation: str) -> str:
    return gettext("在职党员（%(organisation)s）") % {"organisation": organisation}


# `member` exists already (portal.demo makes the account); the others' accounts are made there
# too, from MEMBER_LOGINS, so that `demo_logins` lists them.
MEMBERS = (
    DemoMember(
        "member", "杨建国", "麒麟区政务服务中心", ("政策宣传", "文明引导"), "qilin-community"
    ),
    DemoMember("member2", "李明华", "曲靖市司法局", ("法律咨询", "心理疏导"), "fangjiayuan"),
    DemoMember("member3", "王芳", "曲靖市司法局", ("法律咨询",), "qilin-community"),
    DemoMember("member4", "张伟", "曲靖市发改委", ("政策宣传", "维持秩序"), "fangcheng"),
    DemoMember("member5", "刘洋", "曲靖市第一人民医院", ("医疗保健",), "qilin-community"),
    DemoMember(
        "member6",
        "陈静",
        "麒麟区政务服务中心",
        ("文明引导", "文艺演出"),
        "qilin-community",
        "书法",
    ),
    DemoMember("member7", "欧阳晓东", "曲靖市司法局", ("法律咨询", "文明引导"), None),
    DemoMember("member8", "赵丽", "曲靖市发改委", ("维持秩序", "家电维修"), "fangcheng"),
    DemoMember(
        "member9",
        "阿依古丽·买买提",
        "曲靖市第一人民医院",
        ("医疗保健", "心理疏导"),
        "qilin-community",
        "维吾尔语翻译",
    ),
)

# (username, display name, role) for portal.demo.DEMO_USERS, beyond `member`.
MEMBER_LOGINS = tuple((m.username, m.real_name, m.role) for m in MEMBERS[1:])


# --- Reporting: (username, community slug, kind, what staff do) -------------------------------

REPORTS = (
    ("member", "qilin-community", Report.Kind.LINKED, "confirm"),
    ("member", "fangcheng", Report.Kind.VOLUNTARY, None),
    ("member2", "fangjiayuan", Report.Kind.LINKED, "confirm"),
    ("member2", "qilin-community", Report.Kind.VOLUNTARY, "confirm"),
    ("member3", "qilin-community", Report.Kind.RESIDENCE, "confirm"),
    ("member4", "fangcheng", Report.Kind.LINKED, "confirm"),
    ("member5", "qilin-community", Report.Kind.RESIDENCE, "return"),
    ("member6", "qilin-community", Report.Kind.LINKED, None),
    ("member7", "fangjiayuan", Report.Kind.LINKED, "confirm"),
    ("member7", "qilin-community", Report.Kind.VOLUNTARY, "withdraw"),
    ("member8", "fangcheng", Report.Kind.RESIDENCE, "confirm"),
    ("member9", "qilin-community", Report.Kind.RESIDENCE, "confirm"),
)
RETURN_REASON = "请携带单位开具的介绍信到社区报到窗口核对身份后，再重新提交报到。"

# --- The service menu -------------------------------------------------------------------------

# community slug, title, description, skills, places
NEEDS = (
    (
        "qilin-community",
        "为独居老人代购药品、陪同就医",
        "社区有 12 户独居老人行动不便，需要党员每周帮助代购药品，必要时陪同就医。",
        ("医疗保健",),
        2,
    ),
    (
        "qilin-community",
        "小区法律咨询服务台值守",
        "每周六上午在社区广场设立法律咨询台，解答婚姻家庭、劳动用工、邻里纠纷等问题。",
        ("法律咨询",),
        2,
    ),
    (
        "qilin-community",
        "早晚高峰路口文明劝导",
        "工作日早晚高峰在南宁北路路口劝导行人和非机动车文明出行。",
        ("文明引导", "维持秩序"),
        4,
    ),
    (
        "qilin-community",
        "医保和养老保险政策进楼栋",
        "到各楼栋讲解城乡居民医保、养老保险的缴费和报销政策。",
        ("政策宣传",),
        3,
    ),
    (
        "fangcheng",
        "村容村貌整治志愿清扫",
        "配合村容村貌整治，组织党员和居民清扫背街小巷。不限特长。",
        (),
        6,
    ),
    (
        "fangcheng",
        "家电义务维修",
        "为困难家庭和老年人义务维修家用电器。",
        ("家电维修",),
        2,
    ),
)

# username, need title, what happens: states reached through the workflow, with reasons
CLAIMS = (
    ("member5", "为独居老人代购药品、陪同就医", ("confirm", "complete")),
    ("member9", "为独居老人代购药品、陪同就医", ("confirm",)),
    ("member2", "小区法律咨询服务台值守", ()),
    ("member3", "小区法律咨询服务台值守", ("decline",)),
    ("member6", "早晚高峰路口文明劝导", ("withdraw",)),
    ("member8", "家电义务维修", ("confirm",)),
)
CLAIM_OUTCOME = "为 3 户独居老人代购药品 4 次，陪同就医 1 次，居民满意。"
CLAIM_DECLINE_REASON = "本月值守已经排满，欢迎认领下个月的值守。"

# name, expertise, community slug, organisation, leader, members: (username, outcome)
TEAMS = (
    (
        "法律援助服务队",
        "法律咨询",
        "fangjiayuan",
        "曲靖市司法局",
        "member2",
        (("member2", "approve"), ("member3", "approve"), ("member7", None)),
        "曲靖市司法局在职党员组成的志愿者队伍：无偿解答法律咨询、代写法律文书，"
        "为困难居民提供法律援助。",
    ),
    (
        "文明引导志愿服务队",
        "文明引导",
        "qilin-community",
        None,
        "member6",
        (
            ("member6", "approve"),
            ("member", "approve"),
            ("member9", "decline"),
            ("member5", "leave"),
        ),
        "按照“四城联创”要求，在社区路口、广场开展文明劝导和礼仪规范志愿服务。",
    ),
    (
        "秩序维护服务队",
        "维持秩序",
        "fangcheng",
        None,
        "member4",
        (("member4", "approve"), ("member8", "approve")),
        "社区大型活动和集市的秩序维护。",
    ),
)
TEAM_DECLINE_REASON = "本队本期人数已满，下期招募时请再申请。"

# community slug, title, description
POSTS = (
    ("qilin-community", "楼栋联络员", "联系所在楼栋居民，收集意见建议，协助社区开展入户走访。"),
    ("qilin-community", "文明引导员", "在社区主要路口、广场开展文明劝导。"),
    ("fangcheng", "民情信息员", "了解群众困难和诉求，及时向社区党组织反映。"),
)
# username, post title, commitment, days the pledge runs, what staff do
PLEDGES = (
    ("member", "楼栋联络员", "每月走访 3 号楼住户一次，收集意见建议，反映给社区。", 180, "accept"),
    ("member3", "文明引导员", "每周六上午在社区广场开展文明劝导。", 90, None),
    ("member9", "楼栋联络员", "联系 5 号楼住户，帮助少数民族居民办理社区事务。", 180, "decline"),
    ("member4", "民情信息员", "每两周收集一次村组群众的诉求，整理后报社区党组织。", 365, "accept"),
    ("member6", "文明引导员", "每月参加两次路口文明劝导。", 60, "withdraw"),
)
PLEDGE_DECLINE_REASON = "5 号楼已有联络员，建议承诺 7 号楼的联络工作。"

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

PRIVACY_PAGE = {
    "title": "隐私声明",
    "intro": "本平台如何收集、使用和保护在职党员的个人信息。",
    "paragraphs": (
        "平台只收集开展在职党员到社区报到服务所必需的信息：姓名、工作单位、居住地社区、"
        "技能特长、手机号，以及报到、认领、承诺、活动报名和签到记录。",
        "手机号仅本人、所报到社区的工作人员和本单位管理员可见，用于联系服务事宜，不对外公开。",
        "姓名只在服务队内部和社区工作人员处显示；公开页面只显示服务队的队长姓名和人数。",
        "您可以在“我的服务 → 个人信息和特长”中修改信息，或撤回对本声明的同意"
        "（撤回前请先清空手机号）。",
        "本站为演示站点，所有人员信息均为示例数据。",
    ),
}


# --- Running it -------------------------------------------------------------------------------


@dataclass
class VolunteeringDemo:
    skills: dict[str, Skill]
    organisations: dict[str, Organisation]
    members: dict[str, Member]
    activities: dict[str, ActivityPage]


def load_volunteering_demo(
    *,
    home: Page,
    communities: dict[str, CommunityPage],
    upsert_page: Callable[..., Page],
    paragraphs_stream: Callable[..., list[dict]],
) -> VolunteeringDemo:
    """Called by `portal.demo.load_demo` (inside its transaction) once the users exist."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}
    ensure_privacy_page(home, upsert_page=upsert_page, paragraphs_stream=paragraphs_stream)
    skills = ensure_skills()
    organisations = ensure_organisations(communities)
    ensure_organisation_admin(users, organisations)
    members = ensure_members(users, organisations, skills, communities)
    staff = {slug: _staff_for(slug, users) for slug in communities}
    ensure_reports(members, communities, staff)
    ensure_menu(members, communities, skills, staff)
    themes = ensure_themes()
    activities = ensure_activities(communities, members, skills, themes, staff)
    ensure_activity_index(home, upsert_page=upsert_page)
    return VolunteeringDemo(skills, organisations, members, activities)


def _usernames() -> list[str]:
    return [m.username for m in MEMBERS] + ["admin", "staff", "staff2", "orgadmin"]


def ensure_organisation_admin(users, organisations) -> None:
    """`orgadmin` manages 曲靖市司法局 (its members, their reports and results)."""
    if "orgadmin" in users:
        organisations["曲靖市司法局"].admins.add(users["orgadmin"])


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


def _staff_for(slug: str, users: dict) -> Any:
    """Who decides for a community in the demo: its staff account, else the city (admin)."""
    return {"qilin-community": users["staff"], "fangcheng": users["staff2"]}.get(
        slug, users["admin"]
    )


def ensure_privacy_page(home, *, upsert_page, paragraphs_stream) -> Page:
    standard_page = apps.get_model("portal", "StandardPage")
    values = {
        "title": PRIVACY_PAGE["title"],
        "intro": PRIVACY_PAGE["intro"],
        "body": paragraphs_stream(PRIVACY_PAGE["paragraphs"]),
    }
    return upsert_page(home, standard_page, slug="privacy", values=values)


def ensure_skills() -> dict[str, Skill]:
    skills = {}
    for name, description in SKILLS:
        skills[name], _created = Skill.objects.get_or_create(
            name=name, defaults={"description": description}
        )
    return skills


def ensure_organisations(communities: dict[str, CommunityPage]) -> dict[str, Organisation]:
    counties = {c.get_parent().slug: c.get_parent() for c in communities.values()}
    organisations = {}
    for name, kind, county, linked, address in ORGANISATIONS:
        organisations[name], _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "county_id": counties[county].pk if county in counties else None,
                "linked_community": communities.get(linked) if linked else None,
                "address": address,
            },
        )
    return organisations


def ensure_members(users, organisations, skills, communities) -> dict[str, Member]:
    members = {}
    for spec in MEMBERS:
        member = Member.objects.filter(user=users[spec.username]).first()
        if member is None:
            number = MEMBERS.index(spec) + 1
            member = Member.objects.create(
                user=users[spec.username],
                real_name=spec.real_name,
                organisation=organisations[spec.organisation],
                residence_community=communities.get(spec.residence) if spec.residence else None,
                other_skills=spec.other_skills,
                phone=f"138 0874 {number:04d}",
                privacy_consent_at=timezone.now(),
            )
            member.skills.set([skills[name] for name in spec.skills])
        members[spec.username] = member
    return members


def ensure_reports(members, communities, staff) -> None:
    for username, slug, kind, decision in REPORTS:
        member, community = members[username], communities[slug]
        if Report.objects.filter(member=member, community=community).exists():
            continue
        report = reports.report_create(member=member, community=community, kind=kind)
        if decision == "confirm":
            reports.report_confirm(report=report, by=staff[slug])
        elif decision == "return":
            reports.report_return(report=report, by=staff[slug], reason=RETURN_REASON)
        elif decision == "withdraw":
            reports.report_withdraw(report=report, by=member.user)


def ensure_menu(members, communities, skills, staff) -> None:
    needs = {}
    for slug, title, description, wanted, places in NEEDS:
        need = Need.objects.filter(community=communities[slug], title=title).first()
        if need is None:
            need = menu.need_create(
                community=communities[slug],
                title=title,
                description=description,
                skills=[skills[name] for name in wanted],
                places=places,
                by=staff[slug],
            )
        needs[title] = need
    for username, title, steps in CLAIMS:
        _ensure_claim(members[username], needs[title], steps, staff)
    for spec in TEAMS:
        _ensure_team(spec, members, communities, skills, staff)
    posts = {}
    for slug, title, description in POSTS:
        posts[title], _created = Post.objects.get_or_create(
            community=communities[slug], title=title, defaults={"description": description}
        )
    for username, title, commitment, days, decision in PLEDGES:
        _ensure_pledge(members[username], posts[title], commitment, days, decision, staff)


def _ensure_claim(member, need, steps, staff) -> None:
    if NeedClaim.objects.filter(need=need, member=member).exists():
        return
    claim = menu.claim_create(need=need, member=member)
    decider = staff[need.community.slug]
    for step in steps:
        if step == "confirm":
            menu.claim_confirm(claim=claim, by=decider)
        elif step == "complete":
            menu.claim_complete(claim=claim, by=decider, outcome=CLAIM_OUTCOME)
        elif step == "decline":
            menu.claim_decline(claim=claim, by=decider, reason=CLAIM_DECLINE_REASON)
        elif step == "withdraw":
            menu.claim_withdraw(claim=claim, by=member.user)


def _ensure_team(spec, members, communities, skills, staff) -> Team:
    name, expertise, slug, organisation, leader, joins, description = spec
    team = Team.objects.filter(name=name).first()
    if team is None:
        team = Team.objects.create(
            name=name,
            expertise=skills[expertise],
            community=communities[slug],
            organisation=Organisation.objects.filter(name=organisation).first(),
            leader=members[leader],
            description=description,
        )
    for username, outcome in joins:
        member = members[username]
        if TeamMembership.objects.filter(team=team, member=member).exists():
            continue
        membership = menu.team_join_request(team=team, member=member)
        if outcome == "approve":
            menu.team_join_approve(membership=membership, by=members[leader].user)
        elif outcome == "decline":
            menu.team_join_decline(
                membership=membership, by=staff[slug], reason=TEAM_DECLINE_REASON
            )
        elif outcome == "leave":
            menu.team_join_approve(membership=membership, by=members[leader].user)
            menu.team_leave(membership=membership, by=member.user)
    return team


def _ensure_pledge(member, post, commitment, days, decision, staff) -> None:
    if PostPledge.objects.filter(post=post, member=member).exists():
        return
    today = timezone.localdate()
    pledge = menu.pledge_create(
        post=post,
        member=member,
        commitment=commitment,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=days),
    )
    decider = staff[post.community.slug]
    if decision == "accept":
        menu.pledge_accept(pledge=pledge, by=decider)
    elif decision == "decline":
        menu.pledge_decline(pledge=pledge, by=decider, reason=PLEDGE_DECLINE_REASON)
    elif decision == "withdraw":
        menu.pledge_withdraw(pledge=pledge, by=member.user)


def ensure_themes() -> dict[str, Theme]:
    themes = {}
    for title, slogan, description in THEMES:
        themes[title], _created = Theme.objects.get_or_create(
            title=title, defaults={"slogan": slogan, "description": description}
        )
    return themes


# --- Activities and sign-ups ------------------------------------------------------------------


def activity_times(spec: DemoActivity, *, days: int | None = None) -> dict[str, datetime.datetime]:
    """Start, end and the sign-up window of `spec`, `days` (default: its own) from today."""
    day = timezone.localdate() + datetime.timedelta(days=spec.days if days is None else days)
    starts = timezone.make_aware(datetime.datetime.combine(day, spec.start))
    return {
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=spec.hours),
        "signup_opens_at": starts - datetime.timedelta(days=30),
        "signup_closes_at": starts - datetime.timedelta(hours=12),
        "cancel_deadline": starts - datetime.timedelta(days=1),
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
