"""The in-process phase on a built database: `python -m bench.inprocess OUT.json` with
DATABASE_URL set (bench/run.py runs it once per scale). Writes the counts of the database and
the results of bench/measure.py as JSON."""

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

from bench.measure import measure_all  # noqa: E402
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


if __name__ == "__main__":
    main(sys.argv[1])
