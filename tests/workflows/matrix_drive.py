"""How a matrix cell is driven through each entry point: the URL a user would use, the request
they would send, and how the answer reads (done, refused, or not possible now)."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import ERROR, SUCCESS, get_messages
from django.test import Client
from django.urls import reverse

from portal.api_auth import api_token_issue
from tests.workflows.matrix_table import ADMIN, API, PAGES

REASON = "矩阵测试的理由"
API_ROOT = "/api/v1"

# The admin viewset of each workflow's model (`volunteering_<model_name>`).
ADMIN_MODEL = {
    "report": "report",
    "need": "need",
    "claim": "needclaim",
    "team": "teammembership",
    "pledge": "postpledge",
    "signup": "signup",
    "feedback": "feedback",
    "closure": "accountclosure",
}

# Assessments have their own admin pages (not an action viewset): the assessment page of one
# member's year submits; the city's reopen form posts to its own URL.
ASSESSMENT_GRADE = "competent"

# The member pages' URL names (namespace "service") of the transitions they offer.
PAGE_URL_NAME = {
    ("report", "withdraw"): "service:report_withdraw",
    ("claim", "withdraw"): "service:claim_withdraw",
    ("pledge", "withdraw"): "service:pledge_withdraw",
    ("team", "leave"): "service:team_leave",
    ("team", "approve"): "service:team_join_approve",
    ("team", "decline"): "service:team_join_decline",
    ("closure", "withdraw"): "service:closure_withdraw",
}

API_PATH = {"report": "reports", "signup": "signups"}


@dataclass
class Answer:
    """What came back: the response and the messages it left for the user."""

    response: object
    messages: list  # [(level, text)]

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def location(self) -> str:
        return self.response.get("Location", "")

    def said(self, level) -> list[str]:
        return [text for lvl, text in self.messages if lvl == level]

    def describe(self) -> str:
        body = self.response.content[:300].decode(errors="replace")
        return f"{self.status} {self.location} {self.messages} {body}"


def admin_action_url(workflow: str, obj, transition: str) -> str:
    if workflow == "assessment":
        if transition == "reopen":
            return reverse("volunteering_assessment_reopen", args=[obj.pk])
        return assessment_page_url(obj.community_id, obj.year, obj.member_id)
    return reverse(f"volunteering_{ADMIN_MODEL[workflow]}:action", args=(obj.pk, transition))


def assessment_page_url(community_id: int, year: int, member_id: int) -> str:
    return reverse("volunteering_assessment_edit", args=[community_id, year, member_id])


def admin_data(workflow: str, obj, transition: str) -> dict:
    """What the admin's form for the transition sends: the reason, and what else it asks."""
    data = {"reason": REASON}
    if (workflow, transition) == ("feedback", "assign"):
        # The community's own team (matrix_world builds one with every request).
        data["team"] = obj.community.teams.values_list("pk", flat=True).first()
    if (workflow, transition) == ("assessment", "submit"):
        data = {"grade": ASSESSMENT_GRADE, "comment": "表现良好", "submit": "1"}
    return data


def admin_view_url(workflow: str, view: str, *args) -> str:
    return reverse(f"volunteering_{ADMIN_MODEL[workflow]}:{view}", args=args)


def cancel_url(activity) -> str:
    return activity.get_url() + activity.reverse_subpage("cancel")


def page_action_url(workflow: str, obj, transition: str) -> str:
    if (workflow, transition) == ("signup", "cancel"):
        return cancel_url(obj.activity)
    return reverse(PAGE_URL_NAME[workflow, transition], args=[obj.pk])


def api_action_url(workflow: str, obj, transition: str) -> str:
    return f"{API_ROOT}/{API_PATH[workflow]}/{obj.pk}/{transition}"


def _answer(response) -> Answer:
    messages = get_messages(response.wsgi_request)
    return Answer(response, [(m.level, str(m).strip()) for m in messages])


def post_as(user, url: str, data: dict) -> Answer:
    """POST `data` to `url` as `user` (None: anonymous) from a new browser, so that no message
    of an earlier request is read as this one's."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return _answer(client.post(url, data))


def perform(entry: str, *, workflow: str, obj, transition: str, user) -> Answer:
    """Ask for `transition` on `obj` as `user` (None: anonymous) through `entry`."""
    if entry == API:
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {api_token_issue(user=user)[1]}"
        response = Client().post(
            api_action_url(workflow, obj, transition),
            data=json.dumps({"reason": REASON}),
            content_type="application/json",
            headers=headers,
        )
        return Answer(response, [])
    if entry == ADMIN:
        url = admin_action_url(workflow, obj, transition)
        return post_as(user, url, admin_data(workflow, obj, transition))
    if entry == PAGES:
        data = {"reason": REASON}
        if (workflow, transition) == ("signup", "cancel"):
            data["confirm"] = "1"  # the answer to the page's "确定取消报名吗？"
        return post_as(user, page_action_url(workflow, obj, transition), data)
    raise ValueError(entry)


def is_login_redirect(entry: str, answer: Answer) -> bool:
    if entry == ADMIN:
        login = getattr(settings, "WAGTAILADMIN_LOGIN_URL", None) or reverse("wagtailadmin_login")
    else:
        login = settings.LOGIN_URL
    return answer.status == 302 and answer.location.startswith(login)


def was_done(entry: str, answer: Answer) -> bool:
    if entry == API:
        return answer.status == 200
    return answer.status == 302 and bool(answer.said(SUCCESS)) and not answer.said(ERROR)


def was_refused(entry: str, answer: Answer, *, anonymous: bool) -> bool:
    """Refused the way each entry point refuses: the API with 401 (no token) or 403/404; the
    admin and the pages send visitors to sign in, and others a 403/404 or, for an object they
    may see, back with an error message (their way of refusing, never an error page)."""
    if entry == API:
        return answer.status == 401 if anonymous else answer.status in (403, 404)
    if anonymous or (entry == ADMIN and is_login_redirect(entry, answer)):
        return is_login_redirect(entry, answer)
    if answer.status in (403, 404):
        return True
    return answer.status == 302 and bool(answer.said(ERROR)) and not answer.said(SUCCESS)
