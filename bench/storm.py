"""The sign-up storm's database side (issue 11, point 2): `python -m bench.storm setup OUT`
adds one activity with PLACES places (default 20) and MEMBERS members (default 2,000) with API
tokens (written one a line to OUT, the activity's id on the first line), and counts the queries
of one API sign-up on this database; `python -m bench.storm check ACTIVITY_ID` checks the
outcome after the storm and prints it as JSON. Run by bench/run.py with DATABASE_URL set."""

import json
import os
import secrets
import sys
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_local")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import ModelLogEntry  # noqa: E402

from portal.api_auth import TOKEN_LIFETIME, hash_token  # noqa: E402
from portal.models import ApiToken  # noqa: E402
from volunteering.activities.models import ActivityPage  # noqa: E402
from volunteering.communities.models import CommunityPage  # noqa: E402
from volunteering.people.models import Member, Organisation  # noqa: E402
from volunteering.signups.models import SignUp  # noqa: E402

PLACES = int(os.environ.get("PLACES", "20"))


def _activity(title: str, capacity: int) -> ActivityPage:
    community = CommunityPage.objects.live().order_by("path").first()
    starts = timezone.now() + timedelta(days=7)
    page = ActivityPage(
        title=title,
        summary="基准测试：报名高峰",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="社区服务中心",
        capacity=capacity,
        needs_approval=False,
        live=True,
    )
    community.add_child(instance=page)
    page.save_revision().publish()
    return page


def _members(count: int, prefix: str) -> list[str]:
    organisation = Organisation.objects.order_by("pk").first()
    User = get_user_model()
    User.objects.bulk_create(User(username=f"{prefix}{n}") for n in range(count))
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    Member.objects.bulk_create(
        Member(user=u, real_name=f"报名{n}", organisation=organisation) for n, u in enumerate(users)
    )
    raws = [secrets.token_urlsafe(32) for _u in users]
    # last_used set: a client that has used its token lately (it is written at most every
    # few minutes, not on every request), as in tests/volunteering/signups.
    now = timezone.now()
    # auth_hash as api_token_issue writes it: a token whose holder's password changed since is
    # refused (401), and a storm of 401s measures nothing.
    ApiToken.objects.bulk_create(
        ApiToken(
            user=u,
            key_hash=hash_token(raw),
            expires=now + TOKEN_LIFETIME,
            last_used=now,
            auth_hash=u.get_session_auth_hash(),
        )
        for u, raw in zip(users, raws, strict=True)
    )
    return raws


def setup(out: str) -> None:
    stamp = timezone.now().strftime("%H%M%S")
    activity = _activity(f"报名高峰{stamp}", PLACES)
    tokens = _members(int(os.environ.get("MEMBERS", "2000")), f"storm{stamp}-")
    # One sign-up counted on this database, in a process that has served a request (as the
    # server's workers have), on another activity so the storm's stays untouched.
    spare = _activity(f"报名计数{stamp}", PLACES)
    counters = _members(2, f"count{stamp}-")
    client = Client()
    client.post(
        f"/api/v1/activities/{spare.pk}/signups", HTTP_AUTHORIZATION=f"Bearer {counters[0]}"
    )
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(
            f"/api/v1/activities/{spare.pk}/signups", HTTP_AUTHORIZATION=f"Bearer {counters[1]}"
        )
    if answer.status_code != 201:
        raise SystemExit(f"the counted sign-up answered {answer.status_code}: {answer.content!r}")
    Path(out).write_text("\n".join(tokens) + "\n")
    print(
        json.dumps(
            {
                "activity": activity.pk,
                "members": len(tokens),
                "signup_queries": len(captured.captured_queries),
                "signup_status": answer.status_code,
            }
        )
    )


def check(activity_id: int) -> None:
    signups = SignUp.objects.filter(activity_id=activity_id)
    ids = list(signups.values_list("pk", flat=True))
    by_state = dict(signups.values_list("state").annotate(n=Count("pk")))
    twice = signups.values("member").annotate(n=Count("pk")).filter(n__gt=1).count()
    history = SignUp.history.model.objects.filter(id__in=ids)
    history_signups = history.values("id").distinct().count()
    audit = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SignUp), object_id__in=[str(i) for i in ids]
    )
    audit_signups = audit.values("object_id").distinct().count()
    confirmed = by_state.get(SignUp.State.APPROVED, 0)
    ok = {
        # A storm that signed fewer members up than there are places proved nothing.
        "more sign-ups than places": len(ids) > PLACES,
        "exactly the places confirmed": confirmed == PLACES,
        "no member twice": twice == 0,
        "the rest waitlisted": by_state.get(SignUp.State.WAITLISTED, 0) == len(ids) - confirmed,
        "a history row for every sign-up": history_signups == len(ids),
        "an audit entry for every sign-up": audit_signups == len(ids),
    }
    print(
        json.dumps(
            {
                "signups": len(ids),
                "by_state": by_state,
                "members_twice": twice,
                "history_rows": history.count(),
                "audit_rows": audit.count(),
                "checks": ok,
                "correct": all(ok.values()),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    else:
        check(int(sys.argv[2]))
