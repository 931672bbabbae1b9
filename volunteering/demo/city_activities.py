"""The city's activities (pages under their communities), sign-ups in every state and the
points they earned: held activities with attendance, coming ones with places taken, pending
approvals and waitlists. Only valid states: no activity holds more sign-ups than places, a
waitlist exists only behind a full activity and queues after those holding places, a pending
sign-up only where the activity needs approval, attended ones have a check-in time and hours."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType

from volunteering.activities.models import ActivityPage, Theme
from volunteering.demo.city_base import City, given_creation_times, save_seeded, save_with_history
from volunteering.people.models import Skill
from volunteering.points.models import PointEntry, PointRule
from volunteering.points.services import rule_in_force
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import activity_hours
from volunteering.signups.workflows import SIGNUP_WORKFLOW

KINDS = (
    ("法律咨询服务日", "在社区广场设咨询台，解答居民的婚姻家庭、劳动用工、邻里纠纷等法律问题。", "法律咨询"),
    ("义诊进社区", "为居民免费测量血压血糖，提供健康咨询。", "医疗保健"),
    ("路口文明引导", "早高峰在路口劝导行人和非机动车文明出行。", "文明引导"),
    ("集市秩序维护", "在农贸集市维护秩序，引导车辆停放。", "维持秩序"),
    ("走访慰问独居老人", "分组走访独居老人，了解生活困难，登记服务需求。", None),
    ("医保政策宣传", "讲解城乡居民医保缴费和报销政策，现场解答问题。", "政策宣传"),
    ("家电义务维修", "为居民免费检修小家电，排查用电隐患。", "家电维修"),
    ("青少年课业辅导", "为双职工家庭的孩子辅导作业，开展安全教育。", "教育辅导"),
    ("就业信息对接会", "发布辖区用工信息，帮助求职居民对接岗位。", "就业指导"),
    ("环境卫生大扫除", "清扫背街小巷，清理卫生死角。", None),
    ("民情恳谈会", "在职党员和居民代表座谈，听取意见建议。", None),
    ("心理健康讲座", "讲解情绪调节方法，为有需要的居民提供心理疏导。", "心理疏导"),
    ("文艺演出进社区", "排练节目，为居民送上文艺演出。", "文艺演出"),
    ("防诈骗宣传", "讲解常见电信诈骗手法，帮助老人安装防诈软件。", "政策宣传"),
)
PLACES = ("社区广场", "社区党群服务中心一楼", "社区活动室", "小区中心花园", "社区办公楼前")
CAPACITIES = (5, 8, 10, 12, 15, 20, 20, 25, 30, 40)
REJECT_REASON = "本次活动需要相关专业背景，欢迎报名社区的其他活动。"
ONE_PLACE = Decimal("0.1")


def ensure_activities(city: City, *, add_pages, body) -> None:
    rng = city.rng
    count = city.scale.extra("activities", existing=ActivityPage.objects.count(), minimum=20)
    themes = [None, *Theme.objects.all()]
    skills = {s.name: s for s in Skill.objects.all()}
    active = [c for c in city.communities if city.confirmed.get(c.pk)]
    by_community = {c.pk: [] for c in active}
    for n in range(count):
        community = active[n % len(active)] if n < len(active) else rng.choice(active)
        title, summary, skill = KINDS[rng.randrange(len(KINDS))]
        held = rng.random() < 0.65
        starts = city.now.replace(minute=0, second=0) + datetime.timedelta(
            days=-rng.randint(1, 360) if held else rng.randint(1, 40),
            hours=rng.choice((-3, -1, 0, 1, 2, 5)),
        )
        activity = ActivityPage(
            slug=f"a{n + 1:05d}",
            title=f"{community.title}{title}",
            summary=summary,
            body=body([summary, f"集合地点：{community.title}{rng.choice(PLACES)}。请提前十分钟到场签到。"]),
            place=f"{community.title}{rng.choice(PLACES)}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=rng.choice((90, 120, 150, 180, 240))),
            capacity=rng.choice(CAPACITIES),
            signup_opens_at=starts - datetime.timedelta(days=45),
            signup_closes_at=starts - datetime.timedelta(hours=12),
            cancel_deadline=starts - datetime.timedelta(hours=12),
            needs_approval=rng.random() < 0.25,
            theme=rng.choice(themes),
            checkin_code=f"c{rng.getrandbits(64):016x}",
            first_published_at=starts - datetime.timedelta(days=46),
        )
        activity._city_skill = skills.get(skill) if skill else None
        activity._community_id = community.pk
        by_community[community.pk].append(activity)
    made = []
    for community in active:
        made += add_pages(community, by_community[community.pk])
    through = ActivityPage.skills.through
    through.objects.bulk_create(
        through(activitypage_id=a.pk, skill_id=a._city_skill.pk) for a in made if a._city_skill
    )
    city.activities = made
    city.counts["activities"] = len(made)


def _fates(city: City, activity: ActivityPage, held: bool) -> list[str]:
    """The transitions that made each sign-up of `activity`, in the order members came."""
    rng, capacity = city.rng, activity.capacity
    holders = capacity if rng.random() < 0.35 else rng.randint(max(1, capacity // 3), capacity)
    if held:
        fates = [("check_in" if rng.random() < 0.88 else "mark_no_show") for _ in range(holders)]
    elif activity.needs_approval:
        fates = [rng.choice(("submit_pending", "approve")) for _ in range(holders)]
    else:
        fates = ["submit_approved"] * holders
    extra = ["cancel"] * rng.choice((0, 0, 1, 1, 2, 3))
    if activity.needs_approval:
        extra += ["reject"] * rng.choice((0, 1, 1, 2))
    for fate in extra:
        fates.insert(rng.randint(0, len(fates)), fate)
    if holders == capacity and not held:
        fates += ["submit_waitlisted"] * rng.choice((1, 2, 3, 5))
    return fates


def ensure_signups(city: City) -> None:
    rng = city.rng
    everyone = [m.pk for m in city.members]
    seeded = []
    for activity in city.activities:
        held = activity.starts_at < city.now
        fates = _fates(city, activity, held)
        pool = city.confirmed.get(activity._community_id, [])
        if len(pool) < len(fates):
            pool = pool + rng.sample(everyone, k=min(len(everyone), 2 * len(fates)))
        members = list(dict.fromkeys(rng.sample(pool, k=min(len(pool), 2 * len(fates)))))
        hours = activity_hours(activity)
        opened = activity.signup_opens_at
        window = (activity.signup_closes_at - opened).total_seconds()
        for position, (fate, member_id) in enumerate(zip(fates, members, strict=False)):
            queued = opened + datetime.timedelta(seconds=window * (position + 1) / (len(fates) + 2))
            if queued > city.now:
                queued = city.now - datetime.timedelta(minutes=len(fates) - position)
            values = {
                "activity_id": activity.pk,
                "member_id": member_id,
                "queued_at": queued,
                "created_at": queued,
                "state_changed_at": queued,
            }
            if fate == "check_in":
                values["checked_in_at"] = activity.starts_at + datetime.timedelta(minutes=rng.randint(-30, 20))
                values["hours"] = hours
                values["state_changed_at"] = values["checked_in_at"]
            elif fate in ("mark_no_show", "approve", "reject", "cancel"):
                later = queued + datetime.timedelta(hours=rng.randint(1, 48))
                # A cancellation before the deadline; staff decide before the start.
                until = activity.cancel_deadline if fate == "cancel" else activity.starts_at
                values["state_changed_at"] = max(queued, min(later, until, city.now))
            seeded.append((fate, SIGNUP_WORKFLOW.seeded(fate, **values)))
    with given_creation_times(SignUp):
        signups = save_seeded(SIGNUP_WORKFLOW, seeded)
    city.counts["signups"] = len(signups)
    _award_points(city, signups)


def _award_points(city: City, signups: list[SignUp]) -> None:
    """The ledger's lines for attendance (points per hour) and no-shows (the deduction), as
    `points.services.signup_points_settle` writes them."""
    content_type = ContentType.objects.get_for_model(SignUp)
    activities = {a.pk: a for a in city.activities}
    rules = {}

    def rule(key, day):
        if (key, day) not in rules:
            rules[key, day] = rule_in_force(key=key, on=day)
        return rules[key, day]

    entries = []
    for signup in signups:
        if signup.state not in (SignUp.State.ATTENDED, SignUp.State.NO_SHOW):
            continue
        activity = activities[signup.activity_id]
        attended = signup.state == SignUp.State.ATTENDED
        key = PointRule.Key.HOURS_ATTENDED if attended else PointRule.Key.NO_SHOW
        found = rule(key, activity.starts_at.date())
        if found is None:
            continue
        units = signup.hours if attended else Decimal(1)
        amount = (found.amount * units).quantize(ONE_PLACE, ROUND_HALF_UP)
        if not amount:
            continue
        params = {"title": activity.title}
        if attended:
            params["hours"] = f"{signup.hours.normalize():f}"
        entries.append(
            PointEntry(
                member_id=signup.member_id,
                community_id=activity._community_id,
                amount=amount,
                kind=PointEntry.Kind.AWARD,
                rule=found,
                rule_key=key,
                source_type=content_type,
                source_id=signup.pk,
                reason_code="attended" if attended else "no_show",
                reason_params=params,
                earned_at=activity.starts_at,
                created_at=signup.state_changed_at,
            )
        )
    save_with_history(PointEntry, entries)
    city.counts["points"] = city.counts.get("points", 0) + len(entries)

