"""The people and the objects of the permission matrix, built small and only as needed.

Objects are brought to the state a cell starts from through the services (the way users
create and move them), never by writing their state: a superuser makes the moves before the
cell's own one. Roles are created lazily, so a cell builds only the users it needs."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.utils import timezone

from tests import factories
from tests.workflows.matrix_table import REVIEWER_ROLES
from volunteering.assessment import services as assessment
from volunteering.menu import services as menu
from volunteering.menu.models import PostPledge
from volunteering.privacy import services as privacy
from volunteering.reporting import services as reports
from volunteering.reporting.models import Report
from volunteering.signups import services as signups
from volunteering.teams.models import Team
from volunteering.teams.services import team_join_approve, team_join_request
from volunteering.voice import services as voice
from volunteering.voice.models import Feedback

# Every activity of the matrix starts in half an hour: sign-ups are still open, cancelling is
# before the deadline, and attendance may already be recorded (from an hour before the start).
STARTS_IN = datetime.timedelta(minutes=30)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def with_admin_access(user):
    user.user_permissions.add(_permission("wagtailadmin", "access_admin"))
    return user


def reviewers_available() -> bool:
    """Page reviewers come from `factories.make_reviewer` (added with the editorial workflow)."""
    return hasattr(factories, "make_reviewer")


@dataclass
class World:
    """One community (with its other, neighbouring community) and the people around it."""

    tree: object
    owner: object = None  # the owning member
    _users: dict = field(default_factory=dict)
    _members: dict = field(default_factory=dict)

    def __post_init__(self):
        self.organisation = factories.OrganisationFactory(name="麒麟区人民法院")
        self.owner = factories.MemberFactory(
            real_name="张三", organisation=self.organisation, user__username="owner"
        )

    @property
    def community(self):
        return self.tree.community

    @property
    def other_community(self):
        return self.tree.other_community

    def member(self, role: str):
        """The member record of a member role (other_member, leader); created once."""
        if role == "owner":
            return self.owner
        if role not in self._members:
            self._members[role] = factories.MemberFactory(
                real_name={"other_member": "李四", "leader": "王队长"}[role],
                organisation=factories.OrganisationFactory(),
                user__username=role,
            )
        return self._members[role]

    def user(self, role: str):
        """The user playing `role` (None for anonymous); created once per world."""
        if role == "anonymous":
            return None
        if role in ("owner", "other_member", "leader"):
            return self.member(role).user
        if role not in self._users:
            self._users[role] = self._make_user(role)
        return self._users[role]

    def _make_user(self, role: str):
        if role == "staff":
            return with_admin_access(factories.make_staff(self.community, username=role))
        if role == "staff_other":
            return with_admin_access(factories.make_staff(self.other_community, username=role))
        if role == "orgadmin":
            user = with_admin_access(factories.UserFactory(username=role))
            self.organisation.admins.add(user)
            return user
        if role == "city_admin":
            user = with_admin_access(factories.UserFactory(username=role))
            user.user_permissions.add(_permission("volunteering", "manage_all_communities"))
            return user
        if role == "superuser":
            return factories.UserFactory(username=role, is_superuser=True, is_staff=True)
        if role in REVIEWER_ROLES:
            community = {
                "reviewer": self.community,
                "reviewer_other": self.other_community,
                "city_reviewer": None,
            }[role]
            return factories.make_reviewer(community=community)
        raise ValueError(role)

    @property
    def system(self):
        """Who makes the moves that bring an object to a cell's starting state."""
        return self.user("superuser")

    # --- Objects in a state ---------------------------------------------------------------

    def build(self, workflow: str, state: str):
        return getattr(self, f"_build_{workflow}")(state)

    def _build_report(self, state: str):
        report = reports.report_create(
            member=self.owner, community=self.community, kind=Report.Kind.VOLUNTARY
        )
        moves = {
            "pending": [],
            "confirmed": ["confirm"],
            "returned": ["return"],
            "withdrawn": ["withdraw"],
        }[state]
        for move in moves:
            if move == "confirm":
                reports.report_confirm(report=report, by=self.system)
            elif move == "return":
                reports.report_return(report=report, by=self.system, reason="材料不全")
            else:
                reports.report_withdraw(report=report, by=self.owner.user)
        report.refresh_from_db()
        return report

    def need(self):
        return menu.need_create(
            community=self.community, title="陪同就医", by=self.system, places=3
        )

    def _build_need(self, state: str):
        need = self.need()
        if state == "closed":
            menu.need_close(need=need, by=self.system)
        need.refresh_from_db()
        return need

    def _build_claim(self, state: str):
        claim = menu.claim_create(need=self.need(), member=self.owner)
        if state in ("confirmed", "done"):
            menu.claim_confirm(claim=claim, by=self.system)
        if state == "done":
            menu.claim_complete(claim=claim, by=self.system, outcome="已陪同")
        claim.refresh_from_db()
        return claim

    def team(self):
        return Team.objects.create(
            name="法律服务队", community=self.community, leader=self.member("leader")
        )

    def _build_team(self, state: str):
        membership = team_join_request(team=self.team(), member=self.owner)
        if state == "approved":
            team_join_approve(membership=membership, by=self.system)
        membership.refresh_from_db()
        return membership

    def _build_pledge(self, state: str):
        post = factories.PostFactory(community=self.community)
        today = timezone.localdate()
        pledge = menu.pledge_create(
            post=post,
            member=self.owner,
            commitment="每周联系楼栋居民",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=90),
        )
        if state in ("accepted", "fulfilled"):
            menu.pledge_accept(pledge=pledge, by=self.system)
            # Its period over (set directly: a pledge cannot be made for the past), so that
            # fulfilling it is a question of who may, not of when.
            PostPledge.objects.filter(pk=pledge.pk).update(
                starts_on=today - datetime.timedelta(days=90), ends_on=today
            )
            pledge.refresh_from_db()
        if state == "fulfilled":
            menu.pledge_fulfil(pledge=pledge, by=self.system)
        pledge.refresh_from_db()
        return pledge

    def activity(self, **fields):
        fields.setdefault("starts_at", timezone.now() + STARTS_IN)
        fields.setdefault("needs_approval", True)
        return factories.ActivityPageFactory(parent=self.community, title="义诊", **fields)

    def _build_signup(self, state: str):
        if state == "waitlisted":
            # One place, taken by another member first.
            activity = self.activity(capacity=1, needs_approval=False)
            signups.signup_create(activity=activity, member=self.member("other_member"))
        else:
            activity = self.activity()
        signup, _created = signups.signup_create(activity=activity, member=self.owner)
        if state in ("approved", "attended", "no_show"):
            signups.signup_approve(signup=signup, by=self.system)
        if state in ("attended", "no_show"):
            signups.signup_mark_attendance(
                signup=signup, by=self.system, attended=state == "attended"
            )
        if state == "cancelled":
            signups.signup_cancel(signup=signup, by=self.owner.user)
        signup.refresh_from_db()
        return signup

    def _build_feedback(self, state: str):
        """A resident's request sent through the public form (no account), taken up by the
        community's staff; the community has a team to assign it to."""
        self.team()
        feedback = voice.feedback_submit(
            community=self.community, kind=Feedback.Kind.HELP, text="楼道灯坏了，请帮忙修理"
        )
        if state in ("accepted", "assigned", "closed"):
            voice.feedback_accept(feedback=feedback, by=self.system)
        if state == "assigned":
            voice.feedback_assign(feedback=feedback, by=self.system, team=self.team_of_community())
        if state == "closed":
            voice.feedback_close(
                feedback=feedback, by=self.system, outcome=Feedback.Outcome.RESOLVED, note="已修好"
            )
        feedback.refresh_from_db()
        return feedback

    def team_of_community(self):
        return self.community.teams.first()

    def assessable(self):
        """The owner, with a confirmed report to the community this year: someone to assess."""
        report = reports.report_create(
            member=self.owner, community=self.community, kind=Report.Kind.VOLUNTARY
        )
        reports.report_confirm(report=report, by=self.system)
        return self.community

    def _build_assessment(self, state: str):
        self.assessable()
        year = timezone.localdate().year
        ask = dict(member=self.owner, community=self.community, year=year, by=self.system)
        if state == "draft":
            found = assessment.assessment_save(grade="competent", comment="", **ask)
        else:
            found = assessment.assessment_submit(grade="competent", comment="", **ask)
        if state == "reopened":
            assessment.assessment_reopen(assessment=found, by=self.system, reason="等次有误")
        found.refresh_from_db()
        return found

    def _build_closure(self, state: str):
        """The owner's request to close their account, decided by the superuser."""
        closure = privacy.closure_request(member=self.owner, by=self.owner.user)
        if state == "confirmed":
            privacy.closure_confirm(closure=closure, by=self.system)
        elif state == "rejected":
            privacy.closure_reject(closure=closure, by=self.system, reason="请先办结考核")
        elif state == "withdrawn":
            privacy.closure_withdraw(closure=closure, by=self.owner.user)
        closure.refresh_from_db()
        return closure
