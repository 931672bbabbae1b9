"""The creating transitions (from NEW) of the permission matrix, written out by hand, and how
each entry point is asked to create.

A member creates their own report, claim, request to join, pledge and sign-up: the `own`
column is "a member acting for themselves". Staff publish their community's needs. Nobody
creates on someone else's behalf through an entry point (the report workflow would let staff
record a report for a member, but no page, admin view or API offers that yet), so roles with
no member record are refused member creations at the door.

A resident's request (feedback) is sent through the public form by anyone, signed in or not
(`own` there is a signed-in member); staff record what they heard offline in the admin. Only
staff (and the city) start an assessment, by saving a grade on the admin's assessment page.

    Y allowed    - refused    (columns as in matrix_table)
"""

import datetime
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.api_auth import api_token_issue
from tests.workflows.matrix_drive import API_ROOT, Answer, post_as
from tests.workflows.matrix_table import ADMIN, API, COLUMNS, PAGES
from volunteering.assessment.models import Assessment
from volunteering.menu.models import Need, NeedClaim, PostPledge
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.teams.models import TeamMembership
from volunteering.voice.models import Feedback

CREATE_MATRIX = """
workflow  transition  anon own stf stf2 rev rev2 org crev city sup
report    submit      -    Y   -   -    -   -    -   -    -    -
need      publish     -    -   Y   -    -   -    -   -    Y    Y
claim     claim       -    Y   -   -    -   -    -   -    -    -
team      request     -    Y   -   -    -   -    -   -    -    -
pledge    pledge      -    Y   -   -    -   -    -   -    -    -
signup    submit      -    Y   -   -    -    -   -    -   -    -
feedback  submit      Y    Y   Y   Y    Y   Y    Y   Y    Y    Y
feedback  record      -    -   Y   -    -   -    -   -    Y    Y
assessment draft      -    -   Y   -    -   -    -   -    Y    Y
closure   request     -    Y   -   -    -   -    -   -    -    -
"""


def _parse(text: str) -> dict[tuple[str, str], dict[str, bool]]:
    header, *rows = (line.split() for line in text.strip().splitlines())
    roles = [COLUMNS[name] for name in header[2:]]
    return {
        (workflow, transition): dict(zip(roles, (m == "Y" for m in marks), strict=True))
        for workflow, transition, *marks in rows
    }


CREATE_EXPECTED = _parse(CREATE_MATRIX)

CREATE_ENTRY_POINTS = {
    ("report", "submit"): (PAGES, API),
    ("need", "publish"): (ADMIN,),
    ("claim", "claim"): (PAGES,),
    ("team", "request"): (PAGES,),
    ("pledge", "pledge"): (PAGES,),
    ("signup", "submit"): (PAGES, API),
    ("feedback", "submit"): (PAGES,),
    ("feedback", "record"): (ADMIN,),
    ("assessment", "draft"): (ADMIN,),
    ("closure", "request"): (PAGES,),
}

MODEL = {
    "report": Report,
    "need": Need,
    "claim": NeedClaim,
    "team": TeamMembership,
    "pledge": PostPledge,
    "signup": SignUp,
    "feedback": Feedback,
    "assessment": Assessment,
    "closure": AccountClosure,
}

# The state a new object starts in (sign-ups: the activity needs approval, places are free).
INITIAL_STATE = {
    "report": "pending",
    "need": "open",
    "claim": "pending",
    "team": "requested",
    "pledge": "pending",
    "signup": "pending",
    "feedback": "submitted",
    "assessment": "draft",
    "closure": "pending",
}

# Created through their own transition in a state of its own (staff heard it themselves).
INITIAL_STATE_OF = {("feedback", "record"): "accepted"}


def target_of(world, workflow: str):
    """What the new object is created on (community, need, team, post, activity)."""
    if workflow in ("report", "need", "feedback", "closure"):
        return world.community
    if workflow == "assessment":
        return world.assessable()
    if workflow == "claim":
        return world.need()
    if workflow == "team":
        return world.team()
    if workflow == "pledge":
        from tests import factories

        return factories.PostFactory(community=world.community)
    return world.activity()


def _page_request(workflow: str, target) -> tuple[str, dict]:
    today = timezone.localdate()
    if workflow == "report":
        return reverse("service:report_create", args=[target.pk]), {"kind": "voluntary"}
    if workflow == "claim":
        return reverse("service:claim_create", args=[target.pk]), {}
    if workflow == "team":
        return reverse("service:team_join", args=[target.pk]), {}
    if workflow == "pledge":
        period = {"starts_on": today, "ends_on": today + datetime.timedelta(days=30)}
        return reverse("service:post_detail", args=[target.pk]), {
            "commitment": "每周联系楼栋居民",
            **period,
        }
    if workflow == "signup":
        return target.get_url() + target.reverse_subpage("signup"), {}
    if workflow == "closure":
        return reverse("service:closure_request"), {"understood": "on"}
    if workflow == "feedback":
        return reverse("service:feedback_create", args=[target.pk]), {
            "kind": Feedback.Kind.SUGGESTION,
            "text": "小区门口的路灯坏了",
        }
    raise ValueError(workflow)


def _admin_request(workflow: str, target, world) -> tuple[str, dict]:
    if workflow == "need":
        data = {"community": target.pk, "title": "陪同就医", "description": "", "places": 2}
        return reverse("volunteering_need:add"), data
    if workflow == "feedback":
        data = {
            "community": target.pk,
            "kind": Feedback.Kind.HELP,
            "channel": Feedback.Channel.VISIT,
            "heard_on": timezone.localdate().isoformat(),
            "text": "入户走访时居民反映楼道堆物",
            "name": "",
            "phone": "",
        }
        return reverse("volunteering_feedback:add"), data
    if workflow == "assessment":
        year = timezone.localdate().year
        url = reverse("volunteering_assessment_edit", args=[target.pk, year, world.owner.pk])
        return url, {"grade": "competent", "comment": "表现良好"}
    raise ValueError(workflow)


def _api_request(workflow: str, target) -> tuple[str, dict]:
    if workflow == "report":
        return f"{API_ROOT}/reports", {"community": target.pk, "kind": "voluntary"}
    if workflow == "signup":
        return f"{API_ROOT}/activities/{target.pk}/signups", {}
    raise ValueError(workflow)


def create(entry: str, *, workflow: str, target, user, world=None) -> Answer:
    """Ask to create through `entry` as `user` (None: anonymous)."""
    if entry == API:
        url, body = _api_request(workflow, target)
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {api_token_issue(user=user)[1]}"
        response = Client().post(
            url, data=json.dumps(body), content_type="application/json", headers=headers
        )
        return Answer(response, [])
    if entry == ADMIN:
        url, data = _admin_request(workflow, target, world)
        return post_as(user, url, data)
    url, data = _page_request(workflow, target)
    return post_as(user, url, data)


def was_created(entry: str, answer: Answer, workflow: str = "") -> bool:
    from django.contrib.messages import ERROR, SUCCESS

    if entry == API:
        return answer.status == 201
    if workflow == "feedback" and entry == PAGES:
        # The resident is shown the receipt with its code (after a redirect, no message).
        receipt = reverse("service:feedback_receipt")
        return answer.status == 302 and answer.location == receipt
    return answer.status == 302 and bool(answer.said(SUCCESS)) and not answer.said(ERROR)


def was_refused(entry: str, answer: Answer, *, anonymous: bool) -> bool:
    """Nothing created, and said so: 401/403/404 in the API; a login redirect for visitors on
    the site; otherwise the form again (200) or a redirect with an error message, 403 or 404."""
    from django.contrib.messages import ERROR, SUCCESS

    from tests.workflows.matrix_drive import is_login_redirect

    if entry == API:
        return answer.status == 401 if anonymous else answer.status in (403, 404)
    if anonymous:
        return is_login_redirect(entry, answer)
    if answer.said(SUCCESS):
        return False
    if answer.status == 302:
        return bool(answer.said(ERROR)) or is_login_redirect(entry, answer)
    return answer.status in (200, 403, 404)
