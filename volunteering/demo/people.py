"""Demo people: skills, organisations and their admin, members (`member` … `member9`, whose
accounts `portal.demo` makes from `MEMBER_LOGINS`) and the privacy notice page."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from wagtail.models import Page

from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member, Organisation, Skill

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


def _usernames() -> list[str]:
    return [m.username for m in MEMBERS] + ["admin", "staff", "staff2", "orgadmin"]


def ensure_organisation_admin(users, organisations) -> None:
    """`orgadmin` manages 曲靖市司法局 (its members, their reports and results)."""
    if "orgadmin" in users:
        organisations["曲靖市司法局"].admins.add(users["orgadmin"])


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
