"""The XSS corpus (issue 12's attack suite): the payloads of `xss_corpus` written through every
input path a resident, member, staff or editor has — the residents' form, the member's forms
(profile, report note, pledge, closure, sign-up cancellation) and the login (whose failed
usernames the city reads) with the test client; everything else into the models through the
services and factories, rich text through the editor's converter — then every output that
shows them is read:

- every GET pattern of the URL configuration the permission sweep knows (public pages, the
  member's "my service", admin lists, inspect, edit and history views), as a superuser and as
  the member: no payload became an element, a handler, a `javascript:` URL or an evaluated
  template (the HTML is parsed);
- the admin lists' CSV and XLSX exports and the assessment results' XLSX: no cell is a formula;
- the news feeds (RSS, Atom): their HTML descriptions escaped; the API: JSON; iCalendar;
- the emails: plain text, the payload as typed (not HTML-escaped: issue 12 finding 5).

`xss_corpus.WRITTEN` / `LEFT_OUT` name every text field of the project's models: a new one fails
`test_every_text_field_is_in_the_corpus_table` until it is written here or left out with a
reason."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.portal import sweep_table as table
from tests.portal import xss_corpus as corpus
from tests.portal.sweep_urls import readable, routes
from tests.portal.test_permission_sweep import build_url
from tests.portal.xss_world import World, build_world, client_for
from volunteering.assessment.models import Assessment
from volunteering.people.models import Member
from volunteering.reporting import services as reporting
from volunteering.reporting.models import Report

APPS = ("portal", "news", "volunteering", "workflows")
NOT_GOT = ("logout", "sign-out", "signout")


# --- The table of text fields ---------------------------------------------------------------


def text_fields() -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.concrete_fields:
            rich = type(field).__name__ in ("StreamField", "RichTextField")
            text = isinstance(field, models.CharField | models.TextField) and not field.choices
            if rich or text:
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_every_text_field_is_in_the_corpus_table():
    fields = text_fields()
    missing = [f for f in fields if f not in corpus.WRITTEN and not corpus.is_left_out(f)]
    assert missing == [], "write the corpus into these fields, or leave them out with a reason"
    assert [f for f in corpus.WRITTEN if f not in fields] == [], "the table names no field"


def test_the_checks_find_what_each_payload_does_unescaped():
    """The checks are real: each markup payload put into a page unescaped is found."""
    markup = [p for p in corpus.PAYLOADS if "xss(" in p and not p.startswith("javascript")]
    for payload in markup:
        page = f"<html><body><input value=\"{payload}\"><input value='{payload}'>"
        page += f"<input value={payload}><textarea>{payload}</textarea>"
        page += f"<script>var a = 1;</script><p>{payload}</p></body></html>"
        assert corpus.injected(page), payload
    assert corpus.injected('<a href=" javascript:xss(4)">x</a>')
    assert corpus.injected("<p>91824</p>")
    escaped = "".join(f"<p>{p}</p>" for p in corpus.PAYLOADS).replace("<", "&lt;")
    assert corpus.injected(f"<html><body>{escaped}</body></html>") == []


# --- The world ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_every_field_the_table_names_holds_the_corpus(world, db):
    """The table tells the truth: each field it says is written holds a payload."""
    empty = []
    for key in corpus.WRITTEN:
        label, field = key.rsplit(".", 1)
        model = apps.get_model(label)
        values = model._base_manager.values_list(field, flat=True)
        if not any(corpus.holds_a_payload(str(value)) for value in values):
            empty.append(key)
    assert empty == []


# --- Pages ----------------------------------------------------------------------------------


def page_urls(world: World, *, admin: bool) -> list[str]:
    """Every GET address of the sweep's patterns that the world can fill (as a superuser: all;
    as the member: all but the admin's)."""
    urls = []
    for route in routes():
        if route.key in table.LEFT_OUT or route.key in table.NOT_REQUESTED:
            continue
        if any(word in route.key for word in NOT_GOT) or route.is_api:
            continue
        if not admin and route.key.startswith(("admin/", "django-admin/")):
            continue
        for filling in table.fillings(route) or []:
            kinds = [k for k in filling.values() if not isinstance(k, table.Const)]
            if not all(world.ids.get(k) for k in kinds):
                continue
            for index in range(max((len(world.ids[k]) for k in kinds), default=1)):
                values = {
                    arg: kind.value
                    if isinstance(kind, table.Const)
                    else world.ids[kind][min(index, len(world.ids[kind]) - 1)]
                    for arg, kind in filling.items()
                }
                urls.append(build_url(route, values))
    return urls


def _problems(client: Client, url: str) -> list[str]:
    response = client.get(url)
    if response.status_code >= 500:
        return [f"GET {url}: {response.status_code}"]
    if response.status_code != 200:
        return []
    kind = response.get("Content-Type", "")
    body = readable(response)
    if kind.startswith("text/html"):
        return [f"GET {url}: {found}" for found in corpus.injected(body)]
    return []


@pytest.mark.parametrize("who", ["superuser", "member"])
def test_no_page_turns_the_corpus_into_markup(world, who, db):
    user = world.superuser if who == "superuser" else world.member.user
    client = client_for(user)
    urls = page_urls(world, admin=who == "superuser")
    assert len(urls) > (300 if who == "superuser" else 40), len(urls)
    problems = [p for url in urls for p in _problems(client, url)]
    assert problems == [], "\n".join(problems)


# --- Exports --------------------------------------------------------------------------------


def admin_lists() -> list[str]:
    return [
        "/" + r.key
        for r in routes()
        if r.key.startswith("admin/volunteering/") and r.name.endswith(":index") and not r.args
    ]


def test_no_export_cell_is_a_formula(world, db):
    client = client_for(world.superuser)
    problems, exported = [], []
    for url in admin_lists():
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            assert response.status_code == 200, (url, fmt, response.status_code)
            if response["Content-Type"].startswith("text/html"):
                continue  # a list without exports
            content = readable(response) if fmt == "csv" else _bytes(response)
            if fmt == "csv":
                found = corpus.csv_formulas(content)
            else:
                found = corpus.xlsx_formulas(content)
            exported.append(url)
            problems += [f"{url}?export={fmt}: {cell}" for cell in found]
    assert problems == [], "\n".join(problems)
    assert len(exported) > 20, exported


def _bytes(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_the_assessment_results_workbook_holds_no_formula(world, db):
    comment = corpus.text_for(None)  # starts with "=HYPERLINK(": openpyxl's formula
    Assessment.objects.filter(pk=world.ids["assessment"][0]).update(comment=comment)
    response = client_for(world.superuser).get(
        reverse("volunteering_assessment_results"), {"export": "xlsx"}
    )
    assert response.status_code == 200
    assert corpus.xlsx_formulas(response.content) == []
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "s"]
    assert any(t.startswith(corpus.FORMULA_STARTS) for t in texts), texts  # there, as text


# --- Feeds, the API, emails -----------------------------------------------------------------


def test_the_news_feeds_carry_the_corpus_as_text(world, db):
    for name, tag in (
        ("news_rss", "description"),
        ("news_atom", "{http://www.w3.org/2005/Atom}summary"),
    ):
        response = client_for().get(reverse(name))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        descriptions = [e.text or "" for e in root.iter(tag)]
        assert any("xss(" in d for d in descriptions), name
        for html in descriptions:  # feed readers render these as HTML
            assert corpus.injected(html) == [], (name, html)


def test_the_api_and_the_calendars_answer_in_their_own_types(world, db):
    client = client_for()
    headers = {"Authorization": f"Bearer {world.token}"}
    signup, report = world.ids["signup"][0], world.ids["report"][0]
    activity = world.ids["activity"][0]
    for url in (
        f"/api/v1/activities/{activity}",
        "/api/v1/me/signups",
        f"/api/v1/signups/{signup}/history",
        f"/api/v1/reports/{report}/history",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
    assert "xss(" in client.get(f"/api/v1/activities/{activity}").content.decode()
    response = client.get(reverse("community_calendar", args=[world.tree.community.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_emails_are_plain_text_with_the_corpus_as_typed(world, db):
    """A report returned with the corpus as the reason, for an activity named with it."""
    other = factories.CommunityPageFactory(parent=world.tree.county)
    type(other).objects.filter(pk=other.pk).update(title=corpus.text_for(255, start=2))
    report = factories.ReportFactory(member=world.member, community=other, state="pending")
    reason = corpus.text_for(200)
    with TestCase.captureOnCommitCallbacks(execute=True):
        reporting.report_return(
            report=Report.objects.get(pk=report.pk), by=world.superuser, reason=reason
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert not message.alternatives  # no HTML part
    assert reason in message.body, message.body  # as typed: not &lt;script&gt;
    assert "&lt;" not in message.body + message.subject


# --- Imports --------------------------------------------------------------------------------


def _import_file(kind: str, rows: list[list[str]]) -> bytes:
    heading = ["用户名", "姓名", "手机号", "邮箱", "居住地社区", "技能特长", "其他特长"]
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([heading, *rows])
        return out.getvalue().encode()
    from openpyxl import Workbook

    workbook = Workbook()
    for row in [heading, *rows]:
        workbook.active.append(row)
        for cell in workbook.active[workbook.active.max_row]:
            cell.data_type = "s"  # typed as text, as a name starting with "=" must be
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_names_on_an_import_stay_text_in_its_preview_and_after(world, kind, db):
    client = client_for(world.superuser)
    rows = [
        [
            f"xss-{kind}-{n}",
            corpus.text_for(100, start=n),
            "",
            "",
            "",
            "",
            corpus.text_for(200, start=n + 1),
        ]
        for n in range(0, len(corpus.PAYLOADS), 3)
    ]
    organisation = world.objects["organisation"]
    response = client.post(
        reverse("volunteering_member:import"),
        {
            "organisation": organisation.pk,
            "file": SimpleUploadedFile(f"list.{kind}", _import_file(kind, rows)),
        },
    )
    assert response.status_code == 200 and "token" in response.context, response.content.decode()[
        :3000
    ]
    assert corpus.injected(response.content.decode()) == []
    done = client.post(
        reverse("volunteering_member:import_confirm"),
        {"token": response.context["token"]},
        follow=True,
    )
    assert done.status_code == 200
    assert corpus.injected(done.content.decode()) == []
    assert Member.objects.filter(user__username=f"xss-{kind}-0").get().real_name == rows[0][1]
