"""Signing in and out of the JSON API: `POST /api/v1/auth/token` trades a username, or a
member's phone number (by the web sign-in's rule, `login_username`), and a password for a token
(`portal.api_auth`); `DELETE` revokes it. Failed logins are limited as for every way of signing
in (`portal.login_limits`). Apart from `portal.api_auth`, whose token checks every router
imports, because this names accounts through `volunteering.people`."""

from datetime import datetime

from django.contrib.auth import authenticate
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import BaseModel

from portal.api_auth import (
    BAD_CREDENTIALS,
    ErrorOut,
    api_token_issue,
    api_token_revoke,
)
from portal.http import client_address
from portal.login_limits import (
    TOO_MANY_FAILED_LOGINS,
    login_failed,
    login_locked,
    login_succeeded,
)
from volunteering.people.selectors import login_username


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
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
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
        login_failed(username=username, address=address, way="api")
        return Status(401, {"detail": str(BAD_CREDENTIALS)})
    login_succeeded(username=username, address=address)
    token, raw = api_token_issue(user=user, client=request.headers.get("User-Agent", ""))
    return {"token": raw, "token_type": "Bearer", "expires_at": token.expires}


class RevokedOut(Schema):
    revoked: int


@router.delete(
    "/token",
    response={200: RevokedOut, 401: ErrorOut, 422: ErrorOut},
    summary="注销令牌",
    description="注销本次请求所带的令牌（退出登录）；`?everywhere=true` 注销本人的所有令牌"
    "（例如手机丢失时）。注销后令牌立即失效。",
)
def token_delete(request, everywhere: bool = False):
    return {"revoked": api_token_revoke(raw=request.api_token, everywhere=everywhere)}
