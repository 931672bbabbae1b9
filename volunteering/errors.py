"""Errors users can see, as translatable constants that tests import."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from volunteering import errors


def workflow_start_once(machine, obj, name: str, *, by, duplicate_message) -> None:
    """Create `obj` through its workflow's transition `name`; a concurrent duplicate caught by
    a constraint is refused with `duplicate_message`."""
    try:
        with transaction.atomic():
            machine.start(obj, name, by=by)
    except IntegrityError as exc:
        raise errors.ServiceError(duplicate_message) from exc


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


ATTENDANCE_TOO_EARLY = _("活动还没有开始，不能记录出席或缺席。")


CHECKIN_NOT_APPROVED = _("只有报名成功的党员可以签到。")


class ServiceError(Exception):
    """A request the rules refuse; `message` is for the user (HTTP 409 or 422)."""

    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(str(message))
        self.message = message
        self.code = code


# Members on the public site, and the service menu (服务菜单).
MEMBER_RECORD_MISSING = _(
    "您的账号还没有登记为在职党员。请联系所在单位或社区工作人员为您登记后再使用本功能。"
)


NOT_STAFF_OF_COMMUNITY = _("您不是这个社区的工作人员。")


NEED_PLACES_INVALID = _("需要人数至少为 1 人。")


NEED_PERIOD_INVALID = _("结束日期不能早于开始日期。")


NEED_NOT_OPEN = _("这项服务需求已经结束，不能再认领。")


NEED_ENDED = _("这项服务需求的服务期已过，不能再认领。")


NEED_ALREADY_CLAIMED = _("您已经认领过这项服务需求了，请勿重复认领。")


NEED_FULL = _("这项服务需求的名额已满（%(places)s 人），不能再认领或确认认领。")


TEAM_ALREADY_MEMBER = _("您已经是这个服务队的成员了。")


TEAM_ALREADY_REQUESTED = _("您已申请加入这个服务队，请等待队长或社区工作人员审核。")


PLEDGE_COMMITMENT_REQUIRED = _("请填写承诺内容。")


PLEDGE_COMMITMENT_TOO_LONG = _("承诺内容不能超过 %(limit)s 字。")


PLEDGE_PERIOD_INVALID = _("承诺的结束日期不能早于开始日期。")


PLEDGE_STARTS_IN_PAST = _("承诺的开始日期不能早于今天。")


PLEDGE_PERIOD_TOO_LONG = _("承诺期限最长一年，请分期承诺。")


PLEDGE_DUPLICATE = _("您已对这个岗位作出承诺，请勿重复提交。")


PHONE_INVALID = _("请填写正确的电话号码（数字，可含空格、短横线和开头的 +）。")


PHONE_NEEDS_CONSENT = _("留下手机号需要先同意隐私声明。")


# Members import (volunteering.people.imports)
IMPORT_FILE_UNREADABLE = _("无法读取这个文件。请上传 XLSX 或 CSV 格式的文件（可先下载导入模板）。")


IMPORT_FILE_TOO_LARGE = _("文件太大了，请分批导入（每个文件不超过 5 MB）。")


IMPORT_NO_ROWS = _("文件中没有党员数据。")


IMPORT_TOO_MANY_ROWS = _("一次最多导入 %(max)s 行，请分批导入。")


IMPORT_MISSING_COLUMNS = _("缺少必填的列：%(columns)s。请使用导入模板。")


IMPORT_USERNAME_MISSING = _("缺少用户名。")


IMPORT_USERNAME_INVALID = _("用户名只能包含文字、数字和 @ . + - _，且不超过 150 个字符。")


IMPORT_USERNAME_DUPLICATE = _("用户名与第 %(line)s 行重复。")


IMPORT_USERNAME_TAKEN = _("这个用户名已被其他账号使用（不是本单位的党员）。")


IMPORT_NAME_MISSING = _("缺少姓名。")


IMPORT_NAME_TOO_LONG = _("姓名不能超过 %(max)s 个字符。")


IMPORT_PHONE_INVALID = _("手机号“%(phone)s”格式不正确。")


IMPORT_EMAIL_INVALID = _("邮箱“%(email)s”格式不正确。")


IMPORT_UNKNOWN_COMMUNITY = _("找不到居住地社区“%(name)s”。")


IMPORT_AMBIGUOUS_COMMUNITY = _("有多个社区名为“%(name)s”，请写成“县（市、区）名/社区名”。")


IMPORT_UNKNOWN_SKILL = _("技能特长“%(name)s”不在技能列表中，可填在“其他特长”一列。")


IMPORT_OTHER_SKILLS_TOO_LONG = _("其他特长不能超过 %(max)s 个字符。")


IMPORT_NOT_VALID = _("文件中有错误的行，没有导入任何数据。请改正后重新上传。")


IMPORT_EXPIRED = _("导入预览已过期，请重新上传文件。")


# Members' accounts (volunteering.accounts): codes to the phone and activation invitations.
CODE_INVALID = _("验证码不正确或已失效。请核对，或重新获取验证码。")
CODE_TOO_MANY_REQUESTS = _("操作过于频繁，请一小时后再试。")
CODE_TOO_MANY_FAILURES = _(
    "这个手机号的验证码输错次数过多，请 24 小时后再试，或用登记的邮箱找回密码。"
)
INVITATION_INVALID = _("这个激活链接已经用过或已过期。请联系所在单位管理员或社区工作人员重新发送。")
INVITATION_ALREADY_ACTIVE = _("这位党员已经设置了密码，不需要激活。")
INVITATION_NO_EMAIL = _("这位党员没有登记邮箱，无法发送邮件邀请。")
INVITATION_NO_PHONE = _("这位党员没有登记有效的手机号，无法发送短信邀请。")
INVITATION_NOT_ALLOWED = _("您不能邀请这位党员。")
