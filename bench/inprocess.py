"""The in-process phase on a built database, with DATABASE_URL set.

`python -m bench.inprocess OUT.json` measures every probe (bench/measure.py) and writes the
counts of the database and the results as JSON.

`python -m bench.inprocess --serve` answers bench/run.py, which runs one per scale and
interleaves them: for each probe, a batch of requests at demo scale, then at city scale, and so
on (`INPROCESS_BATCHES`), so a change of the machine's load between the two scales, minutes
apart when measured one after the other, touches both alike and the city/demo ratio stays
honest. Its protocol is JSON lines on stdin and stdout, each answer prefixed with `PREFIX` (the
portal's logs may write to stdout too)."""

import json
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_local")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.measure import Runner, measure_all, signed_in_clients  # noqa: E402
from bench.probes import build_probes, scale_counts  # noqa: E402


def main(out: str) -> None:
    rounds = int(os.environ.get("ROUNDS", "20"))
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split("|"))) or None
    probes, missing = build_probes(rounds, only=only)
    counts = scale_counts()
    print(f"  {connection.vendor}, {counts}, {rounds} rounds", flush=True)
    start = time.perf_counter()
    results = measure_all(probes, rounds, log=lambda line: print(line, flush=True))
    Path(out).write_text(
        json.dumps(
            {
                "counts": counts,
                "missing": missing,
                "results": results,
                "seconds": round(time.perf_counter() - start, 1),
            },
            ensure_ascii=False,
            indent=1,
        )
    )


PREFIX = "@bench "


def answer(value) -> None:
    print(PREFIX + json.dumps(value, ensure_ascii=False), flush=True)


def serve() -> None:
    """First answer: the counts, the missing probes and the probes' names. Then per line read:
    {"time": name, "rounds": k} → {"times": [...]}; {"result": name} → the probe's summary."""
    rounds = int(os.environ.get("ROUNDS", "20"))
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split("|"))) or None
    probes, missing = build_probes(rounds, only=only)
    clients = signed_in_clients(probes)
    runners = {probe.name: Runner(probe, clients[probe.user]) for probe in probes}
    answer({"counts": scale_counts(), "missing": missing, "probes": list(runners)})
    for line in sys.stdin:
        asked = json.loads(line)
        if "time" in asked:
            answer({"times": runners[asked["time"]].time(asked["rounds"])})
        else:
            answer(runners[asked["result"]].result())


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve()
    else:
        main(sys.argv[1])
