"""The server phase's tools: the portal under gunicorn as `make serve` runs it (its
gunicorn.conf.py, production settings, DEBUG off), `wrk` as the load generator on loopback, and
the workers' resident memory read from /proc."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A port nobody listens on (another server on a fixed port would answer the bench's requests).
PORT = int(os.environ.get("BENCH_PORT") or free_port())
BASE = f"http://127.0.0.1:{PORT}"
WORKERS = int(os.environ.get("WORKERS", "2"))
# A static file served by whitenoise (the ceiling) and the bench's trivial JSON view (the floor).
STATIC_URL = "/static/portal/css/portal.css"
PING_URL = "/bench/ping/"


def server_env(database_url: str, port: int = PORT, redis_url: str | None = None) -> dict[str, str]:
    """Production's environment for a server on loopback: plain HTTP (no redirect, no secure
    cookies), Redis for the cache (REDIS_URL, default db 5 of a local Redis), workers never
    recycled (gunicorn.conf.py's max_requests would hide memory growth between runs). Another
    `port` and `redis_url` run a second server beside the first (one per scale)."""
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings_server",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="bench-only-not-secret",  # the same in bench/settings_local.py
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=redis_url or os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        PORTAL_BASE_URL=f"http://127.0.0.1:{port}",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(WORKERS),
        GUNICORN_CMD_ARGS="--max-requests 0",
    )
    return env


def find_wrk() -> str | None:
    """wrk, installed with apt-get when missing and running as root (as .ci/run does for
    chromium); None otherwise (bench/README.md says how to install it)."""
    found = shutil.which("wrk")
    if found or os.environ.get("BENCH_NO_INSTALL") or os.geteuid() != 0:
        return found
    print("  wrk is missing: apt-get install wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    return shutil.which("wrk")


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def base_of(env: dict[str, str]) -> str:
    """The address of the server `env` starts."""
    return f"http://127.0.0.1:{env['PORT']}"


def flush_cache(env: dict[str, str]) -> None:
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path):
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base_of(env) + PING_URL, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start, see {log}") from None
                time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=60)


def workers_rss_mb(master_pid: int) -> list[float]:
    """Each worker's resident size (VmRSS) in MB: the master's children, read from /proc."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master_pid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(round(int(match.group(1)) / 1024, 1))
    return sorted(sizes)


def _seconds(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(
    wrk_path: str,
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int = 2,
    script: Path | None = None,
    script_args: tuple[str, ...] = (),
    timeout: int = 10,
) -> dict:
    """Requests per second of `url` under `connections` connections, with wrk's latency
    distribution, its non-2xx/3xx and socket errors, and its own peak resident size (the
    child's rusage)."""
    command = [
        wrk_path,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={timeout}s",
        "--latency",
    ]
    if script:
        command += ["-s", str(script)]
    command.append(quote(url, safe=":/?=&%"))  # wrk takes ASCII only (search 法律援助)
    if script_args:
        command += ["--", *script_args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    following = re.search(r"^next request: (\d+)$", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    return {
        "url": url,
        "connections": connections,
        "rps": float(rps.group(1)) if rps else 0.0,
        "requests": int(total.group(1)) if total else 0,
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "latency_p50_ms": round(_seconds(p50.group(1)) * 1000, 2) if p50 else None,
        "latency_p99_ms": round(_seconds(p99.group(1)) * 1000, 2) if p99 else None,
        "wrk_peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output": output if process.returncode or not rps else "",
        # bench/soak.lua numbers its requests across runs and says where the next run starts.
        "next_request": int(following.group(1)) if following else None,
        "statuses": dict(
            (int(code), int(count))
            for code, count in re.findall(r"^status (\d+): (\d+)$", output, re.M)
        ),
    }
