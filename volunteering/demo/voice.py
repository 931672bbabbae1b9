"""Demo content of residents' voice: items in each state (online and heard offline) and good
deeds, in the two staffed communities. Made through the services, so each item has its history
and audit-log entries as if staff had handled it. Loading twice adds nothing."""

from django.contrib.auth import get_user_model

from volunteering.communities.models import CommunityPage
from volunteering.teams.models import Team
from volunteering.voice import services as voice
from volunteering.voice.models import Feedback, GoodDeed

# (community slug, kind, channel, text, name, phone, steps)
# steps: "accept", "assign", ("resolve"|"answer"|"refer"|"reject", reply)
ITEMS = [
    (
        "qilin-community",
        "help",
        "online",
        "我家老人独居，卫生间水管漏水，自己修不了，希望社区帮忙联系维修。",
        "王阿姨",
        "13908741234",
        ["accept", "assign", ("resolve", "社区党员志愿者已上门更换水管，问题已解决。")],
    ),
    (
        "qilin-community",
        "dispute",
        "visit",
        "3 栋两户邻居因楼道堆放杂物发生争执，多次协商未果。",
        "",
        "",
        ["assign", ("resolve", "法律服务队组织双方调解，杂物已清理，双方达成一致。")],
    ),
    (
        "qilin-community",
        "suggestion",
        "forum",
        "建议在小区增设电动车集中充电桩，避免楼道充电的安全隐患。",
        "",
        "",
        [("answer", "已纳入社区今年的为民办实事项目，预计三季度建成。")],
    ),
    (
        "qilin-community",
        "suggestion",
        "online",
        "希望社区周末开放活动室，方便老年人下棋、读报。",
        "李先生",
        "",
        ["accept"],
    ),
    ("qilin-community", "help", "online", "孩子下学期入学，不清楚需要准备哪些材料。", "", "", []),
    (
        "qilin-community",
        "suggestion",
        "online",
        "点击领取免费大奖 http://example.invalid",
        "",
        "",
        [("reject", "与社区事务无关的广告信息，不予受理。")],
    ),
    (
        "fangcheng",
        "help",
        "phone",
        "残疾人家庭申请临时救助，不清楚办理流程。",
        "赵女士",
        "13508745678",
        ["assign", ("refer", "已转交区民政局社会救助科办理，工作人员会电话联系您。")],
    ),
    (
        "fangcheng",
        "suggestion",
        "questionnaire",
        "问卷反映：小区路灯夜间照明不足。",
        "",
        "",
        ["assign"],
    ),
]
GOOD_DEEDS = [
    ("qilin-community", "为独居老人上门更换水管", "社区党员志愿者利用周末上门维修。"),
    ("qilin-community", "组织义务理发进社区", "为 40 余位老人义务理发。"),
    ("fangcheng", "帮助困难家庭申请临时救助", "协助准备材料并陪同办理。"),
]


def load_voice_demo(*, communities: dict[str, CommunityPage]) -> None:
    """Called by `portal.demo.load_demo` after the volunteering demo (members, teams exist)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_STAFF.values())}
    for slug, *item in ITEMS:
        community = communities.get(slug)
        staff = users.get(_STAFF.get(slug, ""))
        if community is not None and staff is not None:
            _ensure_item(community, staff, *item)
    for slug, title, note in GOOD_DEEDS:
        community = communities.get(slug)
        staff = users.get(_STAFF.get(slug, ""))
        if community is None or staff is None:
            continue
        if not GoodDeed.objects.filter(community=community, title=title).exists():
            members = list(voice.assignable_members(community.pk)[:2])
            voice.good_deed_record(
                community=community, title=title, note=note, members=members, by=staff
            )


_STAFF = {"qilin-community": "staff", "fangcheng": "staff2"}


def _ensure_item(community, staff, kind, channel, text, name, phone, steps) -> None:
    if Feedback.objects.filter(community=community, text=text).exists():
        return
    common = {"community": community, "kind": kind, "text": text, "name": name, "phone": phone}
    if channel == Feedback.Channel.ONLINE:
        item = voice.feedback_submit(**common)
    else:
        item = voice.feedback_record(**common, channel=channel, by=staff)
    for step in steps:
        item = _step(item, step, staff)


def _step(item: Feedback, step, staff) -> Feedback:
    if step == "accept":
        return voice.feedback_accept(feedback=item, by=staff)
    if step == "assign":
        member = voice.assignable_members(item.community_id).first()
        team = Team.objects.filter(community_id=item.community_id).first()
        if member is None and team is None:
            return item
        return voice.feedback_assign(feedback=item, by=staff, member=member, team=team)
    name, reply = step
    if name == "reject":
        return voice.feedback_reject(feedback=item, by=staff, reason=reply)
    outcome = {"resolve": "resolved", "answer": "answered", "refer": "referred"}[name]
    return voice.feedback_close(feedback=item, by=staff, outcome=outcome, note=reply)
