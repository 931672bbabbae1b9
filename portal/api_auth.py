"""Bearer tokens of the JSON API (`portal.api`).

`POST /api/v1/auth/token` (`portal.api_login`) trades a username (or a member's phone number)
and password for a token; the other endpoints read it from `Authorization: Bearer <token>`.
Only the token's SHA-256 is stored, so a copy of the database cannot be replayed.

A token ends when its holder's password changes, as their other signed-in sessions do: it keeps
the password's fingerprint from when it was issued (Django's session auth hash, an HMAC of the
password hash) and is refused once that no longer matches — whether the password was changed,
reset, set by staff, or made unusable by an account closure. A deactivated account's tokens are
refused too. Holders list and revoke their tokens themselves (`portal.api_tokens`)."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.security import HttpBearer

from portal.models import ApiToken
from portal.prepared import Prepared

TOKEN_LIFETIME = timedelta(days=30)
# last_used is written at most this often per token, not on every request.
LAST_USED_INTERVAL = timedelta(minutes=5)
MAX_TOKEN_LENGTH = 200

BAD_CREDENTIALS = _("用户名（或手机号）或密码不正确。")


class ErrorOut(Schema):
    """The body of every error answer: a message users can read."""

    detail: str


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user, client: str = "", now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: (stored row, the token itself, shown only now). `client` names
    what asked for it (a User-Agent). The user's expired tokens are cleared on the way."""
    now = now or timezone.now()
    ApiToken.objects.filter(user=user, expires__lte=now).delete()
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires=now + TOKEN_LIFETIME,
        auth_hash=user.get_session_auth_hash(),
        client=client[: ApiToken._meta.get_field("client").max_length],
    )
    return token, raw


def token_is_current(token: ApiToken) -> bool:
    """The token's holder is active and has not changed their password since it was issued."""
    user = token.user
    return user.is_active and constant_time_compare(token.auth_hash, user.get_session_auth_hash())


# Stand-ins for the prepared token statement's values (`portal.prepared`).
_KEY = "stand-in key hash, never a SHA-256"
_NOW = datetime(1901, 1, 1, tzinfo=UTC)


def _token_columns() -> tuple[list[str], list[str], list[str]]:
    user_model = ApiToken._meta.get_field("user").related_model
    member_model = user_model._meta.get_field("member").related_model
    return tuple(
        [field.attname for field in model._meta.concrete_fields]
        for model in (ApiToken, user_model, member_model)
    )


def _token_query(key, now):
    token, user, member = _token_columns()
    columns = token + [f"user__{c}" for c in user] + [f"user__member__{c}" for c in member]
    return ApiToken.objects.filter(key_hash=key, expires__gt=now).values_list(*columns)[:1]


# The token with its user and the user's member record (None for staff), in one statement
# compiled once per process: the API's busiest request, the sign-up (issue 11), spent more Python
# building this query than the database took to answer it.
_TOKEN = Prepared(_token_query, key=_KEY, now=_NOW)
# Its `last_used` written (at most every LAST_USED_INTERVAL), by a statement compiled once too.
_TOUCH = Prepared(
    lambda pk, now: (ApiToken.objects.filter(pk=pk), {"last_used": now}),
    pk=2_000_000_011,
    now=_NOW,
)


def _token_from_row(row, using: str) -> ApiToken:
    """The token, its `user` and `user.member` (or None) built from the prepared row, related as
    `select_related("user__member")` would relate them (no query to follow either)."""
    token_columns, user_columns, member_columns = _token_columns()
    values = list(row)
    token_values = values[: len(token_columns)]
    user_values = values[len(token_columns) : len(token_columns) + len(user_columns)]
    member_values = values[len(token_columns) + len(user_columns) :]
    user_model = ApiToken._meta.get_field("user").related_model
    member_relation = user_model._meta.get_field("member")
    token = ApiToken.from_db(using, token_columns, token_values)
    user = user_model.from_db(using, user_columns, user_values)
    member = None
    if member_values[0] is not None:
        member = member_relation.related_model.from_db(using, member_columns, member_values)
        member_relation.field.set_cached_value(member, user)
    member_relation.set_cached_value(user, member)
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    return token


def api_token_user(*, raw: str, now: datetime | None = None):
    """The active user holding the unexpired token `raw`, or None."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    now = now or timezone.now()
    # The user's member record (the reverse one-to-one `user.member`, None for staff) comes in
    # the same query: most API calls ask who the member is next.
    row = _TOKEN.first(key=hash_token(raw), now=now)
    token = _token_from_row(row, DEFAULT_DB_ALIAS) if row is not None else None
    if token is None or not token_is_current(token):
        return None
    if token.last_used is None or now - token.last_used >= LAST_USED_INTERVAL:
        _TOUCH.update(pk=token.pk, now=now)
    return token.user


def api_token_revoke(*, raw: str, everywhere: bool = False) -> int:
    """Revoke the token `raw` (signing out of one device), or with `everywhere` every token of
    its holder (a lost phone). Returns how many tokens were revoked."""
    token = ApiToken.objects.filter(key_hash=hash_token(raw)).only("user_id").first()
    if token is None:
        return 0
    which = {"user_id": token.user_id} if everywhere else {"pk": token.pk}
    deleted, _per_model = ApiToken.objects.filter(**which).delete()
    return deleted


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`; sets request.user (a session cookie never counts)."""

    def authenticate(self, request, token):
        user = api_token_user(raw=token.strip())
        request.user = user or AnonymousUser()
        request.api_token = token.strip() if user else ""
        return user


class OptionalBearerAuth(BearerAuth):
    """For public reads that say more to a signed-in member: no header means anonymous, but a
    header with a bad token is still refused (401), so a client learns its token expired."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)


def api_tokens_of(user, *, now: datetime | None = None) -> list[ApiToken]:
    """The user's tokens still in force (unexpired, issued under the current password), newest
    first: what "my apps" lists."""
    now = now or timezone.now()
    tokens = ApiToken.objects.filter(user=user, expires__gt=now).select_related("user")
    return [token for token in tokens if token_is_current(token)]


def api_token_revoke_own(*, user, pk: int) -> bool:
    """Revoke one of `user`'s own tokens by its id; another's id revokes nothing."""
    deleted, _per_model = ApiToken.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def api_tokens_revoke_all(*, user) -> int:
    deleted, _per_model = ApiToken.objects.filter(user=user).delete()
    return deleted
