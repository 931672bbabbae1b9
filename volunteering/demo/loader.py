"""The volunteering part of `manage.py load_demo`: skills, organisations, members (`member`,
`member2` … `member9`), reports in every state, needs and claims, teams, posts and pledges,
themes, activities in the coming weeks and sign-ups in every state, the privacy notice, and
the city's letter to all members (《告全体在职党员信》).

Everything is made through the services and workflows, so its history exists, and is found
again by name, slug or (member, object) on the next run: nothing is duplicated and nothing that
exists is touched — except an upcoming activity whose date has passed, which moves to its
planned day from today (its sign-ups stay valid for a later date)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from wagtail.models import Page

from volunteering.activities.models import ActivityPage
from volunteering.communities.models import CommunityPage
from volunteering.demo.activities import ensure_activities, ensure_activity_index, ensure_themes
from volunteering.demo.letters import ensure_city_letter
from volunteering.demo.menu import ensure_menu
from volunteering.demo.people import (
    _staff_for,
    _usernames,
    ensure_members,
    ensure_organisation_admin,
    ensure_organisations,
    ensure_privacy_page,
    ensure_skills,
)
from volunteering.demo.reporting import ensure_reports
from volunteering.people.models import Member, Organisation, Skill


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
    ensure_city_letter(users.get("admin"))
    return VolunteeringDemo(skills, organisations, members, activities)
