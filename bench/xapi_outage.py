"""The sender during an LRS outage and its recovery: POSTs, CPU seconds, log lines, write latency.

Usage:  .venv/bin/python bench/xapi_outage.py [--outage 300] [--mode reset|503] [--rate 20]
        .venv/bin/python bench/xapi_outage.py --worker-pythonpath /path/to/other/checkout

Makes a fresh SQLite database in a temporary folder with the real migrations, starts the scripted
LRS the tests use behind the fault proxy the tests use, and runs a real ``elearn xapi worker``
process (the default settings: batches of 50, backoff from 2 s to 300 s, polling every 5 s).
Meanwhile this process records page-view statements at ``--rate`` a second through the real
builders and outbox (build, validate, enqueue, commit: the write a page view makes) and times each
write. Three phases: healthy (``--healthy`` s), the outage (``--outage`` s: every connection reset,
or every POST answered 503 with ``Retry-After: 30``), recovery (until the backlog is delivered, at
most ``--recovery`` s; page views go on being recorded). Per phase it reports the POSTs that
reached the LRS, the connections the proxy refused, the worker's CPU seconds (from /proc), its
log lines and the write latency.
``--worker-pythonpath`` runs the worker from another checkout (e.g. main, for a before/after).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.xapi import statements as xs  # noqa: E402
from elearn.xapi.outbox import enqueue  # noqa: E402
from tests.integration.xapi.lrs import FaultProxy, ScriptedLRS  # noqa: E402

H = "https://guides.example.org"
COURSE = xs.ContentRef("hdg", "Health Data Guides")
MODULE = xs.ContentRef("m1", "Health and care data")
PAGE = xs.ContentRef("m1-p2", "What is in a GP record?")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Recorder(threading.Thread):
    """Records page views at a steady rate and keeps each write's latency by phase."""

    def __init__(self, app, rate: float):
        super().__init__(daemon=True)
        self.app = app
        self.interval = 1.0 / rate
        self.phase = "healthy"
        self.latencies: dict[str, list[float]] = {}
        self.count = 0
        self.stop = threading.Event()

    def run(self) -> None:
        learner = xs.Learner(xs.new_statement_id(), xs.new_statement_id())
        with self.app.app_context():
            next_at = time.monotonic()
            while not self.stop.is_set():
                started = time.perf_counter()
                made = xs.experienced_page(xs.StatementContext(H, learner, COURSE), MODULE, PAGE, 5)
                enqueue(db.session, [made], fresh=True)
                db.session.commit()
                self.latencies.setdefault(self.phase, []).append(time.perf_counter() - started)
                self.count += 1
                next_at += self.interval
                self.stop.wait(max(next_at - time.monotonic(), 0))
            db.session.remove()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--healthy", type=float, default=30, help="seconds before the outage")
    parser.add_argument("--outage", type=float, default=300, help="seconds the LRS is down")
    parser.add_argument("--recovery", type=float, default=120, help="most seconds to recover")
    parser.add_argument(
        "--mode", choices=("reset", "503"), default="reset", help="how the LRS is down"
    )
    parser.add_argument("--rate", type=float, default=20, help="page views recorded a second")
    parser.add_argument(
        "--worker-pythonpath", default=str(ROOT), help="checkout the worker process runs from"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
        app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "BASE_URL": H})
        config = Config(str(ROOT / "migrations" / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "migrations"))
        with app.app_context():
            command.upgrade(config, "head")

        lrs = ScriptedLRS().start()
        proxy = FaultProxy(lrs.port).start()
        env = {
            **os.environ,
            "PYTHONPATH": args.worker_pythonpath,
            "ELEARN_ENV": "production",
            "ELEARN_SECRET_KEY": "bench-only",
            "ELEARN_BASE_URL": H,
            "ELEARN_SQLALCHEMY_DATABASE_URI": url,
            "ELEARN_LRS_ENDPOINT": proxy.endpoint(),
            "ELEARN_LRS_USERNAME": lrs.username,
            "ELEARN_LRS_PASSWORD": lrs.password,
        }
        log_path = tmp / "worker.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [str(Path(sys.executable).parent / "elearn"), "xapi", "worker"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=args.worker_pythonpath,
            )
        recorder = Recorder(app, args.rate)
        recorder.start()
        phases: list[dict] = []

        def measure(phase: str, seconds: float, until=None) -> None:
            recorder.phase = phase
            start = {
                "posts": len(lrs.requests),
                "refused": sum(proxy.attempts[m] for m in ("reset", "hang")),
                "cpu": cpu_seconds(worker.pid),
                "lines": len(log_path.read_bytes().splitlines()),
                "at": time.monotonic(),
            }
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not (until and until()):
                time.sleep(0.1)
            sizes = [len(ids) for ids, _ in list(lrs.requests)[start["posts"] :]]
            phases.append(
                {
                    "phase": phase,
                    "seconds": time.monotonic() - start["at"],
                    "posts": len(sizes),
                    "statements": sum(sizes),
                    "median_batch": statistics.median(sizes) if sizes else 0,
                    "refused": sum(proxy.attempts[m] for m in ("reset", "hang")) - start["refused"],
                    "cpu": cpu_seconds(worker.pid) - start["cpu"],
                    "lines": len(log_path.read_bytes().splitlines()) - start["lines"],
                    "latencies": recorder.latencies.get(phase, []),
                }
            )

        try:
            measure("healthy", args.healthy)
            if args.mode == "reset":
                proxy.set_mode("reset")
            else:
                lrs.script.extend(
                    [("status", 503, {"Retry-After": "30"}, {"detail": "maintenance"})] * 100000
                )
            measure("outage", args.outage)
            proxy.set_mode("pass")
            lrs.script.clear()
            backlog = recorder.count  # recovery ends when everything recorded so far is stored
            measure("recovery", args.recovery, until=lambda: len(lrs.stored) >= backlog)
            recorder.stop.set()
            recorder.join()
        finally:
            recorder.stop.set()
            worker.terminate()
            worker.wait(timeout=30)
            proxy.stop()
            lrs.stop()
            with app.app_context():
                db.engine.dispose()

        print(
            f"worker from {args.worker_pythonpath}; outage mode {args.mode}; "
            f"{recorder.count} page views recorded at {args.rate:g}/s; "
            f"LRS holds {len(lrs.stored)} of them, each once: "
            f"{all(n == 1 for n in lrs.store_count.values())}"
        )
        header = (
            f"{'phase':<9} {'seconds':>7} {'POSTs':>6} {'refused':>7} {'per min':>7} "
            f"{'stmts':>6} {'median batch':>12} {'worker CPU s':>12} {'log lines':>9} "
            f"{'write p50 ms':>12} {'write p95 ms':>12}"
        )
        print(header)
        for p in phases:
            tries = p["posts"] + p["refused"]
            print(
                f"{p['phase']:<9} {p['seconds']:>7.1f} {p['posts']:>6} {p['refused']:>7} "
                f"{tries / p['seconds'] * 60:>7.1f} {p['statements']:>6} "
                f"{p['median_batch']:>12g} {p['cpu']:>12.2f} {p['lines']:>9} "
                f"{percentile(p['latencies'], 0.5) * 1000:>12.1f} "
                f"{percentile(p['latencies'], 0.95) * 1000:>12.1f}"
            )
        if len(lrs.stored) < backlog:
            print(f"NOT DELIVERED within the recovery window: {backlog - len(lrs.stored)}")


if __name__ == "__main__":
    main()
