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
        "members": 1000,
        "tokens_used": 10,
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


def test_a_load_far_above_its_target_fails_it():
    """The run of 7 December drifted to 2.5× its target (pages got cheaper, a fixed pause after
    each answer let the rate rise): the verdict no longer calls that a soak at the target."""
    verdict = soak.verdict(_result(_slice({200: 1500}, [150.0], requests=1500), target=10.0))
    assert verdict["achieved_rps"] == 25.0
    assert not verdict["checks"]["near the target rate"]
    held = soak.verdict(_result(_slice({200: 660}, [150.0], requests=660), target=10.0))
    assert held["checks"]["near the target rate"]


def test_tokens_used_twice_fail_it():
    tired = _result(_slice({200: 600}, [150.0])) | {"members": 100, "tokens_used": 101}
    assert not soak.verdict(tired)["checks"]["every sign-up by a new member"]
    fresh = tired | {"tokens_used": 100}
    assert soak.verdict(fresh)["checks"]["every sign-up by a new member"]


def test_each_thread_is_paced_at_its_share_of_the_target():
    # 2 wrk threads at 100 requests/s in all: each sends one every 20 ms, whatever the latency.
    assert soak.interval_for(100.0, threads=2) == 20.0
    assert soak.interval_for(8.0, threads=2) == 250.0


def test_a_new_slice_numbers_its_requests_after_the_last_ones():
    """Each slice is a new wrk run: it once started from request 0 again, so every slice
    reused the first slice's members' tokens (2,332 sign-ups made in ten minutes)."""
    assert soak.next_start(500, {"requests": 90, "next_request": 596}) == 596
    # Without the script's count: after the answers, with a margin (uneven threads, cut-offs).
    assert soak.next_start(500, {"requests": 90, "next_request": None}) == 500 + 90 + 9 + 100


def test_the_tokens_used_follow_the_mix():
    lines = soak.mix(42)  # 14 lines, two of them sign-ups
    assert soak.signups_among(len(lines), lines) == 2
    assert soak.signups_among(10 * len(lines), lines) == 20
    half = lines.index("SIGNUP /api/v1/activities/42/signups")
    assert soak.signups_among(half, lines) == 0
    assert soak.signups_among(half + 1, lines) == 1


def test_the_mix_has_every_public_path_and_two_sign_ups():
    lines = soak.mix(42)
    assert lines.count("SIGNUP /api/v1/activities/42/signups") == 2
    assert [line for line in lines if line.startswith("GET ")] == [
        f"GET {path}" for path in soak.PUBLIC
    ]
