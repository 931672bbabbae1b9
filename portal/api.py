"""The JSON API for mobile clients, at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs). The routers live in their apps; this module mounts them, sets the bearer-token
auth, and turns every refusal into `{"detail": "<message users can read>"}` with the HTTP
status that means it — in this one place."""

import logging
from functools import wraps

from django.core import signals
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from portal.api_auth import BearerAuth
from portal.api_login import router as auth_router
from portal.unavailable import RETRY_AFTER_SECONDS, UNAVAILABLE, log_unavailable
from volunteering import errors as volunteering_errors
from volunteering.api import router as volunteering_router
from volunteering.figures.api import router as stats_router
from workflows.statemachine import TransitionConflict

NOT_AUTHENTICATED = _("请先登录：请求头需要带上有效的令牌（Authorization: Bearer <令牌>）。")
NOT_FOUND = _("没有找到。")
NOT_ALLOWED = _("您没有权限执行这个操作。")
INVALID_REQUEST = _("请求有误：%(problems)s")
INVALID_JSON = _("请求正文不是有效的 JSON。")
UNAVAILABLE_MESSAGE = _("服务暂时不可用，请稍后重试。")
SERVER_ERROR = _("服务器出错了，工作人员会收到通知。请稍后重试。")
METHOD_NOT_ALLOWED = _("这个地址不支持 %(method)s 请求；可用：%(allowed)s。")
# What is wrong with one field, by pydantic's error type; anything else is "格式不正确".
FIELD_PROBLEMS = {
    "missing": _("%(field)s必须填写"),
    "int_parsing": _("%(field)s应为整数"),
    "int_type": _("%(field)s应为整数"),
    "int_from_float": _("%(field)s应为整数"),
    "bool_parsing": _("%(field)s应为 true 或 false"),
    "bool_type": _("%(field)s应为 true 或 false"),
    "date_parsing": _("%(field)s应为日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": _("%(field)s应为日期（YYYY-MM-DD）"),
    "greater_than_equal": _("%(field)s超出允许范围"),
    "less_than_equal": _("%(field)s超出允许范围"),
    "string_too_short": _("%(field)s不能为空"),
    "string_too_long": _("%(field)s太长"),
    "string_type": _("%(field)s应为文字"),
    "enum": _("%(field)s取值无效"),
    "model_attributes_type": _("%(field)s应为 JSON 对象"),
    "dict_type": _("%(field)s应为 JSON 对象"),
    "model_type": _("%(field)s应为 JSON 对象"),
}
OTHER_FIELD_PROBLEM = _("%(field)s格式不正确")
# Parts of a pydantic error location that name where a field is, not the field.
LOCATION_PARTS = {"body", "query", "path", "header", "form", "payload", "filters", "credentials"}


class ReadableJSONRenderer(JSONRenderer):
    """Chinese as characters, not \\u escapes: what a developer reads in curl is the message."""

    json_dumps_params = {"ensure_ascii": False}


# Answers any operation may give besides its own: the door's refusal of control characters and
# every invalid body or query (422), a body that is not JSON (400, where there is a body), no or
# a bad token (401, where one is needed), a bug (500), the database or cache out of reach (503).
# And 405, which is the path's answer rather than an operation's: OpenAPI has no place for the
# methods a path does not have, so each operation of the path lists it (with its Allow header).
COMMON_ANSWERS = {
    405: _("这个地址不支持所用的请求方法（Allow 头列出可用的方法）"),
    422: _("请求内容有误（包括含有控制字符）"),
    500: _("服务器出错"),
    503: _("服务暂时不可用，稍后重试（带 Retry-After）"),
}
BODY_ANSWERS = {400: _("请求正文不是有效的 JSON")}
AUTH_ANSWERS = {401: _("未登录或令牌无效")}
ALLOW_DESCRIPTION = _("这个地址可用的请求方法，如 GET, POST")


class PortalAPI(NinjaAPI):
    """Every status an operation can answer is in the OpenAPI document, with the error body."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                answers = dict(COMMON_ANSWERS)
                if "requestBody" in operation:
                    answers |= BODY_ANSWERS
                if operation.get("security"):
                    answers |= AUTH_ANSWERS
                responses = operation.setdefault("responses", {})
                # ninja keys the responses by number; the JSON document by text.
                documented = {str(status) for status in responses}
                for status, description in answers.items():
                    if str(status) not in documented:
                        responses[status] = {"description": str(description), "content": error}
                allow = {"description": str(ALLOW_DESCRIPTION), "schema": {"type": "string"}}
                responses.get(405, responses.get("405", {}))["headers"] = {"Allow": allow}
        return schema


api = PortalAPI(
    title="在职党员进社区服务平台 API",
    version="v1",
    description=(
        "供手机客户端使用。先用 `POST /api/v1/auth/token` 以用户名和密码换取令牌，"
        "其余请求在请求头中带上 `Authorization: Bearer <令牌>`。"
        '出错时返回 `{"detail": "说明"}`：401 未登录或令牌无效，403 无权操作，'
        "404 不存在或无权查看，405 这个地址不支持所用的请求方法（Allow 头列出可用的），"
        "409 当前状态下不能这样做，422 请求内容有误，429 尝试过多，"
        "500 服务器出错，503 服务暂时不可用（按 Retry-After 的秒数后重试）。"
    ),
    urls_namespace="api-v1",
    auth=BearerAuth(),
    docs=Swagger(),  # bundled assets from ninja's static files (ninja is an installed app)
    renderer=ReadableJSONRenderer(),
)
api.add_router("/auth", auth_router)
api.add_router("/", volunteering_router)
api.add_router("/", stats_router)


def _error(request, message, status: int, **headers):
    response = api.create_response(request, {"detail": str(message)}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def _not_authenticated(request, exc):
    return _error(request, NOT_AUTHENTICATED, 401, WWW_Authenticate="Bearer")


@api.exception_handler(PermissionDenied)
def _not_allowed(request, exc):
    return _error(request, str(exc) or NOT_ALLOWED, 403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    # Our views raise Http404 with a message users can read; anything else gets ours.
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str | Promise) else ""
    return _error(request, message or NOT_FOUND, 404)


@api.exception_handler(TransitionConflict)
def _conflict(request, exc):
    return _error(request, exc.message, 409)


@api.exception_handler(volunteering_errors.ServiceError)
def _refused(request, exc):
    return _error(request, exc.message, 409 if exc.code == "conflict" else 422)


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc):
    return _error(request, " ".join(str(m) for m in exc.messages), 422)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc):
    return _error(request, readable_validation_errors(exc.errors), 422)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # ninja's own refusals (e.g. a body that is not JSON) carry English messages.
    message = INVALID_JSON if exc.status_code == 400 else exc.message
    return _error(request, message, exc.status_code)


def _unavailable(request, exc):
    log_unavailable(request, exc)
    return _error(request, UNAVAILABLE_MESSAGE, 503, Retry_After=str(RETRY_AFTER_SECONDS))


for _cls in UNAVAILABLE:
    api.add_exception_handler(_cls, _unavailable)

logger = logging.getLogger("django.request")


@api.exception_handler(Exception)
def _server_error(request, exc):
    """Anything else is a bug: logged (and mailed to the admins) as Django logs a 500, and
    answered in JSON like every other status (ninja would hand Django an HTML page)."""
    signals.got_request_exception.send(sender=None, request=request)
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return _error(request, SERVER_ERROR, 500)


def readable_validation_errors(problems: list[dict]) -> str:
    """ninja's (pydantic's) validation errors as one Chinese sentence naming each field."""
    parts = []
    for problem in problems:
        if problem.get("type") == "json_invalid":
            return str(INVALID_JSON)
        names = [str(p) for p in problem.get("loc", ()) if str(p) not in LOCATION_PARTS and p != ""]
        field = f"“{'.'.join(names)}”" if names else gettext("请求正文")
        template = FIELD_PROBLEMS.get(problem.get("type", ""), OTHER_FIELD_PROBLEM)
        text = template % {"field": field}
        if text not in parts:
            parts.append(text)
    return INVALID_REQUEST % {"problems": "；".join(parts)}


# Added last: any other address under /api/v1/ answers a JSON 404, not the site's HTML page.
unknown_router = Router()


ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@unknown_router.api_operation(ANY_METHOD, "/{path:unknown}", auth=None, include_in_schema=False)
def unknown_endpoint(request, unknown: str):
    raise Http404(NOT_FOUND)


@unknown_router.api_operation(ANY_METHOD, "", auth=None, include_in_schema=False)
def api_root(request):
    raise Http404(NOT_FOUND)


api.add_router("/", unknown_router)


def _json_method_not_allowed(view):
    """ninja answers a wrong HTTP method with a plain-text 405; say it in JSON like the rest."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        message = METHOD_NOT_ALLOWED % {"method": request.method, "allowed": allowed}
        return _error(request, message, 405, Allow=allowed)

    return wrapped


def urls():
    """`api.urls` with every endpoint's wrong-method answer in JSON."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace
