"""The project's own attack on its API: schemathesis generates requests for every operation of
the OpenAPI document (valid and invalid bodies, queries and ids) as an anonymous client and as a
member, and fails on any 5xx or any answer the document does not describe (status, content type,
body). Bounded: a few examples per operation, so it runs in every CI run."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.api_auth import api_token_issue
from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def member_token(site_tree):
    activity = factories.ActivityPageFactory(parent=site_tree.community)
    member = factories.MemberFactory()
    factories.SignUpFactory(activity=activity, member=member, state="approved")
    return api_token_issue(user=member.user)[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error_or_off_its_document(case, member_token):
    for headers in ({}, {"Authorization": f"Bearer {member_token}"}):
        # A schema-valid body may still be refused: control characters (portal.input_guard), an
        # unknown community, a closed activity. Every other check stands: no 5xx, and status,
        # content type and body as the document says.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
