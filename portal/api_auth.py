"""Bearer tokens of the JSON API (`portal.api`).

`POST /api/v1/auth/token` trades a username (or a member's phone number) and password for a
token; the other endpoints read
it from `Authorization: Bearer <token>`. Only the token's SHA-256 is stored, so a copy of the
database cannot be replayed. Failed logins are limited as for every way of signing in
(`portal.login_limits`)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import BaseModel

from portal.http import client_address
from portal.login_limits import (
    TOO_MANY_FAILED_LOGINS,
    login_failed,
    login_locked,
    login_succeeded,
)
from portal.models import ApiToken
from volunteering.people.selectors import login_username

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
def api_token_issue(*, user, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: (stored row, the token itself, shown only now). The user's
    expired tokens are cleared on the way."""
    now = now or timezone.now()
    ApiToken.objects.filter(user=user, expires__lte=now).delete()
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), expires=now + TOKEN_LIFETIME
    )
    return token, raw


def api_token_user(*, raw: str, now: datetime | None = None):
    """The active user holding the unexpired token `raw`, or None."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), expires__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used is None or now - token.last_used >= LAST_USED_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
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


class CredentialsIn(BaseModel):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1024)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime


router = Router(tags=["认证"])


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="用用户名（或手机号）和密码换取令牌",
    description="令牌 30 天内有效。`username` 可填用户名或成员的手机号（任意写法，如网站登录）。"
    "用户名不存在、密码错误和账号停用得到同样的 401；"
    "15 分钟内同一用户名在同一地址失败 10 次、同一地址失败 30 次或同一用户名失败 50 次后，"
    "返回 429（密码正确也一样），直到时段结束。",
)
def token_create(request, credentials: CredentialsIn):
    """The same 401 answer for an unknown user, a wrong password and an inactive account
    (Django's `authenticate` runs the password hasher in every case). A phone number is turned
    into its member's username first, by the web sign-in's rule (`login_username`), so the
    login limits count one account however it was named."""
    address = client_address(request)
    username = login_username(credentials.username)
    if login_locked(username=username, address=address):
        return Status(429, {"detail": str(TOO_MANY_FAILED_LOGINS)})
    user = authenticate(request, username=username, password=credentials.password)
    if user is None:
        login_failed(username=username, address=address)
        return Status(401, {"detail": str(BAD_CREDENTIALS)})
    login_succeeded(username=username, address=address)
    token, raw = api_token_issue(user=user)
    return {"token": raw, "token_type": "Bearer", "expires_at": token.expires}


class RevokedOut(Schema):
    revoked: int


@router.delete(
    "/token",
    response={200: RevokedOut, 401: ErrorOut},
    summary="注销令牌",
    description="注销本次请求所带的令牌（退出登录）；`?everywhere=true` 注销本人的所有令牌"
    "（例如手机丢失时）。注销后令牌立即失效。",
)
def token_delete(request, everywhere: bool = False):
    return {"revoked": api_token_revoke(raw=request.api_token, everywhere=everywhere)}
