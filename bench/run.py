"""`make bench`: the in-process phase, the server phase and the sign-up storm, then a table and
a JSON file (bench/README.md says what each measures and which targets it shows).

Environment: SCALE=small|demo|city|both|all (both: small and city, the city judged against
small; all: demo, small and city), SMALL_MEMBERS (the small scale's members,
SMALL_MEMBERS_DEFAULT), ROUNDS (in-process requests per page, 20), DURATION
(seconds of load per URL and round, 5), SERVER_ROUNDS (interleaved rounds of the server phase,
2), CONNECTIONS (wrk connections per URL, 4), WORKERS (gunicorn workers, 2), PHASES (any of
inprocess,server,storm; all), DATABASE_URL (PostgreSQL instead of SQLite files; emptied and
rebuilt for each scale) or DATABASE_URL_DEMO / DATABASE_URL_CITY, STORM_DATABASE_URL
(PostgreSQL for the storm, emptied; else DATABASE_URL when it is PostgreSQL, else no storm),
STORM_CLIENTS (500), STORM_DURATION (DURATION), REUSE=1 (keep a SQLite database already built),
BENCH_ONLY (probe names separated by |), BENCH_OUT (the JSON file), INPROCESS_FROM (a
run's timestamp: its in-process results instead of measuring again)."""

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, served, server  # noqa: E402
from bench.server import env_int, say  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "bench"
PY = sys.executable
# The baseline the city is judged against (bench/README.md, "A fair baseline"): the city's own
# builder at this many members, where 麒麟社区's staff, the city and the anonymous visitor see
# every bounded list as full as at city scale (checked by the answers' bytes in the report).
SMALL_MEMBERS_DEFAULT = 3000
SCALES = {"both": ["small", "city"], "all": ["demo", "small", "city"]}


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def django_env(database_url: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="bench.settings_local")
    return env


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def empty_postgres(url: str) -> None:
    """Empty the database of `url`, creating it first when the server does not have it."""
    import psycopg
    from psycopg import sql

    url = url.replace("postgresql://", "postgres://")
    name = urlsplit(url).path.lstrip("/")
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def has_tables(url: str) -> bool:
    import psycopg

    try:
        conn = psycopg.connect(url.replace("postgresql://", "postgres://"))
    except psycopg.OperationalError:
        return False  # no such database yet: `empty_postgres` creates it
    with conn:
        found = conn.execute("SELECT to_regclass('public.django_migrations')").fetchone()[0]
    return found is not None


def database_for(scale: str) -> tuple[str, bool]:
    """The scale's database URL, and whether it must be built."""
    url = os.environ.get(f"DATABASE_URL_{scale.upper()}") or os.environ.get("DATABASE_URL")
    if url and is_postgres(url):
        empty_postgres(url)
        return url, True
    if url:
        return url, True
    name = f"small-{env_int('SMALL_MEMBERS', SMALL_MEMBERS_DEFAULT)}" if scale == "small" else scale
    path = ARTIFACTS / f"{name}.sqlite3"
    if os.environ.get("REUSE") == "1" and path.exists():
        return f"sqlite:///{path}", False
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", True


def build(scale: str, url: str) -> dict:
    env = django_env(url) | {"BENCH_BUILDING": "1"}  # tasks at once: the search index filled
    start = time.perf_counter()
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    command = [PY, "manage.py", "load_demo", "--force"]
    if scale == "city":
        command += ["--scale", "city"]
    elif scale == "small":
        command += ["--scale", str(env_int("SMALL_MEMBERS", SMALL_MEMBERS_DEFAULT))]
    run(command, env, stdout=subprocess.DEVNULL)
    how = " ".join(command[2:])
    return {"how": how, "seconds": round(time.perf_counter() - start, 1)}


def inprocess_phase(urls: dict[str, str], stamp: str) -> dict[str, dict]:
    """Each scale's in-process results: from an earlier run (INPROCESS_FROM, its stamp), the
    scales interleaved (two scales, unless INTERLEAVE=0), or one scale after the other."""
    saved = os.environ.get("INPROCESS_FROM")
    if saved:
        return {
            scale: json.loads((ARTIFACTS / f"{saved}-{scale}-inprocess.json").read_text())
            for scale in urls
        }
    if len(urls) > 1 and os.environ.get("INTERLEAVE", "1") != "0":
        return interleaved(urls, stamp)
    answer = {}
    for scale, url in urls.items():
        say(f"\n== {scale} scale: in process ==")
        answer[scale] = inprocess(scale, url, stamp)
    return answer


def interleaved(urls: dict[str, str], stamp: str) -> dict[str, dict]:
    """Every probe measured at each scale in INPROCESS_BATCHES alternating batches (which scale
    goes first alternates too): one `bench.inprocess --serve` process per scale."""
    from bench.inprocess import PREFIX
    from bench.measure import log_line

    rounds = env_int("ROUNDS", 20)
    batches = max(1, min(env_int("INPROCESS_BATCHES", 4), rounds))
    processes = {
        scale: subprocess.Popen(
            [PY, "-m", "bench.inprocess", "--serve"],
            cwd=ROOT,
            env=django_env(url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for scale, url in urls.items()
    }

    def ask(scale: str, question: dict | None = None):
        process = processes[scale]
        if question is not None:
            process.stdin.write(json.dumps(question, ensure_ascii=False) + "\n")
            process.stdin.flush()
        for line in process.stdout:
            if line.startswith(PREFIX):
                return json.loads(line[len(PREFIX) :])
        raise RuntimeError(f"the {scale} in-process measurer stopped")

    start = time.perf_counter()
    heads = {scale: ask(scale) for scale in urls}
    for scale, head in heads.items():
        say(f"  {scale}: {head['counts']}, {rounds} rounds in {batches} interleaved batches")
    names = [
        n
        for n in heads[next(iter(urls))]["probes"]
        if all(n in h["probes"] for h in heads.values())
    ]
    results: dict[str, list[dict]] = {scale: [] for scale in urls}
    order = list(urls)
    for name in names:
        for batch in range(batches):
            size = rounds // batches + (1 if batch < rounds % batches else 0)
            for scale in order if batch % 2 == 0 else order[::-1]:
                ask(scale, {"time": name, "rounds": size})
        for scale in order:
            result = ask(scale, {"result": name})
            results[scale].append(result)
            say(f"{log_line(result)}  [{scale}]")
    answer = {}
    for scale, process in processes.items():
        process.stdin.close()
        process.wait()
        head = heads[scale]
        unmeasured = sorted(set(head["probes"]) - set(names))
        answer[scale] = {
            "counts": head["counts"],
            "missing": head["missing"] + [f"{n} (not at every scale)" for n in unmeasured],
            "results": results[scale],
            "seconds": round(time.perf_counter() - start, 1),
            "interleaved_batches": batches,
        }
        out = ARTIFACTS / f"{stamp}-{scale}-inprocess.json"
        out.write_text(json.dumps(answer[scale], ensure_ascii=False, indent=1))
    return answer


def inprocess(scale: str, url: str, stamp: str) -> dict:
    out = ARTIFACTS / f"{stamp}-{scale}-inprocess.json"
    run([PY, "-m", "bench.inprocess", str(out)], django_env(url))
    return json.loads(out.read_text())


def demo_on_postgres(url: str) -> None:
    """The demo on PostgreSQL at `url`, emptied and loaded (kept when REUSE=1 finds it built):
    the storm's database and the soak's."""
    if os.environ.get("REUSE") != "1" or not has_tables(url):
        env = django_env(url)
        empty_postgres(url)
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PY, "manage.py", "load_demo", "--force"], env, stdout=subprocess.DEVNULL)


def storm(url: str, wrk_path: str, stamp: str) -> dict:
    """≥500 clients signing up for one activity with 20 places, on PostgreSQL; its outcome
    checked in the database afterwards."""
    env = django_env(url)
    start = time.perf_counter()
    demo_on_postgres(url)
    tokens = ARTIFACTS / f"{stamp}-storm-tokens.txt"
    clients = env_int("STORM_CLIENTS", 500)
    members = max(env_int("STORM_MEMBERS", 8000), clients)
    setup = run(
        [PY, "-m", "bench.storm", "setup", str(tokens)],
        env | {"MEMBERS": str(members)},
        capture_output=True,
        text=True,
    )
    prepared = json.loads(setup.stdout.strip().splitlines()[-1])
    say(f"  storm prepared in {time.perf_counter() - start:.0f} s: {prepared}")
    activity = prepared["activity"]
    duration = env_int("STORM_DURATION", env_int("DURATION", 5) * 2)
    server_env = server.server_env(url)
    server.collectstatic(server_env)
    server.flush_cache(server_env)
    with server.gunicorn(server_env, ARTIFACTS / f"{stamp}-storm-gunicorn.log") as master:
        ping = server.wrk(
            wrk_path, server.BASE + server.PING_URL, duration=duration / 2, connections=4
        )
        threads = 2
        result = server.wrk(
            wrk_path,
            f"{server.BASE}/api/v1/activities/{activity}/signups",
            duration=duration,
            connections=clients,
            threads=threads,
            timeout=60,
            script=ROOT / "bench" / "signup.lua",
            script_args=(str(tokens), str(threads)),
        )
        workers = server.workers_rss_mb(master.pid)
    tokens.unlink(missing_ok=True)
    outcome = run(
        [PY, "-m", "bench.storm", "check", str(activity)], env, capture_output=True, text=True
    )
    checked = json.loads(outcome.stdout.strip().splitlines()[-1])
    statuses = result["statuses"]
    # Every token is valid and a repeat answers 200: any other status is a failure.
    failed = sum(n for s, n in statuses.items() if s not in (200, 201)) + result["socket_errors"]
    answer = {
        "clients": clients,
        "members": members,
        "duration": duration,
        # Sign-ups made, not answers: a token reused once all are used answers a cheap repeat.
        "signups_per_s": round(checked["signups"] / duration, 1),
        "requests_per_s": result["rps"],
        "requests": result["requests"],
        "statuses": statuses,
        "failed_answers_or_socket_errors": failed,
        "latency_p50_ms": result["latency_p50_ms"],
        "latency_p99_ms": result["latency_p99_ms"],
        "trivial_json_rps": ping["rps"],
        "ratio_to_json": (
            round(checked["signups"] / duration / ping["rps"], 3) if ping["rps"] else None
        ),
        "signup_queries": prepared["signup_queries"],
        "outcome": checked,
        "correct": checked["correct"] and failed == 0,
        "workers_mb": workers,
        "wrk_peak_rss_mb": result["wrk_peak_rss_mb"],
        "output": result["output"],
    }
    say(
        f"  storm: {answer['signups_per_s']:.1f} sign-ups/s, {answer['ratio_to_json']:.1%} of the "
        f"JSON view ({ping['rps']:.0f} rps), statuses {statuses}, outcome {checked}"
    )
    return answer


def commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except OSError:
        return ""


def versions(url: str) -> dict:
    answer = run(
        [
            PY,
            "-c",
            "import django, wagtail; from django.db import connection; django.setup(); "
            "connection.ensure_connection(); "
            "print(connection.vendor, '.'.join(map(str, connection.Database.sqlite_version_info)) "
            "if connection.vendor == 'sqlite' else connection.pg_version, django.__version__, "
            "wagtail.__version__)",
        ],
        django_env(url),
        capture_output=True,
        text=True,
    ).stdout.split()
    return dict(zip(["database", "database_version", "django", "wagtail"], answer, strict=False))


def main() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    scale_env = os.environ.get("SCALE", "both")
    scales = SCALES.get(scale_env, [scale_env])
    phases = set(os.environ.get("PHASES", "inprocess,server,storm").split(","))
    wrk_path = server.find_wrk() if phases & {"server", "storm"} else None
    if phases & {"server", "storm"} and not wrk_path:
        say("wrk is missing (apt-get install wrk, as root): the server phase and storm are skipped")
    document = {
        "started": stamp,
        "commit": commit(),
        "cores": os.cpu_count(),
        "load_average_start": os.getloadavg(),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "settings": {
            k: os.environ.get(k, "")
            for k in (
                "SCALE",
                "SMALL_MEMBERS",
                "ROUNDS",
                "DURATION",
                "SERVER_ROUNDS",
                "CONNECTIONS",
                "WORKERS",
            )
        },
        "scales": {},
    }
    urls = {}
    for scale in scales if phases & {"inprocess", "server"} else []:
        say(f"\n== {scale} scale: database ==")
        url, fresh = database_for(scale)
        urls[scale] = url
        entry = document["scales"][scale] = {"database_url": url.split("@")[-1]}
        if fresh:
            say("  building the database…")
            entry["build"] = build(scale, url)
            say(f"  built in {entry['build']['seconds']} s ({entry['build']['how']})")
        entry["versions"] = versions(url)
    if urls:
        measured = inprocess_phase(urls, stamp)
        for scale in urls:
            document["scales"][scale]["inprocess"] = measured[scale]
        if "server" in phases and wrk_path:
            say(f"\n== under gunicorn, side by side: {', '.join(urls)} ==")
            on = {scale: (url, measured[scale]["results"]) for scale, url in urls.items()}
            for scale, result in served.server_phase(on, wrk_path, ARTIFACTS / stamp).items():
                document["scales"][scale]["server"] = result
    out = Path(os.environ.get("BENCH_OUT") or ARTIFACTS / f"{stamp}.json")
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1))  # kept if the storm fails
    storm_url = os.environ.get("STORM_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if "storm" in phases and wrk_path:
        if is_postgres(storm_url):
            say("\n== sign-up storm ==")
            document["storm"] = storm(storm_url, wrk_path, stamp)
        else:
            document["storm"] = {"skipped": "needs PostgreSQL: STORM_DATABASE_URL"}
            say("\nsign-up storm skipped: it needs PostgreSQL (STORM_DATABASE_URL=postgres://…)")
    document["load_average_end"] = os.getloadavg()
    document["rows"], document["failures"] = report.rows(document)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1))
    say("")
    say(report.table(document))
    say(f"\n{out}")


if __name__ == "__main__":
    main()
