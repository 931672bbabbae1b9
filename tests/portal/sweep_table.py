"""What the permission sweep puts into each URL pattern's arguments, and the patterns it leaves
out with the reason. A pattern with arguments that no rule fills and that is not in `LEFT_OUT`
fails `test_every_pattern_is_swept_or_left_out_with_a_reason`: a new URL must be given its
kind of object here (or a reason) before the suite passes.

An argument is filled with a *kind* of object (a key of `sweep_world.Foreign.ids`: the ids of
community B's, organisation B's and member B's objects, and of member A's peer) or with a
`Const`. Rules are tried in order: the pattern's own entry in `ARGUMENTS`, the rules by
address (`BY_PREFIX`), then `BY_NAME` (an argument whose name says its kind anywhere)."""

import re
from dataclasses import dataclass

from django.utils import timezone

from tests.portal.sweep_world import LEAK


@dataclass(frozen=True)
class Const:
    value: str


THIS_YEAR = Const(str(timezone.localdate().year))

# Arguments whose name says what they are, in any URL.
BY_NAME = {
    "page_id": "page",
    "parent_page_id": "page",
    "activity_id": "activity",
    "report_id": "report",
    "signup_id": "signup",
    "community_id": "community",
    "member_id": "member",
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "collection_id": "collection",
    "redirect_id": "redirect",
    "workflow_pk": "workflow",
    "task_id": "task",
    "workflow_state_id": "workflowstate",
    "task_state_id": "taskstate",
    "page_pk": "page",
    "action_name": Const("approve"),
    "year": THIS_YEAR,
    # A workflow action: the object is looked up (in the user's scope) before the action.
    "action": Const("approve"),
}

# Viewsets and admins whose addresses name their model: `pk` (Django's admin: `object_id`,
# `id`) is an object of that model (the kind is the model's name). The project's viewsets
# (`volunteering.admin.viewsets.ScopedModelViewSet`: volunteering/<model name>), its choosers
# and snippet choosers, and Django's admin.
MODEL_IN_ADDRESS = [
    re.compile(r"^admin/volunteering/(?P<model>\w+)/"),
    re.compile(r"^admin/volunteering_(?P<model>\w+)_chooser/"),
    re.compile(r"^admin/snippets/choose/\w+/(?P<model>\w+)/"),
    re.compile(r"^django-admin/\w+/(?P<model>\w+)/"),
]
MODEL_ARGUMENTS = {"pk", "object_id", "id"}

# Addresses by their beginning → {argument: kind}.
BY_PREFIX = [
    (
        re.compile(r"^admin/pages/"),
        {
            "pk": "page",
            "revision_id": "revision",
            "page_to_move_id": "page",
            "destination_id": "page",
            "app_label": Const("portal"),
            "model_name": Const("standardpage"),
            "content_type_app_name": Const("portal"),
            "content_type_model_name": Const("standardpage"),
        },
    ),
    (re.compile(r"^admin/volunteering/letter/"), {"revision_id": "letterrevision"}),
    (re.compile(r"^admin/api/main/\^pages/"), {"pk": "page"}),
    (re.compile(r"^admin/api/main/\^documents/"), {"pk": "document"}),
    (re.compile(r"^admin/api/main/\^images/"), {"pk": "image"}),
    (re.compile(r"^admin/users/"), {"pk": "user", "user_pk": "user"}),
    (re.compile(r"^admin/groups/"), {"pk": "group"}),
    (re.compile(r"^admin/collections/"), {"pk": "collection"}),
    (re.compile(r"^admin/images/"), {"pk": "image", "filter_spec": Const("original")}),
    (re.compile(r"^admin/documents/"), {"pk": "document"}),
    (re.compile(r"^admin/redirects/"), {"pk": "redirect"}),
    (re.compile(r"^admin/review_scopes/"), {"pk": "reviewscope"}),
    (re.compile(r"^admin/sites/"), {"pk": "site"}),
    (
        re.compile(r"^admin/settings/"),
        {"app_name": Const("portal"), "model_name": Const("portalsettings"), "pk": "site"},
    ),
    (
        re.compile(r"^admin/tag-autocomplete/"),
        {"app_name": Const("news"), "model_name": Const("newspage")},
    ),
    (re.compile(r"^admin/workflows/tasks/"), {"pk": "task"}),
    (
        re.compile(r"^admin/workflows/"),
        {
            "pk": "workflow",
            "app_label": Const("wagtailcore"),
            "model_name": Const("groupapprovaltask"),
        },
    ),
    (
        re.compile(r"^admin/editing-sessions/"),
        {
            "app_label": Const("wagtailcore"),
            "model_name": Const("page"),
            "object_id": "page",
            "session_id": "editingsession",
        },
    ),
]

PAGE_COMPARE = (
    r"admin/pages/^(?P<pk>\d+)/revisions/compare/"
    r"(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$"
)
LETTER_COMPARE = (
    r"admin/volunteering/letter/history/(?P<pk>.+)/revisions/compare/"
    r"(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$"
)

# One pattern → its arguments, or a list of fillings (each swept).
ARGUMENTS = {
    "qr/<int:page_id>.svg": {"page_id": "page"},
    # The sitemap's pages (portal/sitemaps.py): live public pages only, whatever the role.
    "sitemap-<slug:section>.xml": {"section": Const("pages")},
    "accounts/tokens/<int:pk>/revoke/": {"pk": "apitoken"},
    "my/history/<slug:kind>/<int:pk>/": [
        {"kind": Const(kind), "pk": model}
        for kind, model in (
            ("report", "report"),
            ("signup", "signup"),
            ("claim", "needclaim"),
            ("pledge", "postpledge"),
            ("team", "teammembership"),
        )
    ],
    "my/letters/<int:pk>/": {"pk": "letter"},
    "my/closure/<int:pk>/withdraw/": {"pk": "accountclosure"},
    "my/reports/<int:pk>/withdraw/": {"pk": "report"},
    "my/claims/<int:pk>/withdraw/": {"pk": "needclaim"},
    "my/pledges/<int:pk>/withdraw/": {"pk": "postpledge"},
    "my/teams/<int:pk>/leave/": {"pk": "teammembership"},
    "service/communities/<int:pk>/report/": {"pk": "community"},
    "service/communities/<int:pk>/ranking/": {"pk": "community"},
    "service/organisations/<int:pk>/ranking/": {"pk": "organisation"},
    "service/members/<int:pk>/service-file/print/": {"pk": "member"},
    "service/communities/<int:pk>/handbook/print/": {"pk": "community"},
    "service/needs/<int:pk>/": {"pk": "need"},
    "service/needs/<int:pk>/claim/": {"pk": "need"},
    "service/posts/<int:pk>/": {"pk": "post"},
    "service/teams/<int:pk>/": {"pk": "team"},
    "service/teams/<int:pk>/join/": {"pk": "team"},
    "service/team-requests/<int:pk>/approve/": {"pk": "teammembership"},
    "service/team-requests/<int:pk>/decline/": {"pk": "teammembership"},
    "notices/<int:pk>/": {"pk": "letter"},
    "feedback/communities/<int:pk>/": {"pk": "community"},
    "admin/assessment/<int:pk>/reopen/": {"pk": "assessment"},
    "admin/report-rates/<int:pk>/<int:year>/": {"pk": "organisation", "year": THIS_YEAR},
    # Wagtail's bulk actions name their objects in the query string (`?id=`).
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": [
        {"app_label": Const(app), "model_name": Const(model), "action": Const(action), "?id": kind}
        for app, model, action, kind in (
            ("wagtailcore", "page", "delete", "page"),
            ("wagtailcore", "page", "move", "page"),
            ("wagtailcore", "page", "unpublish", "page"),
            ("auth", "user", "delete", "user"),
            ("wagtaildocs", "document", "delete", "document"),
            ("wagtailimages", "image", "delete", "image"),
        )
    ]
    + [
        # "All the children of" another community's page.
        {
            "app_label": Const("wagtailcore"),
            "model_name": Const("page"),
            "action": Const("delete"),
            "?id": Const("all"),
            "?childOf": "community",
        }
    ],
    # Regular expressions: filled by `TEMPLATES`.
    PAGE_COMPARE: {"pk": "page", "revision_id_b": "revision"},
    LETTER_COMPARE: {"pk": "letter", "revision_id_b": "letterrevision"},
    "documents/^(\\d+)/(.*)$": {"document": "document"},
    "^((?:[\\w\\-]+/)*)$": {"path": "pagepath"},
}

# How the patterns written as regular expressions are filled.
TEMPLATES = {
    PAGE_COMPARE: "admin/pages/{pk}/revisions/compare/earliest...{revision_id_b}/",
    LETTER_COMPARE: "admin/volunteering/letter/history/{pk}/revisions/compare/earliest..."
    "{revision_id_b}/",
    "documents/^(\\d+)/(.*)$": "documents/{document}/zzleak.txt",
    "^((?:[\\w\\-]+/)*)$": "{path}",
}

# Patterns the sweep does not fill, each with the reason.
CAPABILITY = "the secret in the address is the permission (tested by its own tests)"
PASSWORD_FORM = "a password form for a restricted page or collection: it shows no object"
TASK_RESULTS = "the task queue's results in Django's admin: for is_staff users (no role is)"
UPLOAD = "an upload in progress, its uploader's own (Wagtail checks `uploaded_by_user`)"
LEFT_OUT = {
    "calendar/member/<str:token>.ics": CAPABILITY + ": tests/volunteering/calendars/",
    "accounts/reset/<uidb64>/<token>/": CAPABILITY + ": tests/portal/test_password_reset.py",
    "admin/password_reset/confirm/<uidb64>/<token>/": CAPABILITY + " (Django's reset link)",
    "accounts/activate/<str:token>/": CAPABILITY + ": tests/volunteering/accounts/",
    "api/v1/<path:unknown>": "the API's catch-all: a JSON 404 for any other address",
    "admin/^.*/$": "Wagtail admin's catch-all 404",
    "django-admin/(?P<url>.*)$": "Django admin's catch-all",
    "django-admin/^(?P<app_label>wagtaildocs|wagtailimages|taggit|django_tasks_database|auth)/$": (
        "Django admin's index of an app (for is_staff users; no role is); lists no object"
    ),
    "django-admin/r/<path:content_type_id>/<path:object_id>/": (
        "Django admin's view-on-site redirect, for is_staff users (no role is)"
    ),
    "documents/authenticate_with_password/<int:restriction_id>/": PASSWORD_FORM,
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        PASSWORD_FORM
    ),
    "admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/": UPLOAD,
    "admin/documents/multiple/delete_upload/<int:uploaded_file_id>/": UPLOAD,
    "admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/": UPLOAD,
    "admin/images/multiple/delete_upload/<int:uploaded_file_id>/": UPLOAD,
    **{
        f"django-admin/django_tasks_database/dbtaskresult/<path:object_id>/{tail}": TASK_RESULTS
        for tail in ("history/", "delete/", "change/", "")
    },
}

# Patterns not requested at all (without arguments).
NOT_REQUESTED = {
    "admin/failwhale/": "Wagtail's own 500, on purpose, to test that errors are reported",
    "accounts/logout/": "signs the role out",
    "admin/logout/": "signs the role out",
    "django-admin/logout/": "signs the role out",
}

# Where a marker in a 200 is accepted: (pattern, marker) → why. Each is in docs/security.md
# (Known limits).
MEDIA_SHARED = (
    "open: Wagtail's admin API (for its choosers and explorer) lists every image and document "
    "to every admin user; the portal's media library is one for the city, not per community"
)
BY_DESIGN: dict[tuple[str, str], str] = {
    (f"admin/api/main/^{kind}/{tail}", LEAK): MEDIA_SHARED
    for kind in ("documents", "images")
    for tail in ("", "<int:pk>/")
}


def fillings(route) -> list[dict] | None:
    """The argument fillings of `route` ({argument: kind or Const} each), or None when no
    rule fills every argument."""
    own = ARGUMENTS.get(route.key)
    if own is not None:
        return own if isinstance(own, list) else [own]
    if not route.plain:
        return None
    if not route.args:
        return [{}]
    filling = {arg: _kind(route.key, arg) for arg in route.args}
    if None in filling.values():
        return None
    return [filling]


def _kind(key: str, arg: str):
    for pattern in MODEL_IN_ADDRESS:
        found = pattern.match(key)
        if found and arg in MODEL_ARGUMENTS:
            return found["model"]
    for prefix, kinds in BY_PREFIX:
        if prefix.match(key) and arg in kinds:
            return kinds[arg]
    return BY_NAME.get(arg)
