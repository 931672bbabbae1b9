"""The city's members (accounts, skills), their reports (报到) in every state with the service
files confirmed reports opened, and service teams (服务队) with members in every state."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model

from volunteering.communities.models import CommunityPage
from volunteering.demo.city_base import (
    BATCH,
    USERNAME_PREFIX,
    City,
    given_creation_times,
    save_seeded,
    save_with_history,
)
from volunteering.people.models import Member, Skill
from volunteering.reporting.models import Report, ServiceFile
from volunteering.reporting.workflows import REPORT_WORKFLOW
from volunteering.teams.models import Team, TeamMembership
from volunteering.teams.workflows import TEAM_MEMBERSHIP_WORKFLOW

OTHER_SKILLS = ("书法", "摄影", "剪纸", "太极拳", "彝语翻译", "电脑维修", "驾驶", "烹饪", "")
RETURN_REASONS = ("介绍信信息不全，请补充后重新提交。", "已在其他社区报到，请核实。")
# What becomes of a member's first report: (transition, weight).
PRIMARY_FATE = {"confirm": 84, "submit": 7, "return": 4, "withdraw": 5}


def ensure_members(city: City) -> None:
    existing = Member.objects.count()
    count = city.scale.extra("members", existing=existing, minimum=50)
    rng, fake = city.rng, city.fake
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        (
            user_model(
                username=f"{USERNAME_PREFIX}{n + 1:05d}",
                first_name=fake.name(),
                email=f"{USERNAME_PREFIX}{n + 1:05d}@example.com",
                password="!",  # no password: city members never sign in (unusable, as Django marks it)
                is_active=True,
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    # Bigger agencies have more members: a skewed choice.
    weights = [rng.paretovariate(1.2) for _ in city.organisations]
    county_communities = defaultdict(list)
    for community in city.communities:
        county_communities[community.path[: -CommunityPage.steplen]].append(community)
    county_path = {c.pk: c.path for c in city.counties}
    members = []
    organisations = rng.choices(city.organisations, weights=weights, k=count)
    for n, (user, organisation) in enumerate(zip(users, organisations, strict=True)):
        nearby = county_communities.get(county_path.get(organisation.county_id)) or city.communities
        members.append(
            Member(
                user_id=user.pk,
                real_name=user.first_name,
                organisation_id=organisation.pk,
                residence_community_id=rng.choice(nearby).pk if rng.random() < 0.8 else None,
                other_skills=rng.choice(OTHER_SKILLS),
                phone=f"1{rng.choice((38, 39, 58, 87, 77))} {rng.randint(0, 9999):04d} {n % 10000:04d}",
                privacy_consent_at=city.days_ago(30, 700),
                created_at=city.days_ago(30, 730),
            )
        )
    with given_creation_times(Member):
        city.members = save_with_history(Member, members)
    skills = list(Skill.objects.all())
    through = Member.skills.through
    through.objects.bulk_create(
        (
            through(member_id=member.pk, skill_id=skill.pk)
            for member in city.members
            for skill in rng.sample(skills, k=rng.choice((0, 1, 1, 2, 2, 3)))
        ),
        batch_size=BATCH,
    )
    city.counts["members"] = len(members)


def _primary_community(city: City, member: Member, organisation, nearby) -> tuple:
    rng = city.rng
    if organisation.linked_community_id and rng.random() < 0.45:
        return organisation.linked_community_id, Report.Kind.LINKED
    if member.residence_community_id and rng.random() < 0.6:
        return member.residence_community_id, Report.Kind.RESIDENCE
    if rng.random() < 0.8:
        return rng.choice(nearby).pk, Report.Kind.NEARBY_WORKPLACE
    return rng.choice(city.communities).pk, Report.Kind.VOLUNTARY


def ensure_reports(city: City) -> None:
    """Each member's first report (mostly confirmed; some pending, returned or withdrawn), a
    second, confirmed one for some, and the service file of every confirmed report."""
    rng = city.rng
    organisations = {o.pk: o for o in city.organisations}
    county_path = {c.pk: c.path for c in city.counties}
    county_communities = defaultdict(list)
    for community in city.communities:
        county_communities[community.path[: -CommunityPage.steplen]].append(community)
    seeded, files = [], []
    for member in city.members:
        organisation = organisations[member.organisation_id]
        nearby = county_communities.get(county_path.get(organisation.county_id)) or city.communities
        community_id, kind = _primary_community(city, member, organisation, nearby)
        fate = rng.choices(list(PRIMARY_FATE), weights=list(PRIMARY_FATE.values()))[0]
        created = max(member.created_at, city.days_ago(2, 700))
        changed = min(created + datetime.timedelta(days=rng.randint(0, 6)), city.now)
        values = {
            "member_id": member.pk,
            "community_id": community_id,
            "kind": kind,
            "is_primary": True,
            "created_at": created,
            "state_changed_at": created if fate == "submit" else changed,
        }
        if fate == "return":
            values["note"] = rng.choice(RETURN_REASONS)
        seeded.append((fate, REPORT_WORKFLOW.seeded(fate, **values)))
        if fate == "confirm":
            city.confirmed[community_id].append(member.pk)
            files.append((member.pk, community_id, changed))
            if rng.random() < 0.12:  # a second community, where the member also serves
                other = rng.choice(nearby).pk
                if other != community_id:
                    second = REPORT_WORKFLOW.seeded(
                        "confirm",
                        member_id=member.pk,
                        community_id=other,
                        kind=Report.Kind.VOLUNTARY,
                        is_primary=False,
                        created_at=changed,
                        state_changed_at=changed,
                    )
                    seeded.append(("confirm", second))
                    city.confirmed[other].append(member.pk)
                    files.append((member.pk, other, changed))
    with given_creation_times(Report):
        reports = save_seeded(REPORT_WORKFLOW, seeded)
    report_of = {(r.member_id, r.community_id): r.pk for r in reports if r.state == "confirmed"}
    service_files = [
        ServiceFile(
            report_id=report_of[(member_id, community_id)],
            member_id=member_id,
            community_id=community_id,
            opened_at=opened,
        )
        for member_id, community_id, opened in files
    ]
    opened_at = ServiceFile._meta.get_field("opened_at")
    opened_at.auto_now_add = False
    try:
        save_with_history(ServiceFile, service_files)
    finally:
        opened_at.auto_now_add = True
    city.counts["reports"] = len(reports)


# What becomes of a request to join a team: (transition, weight).
MEMBERSHIP_FATE = {"approve": 75, "request": 10, "decline": 5, "leave": 10}


def ensure_teams(city: City) -> None:
    rng = city.rng
    skills = list(Skill.objects.all())
    count = city.scale.extra("teams", existing=Team.objects.count(), minimum=3)
    staffed = [c for c in city.communities if len(city.confirmed.get(c.pk, ())) >= 4]
    teams, rosters = [], []
    for n in range(count):
        community = staffed[n % len(staffed)]
        skill = skills[(n // len(staffed) + n) % len(skills)]
        pool = city.confirmed[community.pk]
        roster = rng.sample(pool, k=min(len(pool), rng.randint(4, 12)))
        teams.append(
            Team(
                name=f"{community.title}{skill.name}服务队" + (f"（{n // len(staffed) + 1}）" if n >= len(staffed) else ""),
                expertise_id=skill.pk,
                description=f"由到{community.title}报到的在职党员组成，提供{skill.description}等服务。",
                community_id=community.pk,
                leader_id=roster[0],
            )
        )
        rosters.append(roster)
    city.teams = save_with_history(Team, teams)
    seeded = []
    for team, roster in zip(city.teams, rosters, strict=True):
        for position, member_id in enumerate(roster):
            fate = "approve" if position == 0 else rng.choices(
                list(MEMBERSHIP_FATE), weights=list(MEMBERSHIP_FATE.values())
            )[0]
            joined = city.days_ago(1, 600)
            seeded.append(
                (
                    fate,
                    TEAM_MEMBERSHIP_WORKFLOW.seeded(
                        fate,
                        team_id=team.pk,
                        member_id=member_id,
                        created_at=joined,
                        state_changed_at=joined + datetime.timedelta(days=rng.randint(0, 5))
                        if fate != "request"
                        else joined,
                    ),
                )
            )
    with given_creation_times(TeamMembership):
        save_seeded(TEAM_MEMBERSHIP_WORKFLOW, seeded)
    city.counts["teams"] = len(teams)
