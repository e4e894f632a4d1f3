"""Render time of each review page with many demo learners.

Usage:  .venv/bin/python bench/review_pages.py [--learners 10000] [--repeat 5]
        .venv/bin/python bench/review_pages.py --database /tmp/x/bench.sqlite  # reuse one

Builds a fresh SQLite database in a temporary folder with the real migrations, imports the course
and runs `elearn demo --learners N` (the real services: progress, quiz attempts, surveys, page
feedback, queued statements; several minutes for 10,000). Then signs a reviewer in with the Flask
test client and times each review page and CSV export after one warm-up request: the median of
--repeat requests with the chart cache emptied before each (as after new answers arrive: every
chart drawn again) and of --repeat requests as they come (unchanged figures: charts reused), with
the number of SQL queries per request and the size of the response.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout, as `python bench/review_pages.py`

from elearn import create_app  # noqa: E402
from elearn.auth.models import User  # noqa: E402
from elearn.auth.service import create_user  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.review import charts  # noqa: E402

PAGES = [
    "/review/",
    "/review/quizzes",
    "/review/surveys",
    "/review/surveys?q=pages&module=m1&page=2",
    "/review/page-feedback",
    "/review/page-feedback?role=care-staff",
    "/review/report",
    "/review/exports/quiz-items.csv",
    "/review/exports/survey-responses.csv",
    "/review/exports/page-feedback.csv",
]
REVIEWER, PASSWORD = "bench-reviewer@example.org", "kettle orbit lantern"


def build(database: Path, learners: int) -> float:
    """Migrate, import the course and generate demo learners; the seconds the demo took."""
    env = {**os.environ, "ELEARN_DATABASE_URL": f"sqlite:///{database}",
           "ELEARN_SECRET_KEY": "bench-secret", "ELEARN_ENV": "production"}  # fmt: skip
    env.pop("ELEARN_LRS_ENDPOINT", None)
    elearn = str(ROOT / ".venv/bin/elearn")
    quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([elearn, "db", "upgrade"], stderr=subprocess.DEVNULL, **quiet)
    subprocess.run([elearn, "content", "import"], **quiet)
    started = time.perf_counter()
    subprocess.run([elearn, "demo", "--learners", str(learners)], **quiet)
    return time.perf_counter() - started


def measure(database: Path, repeat: int) -> list[dict]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench-secret",
         "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    )  # fmt: skip
    with app.app_context():
        if not db.session.scalar(select(User.id).where(User.email == REVIEWER)):
            create_user(REVIEWER, PASSWORD, "reviewer", "Bench Reviewer")
            db.session.commit()
        learners = db.session.scalar(
            select(func.count()).select_from(User).where(User.role == "learner")
        )
        engine = db.engine
    print(f"{learners:,} learners in {database}", file=sys.stderr)
    queries = [0]

    def count(*_args):
        queries[0] += 1

    results = []
    with app.test_client() as client:
        response = client.post("/sign-in", data={"email": REVIEWER, "password": PASSWORD})
        assert response.status_code == 302, "the reviewer could not sign in"
        event.listen(engine, "before_cursor_execute", count)
        for path in PAGES:
            client.get(path).close()  # warm-up: the live course cache, SQLite's page cache
            timings = {}
            for fresh in (True, False):
                times = []
                for _ in range(repeat):
                    if fresh:
                        for chart in (charts.horizontal_bars, charts.histogram,
                                      charts.diverging_likert, charts.before_after):  # fmt: skip
                            chart.cache_clear()
                    queries[0] = 0
                    started = time.perf_counter()
                    response = client.get(path)
                    size = len(response.get_data())
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (path, response.status_code)
                    response.close()
                timings[fresh] = times
            results.append({"path": path, "drawn_ms": statistics.median(timings[True]) * 1000,
                            "max_ms": max(timings[True]) * 1000,
                            "reused_ms": statistics.median(timings[False]) * 1000,
                            "queries": queries[0], "kb": size / 1024})  # fmt: skip
            print(f"  {path}: {results[-1]['drawn_ms']:.0f} ms", file=sys.stderr)
        event.remove(engine, "before_cursor_execute", count)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000, help="demo learners to generate")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument("--database", type=Path, help="reuse this SQLite file (no generation)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database
        if database is None:
            database = Path(tmp) / "bench.sqlite"
            print(f"Generating {args.learners:,} demo learners...", file=sys.stderr)
            seconds = build(database, args.learners)
            print(f"Generated in {seconds / 60:.1f} minutes.", file=sys.stderr)
        results = measure(database, args.repeat)
    print("| page | median ms, charts drawn | max ms, charts drawn | median ms, charts reused "
          "| queries | size KB |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| `{r['path']}` | {r['drawn_ms']:,.0f} | {r['max_ms']:,.0f} | "
              f"{r['reused_ms']:,.0f} | {r['queries']} | {r['kb']:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
