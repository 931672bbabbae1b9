"""What the API tests share: a client that speaks JSON to /api/v1/ with an optional bearer
token, and the error detail of an answer."""

import json

from django.test import Client

from portal.api_auth import api_token_issue

API = "/api/v1"


class ApiClient:
    """The Django test client speaking JSON with an optional bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {api_token_issue(user=user)[1]}"

    def get(self, path, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path, body=None, *, raw: str | None = None):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(
            API + path, data=data, content_type="application/json", headers=self.headers
        )


def detail(response) -> str:
    return response.json()["detail"]


def as_(user) -> ApiClient:
    return ApiClient(user)


anonymous = ApiClient
