"""Learner page-view throughput and p95 latency, beside a trivial endpoint, on one server.

Usage:  .venv/bin/python bench/learn_pages.py [--seconds 15] [--connections 8]
Needs `wrk` (Debian package). Starts gunicorn (2 workers, 4 threads each) on a fresh SQLite
database in a temporary folder, imports the course, signs a learner in, then runs wrk against
a content page (which also records progress), a static page with the same layout (/cookies)
and /healthz (one `SELECT 1`).
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' Ralph LRS helper, when run as `python bench/...`

from tests.integration.xapi.lrs import RALPH_PASSWORD, RALPH_USER, RalphLRS  # noqa: E402

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p95_ms=%.2f p50_ms=%.2f errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    latency:percentile(50) / 1000, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env):
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def wrk(url: str, cookie: str | None, seconds: int, connections: int, script: Path) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT rps=([\d.]+) p95_ms=([\d.]+) p50_ms=([\d.]+) errors=(\d+)", out)
    rps, p95, p50, errors = match.groups()
    return {"rps": float(rps), "p95_ms": float(p95), "p50_ms": float(p50), "errors": int(errors)}


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "elearn:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    return server, base


def sign_in(base: str) -> str:
    with httpx.Client(base_url=base) as client:
        form = client.get("/sign-in").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        client.post(
            "/sign-in",
            data={"email": "bench@example.org", "password": "kettle orbit lantern",
                  "csrf_token": token},
        )  # fmt: skip
        assert client.get("/learn/modules/m2/pages/m2-p5").status_code == 200
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="how long each wrk run lasts")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument(
        "--lrs", action="store_true",
        help="also measure the page view with an xapi worker sending to a live LRS, and to one "
        "that is down",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "ELEARN_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
            "ELEARN_SECRET_KEY": "bench-secret",
            "ELEARN_ENV": "development",  # served on plain http (production needs https)
        }
        env.pop("ELEARN_LRS_ENDPOINT", None)
        elearn = str(ROOT / ".venv/bin/elearn")
        run([elearn, "db", "upgrade"], env)
        run([elearn, "content", "import"], env)
        subprocess.run(
            [elearn, "users", "create", "--role", "learner", "--email", "bench@example.org",
             "--password-stdin"],
            input="kettle orbit lantern\n", text=True, env=env, check=True, cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        script = Path(tmp) / "report.lua"
        script.write_text(LUA)
        page_url = "/learn/modules/m2/pages/m2-p5"
        server, base = start_server(env)
        try:
            cookie = sign_in(base)
            page = wrk(base + page_url, cookie, args.seconds, args.connections, script)
            static = wrk(base + "/cookies", None, args.seconds, args.connections, script)
            trivial = wrk(base + "/healthz", None, args.seconds, args.connections, script)
        finally:
            stop(server)
        rows = [
            ("learner page view (signed in)", page),
            ("/cookies (same layout, no database)", static),
            ("/healthz (trivial)", trivial),
        ]
        if args.lrs:
            rows += lrs_scenarios(env, tmp, page_url, args, script)
    print(f"{'endpoint':<52} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for name, result in rows:
        print(f"{name:<52} {result['rps']:>8.1f} {result['p50_ms']:>8.2f} {result['p95_ms']:>8.2f} "
              f"{result['errors']:>7}")  # fmt: skip
    print(f"page view / trivial: throughput {page['rps'] / trivial['rps']:.2f}x, "
          f"p95 {page['p95_ms'] / trivial['p95_ms']:.2f}x")  # fmt: skip
    print(f"page view / static page: throughput {page['rps'] / static['rps']:.2f}x, "
          f"p95 {page['p95_ms'] / static['p95_ms']:.2f}x")  # fmt: skip
    if any(result["errors"] for _, result in rows):
        sys.exit("errors during the run")


def lrs_scenarios(env, tmp, page_url, args, script):
    """The same page view while an xapi worker sends every statement it makes to a live Ralph
    LRS, and while the LRS is down (connections refused): a learner must not notice either."""
    results = []
    ralph = RalphLRS(Path(tmp) / "ralph").start()
    down_port = free_port()  # nothing listens here
    scenarios = (
        ("page view, worker sending to a live LRS", ralph.endpoint),
        ("page view, worker with the LRS down", f"http://127.0.0.1:{down_port}/xAPI/statements"),
    )
    try:
        for name, endpoint in scenarios:
            lrs_env = {**env, "ELEARN_LRS_ENDPOINT": endpoint, "ELEARN_LRS_USERNAME": RALPH_USER,
                       "ELEARN_LRS_PASSWORD": RALPH_PASSWORD}  # fmt: skip
            worker = subprocess.Popen(
                [str(ROOT / ".venv/bin/elearn"), "xapi", "worker", "--poll-interval", "0.5"],
                env=lrs_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            server, base = start_server(lrs_env)
            try:
                cookie = sign_in(base)
                results.append(
                    (name, wrk(base + page_url, cookie, args.seconds, args.connections, script))
                )
            finally:
                stop(server)
                stop(worker)
        print(f"statements the worker delivered to the live LRS: {len(ralph.statements())}")
    finally:
        ralph.stop()
    return results


if __name__ == "__main__":
    main()
