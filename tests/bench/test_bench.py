"""`make bench` cannot rot (issue 11, point 2): its in-process phase runs here on a small site,
one round of three probes, and the JSON it writes and the table built from it keep their shape.
Times are never asserted, only what the bench reports about them."""

import io
import json
import statistics

import pytest

from bench import inprocess, report
from bench.probes import build_probes

PROBES = "home|statistics, city|API activities|admin sign-ups (staff)"


@pytest.fixture
def bench_staff(site_tree):
    """The demo's name for 麒麟社区's staff, which the admin probes sign in as."""
    from tests import factories

    return factories.community_staff(site_tree.community, username="staff")


@pytest.mark.django_db
def test_the_in_process_phase_writes_its_json(site_tree, bench_staff, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUNDS", "1")
    monkeypatch.setenv("BENCH_ONLY", PROBES)
    out = tmp_path / "demo.json"

    inprocess.main(str(out))

    written = json.loads(out.read_text())
    assert set(written) == {"counts", "missing", "results", "seconds"}
    assert written["counts"]["communities"] == 2
    results = {r["name"]: r for r in written["results"]}
    assert set(results) == set(PROBES.split("|"))
    for result in results.values():
        assert result["error"] == "", result
        assert result["statuses"] == [200]
        assert result["queries"] > 0
        assert 0 < result["median_ms"] <= result["p95_ms"]
        assert result["rounds"] == 1
    assert results["admin sign-ups (staff)"]["user"] == "staff"
    assert results["home"]["url"] == "/"


@pytest.mark.django_db
def test_the_interleaved_measurer_times_batches_and_sums_them_up(
    site_tree, bench_staff, monkeypatch, capsys
):
    """bench/run.py drives one `inprocess --serve` per scale, alternating batches of requests."""
    monkeypatch.setenv("BENCH_ONLY", PROBES)
    asked = ['{"time": "home", "rounds": 2}', '{"time": "home", "rounds": 3}', '{"result": "home"}']
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(asked) + "\n"))

    inprocess.serve()

    answers = [
        json.loads(line.removeprefix(inprocess.PREFIX))
        for line in capsys.readouterr().out.splitlines()
        if line.startswith(inprocess.PREFIX)
    ]
    head, first, second, result = answers
    assert set(head["probes"]) == set(PROBES.split("|"))
    assert head["counts"]["communities"] == 2
    assert len(first["times"]) == 2 and len(second["times"]) == 3
    assert result["name"] == "home" and result["rounds"] == 5  # both batches, pooled
    assert result["statuses"] == [200] and result["queries"] > 0
    assert result["median_ms"] == pytest.approx(
        statistics.median(first["times"] + second["times"]), abs=0.01
    )


@pytest.mark.django_db
def test_a_missing_object_is_named_not_measured(site_tree):
    probes, missing = build_probes(1, only={"notice", "home"})

    assert [p.name for p in probes] == ["home"]
    assert missing == ["notice"]


def _result(name, queries, median, method="GET", kind="page"):
    return {
        "name": name,
        "kind": kind,
        "url": "/",
        "user": "",
        "method": method,
        "rounds": 1,
        "queries": queries,
        "median_ms": median,
        "p95_ms": median,
        "statuses": [200],
        "error": "",
    }


def test_the_table_marks_the_targets_of_issue_11():
    served = {
        "rounds": 2,
        "wrk_peak_rss_mb": 30.0,
        "memory": [
            {"after": "start", "workers_mb": [140.0, 140.0]},
            {"after": "round 1", "workers_mb": [150.0, 150.0]},
            {"after": "round 2", "workers_mb": [151.0, 170.0]},
        ],
        "urls": {
            "static file": {"rps": 1000.0, "non_2xx_3xx": 0},
            "trivial JSON view": {"rps": 800.0, "non_2xx_3xx": 0},
            "home": {"rps": 600.0, "non_2xx_3xx": 0},
        },
    }
    document = {
        "commit": "abc",
        "cores": 2,
        "python": "3.11",
        "load_average_start": (1.0, 1.0, 1.0),
        "load_average_end": (1.0, 1.0, 1.0),
        "scales": {
            "demo": {"inprocess": {"results": [_result("home", 12, 10.0)]}, "server": served},
            "city": {"inprocess": {"results": [_result("home", 16, 13.0)]}},
        },
    }

    document["rows"], document["failures"] = report.rows(document)

    demo, city = document["rows"][:2]
    assert demo["fails"] == [] and demo["of_static"] == 0.6 and demo["of_json"] == 0.75
    assert city["ratio"] == 1.3
    assert city["fails"] == [
        "queries 16 > 15",
        "queries 12 at demo, 16 at city",
        "city/demo 1.3 > 1.2",
    ]
    memory = next(r for r in document["rows"] if r["page"] == "gunicorn worker RSS MB")
    assert memory["fails"] == ["grew 20.0 MB between runs"]
    text = report.table(document)
    assert "FAIL: queries 16 > 15" in text
    assert "2 of 6 rows miss a target" in text


def test_a_fuller_page_at_city_scale_is_named_and_still_fails():
    """A bounded list shows a few rows at demo scale and a full page at city scale: the table
    says so, and the ratio still fails."""
    demo = _result("admin sign-ups (staff)", 14, 50.0, kind="admin") | {"bytes": 40_000}
    city = _result("admin sign-ups (staff)", 14, 80.0, kind="admin") | {"bytes": 100_000}
    same = _result("home", 5, 10.0) | {"bytes": 30_000}
    document = {
        "scales": {
            "demo": {"inprocess": {"results": [demo, same]}},
            "city": {"inprocess": {"results": [city, same | {"median_ms": 13.0}]}},
        }
    }

    rows, _failures = report.rows(document)

    by_page = {(r["page"], r["scale"]): r for r in rows}
    assert by_page["admin sign-ups (staff)", "city"]["fails"] == [
        "city/demo 1.6 > 1.2 (a fuller page: 2.5× the bytes)"
    ]
    assert by_page["home", "city"]["fails"] == ["city/demo 1.3 > 1.2"]


@pytest.mark.django_db
def test_the_storms_tokens_sign_members_up_and_its_check_is_honest(
    site_tree, tmp_path, capsys, monkeypatch, client
):
    """The storm once ran on tokens the API refused (401 for every request) and called the
    outcome correct: its tokens must sign members up, and a storm that signed up no more
    members than there are places proves nothing."""
    from bench import storm
    from tests import factories

    factories.OrganisationFactory()  # the storm's members belong to the first organisation
    monkeypatch.setattr(storm, "PLACES", 2)
    monkeypatch.setenv("MEMBERS", "3")
    out = tmp_path / "tokens.txt"
    storm.setup(str(out))
    prepared = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert prepared["signup_status"] == 201
    activity = prepared["activity"]

    storm.check(activity)
    assert not json.loads(capsys.readouterr().out)["correct"]

    for token in out.read_text().split():
        answer = client.post(
            f"/api/v1/activities/{activity}/signups", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert answer.status_code == 201, answer.content
    storm.check(activity)
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["correct"], outcome
    assert outcome["by_state"] == {"approved": 2, "waitlisted": 1}


def test_the_city_is_judged_against_the_small_city_whose_lists_are_full():
    """The demo shows each bounded list nearly empty (麒麟社区's staff: 6 residents' items, a
    page of 20 at city scale), so city/demo measured rows as well as growth. With the small
    city measured too (`load_demo --scale 3000`: every bounded list full), the verdict takes
    city/small; city/demo is still shown, not judged; and a baseline answer much smaller than
    the city's is still named."""
    small_list = _result("admin sign-ups (staff)", 14, 60.0, kind="admin") | {"bytes": 98_000}
    sitemap = _result("sitemap page 1", 6, 10.0) | {"bytes": 50_000}
    document = {
        "scales": {
            "demo": {
                "inprocess": {
                    "results": [
                        _result("admin sign-ups (staff)", 14, 40.0, kind="admin")
                        | {"bytes": 40_000},
                        sitemap | {"bytes": 3_000, "median_ms": 3.0},
                    ]
                }
            },
            "small": {"inprocess": {"results": [small_list, sitemap]}},
            "city": {
                "inprocess": {
                    "results": [
                        small_list | {"median_ms": 66.0, "bytes": 100_000},
                        sitemap | {"median_ms": 16.0, "bytes": 80_000},
                    ]
                }
            },
        }
    }

    rows, _failures = report.rows(document)

    by_page = {(r["page"], r["scale"]): r for r in rows}
    signups = by_page["admin sign-ups (staff)", "city"]
    assert (signups["ratio"], signups["baseline"], signups["ratio_demo"]) == (1.1, "small", 1.65)
    assert signups["fails"] == []
    assert by_page["sitemap page 1", "city"]["fails"] == [
        "city/small 1.6 > 1.2 (a fuller page: 1.6× the bytes)"
    ]
    assert "ratio" not in by_page["admin sign-ups (staff)", "small"]
    assert "ratio" not in by_page["admin sign-ups (staff)", "demo"]
    document["rows"], document["failures"] = rows, _failures
    document |= {
        "commit": "abc",
        "cores": 2,
        "python": "3.11",
        "load_average_start": (1.0, 1.0, 1.0),
        "load_average_end": (1.0, 1.0, 1.0),
    }
    text = report.table(document)
    assert "×base: city against small" in text
    assert "PASS [city/demo 1.65, not judged]" in text


def test_the_bench_builds_the_small_city_as_its_baseline(monkeypatch):
    from bench import run

    assert run.SCALES["both"] == ["small", "city"]
    assert run.SCALES["all"] == ["demo", "small", "city"]
    assert report.baseline_of({"demo": 1, "small": 1, "city": 1}) == "small"
    assert report.baseline_of({"demo": 1, "city": 1}) == "demo"
    assert report.baseline_of({"small": 1}) is None
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL_SMALL", raising=False)
    monkeypatch.setenv("SMALL_MEMBERS", "1234")
    monkeypatch.setenv("REUSE", "1")
    url, _fresh = run.database_for("small")
    assert url.endswith("/small-1234.sqlite3")  # another size is never reused for this one
