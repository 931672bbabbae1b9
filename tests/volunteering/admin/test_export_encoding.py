"""CSV exports open in Excel on Chinese Windows: every CSV download starts with a UTF-8
byte-order mark (the admin lists' exports and Wagtail's own reports alike), XLSX files are
unchanged; and yes/no columns read 是/否 (Yes/No in English), never True/False."""

import codecs
import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.models import UserProfile

from tests.factories import admin_user
from tests.volunteering.admin.support import url, xlsx_rows

BOM = codecs.BOM_UTF8


def _exporting_viewsets() -> list[str]:
    """Every admin list with an export, by its URL namespace (the registry is filled when the
    admin's URLs load, which the test client's first request has done)."""
    return sorted(
        f"{viewset.url_namespace}:index"
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet)
        and isinstance(viewset.list_export, list | tuple)
        and viewset.list_export
    )


def _csv(client, path: str) -> tuple[bytes, list[list[str]]]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "text/csv; charset=utf-8", path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_every_admin_list_exports_csv_with_a_byte_order_mark_and_no_true_or_false(world, client):
    client.force_login(admin_user("exporter", is_superuser=True))
    client.get("/admin/")
    names = _exporting_viewsets()
    assert "volunteering_report:index" in names and len(names) >= 12
    for name in names:
        body, rows = _csv(client, reverse(name) + "?export=csv")
        assert body.startswith(BOM), name
        assert not body.startswith(BOM + BOM), name
        cells = {cell for row in rows[1:] for cell in row}
        assert not cells & {"True", "False"}, name


def test_wagtails_own_reports_export_csv_with_a_byte_order_mark(world, client):
    client.force_login(admin_user("exporter", is_superuser=True))
    for path in ("/admin/reports/site-history/", "/admin/reports/aging-pages/"):
        body, rows = _csv(client, path + "?export=csv")
        assert body.startswith(BOM), path
        assert rows[0], path


def test_xlsx_exports_are_unchanged_zip_files(world, client):
    client.force_login(world.city)
    response = client.get(url("report", "index") + "?export=xlsx")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK")
    assert "charset" not in response["Content-Type"]


@pytest.mark.parametrize(("language", "yes", "no"), [("zh-hans", "是", "否"), ("en", "Yes", "No")])
def test_the_report_exports_primary_community_as_yes_or_no(world, client, language, yes, no):
    from volunteering.reporting.models import Report

    Report.objects.filter(pk=world.b.report.pk).update(is_primary=False)
    client.force_login(world.city)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if language == "en":
        profile = UserProfile.get_for_user(world.city)
        profile.preferred_language = "en"
        profile.save()
    _body, (heading, *rows) = _csv(client, url("report", "index") + "?export=csv")
    column = heading.index("主报到社区" if language == "zh-hans" else "Main community")
    assert sorted(row[column] for row in rows) == sorted([yes, no])

    response = client.get(url("report", "index") + "?export=xlsx")
    heading, *rows = xlsx_rows(b"".join(response.streaming_content))
    assert sorted(row[column] for row in rows) == sorted([yes, no])
