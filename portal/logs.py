"""Structured logs (docs/deployment.md, "Logs"): a request id for every request, one JSON object
per log record in production (python-json-logger's formatter, LOGGING in
portal/settings/production.py), with the request's id, path and user on every record written
while the request is served.

RequestIdMiddleware takes X-Request-ID from a trusted proxy (DJANGO_TRUSTED_PROXIES) or makes
one, echoes it in the response's X-Request-ID header, and logs one record per request on the
logger `portal.requests` (method, path, status, duration in ms, user id)."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty
from pythonjsonlogger.core import RESERVED_ATTRS as _RESERVED
from pythonjsonlogger.json import JsonFormatter

from portal.http import _is_trusted, _parse, trusted_networks

HEADER = "X-Request-ID"
# What a proxy's id may look like: a uuid, a hex trace id, nginx's $request_id…
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_current: ContextVar[dict | None] = ContextVar("portal_request", default=None)
requests_log = logging.getLogger("portal.requests")


def _request_id(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "").strip()
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if given and _VALID.match(given) and peer and _is_trusted(peer, trusted_networks()):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = _request_id(request)
        context = {"request_id": request.request_id, "path": request.path}
        token = _current.set(context)
        try:
            response = self.get_response(request)
            user_id = _known_user_id(request)
            if user_id is not None:
                context["user_id"] = user_id
            response[HEADER] = request.request_id
            requests_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)

    def process_exception(self, request, exception):
        # The user is known by then; the exception's own record (django.request) carries it.
        context, user_id = _current.get(), _known_user_id(request)
        if context is not None and user_id is not None:
            context["user_id"] = user_id


def _known_user_id(request):
    """The signed-in user's id if the request has already looked its user up: logging never
    costs a query (request.user is lazy)."""
    user = request.__dict__.get("user")
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not user.is_authenticated:
        return None
    return user.pk


class RequestContextFilter(logging.Filter):
    """Adds the current request's id, path and user id to every record written while it is
    served; drops Django's `request` attribute (an object, not a field)."""

    def filter(self, record):
        context = _current.get() or {}
        for key in ("request_id", "path", "user_id"):
            if key in context and not hasattr(record, key):
                setattr(record, key, context[key])
        if hasattr(record, "request"):
            record.request = None
        return True


class JsonLineFormatter(JsonFormatter):
    """One JSON object per record: time (ISO 8601, UTC offset), level, logger, message, the
    record's extra fields, and `exc_info` (the traceback) when there is one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "{asctime}{levelname}{name}{message}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("reserved_attrs", [*_RESERVED, "request", "server_time"])
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created)) + (
            f".{int(record.msecs):03d}{time.strftime('%z', time.localtime(record.created))}"
        )


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is production's server; nothing else needs it
    _GunicornLogger = object


class GunicornJsonLogger(_GunicornLogger):
    """gunicorn's access log as JSON lines (gunicorn.conf.py's logger_class): time, level,
    logger, message, request_id (the response's X-Request-ID), remote address, the
    X-Forwarded-For it was given, method, path, query, status, bytes, duration in ms, user
    agent. Values are JSON-escaped, which gunicorn's access_log_format cannot do. Its own
    lines (listening, booting or killing a worker, a worker's timeout) are JSON too, so that
    the supervisor's collector reads one format from the server."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonLineFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))

        def atom(name):
            value = atoms[name]
            return None if value == "-" else value

        status = atom("s")
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "level": "INFO",
            "logger": "gunicorn.access",
            # From the environ, not gunicorn's atoms, which escape quotes for its text format.
            "message": " ".join(
                environ.get(k, "") for k in ("REQUEST_METHOD", "RAW_URI", "SERVER_PROTOCOL")
            ),
            "request_id": atom("{x-request-id}o"),
            "remote": atom("h"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "method": atom("m"),
            "path": atom("U"),
            "query": atom("q") or None,
            "status": int(status) if status and str(status).isdigit() else status,
            "bytes": int(atoms["B"] or 0) if str(atoms["B"]).isdigit() else None,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - gunicorn's own behaviour: never fail the request
            self.exception("Failed to write the access log line")
