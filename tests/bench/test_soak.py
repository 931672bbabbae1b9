"""`make soak`'s verdict (bench/soak.py) holds a soak to what issue 12 asks: every answer a 200
or 201, no socket error, no traceback, flat memory after the warm-up slice, and the load near
its target. The soak itself runs for minutes against gunicorn: `make soak`, not the suite."""

from bench import soak


def _slice(statuses, workers, requests=600, seconds=60, socket_errors=0):
    return {
        "seconds": seconds,
        "requests": requests,
        "statuses": statuses,
        "socket_errors": socket_errors,
        "workers_mb": workers,
    }


def _result(*slices, tracebacks=0, target=10.0):
    return {
        "slices": list(slices),
        "tracebacks": tracebacks,
        "growth_mb": 5.0,
        "target_rps": target,
    }


def test_a_clean_flat_soak_passes():
    verdict = soak.verdict(
        _result(_slice({200: 590, 201: 10}, [150.0, 151.0]), _slice({200: 600}, [152.0, 154.5]))
    )
    assert verdict["passed"], verdict
    assert verdict["statuses"] == {200: 1190, 201: 10}
    assert verdict["achieved_rps"] == 10.0


def test_one_error_of_any_kind_fails_it():
    clean = _slice({200: 600}, [150.0])
    assert not soak.verdict(_result(clean, _slice({200: 599, 502: 1}, [150.0])))["passed"]
    assert not soak.verdict(_result(clean, _slice({200: 599, 401: 1}, [150.0])))["passed"]
    assert not soak.verdict(_result(clean, _slice({200: 600}, [150.0], socket_errors=1)))["passed"]
    assert not soak.verdict(_result(clean, clean, tracebacks=1))["passed"]


def test_memory_growing_after_the_warm_up_fails_it():
    verdict = soak.verdict(_result(_slice({200: 600}, [150.0]), _slice({200: 600}, [156.0])))
    assert not verdict["checks"]["the workers' memory flat"]
    assert verdict["growth_mb"] == 6.0


def test_a_load_far_below_its_target_fails_it():
    verdict = soak.verdict(_result(_slice({200: 60}, [150.0], requests=60), target=10.0))
    assert not verdict["checks"]["near the target rate"]


def test_the_pause_holds_the_connections_near_the_rate(monkeypatch):
    monkeypatch.setenv("SOAK_CONNECTIONS", "8")
    # 8 connections at 100 rps: one request every 80 ms per connection, 20 of them answering.
    assert soak.pause_for(100.0, 20.0) == 60.0
    assert soak.pause_for(1000.0, 20.0) == 0.0  # never negative


def test_the_mix_has_every_public_path_and_two_sign_ups():
    lines = soak.mix(42)
    assert lines.count("SIGNUP /api/v1/activities/42/signups") == 2
    assert [line for line in lines if line.startswith("GET ")] == [
        f"GET {path}" for path in soak.PUBLIC
    ]
