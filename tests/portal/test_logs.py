"""Structured logs (portal.logs, docs/deployment.md "Logs"): under production's LOGGING every
record is one JSON line with the request's id, path and user; a request gets one record with
its status and duration and echoes its id in X-Request-ID; an exception in a view is one
record with the traceback and the request id."""

import io
import json
import logging.config

import pytest
from django.conf import settings as django_settings
from django.urls import include, path

from portal.logs import GunicornJsonLogger
from tests.portal.test_deployment import DEPLOY_ENV
from tests.portal.test_settings import _run_with


def _boom(request):
    raise RuntimeError("故意的错误")


urlpatterns = [path("boom/", _boom), path("", include("portal.urls"))]


@pytest.fixture
def json_logs(settings):
    """Production's LOGGING (read from production's settings); its stdout handler's output
    kept in a buffer."""
    result = _run_with(DEPLOY_ENV, show="__import__('json').dumps(settings.LOGGING)")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"
    logging.config.dictConfig(config)
    buffer = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(buffer)
    settings.ROOT_URLCONF = __name__

    def records() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line]

    yield records
    logging.config.dictConfig(django_settings.LOGGING)


def test_a_request_is_one_json_line_with_its_id_path_status_duration_and_user(
    client, json_logs, member
):
    client.force_login(member.user)
    response = client.get("/my/")  # a page that looks its user up
    request_id = response["X-Request-ID"]
    assert response.status_code == 200 and len(request_id) == 32  # made: no proxy sent one
    records = [r for r in json_logs() if r["logger"] == "portal.requests"]
    assert len(records) == 1
    record = records[0]
    assert record["level"] == "INFO" and record["message"] == "GET /my/ 200"
    assert record["request_id"] == request_id and record["path"] == "/my/"
    assert record["status"] == 200 and record["duration_ms"] >= 0
    assert record["user_id"] == member.user.pk
    assert record["time"][:4].isdigit() and "T" in record["time"]


def test_logging_the_user_never_looks_it_up():
    """request.user is lazy: the log takes the id only once the view has looked the user up."""
    from django.test import RequestFactory
    from django.utils.functional import SimpleLazyObject

    from portal.logs import _known_user_id

    looked_up = []
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: looked_up.append(1))
    assert _known_user_id(request) is None and looked_up == []


def test_an_exception_in_a_view_is_one_record_with_the_traceback_and_request_id(client, json_logs):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    errors = [r for r in json_logs() if r["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["logger"] == "django.request"
    assert error["request_id"] == response["X-Request-ID"] and error["path"] == "/boom/"
    assert "Traceback" in error["exc_info"] and "故意的错误" in error["exc_info"]
    assert error["status_code"] == 500 and error.get("request") is None


def test_a_trusted_proxys_request_id_is_kept_and_anyone_elses_replaced(client, settings):
    response = client.get("/health/", HTTP_X_REQUEST_ID="from-a-client")
    assert response["X-Request-ID"] != "from-a-client"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    kept = client.get("/health/", HTTP_X_REQUEST_ID="nginx-4f2a")
    assert kept["X-Request-ID"] == "nginx-4f2a"
    forged = client.get("/health/", HTTP_X_REQUEST_ID='bad" id')
    assert len(forged["X-Request-ID"]) == 32


def test_gunicorns_access_line_is_json_with_the_request_id(capsys):
    import datetime
    import types

    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = GunicornJsonLogger(config)
    response = types.SimpleNamespace(
        status="200 OK",
        status_code=200,
        response_length=12,
        headers=[("X-Request-ID", "abc123"), ("Content-Type", "text/html")],
        sent=12,
    )
    request = types.SimpleNamespace(headers=[("USER-AGENT", 'a "quoted" agent')])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/news/?page=2",
        "PATH_INFO": "/news/",
        "QUERY_STRING": "page=2",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_USER_AGENT": 'a "quoted" agent',
    }
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12.5))
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["logger"] == "gunicorn.access" and line["request_id"] == "abc123"
    assert line["path"] == "/news/" and line["query"] == "page=2" and line["status"] == 200
    assert line["user_agent"] == 'a "quoted" agent' and line["duration_ms"] == 12.5


def test_gunicorns_own_lines_are_json_too(capsys):
    """The lines the master and its workers write (listening, booting a worker, a timeout)
    were plain text among the JSON lines of the access log and the portal's records."""
    from gunicorn.config import Config

    config = Config()
    config.set("errorlog", "-")
    logger = GunicornJsonLogger(config)
    logger.info("Booting worker with pid: %s", 4242)
    logger.critical("WORKER TIMEOUT (pid:%s)", 4242)
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert [(line["logger"], line["level"], line["message"]) for line in lines] == [
        ("gunicorn.error", "INFO", "Booting worker with pid: 4242"),
        ("gunicorn.error", "CRITICAL", "WORKER TIMEOUT (pid:4242)"),
    ]
    assert all(line["time"] for line in lines)
