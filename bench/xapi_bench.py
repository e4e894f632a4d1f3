"""xAPI delivery to a real LRS: statements/second in batches vs one at a time; draining a backlog.

Usage:  .venv/bin/python bench/xapi_bench.py [--statements 1000] [--backlog 10000]
Starts Ralph (the LRS the tests use, from ralph-malph) on 127.0.0.1 with its file backend in a
temporary folder, makes a fresh SQLite database there (or uses ELEARN_DATABASE_URL), records
statements through the real builders and outbox, and times ``send_once``. Each measurement gets
a fresh LRS, so one run's stored statements do not slow the next.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.xapi import statements as xs  # noqa: E402
from elearn.xapi.models import OutboxStatement, SenderStatus  # noqa: E402
from elearn.xapi.outbox import enqueue  # noqa: E402
from elearn.xapi.sender import send_once  # noqa: E402
from tests.integration.xapi.lrs import (  # noqa: E402
    RALPH_PASSWORD,
    RALPH_USER,
    RalphLRS,
    ScriptedLRS,
)

H = "https://guides.example.org"
COURSE = xs.ContentRef("hdg", "Health Data Guides")
MODULE = xs.ContentRef("m1", "Health and care data")
PAGE = xs.ContentRef("m1-p2", "What is in a GP record?")


def make_app(url: str):
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "BASE_URL": H,
            "LRS_USERNAME": RALPH_USER,
            "LRS_PASSWORD": RALPH_PASSWORD,
            "LRS_TIMEOUT": 60,
        }
    )
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with app.app_context():
        command.upgrade(config, "head")
    return app


def record(app, count: int) -> float:
    """Record ``count`` page views through the builders and the outbox; returns seconds taken."""
    learner = xs.Learner(xs.new_statement_id(), xs.new_statement_id())
    started = time.perf_counter()
    with app.app_context():
        for start in range(0, count, 500):
            made = [
                xs.experienced_page(xs.StatementContext(H, learner, COURSE), MODULE, PAGE, n % 600)
                for n in range(start, min(start + 500, count))
            ]
            enqueue(db.session, made)
            db.session.commit()
    return time.perf_counter() - started


def clear(app) -> None:
    with app.app_context():
        db.session.execute(delete(OutboxStatement))
        db.session.execute(delete(SenderStatus))
        db.session.commit()


def deliver(app, tmp: Path, count: int, batch_size: int, label: str) -> dict:
    """Fresh LRS, ``count`` statements waiting, one ``send_once`` with this batch size."""
    clear(app)
    record(app, count)
    ralph = RalphLRS(Path(tempfile.mkdtemp(dir=tmp))).start()
    try:
        app.config.update(LRS_ENDPOINT=ralph.endpoint, LRS_BATCH_SIZE=batch_size)
        started = time.perf_counter()
        summary = send_once(app)
        seconds = time.perf_counter() - started
        held = len(ralph.statements())
    finally:
        ralph.stop()
    if summary.sent != count or held != count:
        raise SystemExit(f"{label}: sent {summary.sent}, LRS holds {held}, expected {count}")
    return {
        "label": label,
        "count": count,
        "batch": batch_size,
        "requests": summary.requests,
        "seconds": seconds,
        "rate": count / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--statements", type=int, default=1000, help="statements per batch-size comparison"
    )
    parser.add_argument("--backlog", type=int, default=10000, help="size of the backlog to drain")
    parser.add_argument(
        "--batch-sizes",
        default="1,10,50,100",
        help="comma-separated batch sizes to compare (50 is the default setting)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        url = os.environ.get("ELEARN_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite'}"
        app = make_app(url)
        clear(app)
        seconds = record(app, args.backlog)
        print(
            f"recording (build, validate, enqueue, commit): {args.backlog} statements in "
            f"{seconds:.2f} s = {args.backlog / seconds:,.0f} statements/s"
        )
        results = [
            deliver(app, tmp, args.statements, int(size), f"batch of {size}")
            for size in args.batch_sizes.split(",")
        ]
        print(f"\ndelivery of {args.statements} statements to Ralph, by batch size:")
        print(f"{'batch':>6} {'requests':>9} {'seconds':>8} {'statements/s':>13}")
        for r in results:
            print(f"{r['batch']:>6} {r['requests']:>9} {r['seconds']:>8.2f} {r['rate']:>13,.0f}")
        backlog = deliver(app, tmp, args.backlog, 50, "backlog")
        print(
            f"\ndraining a backlog of {args.backlog} statements (batch of 50): "
            f"{backlog['seconds']:.1f} s, {backlog['requests']} requests, "
            f"{backlog['rate']:,.0f} statements/s"
        )
        # The same drain to an in-memory LRS on loopback: our own side's cost, without Ralph's.
        clear(app)
        record(app, args.backlog)
        memory = ScriptedLRS(username=RALPH_USER, password=RALPH_PASSWORD).start()
        try:
            app.config.update(LRS_ENDPOINT=memory.endpoint, LRS_BATCH_SIZE=50)
            started = time.perf_counter()
            summary = send_once(app)
            seconds = time.perf_counter() - started
        finally:
            memory.stop()
        assert summary.sent == args.backlog == len(memory.stored)
        print(
            f"the same backlog to an in-memory LRS (the sender's own cost): {seconds:.1f} s, "
            f"{args.backlog / seconds:,.0f} statements/s"
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
