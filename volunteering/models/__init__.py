"""Volunteering models: the programme's pages, and the people and work attached to them."""

from volunteering.models.activities import ActivityIndexPage, ActivityPage, SignUp, Theme
from volunteering.models.assessment import Assessment, DemonstrationCommunity, ReportReminder
from volunteering.models.menu import Need, NeedClaim, Post, PostPledge, Team, TeamMembership
from volunteering.models.pages import (
    BrandCard,
    BrandProjectPage,
    CommunityDutyStaff,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)
from volunteering.models.people import Member, Organisation, Skill
from volunteering.models.points import PointEntry, PointRule, StarThresholds
from volunteering.models.reporting import Report, ServiceFile
from volunteering.models.voice import Feedback, GoodDeed

__all__ = [
    "ActivityIndexPage",
    "ActivityPage",
    "Assessment",
    "BrandCard",
    "BrandProjectPage",
    "CommunityDutyStaff",
    "CommunityIndexPage",
    "CommunityPage",
    "CountyPage",
    "DemonstrationCommunity",
    "Feedback",
    "GoodDeed",
    "Member",
    "Need",
    "NeedClaim",
    "Organisation",
    "PointEntry",
    "PointRule",
    "Post",
    "PostPledge",
    "Report",
    "ReportReminder",
    "ServiceFile",
    "SignUp",
    "Skill",
    "StarThresholds",
    "Team",
    "TeamMembership",
    "Theme",
]
