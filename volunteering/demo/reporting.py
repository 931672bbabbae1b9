"""Demo reports (报到) in every state (confirmed, pending, returned, withdrawn), made through the
reporting services."""

from volunteering.reporting import services as reports
from volunteering.reporting.models import Report

REPORTS = (
    ("member", "qilin-community", Report.Kind.LINKED, "confirm"),
    ("member", "fangcheng", Report.Kind.VOLUNTARY, None),
    ("member2", "fangjiayuan", Report.Kind.LINKED, "confirm"),
    ("member2", "qilin-community", Report.Kind.VOLUNTARY, "confirm"),
    ("member3", "qilin-community", Report.Kind.RESIDENCE, "confirm"),
    ("member4", "fangcheng", Report.Kind.LINKED, "confirm"),
    ("member5", "qilin-community", Report.Kind.RESIDENCE, "return"),
    ("member6", "qilin-community", Report.Kind.LINKED, None),
    ("member7", "fangjiayuan", Report.Kind.LINKED, "confirm"),
    ("member7", "qilin-community", Report.Kind.VOLUNTARY, "withdraw"),
    ("member8", "fangcheng", Report.Kind.RESIDENCE, "confirm"),
    ("member9", "qilin-community", Report.Kind.RESIDENCE, "confirm"),
)
RETURN_REASON = "请携带单位开具的介绍信到社区报到窗口核对身份后，再重新提交报到。"


def ensure_reports(members, communities, staff) -> None:
    for username, slug, kind, decision in REPORTS:
        member, community = members[username], communities[slug]
        if Report.objects.filter(member=member, community=community).exists():
            continue
        report = reports.report_create(member=member, community=community, kind=kind)
        if decision == "confirm":
            reports.report_confirm(report=report, by=staff[slug])
        elif decision == "return":
            reports.report_return(report=report, by=staff[slug], reason=RETURN_REASON)
        elif decision == "withdraw":
            reports.report_withdraw(report=report, by=member.user)
