"""When the database or the cache cannot be reached: the truth is "try again shortly" (503 with
Retry-After), not "the server is broken" (500). Load balancers and the phone app then retry, and
monitors tell an outage from a bug. Pages get `503.html` (which needs no database); the JSON API
answers JSON (`portal.api`)."""

import logging

from django.db import InterfaceError, OperationalError
from django.template.response import SimpleTemplateResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.unavailable")

# A lost or refused connection, a database that is locked or shutting down, a cache that does
# not answer. Integrity and programming errors are bugs, not outages: they stay 500s.
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30


def is_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE)


def log_unavailable(request, exc: BaseException) -> None:
    logger.error(
        "Service unavailable: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 503, "request": request},
    )


class ServiceUnavailableMiddleware:
    """A view that fails because the database or cache is unreachable answers 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not is_unavailable(exc):
            return None
        log_unavailable(request, exc)
        response = SimpleTemplateResponse("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response.render()
