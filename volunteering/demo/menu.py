"""Demo service menu: needs and their claims, service teams and their members, posts and pledges,
each taken to its state through the services (with staff's reasons where one is needed)."""

import datetime

from django.utils import timezone

from volunteering.menu import services as menu
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.people.models import Organisation
from volunteering.teams import services as teams
from volunteering.teams.models import Team, TeamMembership

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
        membership = teams.team_join_request(team=team, member=member)
        if outcome == "approve":
            teams.team_join_approve(membership=membership, by=members[leader].user)
        elif outcome == "decline":
            teams.team_join_decline(
                membership=membership, by=staff[slug], reason=TEAM_DECLINE_REASON
            )
        elif outcome == "leave":
            teams.team_join_approve(membership=membership, by=members[leader].user)
            teams.team_leave(membership=membership, by=member.user)
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
