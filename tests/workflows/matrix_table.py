"""The permission matrix of the volunteering workflows, written out by hand.

This is what the programme promises, typed from the issue and the programme's rules, NOT read
from `volunteering.workflows`: if a declaration drifts from it, the matrix tests fail.

    Y  the role may perform the transition (on an object in a state it starts from)
    -  the role is refused
    .  the role does not apply (a need has no owning member; only teams have a leader)

Columns (roles):
    anon   anonymous visitor
    own    the member whose report / claim / membership / pledge / sign-up it is; for an
           assessment, the member assessed (who never grades themselves); a resident's
           request (feedback) has no owning member
    oth    another member (another organisation, no rights anywhere)
    stf    staff of the object's community
    stf2   staff of another community
    rev    page reviewer of the object's community   (reviews pages only: no rights here)
    rev2   page reviewer of another community
    org    admin of the owning member's organisation (sees, never decides; but decides a
           request to close the account of one of its members, with the city)
    crev   city reviewer                             (reviews pages only: no rights here)
    city   city administrator (volunteering.manage_all_communities)
    sup    superuser
    lead   leader of the team (decides on joining it, nothing else)
"""

MATRIX = """
workflow  transition      anon own oth stf stf2 rev rev2 org crev city sup lead
report    confirm         -    -   -   Y   -    -   -    -   -    Y    Y   .
report    return          -    -   -   Y   -    -   -    -   -    Y    Y   .
report    withdraw        -    Y   -   -   -    -   -    -   -    -    -   .
need      close           -    .   -   Y   -    -   -    -   -    Y    Y   .
need      reopen          -    .   -   Y   -    -   -    -   -    Y    Y   .
claim     confirm         -    -   -   Y   -    -   -    -   -    Y    Y   .
claim     decline         -    -   -   Y   -    -   -    -   -    Y    Y   .
claim     withdraw        -    Y   -   -   -    -   -    -   -    -    -   .
claim     complete        -    -   -   Y   -    -   -    -   -    Y    Y   .
team      approve         -    -   -   Y   -    -   -    -   -    Y    Y   Y
team      decline         -    -   -   Y   -    -   -    -   -    Y    Y   Y
team      leave           -    Y   -   -   -    -   -    -   -    -    -   -
pledge    accept          -    -   -   Y   -    -   -    -   -    Y    Y   .
pledge    decline         -    -   -   Y   -    -   -    -   -    Y    Y   .
pledge    withdraw        -    Y   -   -   -    -   -    -   -    -    -   .
pledge    fulfil          -    -   -   Y   -    -   -    -   -    Y    Y   .
signup    approve         -    -   -   Y   -    -   -    -   -    Y    Y   .
signup    reject          -    -   -   Y   -    -   -    -   -    Y    Y   .
signup    cancel          -    Y   -   -   -    -   -    -   -    -    -   .
signup    mark_attended   -    -   -   Y   -    -   -    -   -    Y    Y   .
signup    mark_no_show    -    -   -   Y   -    -   -    -   -    Y    Y   .
feedback  accept          -    .   -   Y   -    -   -    -   -    Y    Y   .
feedback  assign          -    .   -   Y   -    -   -    -   -    Y    Y   .
feedback  resolve         -    .   -   Y   -    -   -    -   -    Y    Y   .
feedback  answer          -    .   -   Y   -    -   -    -   -    Y    Y   .
feedback  refer           -    .   -   Y   -    -   -    -   -    Y    Y   .
feedback  reject          -    .   -   Y   -    -   -    -   -    Y    Y   .
feedback  reopen          -    .   -   Y   -    -   -    -   -    Y    Y   .
assessment submit         -    -   -   Y   -    -   -    -   -    Y    Y   .
assessment reopen         -    -   -   -   -    -   -    -   -    Y    Y   .
closure   confirm         -    -   -   -   -    -   -    Y   -    Y    Y   .
closure   reject          -    -   -   -   -    -   -    Y   -    Y    Y   .
closure   withdraw        -    Y   -   -   -    -   -    -   -    -    -   .
"""

COLUMNS = {
    "anon": "anonymous",
    "own": "owner",
    "oth": "other_member",
    "stf": "staff",
    "stf2": "staff_other",
    "rev": "reviewer",
    "rev2": "reviewer_other",
    "org": "orgadmin",
    "crev": "city_reviewer",
    "city": "city_admin",
    "sup": "superuser",
    "lead": "leader",
}

REVIEWER_ROLES = frozenset({"reviewer", "reviewer_other", "city_reviewer"})

# The state each transition is tried from (one of its sources).
SOURCE_STATE = {
    ("report", "confirm"): "pending",
    ("report", "return"): "pending",
    ("report", "withdraw"): "pending",
    ("need", "close"): "open",
    ("need", "reopen"): "closed",
    ("claim", "confirm"): "pending",
    ("claim", "decline"): "pending",
    ("claim", "withdraw"): "pending",
    ("claim", "complete"): "confirmed",
    ("team", "approve"): "requested",
    ("team", "decline"): "requested",
    ("team", "leave"): "requested",
    ("pledge", "accept"): "pending",
    ("pledge", "decline"): "pending",
    ("pledge", "withdraw"): "pending",
    ("pledge", "fulfil"): "accepted",
    ("signup", "approve"): "pending",
    ("signup", "reject"): "pending",
    ("signup", "cancel"): "pending",
    ("signup", "mark_attended"): "approved",
    ("signup", "mark_no_show"): "approved",
    ("feedback", "accept"): "submitted",
    ("feedback", "assign"): "accepted",
    ("feedback", "resolve"): "accepted",
    ("feedback", "answer"): "assigned",
    ("feedback", "refer"): "accepted",
    ("feedback", "reject"): "submitted",
    ("feedback", "reopen"): "closed",
    ("assessment", "submit"): "draft",
    ("assessment", "reopen"): "submitted",
    ("closure", "confirm"): "pending",
    ("closure", "reject"): "pending",
    ("closure", "withdraw"): "pending",
}

# The other states a transition also starts from, where the UI must offer it too (a resident's
# request can be closed or handed over whether it is assigned yet or not).
ALSO_FROM = {
    ("feedback", "assign"): {"assigned"},
    ("feedback", "resolve"): {"assigned"},
    ("feedback", "answer"): {"accepted"},
    ("feedback", "refer"): {"assigned"},
    ("feedback", "reject"): {"accepted"},
    ("feedback", "reopen"): {"rejected"},
    ("assessment", "submit"): {"reopened"},
}


def starts_from(workflow: str, transition: str, state: str) -> bool:
    key = (workflow, transition)
    return state == SOURCE_STATE[key] or state in ALSO_FROM.get(key, ())


# Where the target state of each transition is (checked after an allowed cell).
TARGET_STATE = {
    ("report", "confirm"): "confirmed",
    ("report", "return"): "returned",
    ("report", "withdraw"): "withdrawn",
    ("need", "close"): "closed",
    ("need", "reopen"): "open",
    ("claim", "confirm"): "confirmed",
    ("claim", "decline"): "declined",
    ("claim", "withdraw"): "withdrawn",
    ("claim", "complete"): "done",
    ("team", "approve"): "approved",
    ("team", "decline"): "declined",
    ("team", "leave"): "left",
    ("pledge", "accept"): "accepted",
    ("pledge", "decline"): "declined",
    ("pledge", "withdraw"): "withdrawn",
    ("pledge", "fulfil"): "fulfilled",
    ("signup", "approve"): "approved",
    ("signup", "reject"): "rejected",
    ("signup", "cancel"): "cancelled",
    ("signup", "mark_attended"): "attended",
    ("signup", "mark_no_show"): "no_show",
    ("feedback", "accept"): "accepted",
    ("feedback", "assign"): "assigned",
    ("feedback", "resolve"): "closed",
    ("feedback", "answer"): "closed",
    ("feedback", "refer"): "closed",
    ("feedback", "reject"): "rejected",
    ("feedback", "reopen"): "accepted",
    ("assessment", "submit"): "submitted",
    ("assessment", "reopen"): "reopened",
    ("closure", "confirm"): "confirmed",
    ("closure", "reject"): "rejected",
    ("closure", "withdraw"): "withdrawn",
}

# Transitions that need a reason (the decision is explained to the member).
REASON_REQUIRED = frozenset(
    {
        ("report", "return"),
        ("claim", "decline"),
        ("claim", "complete"),
        ("team", "decline"),
        ("pledge", "decline"),
        ("signup", "reject"),
        # Closing or turning down a resident's request: the reason is the public reply.
        ("feedback", "resolve"),
        ("feedback", "answer"),
        ("feedback", "refer"),
        ("feedback", "reject"),
        ("feedback", "reopen"),
        ("assessment", "reopen"),
        ("closure", "reject"),
    }
)

# Submitting an assessment saves the form's grade and comment first (an edit, recorded with
# its own history record by the same user) and then makes the transition: two records.
EDIT_BEFORE_TRANSITION = frozenset({("assessment", "submit")})

# Which entry points offer each transition: the Wagtail admin (every transition that has a
# service), the public/member pages, the JSON API.
ADMIN, PAGES, API = "admin", "pages", "api"
ENTRY_POINTS = {
    ("report", "confirm"): (ADMIN, API),
    ("report", "return"): (ADMIN, API),
    ("report", "withdraw"): (ADMIN, PAGES),
    ("need", "close"): (ADMIN,),
    ("need", "reopen"): (ADMIN,),
    ("claim", "confirm"): (ADMIN,),
    ("claim", "decline"): (ADMIN,),
    ("claim", "withdraw"): (ADMIN, PAGES),
    ("claim", "complete"): (ADMIN,),
    ("team", "approve"): (ADMIN, PAGES),
    ("team", "decline"): (ADMIN, PAGES),
    ("team", "leave"): (ADMIN, PAGES),
    ("pledge", "accept"): (ADMIN,),
    ("pledge", "decline"): (ADMIN,),
    ("pledge", "withdraw"): (ADMIN, PAGES),
    ("pledge", "fulfil"): (ADMIN,),
    ("signup", "approve"): (ADMIN, API),
    ("signup", "reject"): (ADMIN, API),
    ("signup", "cancel"): (ADMIN, PAGES, API),
    ("signup", "mark_attended"): (ADMIN,),
    ("signup", "mark_no_show"): (ADMIN,),
    # Residents' requests are handled in the admin only (the public pages only send them and
    # show their progress; the API has no feedback endpoints).
    ("feedback", "accept"): (ADMIN,),
    ("feedback", "assign"): (ADMIN,),
    ("feedback", "resolve"): (ADMIN,),
    ("feedback", "answer"): (ADMIN,),
    ("feedback", "refer"): (ADMIN,),
    ("feedback", "reject"): (ADMIN,),
    ("feedback", "reopen"): (ADMIN,),
    # Assessments: the admin's assessment page only (its own views, not an action viewset).
    ("assessment", "submit"): (ADMIN,),
    ("assessment", "reopen"): (ADMIN,),
    # Closing an account: the organisation's admins and the city decide in the admin; the
    # member withdraws on "my service".
    ("closure", "confirm"): (ADMIN,),
    ("closure", "reject"): (ADMIN,),
    ("closure", "withdraw"): (PAGES,),
}

# Who gets through the admin's door at all (wagtailadmin.access_admin). Members, team leaders
# and visitors do not: the admin is refused to them whatever the workflow says.
ADMIN_ROLES = frozenset(
    {
        "staff",
        "staff_other",
        "reviewer",
        "reviewer_other",
        "orgadmin",
        "city_reviewer",
        "city_admin",
        "superuser",
    }
)

# The system's own moves: never offered as an action anywhere.
SYSTEM_TRANSITIONS = {
    "signup": {
        "promote": "waitlisted",
        "promote_pending": "waitlisted",
        "resubmit_approved": "cancelled",
        "resubmit_pending": "cancelled",
        "resubmit_waitlisted": "cancelled",
        "check_in": "approved",
        "close_account": "approved",
    },
    # Confirming a closure ends what the member had waiting (volunteering.privacy).
    "report": {"close_account": "pending"},
    "claim": {"close_account": "pending"},
    "pledge": {"close_account": "pending"},
    "team": {"close_account": "requested"},
}


def _parse(text: str) -> dict[tuple[str, str], dict[str, bool]]:
    lines = [line.split() for line in text.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    roles = [COLUMNS[name] for name in header[2:]]
    table = {}
    for workflow, transition, *marks in rows:
        assert len(marks) == len(roles), (workflow, transition)
        table[workflow, transition] = {
            role: mark == "Y" for role, mark in zip(roles, marks, strict=True) if mark != "."
        }
    return table


EXPECTED = _parse(MATRIX)


def allowed_through(entry: str, workflow: str, transition: str, role: str) -> bool:
    """Whether `role` may perform the transition through `entry`: the table, behind the
    entry point's own door (the admin lets in only ADMIN_ROLES)."""
    allowed = EXPECTED[workflow, transition][role]
    if entry == ADMIN:
        return allowed and role in ADMIN_ROLES
    return allowed
