"""Every model of the volunteering app, for Django's model loading: each lives in its capability
package (`volunteering/<capability>/models.py`), and code imports it from there, never from here."""

from volunteering.accounts.models import Invitation, OneTimeCode, PasswordResetEmail
from volunteering.activities.models import ActivityIndexPage, ActivityPage, Theme
from volunteering.alerts.models import StaffAlerts
from volunteering.assessment.models import Assessment, DemonstrationCommunity, ReportReminder
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityDutyStaff,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)
from volunteering.letters.models import Delivery, Letter
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.people.models import Member, Organisation, Skill
from volunteering.points.models import PointEntry, PointRule, StarThresholds
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report, ServiceFile
from volunteering.signups.models import SignUp
from volunteering.teams.models import Team, TeamMembership
from volunteering.voice.models import Feedback, GoodDeed

__all__ = [
    "AccountClosure",
    "ActivityIndexPage",
    "ActivityPage",
    "Assessment",
    "BrandCard",
    "BrandProjectPage",
    "CommunityDutyStaff",
    "CommunityIndexPage",
    "CommunityPage",
    "CountyPage",
    "Delivery",
    "DemonstrationCommunity",
    "Feedback",
    "GoodDeed",
    "Invitation",
    "Letter",
    "Member",
    "Need",
    "NeedClaim",
    "OneTimeCode",
    "PasswordResetEmail",
    "Organisation",
    "PointEntry",
    "PointRule",
    "Post",
    "PostPledge",
    "Report",
    "ReportReminder",
    "ServiceFile",
    "SignUp",
    "StaffAlerts",
    "Skill",
    "StarThresholds",
    "Team",
    "TeamMembership",
    "Theme",
]
