"""Plain-text emails and text messages read as people typed them: a name with quotes or angle
brackets is not HTML-escaped (it was: `&quot;&gt;&lt;img…同志：`)."""

from django.core import mail

from tests import factories
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm

NAME = '"><img src=x>王&李'


def test_a_plain_text_email_is_not_html_escaped(site_tree, django_capture_on_commit_callbacks):
    member = factories.MemberFactory(real_name=NAME)
    report = factories.ReportFactory(member=member, community=site_tree.community)
    staff = factories.community_staff(site_tree.community, "staff-escape")
    with django_capture_on_commit_callbacks(execute=True):
        report_confirm(report=report, by=staff)
    assert Report.objects.get().state == Report.State.CONFIRMED
    (email,) = mail.outbox
    assert email.body.startswith(f"{NAME}同志：")
    assert "&quot;" not in email.body and "&lt;" not in email.body and "&amp;" not in email.body
