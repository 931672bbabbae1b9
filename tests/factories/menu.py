"""The service menu (服务菜单): needs and claims, posts and pledges, service teams."""

import datetime

import factory
from django.utils import timezone

from tests.factories.base import StatefulFactory
from tests.factories.people import MemberFactory
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.teams.models import Team, TeamMembership


class NeedFactory(StatefulFactory):
    """A need on a community's menu; pass `community=` (a CommunityPage)."""

    class Meta:
        model = Need
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"服务需求{n}")
    description = "为社区居民提供志愿服务。"
    places = 2

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class NeedClaimFactory(StatefulFactory):
    """A member's claim (认领) of a need; pass `need=`."""

    class Meta:
        model = NeedClaim

    member = factory.SubFactory(MemberFactory)
    outcome = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == NeedClaim.State.DONE), "已上门服务两次。", ""
    )


class PostFactory(factory.django.DjangoModelFactory):
    """A post (岗位) of a community; pass `community=`."""

    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"服务岗位{n}")
    description = "联系楼栋居民，收集意见建议。"


class PostPledgeFactory(StatefulFactory):
    """A member's pledge (领岗承诺) to a post, for the next 90 days; pass `post=`."""

    class Meta:
        model = PostPledge

    member = factory.SubFactory(MemberFactory)
    commitment = "每周六上午走访楼栋住户，收集意见建议。"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=90))


class TeamFactory(factory.django.DjangoModelFactory):
    """A service team (服务队); pass `community=` or `organisation=`."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"服务队{n}")
    description = "组团式服务。"


class TeamMembershipFactory(StatefulFactory):
    """A member's place in (or request to join) a team; pass `team=`."""

    class Meta:
        model = TeamMembership

    member = factory.SubFactory(MemberFactory)
