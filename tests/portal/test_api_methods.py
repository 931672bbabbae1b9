"""A method a path of the API does not have is answered 405, in JSON, with `Allow` naming the
methods it has, and the OpenAPI document says so (issue 12: every status the API can answer is
in its document). Every path of the document, every method it lacks, with a token and without."""

import re

import pytest

from portal.api_auth import api_token_issue
from tests import factories

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def document(client, db):
    return client.get("/api/v1/openapi.json").json()


def test_every_operation_documents_405_with_its_allow_header(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("405")
            assert answer, f"{method.upper()} {path}"
            assert set(answer["headers"]) == {"Allow"}
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}


def test_every_method_a_path_lacks_answers_the_documented_405(client, document):
    token = api_token_issue(user=factories.MemberFactory().user)[1]
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    asked = 0
    for path, operations in document["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        allowed = sorted(m.upper() for m in operations)
        for method in set(METHODS) - set(operations):
            for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {token}"}):
                response = getattr(client, method)(url, **headers)
                assert response.status_code == 405, (method, url, response.status_code)
                assert response["Content-Type"] == "application/json; charset=utf-8"
                assert sorted(m.strip() for m in response["Allow"].split(",")) == allowed
                body = response.json()
                assert list(body) == ["detail"] and method.upper() in body["detail"]
                asked += 1
    assert asked > 20
