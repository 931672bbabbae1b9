"""The bench's server phase (bench/README.md, "What it does", 3): the portal under gunicorn
and wrk, one server per scale, side by side."""

import contextlib
import os
import statistics
from pathlib import Path

from bench import server
from bench.server import env_int, say

# The pages, static file and views put under load in the server phase (names of bench/probes.py).
SERVER_PAGES = [
    "home",
    "county",
    "community (with service menu)",
    "news channel",
    "news item",
    "activity listing",
    "activity page",
    "search 法律援助",
    "statistics, city",
    "rankings",
    "feedback form",
    "API activities",
    "API stats",
]


def server_phase(scales: dict[str, tuple[str, list[dict]]], wrk_path: str, prefix: Path) -> dict:
    """For each scale (its database URL and in-process results) a server of its own, side by
    side: every URL of SERVER_PAGES, the static file and the trivial JSON view, SERVER_ROUNDS
    rounds, each URL measured on every scale in turn (the order flipped each round), so that a
    change of the machine's load touches every scale and every URL alike, as in the in-process
    phase. Measured one scale after the other, the city's run of 8 December met the load of
    other sessions the small city had not: its cached pages came out at 20-29 % of the static
    file against 57-60 %; side by side, minutes later, 80 % and 66 %. The median rps of the
    rounds per scale; each server's workers' resident sizes after each round."""
    duration = env_int("DURATION", 5)
    rounds = env_int("SERVER_ROUNDS", 2)
    connections = env_int("CONNECTIONS", 4)
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5").rsplit("/", 1)
    envs, urls = {}, {}
    for n, (scale, (url, results)) in enumerate(scales.items()):
        port = server.PORT if n == 0 else server.free_port()
        envs[scale] = server.server_env(url, port, f"{redis[0]}/{int(redis[1]) + n}")
        urls[scale] = {"static file": server.STATIC_URL, "trivial JSON view": server.PING_URL}
        urls[scale] |= {
            r["name"]: r["url"] for r in results if r["name"] in SERVER_PAGES and not r["error"]
        }
        server.collectstatic(envs[scale])
        server.flush_cache(envs[scale])
    runs = {scale: {name: [] for name in urls[scale]} for scale in scales}
    memory = {scale: [] for scale in scales}
    order = list(scales)
    names = list(dict.fromkeys(name for scale in scales for name in urls[scale]))
    with contextlib.ExitStack() as stack:
        masters = {
            scale: stack.enter_context(server.gunicorn(env, Path(f"{prefix}-{scale}-gunicorn.log")))
            for scale, env in envs.items()
        }
        for scale, master in masters.items():
            memory[scale].append(
                {"after": "start", "workers_mb": server.workers_rss_mb(master.pid)}
            )
        for round_ in range(1, rounds + 1):
            for name in names:
                for scale in order:
                    if name not in urls[scale]:
                        continue
                    result = server.wrk(
                        wrk_path,
                        server.base_of(envs[scale]) + urls[scale][name],
                        duration=duration,
                        connections=connections,
                    )
                    runs[scale][name].append(result)
                    say(
                        f"  round {round_} {scale:6} {name:30} {result['rps']:8.1f} rps "
                        f"p50 {result['latency_p50_ms']} ms"
                        + (f" non-2xx {result['non_2xx_3xx']}" if result["non_2xx_3xx"] else "")
                    )
            for scale, master in masters.items():
                memory[scale].append(
                    {"after": f"round {round_}", "workers_mb": server.workers_rss_mb(master.pid)}
                )
            order.reverse()
    say(f"  workers' resident MB: {memory}")
    return {
        scale: _server_summary(runs[scale], urls[scale], memory[scale], duration, rounds)
        for scale in scales
    }


def _server_summary(runs, urls, memory, duration, rounds) -> dict:
    connections = env_int("CONNECTIONS", 4)
    return {
        "duration": duration,
        "rounds": rounds,
        "connections": connections,
        "workers": server.WORKERS,
        "side_by_side": True,
        "urls": {
            name: {
                "url": urls[name],
                "rps": round(statistics.median(r["rps"] for r in rs), 1),
                "rps_rounds": [r["rps"] for r in rs],
                "latency_p50_ms": [r["latency_p50_ms"] for r in rs],
                "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in rs),
                "socket_errors": sum(r["socket_errors"] for r in rs),
            }
            for name, rs in runs.items()
            if rs
        },
        "memory": memory,
        "wrk_peak_rss_mb": max(r["wrk_peak_rss_mb"] for rs in runs.values() for r in rs),
    }
