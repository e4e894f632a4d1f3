"""Plain helpers shared by test modules and conftest files (fixtures live only in conftest.py)."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
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


def silent_server() -> tuple[socket.socket, list[socket.socket]]:
    """A server on loopback that accepts connections and never says a word (a hung mail server
    or Redis); close the listener and the held connections when done."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return listener, held


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
        "ELEARN_ENV": "testing",  # production refuses a base address that is not https
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


def small_course_data() -> dict:
    """A one-module course as an editor would send it (see content.validate.validate_data)."""
    options = [
        {"id": "a", "text": "Yes", "correct": True, "feedback": "Right."},
        {"id": "b", "text": "No", "correct": False, "feedback": "Not quite."},
    ]
    return {
        "course": {"id": "demo", "title": "Demo", "summary": "A short course.", "modules": ["m1"]},
        "glossary": {"terms": [{"id": "gp", "term": "GP", "definition": "Your family doctor."}]},
        "modules": [
            {
                "module": {
                    "id": "m1",
                    "title": "Records",
                    "summary": "What a record holds.",
                    "estimated_minutes": 10,
                    "outcomes": [{"id": "m1-lo1", "text": "say what a record holds"}],
                    "pages": ["m1-p1", "m1-p2"],
                },
                "pages": [
                    {"id": "m1-p2", "title": "Next", "markdown": "Back to [start](page:m1-p1)."},
                    {"id": "m1-p1", "title": "Start", "markdown": "Your [GP](glossary:gp) has it."},
                ],
            }
        ],
        "quizzes": [
            {
                "module": "m1",
                "pass_mark": 80,
                "questions": [
                    {
                        "id": "m1-q1",
                        "type": "single",
                        "text": "Does your GP keep a record?",
                        "outcome": "m1-lo1",
                        "page": "m1-p1",
                        "explanation": "They do.",
                        "options": options,
                    }
                ],
            }
        ],
    }


def with_module(course, module_id: str, **update):
    """A copy of the course with one module's fields replaced."""
    modules = [m.model_copy(update=update) if m.id == module_id else m for m in course.modules]
    return course.model_copy(update={"modules": modules})


def with_page(course, page_id: str, **update):
    """A copy of the course with one page's fields replaced."""
    module = next(m for m in course.modules if any(p.id == page_id for p in m.pages))
    pages = [p.model_copy(update=update) if p.id == page_id else p for p in module.pages]
    return with_module(course, module.id, pages=pages)


def with_quiz(course, module_id: str, **update):
    """A copy of the course with one quiz's fields replaced."""
    quizzes = dict(course.quizzes)
    quizzes[module_id] = quizzes[module_id].model_copy(update=update)
    return course.model_copy(update={"quizzes": quizzes})


def with_question(course, question_id: str, option_updates: dict | None = None, **update):
    """A copy of the course with one question's fields replaced; option_updates maps an option
    id to the fields to replace in that option."""
    quiz = next(q for q in course.quizzes.values() if any(x.id == question_id for x in q.questions))
    questions = []
    for question in quiz.questions:
        if question.id == question_id:
            changed = [
                o.model_copy(update=(option_updates or {}).get(o.id, {})) for o in question.options
            ]
            question = question.model_copy(update={"options": changed, **update})
        questions.append(question)
    return with_quiz(course, quiz.module, questions=questions)


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


def loaded_html(page) -> str:
    """The page's HTML once it has loaded.

    After a click that navigates, Playwright returns once the new document is committed, which
    can be before its body has arrived: reading ``page.content()`` then races the server.
    """
    page.wait_for_load_state()
    return page.content()
