"""Errors users can see, as translatable constants that tests import."""

from django.utils.translation import gettext_lazy as _

REPORT_DUPLICATE = _("您已经向这个社区报到过了，请勿重复报到。")
REPORT_PRIMARY_EXISTS = _("您已有一个主报到社区；如需更换，请先撤回原来的报到。")
REPORT_KIND_NOT_LINKED = _("您所在单位的挂钩联系社区不是这个社区，请选择其他报到类型。")
REPORT_COMMUNITY_NOT_LIVE = _("这个社区暂不接受报到。")

SIGNUP_NOT_OPEN_YET = _("报名尚未开始。")
SIGNUP_CLOSED = _("报名已经截止。")
SIGNUP_ACTIVITY_STARTED = _("活动已经开始，不能再报名。")
SIGNUP_ACTIVITY_NOT_LIVE = _("这个活动暂不接受报名。")
SIGNUP_TEAM_ONLY = _("这个活动只限“%(team)s”的成员报名。")
SIGNUP_NOT_A_MEMBER = _("只有登记的在职党员可以报名。")

CHECKIN_WRONG_CODE = _("签到码不正确。")
CHECKIN_OUTSIDE_WINDOW = _("现在不在签到时间内（活动开始前 1 小时至结束后 1 小时）。")
CHECKIN_NOT_APPROVED = _("只有报名成功的党员可以签到。")


class ServiceError(Exception):
    """A request the rules refuse; `message` is for the user (HTTP 409 or 422)."""

    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(str(message))
        self.message = message
        self.code = code
