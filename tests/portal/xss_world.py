"""The world of the XSS corpus (tests/portal/test_xss_corpus.py): community A's objects with
the corpus (`xss_corpus`) in every text field `xss_corpus.WRITTEN` names — through the forms
people use where the table says so (the residents' form, the member's profile, report,
pledge, closure and cancellation, the login), else through the services and factories (`fill`),
rich text through Wagtail's editor converter. `World.ids` lists the objects' ids by kind (the
permission sweep's kinds: `sweep_table` fills addresses with them)."""

import datetime
import json

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.rich_text import features as rich_text_features

from news.models import NewsByline
from portal.api_auth import api_token_issue
from tests import factories
from tests.portal import xss_corpus as corpus
from volunteering.assessment.models import DemonstrationCommunity
from volunteering.communities.models import CommunityDutyStaff
from volunteering.letters.models import Letter
from volunteering.menu.models import PostPledge
from volunteering.people.models import Member
from volunteering.privacy.models import AccountClosure
from volunteering.reporting import services as reporting
from volunteering.reporting.models import Report, ServiceFile
from volunteering.voice import services as voice
from volunteering.voice.models import Feedback


def text(model, field: str, start: int = 0) -> str:
    return corpus.text_for(model._meta.get_field(field).max_length, start=start)


def fill(obj, start: int = 0) -> None:
    """Every field of `obj` in `corpus.WRITTEN` (except the forms' and rich text) := corpus."""
    model = type(obj)
    values = {}
    for index, field in enumerate(model._meta.concrete_fields):
        key = f"{model._meta.label}.{field.name}"
        if corpus.WRITTEN.get(key) == corpus.WORLD:
            values[field.name] = text(model, field.name, start + index)
    model._base_manager.filter(pk=obj.pk).update(**values)
    obj.refresh_from_db()


def editor_rich_text(start: int = 0) -> str:
    """What Wagtail's rich text editor stores for a paragraph of the corpus with a link to
    `javascript:`: the editor's own converter, as a staff member's edit goes."""
    body = corpus.text_for(None, start=start)
    contentstate = {
        "blocks": [
            {
                "key": "a",
                "type": "unstyled",
                "text": body,
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 5, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:xss(4)"}}
        },
    }
    converter = ContentstateConverter(rich_text_features.get_default_features())
    return converter.to_database_format(json.dumps(contentstate))


class World:
    def __init__(self):
        self.ids: dict[str, list] = {}
        self.objects: dict[str, object] = {}

    def add(self, kind: str, obj, *, start: int = 0, fill_it: bool = True):
        if fill_it:
            fill(obj, start)
        self.ids.setdefault(kind, []).append(obj.pk)
        self.objects.setdefault(kind, obj)
        return obj


def build_world() -> World:
    world = World()
    tree = factories.build_site_tree()
    world.tree = tree
    community = world.add("community", tree.community, start=5)
    world.ids["pagepath"] = [""]
    world.superuser = factories.UserFactory(username="xss-admin", is_superuser=True)
    organisation = world.add("organisation", factories.OrganisationFactory())
    member = factories.MemberFactory(
        organisation=organisation, user__username="xss-member", user__email="m@example.com"
    )
    world.add("member", member, start=1)
    world.add("user", member.user, fill_it=False)
    world.member = member
    world.token = api_token_issue(user=member.user)[1]
    _through_the_forms(world, community, member)
    _activities(world, community, member)
    _menu_and_voice(world, community, member)
    _pages_and_letters(world, tree, community)
    _closure(world, member)  # last: a member asking to leave may not pledge or sign up
    return world


def _closure(world: World, member) -> None:
    as_member = client_for(member.user)
    response = as_member.post(
        reverse("service:closure_request"),
        {"reason": text(AccountClosure, "reason", 7), "understood": "on"},
    )
    assert response.status_code == 302, errors_of(response)
    closure = AccountClosure.objects.get(member=member)
    world.add("accountclosure", closure, fill_it=False)


def errors_of(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select(".error, .errorlist, .messages, [role=alert], .help-block--error")
    return (
        " | ".join(e.get_text(" ", strip=True) for e in found) or response.content.decode()[:1500]
    )


def client_for(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _through_the_forms(world: World, community, member) -> None:
    """The residents' form, the member's forms and the login, as people use them."""
    anonymous, as_member = client_for(), client_for(member.user)
    url = reverse("service:feedback_create", args=[community.pk])
    response = anonymous.post(
        url,
        {
            "kind": Feedback.Kind.values[0],
            "text": corpus.text_for(2000),
            "name": text(Feedback, "name", 2),
        },
    )
    assert response.status_code == 302, errors_of(response)
    feedback = Feedback.objects.latest("pk")
    world.add("feedback", feedback, fill_it=False)
    voice.feedback_accept(feedback=feedback, by=world.superuser, note=corpus.text_for(200, start=3))
    response = as_member.post(
        reverse("service:member_profile"), {"other_skills": text(Member, "other_skills", 4)}
    )
    assert response.status_code == 302, errors_of(response)
    response = as_member.post(
        reverse("service:report_create", args=[community.pk]),
        {"kind": Report.Kind.VOLUNTARY, "note": text(Report, "note", 5)},
    )
    assert response.status_code == 302, errors_of(response)
    report = Report.objects.get(member=member)
    world.add("report", report, fill_it=False)
    reporting.report_return(report=report, by=world.superuser, reason=corpus.text_for(200, start=6))
    client_for().post(
        reverse("login"), {"username": corpus.text_for(150, start=8), "password": "x"}
    )


def _activities(world: World, community, member) -> None:
    activity = factories.ActivityPageFactory(
        parent=community,
        body=[("paragraph", editor_rich_text(9))],
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    world.add("activity", activity, start=10)
    world.ids["pagepath"].append(activity.get_url_parts()[2].lstrip("/"))
    signup = factories.SignUpFactory(activity=activity, member=member, state="approved")
    world.add("signup", signup, fill_it=False)
    client = client_for(member.user)
    url = activity.url + "cancel/"
    client.post(url, {"confirm": "1", "reason": corpus.text_for(100, start=11)})
    world.add("theme", factories.ThemeFactory(), start=12)
    world.add("skill", factories.SkillFactory(), start=13)
    world.add("pointrule", factories.PointRuleFactory(), start=14)
    world.add("pointentry", factories.point_entry(member, community, 3), start=15)
    world.add(
        "assessment",
        factories.AssessmentFactory(member=member, community=community, state="submitted"),
    )

    world.add(
        "demonstrationcommunity",
        DemonstrationCommunity.objects.create(
            community=community, county=world.tree.county, year=timezone.localdate().year
        ),
    )
    world.add("servicefile", ServiceFile.objects.create(member=member, community=community))


def _menu_and_voice(world: World, community, member) -> None:
    need = world.add("need", factories.NeedFactory(community=community), start=1)
    world.add(
        "needclaim", factories.NeedClaimFactory(need=need, member=member, state="done"), start=2
    )
    post = world.add("post", factories.PostFactory(community=community), start=3)
    today = timezone.localdate()
    response = client_for(member.user).post(
        reverse("service:post_detail", args=[post.pk]),
        {
            "commitment": text(PostPledge, "commitment", 4),
            "starts_on": today.isoformat(),
            "ends_on": today.replace(month=12, day=31).isoformat(),
        },
    )
    assert response.status_code == 302, errors_of(response)
    world.add("postpledge", PostPledge.objects.get(member=member), fill_it=False)
    team = world.add("team", factories.TeamFactory(community=community), start=5)
    world.add(
        "teammembership",
        factories.TeamMembershipFactory(team=team, member=member, state="approved"),
    )
    world.add("gooddeed", factories.GoodDeedFactory(community=community), start=6)
    closed = factories.FeedbackFactory(community=community)
    world.add("feedback", closed, start=7)


def _pages_and_letters(world: World, tree, community) -> None:
    news = factories.NewsPageFactory(
        parent=tree.news, body=[("paragraph", editor_rich_text(8))], date=timezone.now()
    )
    world.add("page", news, start=9)
    world.ids["pagepath"].append(news.get_url_parts()[2].lstrip("/"))
    world.add("revision", news.save_revision(), fill_it=False)
    world.add("newsbyline", NewsByline.objects.create(page=news, name="x"), start=10)
    world.add("dutystaff", CommunityDutyStaff.objects.create(page=community, name="x"), start=11)
    world.ids["pagepath"].append(community.get_url_parts()[2].lstrip("/"))
    letter = factories.LetterFactory(
        community=community,
        audience=Letter.Audience.TEAM,
        audience_team=world.objects["team"],
        body=editor_rich_text(12),
    )
    world.add("letter", letter, start=13)
    world.add("letterrevision", letter.save_revision(), fill_it=False)
    factories.send_letter(letter=letter, by=world.superuser)
