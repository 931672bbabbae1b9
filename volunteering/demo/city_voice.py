"""The city's residents' items (居民诉求: suggestions, requests for help, disputes) in every
state, with the points a resolved one earned its member, and good deeds (办好事实事). Valid
states only: an assigned item has its member or team, a closed one its outcome, reply and
closing time, a rejected one its reason and time."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType

from volunteering.demo.city_base import City, given_creation_times, save_seeded, save_with_history
from volunteering.points.models import PointEntry, PointRule
from volunteering.points.services import rule_in_force
from volunteering.voice.models import RECEIPT_ALPHABET, RECEIPT_LENGTH, Feedback, GoodDeed
from volunteering.voice.workflows import FEEDBACK_WORKFLOW

TEXTS = {
    Feedback.Kind.SUGGESTION: (
        "建议在{place}增设路灯，晚上出行太黑。",
        "{place}的健身器材坏了，希望尽快维修。",
        "建议社区每月组织一次法律咨询活动。",
        "希望{place}增加垃圾分类投放点。",
        "建议在{place}附近划定非机动车停放区。",
    ),
    Feedback.Kind.HELP: (
        "家中老人行动不便，需要有人帮忙代购药品。",
        "独居老人家里水管漏水，请帮忙联系维修。",
        "孩子放学后无人照看，希望社区能提供课后辅导。",
        "失业在家，想了解社区的就业信息和技能培训。",
        "想办理医保报销，不清楚需要准备哪些材料。",
    ),
    Feedback.Kind.DISPUTE: (
        "楼上住户装修噪音大，多次沟通无果，请社区协调。",
        "{place}邻居占用楼道堆放杂物，影响通行。",
        "小区停车位分配有争议，请社区出面调解。",
        "楼上漏水到我家，双方对维修费用有分歧。",
    ),
}
PLACES = ("小区东门", "三号楼前", "社区广场", "农贸市场旁", "老年活动中心", "幼儿园门口")
REPLIES = {
    "resolve": "已安排在职党员上门处理，问题已解决，感谢您的反映。",
    "answer": "已电话答复，并告知办理流程和所需材料。",
    "refer": "已转交相关职能部门办理，请留意后续通知。",
}
REJECT_REPLY = "经核实，该事项不属于社区受理范围，已告知反映人向相关部门咨询。"
# (transition, weight): every state, most items closed.
FATES = {
    "submit": 8,
    "record": 10,
    "accept": 8,
    "assign": 16,
    "resolve": 30,
    "answer": 12,
    "refer": 6,
    "reject": 10,
}
CHANNELS = {"online": 40, "visit": 25, "questionnaire": 10, "forum": 10, "phone": 12, "other": 3}
GOOD_DEEDS = (
    "为独居老人更换水龙头",
    "帮助困难家庭申请低保",
    "清理楼道小广告",
    "为小区安装爱心座椅",
    "组织义务理发",
    "帮助居民维修电动车充电设施",
)
ONE_PLACE = Decimal("0.1")


def _receipt_codes(city: City, count: int) -> list[str]:
    taken = set(Feedback.objects.values_list("code", flat=True))
    codes = []
    while len(codes) < count:
        code = "".join(city.rng.choices(RECEIPT_ALPHABET, k=RECEIPT_LENGTH))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def ensure_feedback(city: City) -> None:
    rng, fake = city.rng, city.fake
    count = city.scale.extra("feedback", existing=Feedback.objects.count(), minimum=40)
    teams_of = {}
    for team in city.teams:
        teams_of.setdefault(team.community_id, []).append(team.pk)
    communities = [c.pk for c in city.communities]
    seeded = []
    fates = list(FATES)
    for n, code in enumerate(_receipt_codes(city, count)):
        # Every transition at least once, then by weight.
        fate = fates[n] if n < len(fates) else rng.choices(fates, weights=list(FATES.values()))[0]
        community_id = rng.choice(communities)
        kind = rng.choice(Feedback.Kind.values)
        heard = city.days_ago(0, 365)
        channel = "online" if fate == "submit" else rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        values = {
            "community_id": community_id,
            "kind": kind,
            "channel": channel,
            "text": rng.choice(TEXTS[kind]).format(place=rng.choice(PLACES)),
            "name": fake.name(),
            "phone": f"1{rng.choice((38, 39, 58, 87))}{rng.randint(0, 99_999_999):08d}",
            "code": code,
            "heard_on": heard.date(),
            "created_at": heard,
            "state_changed_at": heard,
        }
        later = min(heard + datetime.timedelta(days=rng.randint(0, 20)), city.now)
        if fate in ("assign", "resolve", "answer", "refer"):
            pool = city.confirmed.get(community_id)
            teams = teams_of.get(community_id)
            if teams and (not pool or rng.random() < 0.2):
                values["assigned_team_id"] = rng.choice(teams)
            elif pool:
                values["assigned_member_id"] = rng.choice(pool)
            elif fate == "assign":
                fate = "accept"  # nobody serves there yet: accepted, waiting for someone
        if fate in ("accept", "assign"):
            values["state_changed_at"] = later
        if fate in REPLIES:
            values.update(
                outcome={"resolve": "resolved", "answer": "answered", "refer": "referred"}[fate],
                outcome_note=REPLIES[fate],
                closed_at=later,
                state_changed_at=later,
            )
        elif fate == "reject":
            values.update(outcome_note=REJECT_REPLY, closed_at=later, state_changed_at=later)
        seeded.append((fate, FEEDBACK_WORKFLOW.seeded(fate, **values)))
    with given_creation_times(Feedback):
        items = save_seeded(FEEDBACK_WORKFLOW, seeded)
    city.counts["feedback"] = len(items)
    _award_points(city, items)


def _award_points(city: City, items: list[Feedback]) -> None:
    """A resolved item earns its assigned member the rule's points (as
    `points.services.feedback_points_settle` does; a team's members are left out here)."""
    content_type = ContentType.objects.get_for_model(Feedback)
    entries = []
    for item in items:
        if item.outcome != Feedback.Outcome.RESOLVED or not item.assigned_member_id:
            continue
        rule = rule_in_force(key=PointRule.Key.FEEDBACK_RESOLVED, on=item.closed_at.date())
        if rule is None or not rule.amount:
            continue
        entries.append(
            PointEntry(
                member_id=item.assigned_member_id,
                community_id=item.community_id,
                amount=rule.amount.quantize(ONE_PLACE, ROUND_HALF_UP),
                kind=PointEntry.Kind.AWARD,
                rule=rule,
                rule_key=PointRule.Key.FEEDBACK_RESOLVED,
                source_type=content_type,
                source_id=item.pk,
                reason_code="feedback_resolved",
                reason_params={"kind": item.kind},
                earned_at=item.closed_at,
                created_at=item.closed_at,
            )
        )
    save_with_history(PointEntry, entries)
    city.counts["points"] = city.counts.get("points", 0) + len(entries)


def ensure_good_deeds(city: City) -> None:
    rng = city.rng
    count = city.scale.extra("good_deeds", existing=GoodDeed.objects.count(), minimum=10)
    busy = [c for c in city.communities if city.confirmed.get(c.pk)]
    deeds, helpers = [], []
    for _n in range(count):
        community = rng.choice(busy)
        done = city.days_ago(0, 365)
        deeds.append(
            GoodDeed(
                community_id=community.pk,
                title=rng.choice(GOOD_DEEDS),
                done_on=done.date(),
                note=f"{community.title}在职党员利用休息时间完成。",
                created_at=done,
            )
        )
        pool = city.confirmed[community.pk]
        helpers.append(rng.sample(pool, k=min(len(pool), rng.randint(1, 3))))
    with given_creation_times(GoodDeed):
        save_with_history(GoodDeed, deeds)
    through = GoodDeed.members.through
    through.objects.bulk_create(
        through(gooddeed_id=deed.pk, member_id=member_id)
        for deed, members in zip(deeds, helpers, strict=True)
        for member_id in members
    )
    city.counts["good_deeds"] = len(deeds)
