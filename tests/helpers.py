"""Plain helpers shared by test modules and conftest files (fixtures live only in conftest.py)."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config

from elearn import create_app
from elearn.config import ROOT
from elearn.extensions import db
from elearn.feedback.presenters import SURVEY_PAGE_SIZE
from elearn.quiz.models import QuizAttempt


def upgrade_database(url: str) -> None:
    """Build the schema with the real migrations (never create_all)."""
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    app = create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        command.upgrade(config, "head")
        db.engine.dispose()


def clear_tables(app) -> None:
    """Empty every table, so each test starts from a migrated, empty database."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()  # close pooled connections before the app is dropped


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def start_quiz(client, module_id="m1"):
    """Start a quiz attempt as the signed-in learner; returns its id and the first page."""
    response = client.post(f"/learn/modules/{module_id}/quiz")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    attempt_id = int(re.search(r"/quiz-attempts/(\d+)/", response.headers["Location"]).group(1))
    return attempt_id, response.headers["Location"]


def asked_questions(client, attempt_id, quiz):
    """The questions this attempt asks, in its order (a quiz may draw and shuffle)."""
    with client.application.app_context():
        ids = db.session.get(QuizAttempt, attempt_id).question_ids
    by_id = {q.id: q for q in quiz.questions}
    return [by_id[i] for i in ids]


def answer_quiz(client, attempt_id, quiz, right=True):
    """Answer every question the attempt asks, all right or all wrong."""
    for number, question in enumerate(asked_questions(client, attempt_id, quiz), start=1):
        correct = [o.id for o in question.options if o.correct]
        wrong = [o.id for o in question.options if not o.correct][:1]
        chosen = correct if right else wrong
        data = {"answer": chosen if question.multiple else chosen[0]}
        response = client.post(f"/learn/quiz-attempts/{attempt_id}/questions/{number}", data=data)
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:300])


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    database_url: str, workers: int = 1, threads: int = 1, **settings: str
) -> Iterator[str]:
    """The app served by gunicorn in its own processes, as production serves it, on the tests'
    database; yields its address. ``settings`` are more ``ELEARN_*`` values (no prefix)."""
    port = free_port()
    env = {
        **os.environ,
        "ELEARN_DATABASE_URL": database_url,
        "ELEARN_SECRET_KEY": "served-test-secret",
        "ELEARN_BASE_URL": "http://127.0.0.1",
        "ELEARN_ENV": "production",
        **{f"ELEARN_{name}": value for name, value in settings.items()},
    }
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads),
               "elearn:create_app()"]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    log.seek(0)
                    raise RuntimeError(log.read().decode()) from None
                time.sleep(0.2)
        try:
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def post_survey(client, course, survey_id: str, data: dict):
    """Post form data to every page of a survey in turn (each page reads only its own fields);
    the last page's response, which goes on to check answers."""
    survey = next(s for s in course.surveys if s.id == survey_id)
    pages = max(1, -(-len(survey.items) // SURVEY_PAGE_SIZE))
    response = None
    for number in range(1, pages + 1):
        query = f"?page={number}" if number > 1 else ""
        response = client.post(f"/learn/surveys/{survey_id}{query}", data=data)
        if response.status_code != 302 or "/surveys/" not in response.headers["Location"]:
            break  # a page with a problem, or the survey is closed: stop there
    return response
