"""The world of the permission sweep (tests/portal/test_permission_sweep.py): the roles of
community A (麒麟社区) and organisation A, and the objects of ANOTHER community (方城社区),
ANOTHER organisation and ANOTHER member (member B), each carrying the marker `LEAK` in a field
that only B's own people may read; plus a PEER of member A (same organisation, same community)
whose records carry `PEER`, which member A (and nobody anonymous) may not read.

Built once for the module (`sweep_url` fixtures); the ids by kind are what the sweep puts into
URLs (`Foreign.ids`)."""

import contextlib
import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
)

from portal.api_auth import api_token_issue
from tests import factories
from volunteering.letters.models import Letter
from volunteering.people.models import Member
from workflows.models import ReviewScope

LEAK = "ZZLEAK"  # in B's objects: no role of A may read it
PEER = "ZZPEER"  # in member A2's records: member A and anonymous may not read it


@dataclass
class Roles:
    """Who asks: (name, user or None), and the members' API tokens."""

    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


@dataclass
class Foreign:
    """Ids to put into URLs, by kind: `ids[kind]` lists B's objects of that kind (foreign to
    every role of A), `peer[kind]` the peer's (foreign to member A and anonymous)."""

    ids: dict = field(default_factory=dict)
    peer: dict = field(default_factory=dict)
    objects: list = field(default_factory=list)  # for the "nothing changed" check

    def add(self, kind: str, obj, *, pk=None, peer: bool = False):
        ids = self.peer if peer else self.ids
        ids.setdefault(kind, []).append(obj.pk if pk is None else pk)
        self.objects.append(obj)
        return obj


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """A module's world, built once inside a transaction rolled back at the module's end (each
    test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def build_roles(tree) -> Roles:
    community = tree.community
    organisation = factories.OrganisationFactory(name="麒麟区人民法院")
    member = factories.MemberFactory(
        real_name="杨建国", organisation=organisation, user__username="member-a"
    )
    factories.ReportFactory(member=member, community=community, state="confirmed")
    staff = factories.community_staff(community, "staff-a")
    org_admin = factories.organisation_admin(organisation, "orgadmin-a")
    roles = Roles()
    roles.users = {"anonymous": None, "staff": staff, "orgadmin": org_admin, "member": member.user}
    roles.tokens = {
        name: api_token_issue(user=user)[1] for name, user in roles.users.items() if user
    }
    return roles


def build_foreign(tree, roles: Roles) -> Foreign:
    foreign = Foreign()
    b_member = _b_people(tree, foreign)
    _b_activity(tree, foreign, b_member)
    _b_menu(tree, foreign, b_member)
    _b_voice_and_letters(tree, foreign, b_member)
    _b_accounts(foreign, b_member)
    _b_wagtail(tree, foreign)
    _shared(foreign)
    _peer(tree, foreign, roles)
    return foreign


def _b_people(tree, foreign: Foreign) -> Member:
    community = tree.other_community
    foreign.add("community", community)
    organisation = foreign.add("organisation", factories.OrganisationFactory(name="方城区税务局"))
    b = factories.MemberFactory(
        real_name=f"{LEAK}成员",
        organisation=organisation,
        user__username="zzleak-b",
        user__first_name=LEAK,
    )
    foreign.add("member", b)
    foreign.add("user", b.user)
    foreign.add(
        "report",
        factories.ReportFactory(member=b, community=community, state="pending", note=LEAK),
    )
    foreign.add(
        "accountclosure",
        factories.AccountClosureFactory(member=b, reason=f"{LEAK}注销", state="pending"),
    )
    foreign.add(
        "assessment",
        factories.AssessmentFactory(member=b, community=community, comment=f"{LEAK}评语"),
    )
    foreign.add("pointentry", factories.point_entry(b, community, 3, reason=f"{LEAK}积分"))
    return b


def _b_activity(tree, foreign: Foreign, b: Member) -> None:
    community = tree.other_community
    live = factories.ActivityPageFactory(parent=community, title="方城义诊")
    foreign.add("activity", factories.ActivityPageFactory(parent=community, title=LEAK, live=False))
    foreign.add("activity", live)
    foreign.add("signup", factories.SignUpFactory(activity=live, member=b, state="approved"))


def _b_menu(tree, foreign: Foreign, b: Member) -> None:
    community = tree.other_community
    need = foreign.add("need", factories.NeedFactory(community=community, title="方城陪同就医"))
    foreign.add("needclaim", factories.NeedClaimFactory(need=need, member=b, state="pending"))
    post = foreign.add("post", factories.PostFactory(community=community, title="方城楼栋长"))
    foreign.add(
        "postpledge",
        factories.PostPledgeFactory(post=post, member=b, state="pending", commitment=f"{LEAK}承诺"),
    )
    team = foreign.add("team", factories.TeamFactory(community=community, name="方城服务队"))
    foreign.add(
        "teammembership", factories.TeamMembershipFactory(team=team, member=b, state="pending")
    )


def _b_voice_and_letters(tree, foreign: Foreign, b: Member) -> None:
    community = tree.other_community
    foreign.add(
        "feedback",
        factories.FeedbackFactory(community=community, text=f"{LEAK}诉求", name=LEAK),
    )
    foreign.add(
        "gooddeed",
        factories.GoodDeedFactory(community=community, title="方城好事", note=f"{LEAK}说明"),
    )
    letter = factories.LetterFactory(
        title=f"{LEAK}信",
        community=community,
        audience_community=community,
        sender=Letter.Sender.COMMUNITY,
        live=False,
    )
    foreign.add("letter", letter)
    foreign.add("letterrevision", letter.save_revision())


def _b_accounts(foreign: Foreign, b: Member) -> None:
    foreign.add("passwordresetemail", factories.PasswordResetEmailFactory(user=b.user))
    foreign.add("onetimecode", factories.OneTimeCodeFactory(user=b.user))
    foreign.add("loginfailure", factories.LoginFailureFactory(username=f"{LEAK}-guess"))
    foreign.add("apitoken", api_token_issue(user=b.user)[0])


def _b_wagtail(tree, foreign: Foreign) -> None:
    """A draft page of community B with a revision, a group and a collection of B's."""
    page = factories.StandardPageFactory(parent=tree.other_community, title=LEAK, live=False)
    revision = page.save_revision()
    foreign.add("page", page)
    foreign.add("revision", revision)
    # Its address on the site, as Wagtail serves it (a draft: nobody's to read).
    foreign.ids["pagepath"] = [page.get_url_parts()[2].lstrip("/") if page.get_url_parts() else ""]
    group = foreign.add("group", Group.objects.create(name=f"{LEAK}组"))
    GroupPagePermission.objects.create(
        group=group,
        page=tree.other_community,
        permission=Permission.objects.get(codename="change_page"),
    )
    foreign.add("reviewscope", ReviewScope.objects.create(group=group, page=tree.other_community))
    foreign.add("site", Site.objects.get(is_default_site=True))
    foreign.add("tag", Tag.objects.create(name="zz-shared", slug="zz-shared"))
    foreign.add(
        "editingsession",
        EditingSession.objects.create(
            user=Member.objects.get(user__username="zzleak-b").user,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
            last_seen_at=timezone.now(),
        ),
    )
    collection = foreign.add("collection", Collection.get_first_root_node().add_child(name=LEAK))
    _b_media(foreign, collection)
    _b_workflow(foreign, page)


def _b_media(foreign: Foreign, collection) -> None:
    """A document and an image in B's collection, and a redirect, each named with LEAK."""
    foreign.add(
        "document",
        get_document_model().objects.create(
            title=LEAK, file=ContentFile(b"zz", name="zzleak.txt"), collection=collection
        ),
    )
    foreign.add(
        "image",
        get_image_model().objects.create(
            title=LEAK, file=get_test_image_file("zzleak.png"), collection=collection
        ),
    )
    foreign.add("redirect", Redirect.objects.create(old_path="/zzleak", redirect_link=LEAK))


def _b_workflow(foreign: Foreign, page) -> None:
    """B's draft in review (its workflow and task states), and a workflow and a task."""
    state = page.get_workflow().start(page, page.owner or factories.UserFactory())
    foreign.add("workflowstate", state)
    foreign.add("taskstate", state.current_task_state)
    # Workflows and tasks are the city's configuration, shared: no marker.
    foreign.add("workflow", Workflow.objects.create(name="zz共享流程"))
    foreign.add("task", GroupApprovalTask.objects.create(name="zz共享审核"))


def _shared(foreign: Foreign) -> None:
    """The city's catalogues, the same for every community (skills, themes, points rules):
    without a marker (every member reads them); the sweep checks no 5xx and no change."""
    foreign.add("skill", factories.SkillFactory(name="zz共享特长"))
    foreign.add("theme", factories.ThemeFactory(title="zz共享主题"))
    foreign.add("pointrule", factories.PointRuleFactory())


def _peer(tree, foreign: Foreign, roles: Roles) -> None:
    """Member A2: same organisation and community as member A; their own records."""
    member_a = Member.objects.get(user=roles.users["member"])
    peer = factories.MemberFactory(
        real_name=f"{PEER}同事", organisation=member_a.organisation, user__username="peer-a2"
    )
    foreign.add("member", peer, peer=True)
    foreign.add(
        "report",
        factories.ReportFactory(
            member=peer, community=tree.community, state="confirmed", note=PEER
        ),
        peer=True,
    )
    activity = factories.ActivityPageFactory(
        parent=tree.community,
        title="麒麟义诊",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    foreign.add(
        "signup",
        factories.SignUpFactory(activity=activity, member=peer, state="approved"),
        peer=True,
    )


def build_own(tree, roles: Roles) -> Foreign:
    """The objects of the roles' OWN community A and organisation A (the forms community staff
    and an organisation's admin really use), by kind like `Foreign`: a member of organisation A
    who reports to community A, their records and requests in every state a decision is still
    open, community A's menu (its team led by member A), voice and letters, and a draft page under
    community A."""
    community = tree.community
    organisation = Member.objects.get(user=roles.users["member"]).organisation
    own = Foreign()
    own.add("community", community)
    own.add("organisation", organisation)
    c = factories.MemberFactory(
        real_name="赵自己", organisation=organisation, user__username="own-c"
    )
    own.add("member", c)
    own.add("user", c.user)
    own.add("report", factories.ReportFactory(member=c, community=community, state="pending"))
    own.add("accountclosure", factories.AccountClosureFactory(member=c, state="pending"))
    own.add("assessment", factories.AssessmentFactory(member=c, community=community))
    own.add("pointentry", factories.point_entry(c, community, 2, reason="自己的积分"))
    live = factories.ActivityPageFactory(parent=community, title="麒麟普法")
    own.add(
        "activity", factories.ActivityPageFactory(parent=community, title="麒麟草稿", live=False)
    )
    own.add("activity", live)
    own.add("signup", factories.SignUpFactory(activity=live, member=c, state="pending"))
    need = own.add("need", factories.NeedFactory(community=community, title="麒麟陪同就医"))
    own.add("needclaim", factories.NeedClaimFactory(need=need, member=c, state="pending"))
    post = own.add("post", factories.PostFactory(community=community, title="麒麟楼栋长"))
    own.add("postpledge", factories.PostPledgeFactory(post=post, member=c, state="pending"))
    member_a = Member.objects.get(user=roles.users["member"])  # leads the team: decides too
    team = own.add(
        "team", factories.TeamFactory(community=community, name="麒麟服务队", leader=member_a)
    )
    own.add(
        "teammembership", factories.TeamMembershipFactory(team=team, member=c, state="requested")
    )
    second = factories.MemberFactory(organisation=organisation, user__username="own-d")
    own.add(
        "teammembership",
        factories.TeamMembershipFactory(team=team, member=second, state="requested"),
    )
    own.add("feedback", factories.FeedbackFactory(community=community, text="麒麟诉求"))
    own.add("gooddeed", factories.GoodDeedFactory(community=community, title="麒麟好事"))
    letter = factories.LetterFactory(
        title="麒麟的信",
        community=community,
        audience_community=community,
        sender=Letter.Sender.COMMUNITY,
        live=False,
    )
    own.add("letter", letter)
    own.add("letterrevision", letter.save_revision())
    page = factories.StandardPageFactory(parent=community, title="麒麟草稿页", live=False)
    own.add("page", page)
    own.add("revision", page.save_revision())
    return own


def city_admin(username: str):
    """A city admin who is not a superuser: the city permission through a group, as the demo's
    city roles hold it (admin access, and pages to add and change under the home page)."""
    group, _created = Group.objects.get_or_create(name="市级管理员（测试）")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="volunteering", codename="manage_all_communities"
        ),
    )
    home = Site.objects.get(is_default_site=True).root_page
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    user = factories.UserFactory(username=username)
    user.groups.add(group)
    return user
