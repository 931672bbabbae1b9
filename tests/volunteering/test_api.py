"""The JSON API for mobile clients (/api/v1/) as a whole: the OpenAPI document lists every
endpoint of the capabilities' routers, the docs page, and JSON 404s under the API. Each
capability's endpoints are tested beside it (communities/, activities/, reporting/, figures/,
history/)."""

import re

import pytest
from django.test import Client

from portal import api as portal_api
from tests.volunteering.api_support import API, anonymous, detail
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp

# --- OpenAPI and docs ---------------------------------------------------------------------

EVERY_PATH = [
    "/api/v1/auth/token",
    "/api/v1/communities",
    "/api/v1/activities",
    "/api/v1/activities/{activity_id}",
    "/api/v1/activities/{activity_id}/signups",
    "/api/v1/signups/{signup_id}/cancel",
    "/api/v1/me/signups",
    "/api/v1/signups/{signup_id}/approve",
    "/api/v1/signups/{signup_id}/reject",
    "/api/v1/reports",
    "/api/v1/reports/{report_id}/confirm",
    "/api/v1/reports/{report_id}/return",
    "/api/v1/signups/{signup_id}/history",
    "/api/v1/reports/{report_id}/history",
    "/api/v1/stats",
]


def test_the_openapi_document_lists_every_endpoint(db):
    response = anonymous().get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"] == {
        "title": "在职党员进社区服务平台 API",
        "version": "v1",
        "description": document["info"]["description"],
    }
    assert sorted(document["paths"]) == sorted(EVERY_PATH)
    assert document["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"


def test_the_openapi_document_keeps_signup_and_report_states_apart(db):
    schemas = anonymous().get("/openapi.json").json()["components"]["schemas"]
    signup_states = schemas["SignUpOut"]["properties"]["status"]["enum"]
    report_states = schemas["ReportOut"]["properties"]["status"]["enum"]
    assert set(signup_states) == set(SignUp.State.values)
    assert set(report_states) == set(Report.State.values)


def test_the_docs_page_loads_with_local_assets_only(db):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "在职党员进社区服务平台 API" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/ninja/") for a in assets)
    assert "http://" not in html and "https://" not in html
    for asset in assets:
        assert Client().get(asset).status_code == 200


@pytest.mark.parametrize("path", ["/", "/nowhere/at/all", "/activities/1/nothing"])
def test_an_unknown_address_under_the_api_answers_json_404(db, path):
    response = anonymous().get(path)
    assert response.status_code == 404
    assert detail(response) == str(portal_api.NOT_FOUND)
