"""Two tabs and double clicks against the real server: parallel duplicate requests to each write
route, through gunicorn with two worker processes, give no 5xx and store one row."""

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, SurveyResponse
from elearn.learn.models import PageProgress
from elearn.quiz.models import QuizAnswer, QuizAttempt
from tests.factories import DEFAULT_PASSWORD, make_invite, make_user
from tests.helpers import gunicorn

TABS = 8
SECRET = "concurrency-test-secret"


@pytest.fixture(scope="module")
def server(database_url) -> Iterator[str]:
    """The app served by gunicorn, two worker processes of four threads, as in production."""
    with gunicorn(database_url, workers=2, threads=4, SECRET_KEY=SECRET) as url:
        yield url


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no form token on the page"
    return match.group(1)


class Tab:
    """One signed-in browser tab; all tabs share the learner's cookies, as tabs do."""

    def __init__(self, server: str, cookies: httpx.Cookies, token: str):
        self.client = httpx.Client(base_url=server, cookies=cookies, timeout=30)
        self.token = token

    def get(self, path: str) -> int:
        return self.client.get(path).status_code

    def post(self, path: str, data: dict | None = None) -> int:
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}).status_code


@pytest.fixture
def tabs(app, server, published) -> Iterator[list[Tab]]:
    with app.app_context():
        make_user(email="tabs@example.org")
    first = httpx.Client(base_url=server, timeout=30)
    token = _token(first.get("/sign-in").text)
    signed_in = first.post(
        "/sign-in",
        data={"csrf_token": token, "email": "tabs@example.org", "password": DEFAULT_PASSWORD},
    )
    assert signed_in.status_code == 302
    token = _token(first.get("/learn/modules/m1/pages/m1-p2").text)
    made = [Tab(server, first.cookies, token) for _ in range(TABS)]
    yield made
    for tab in made:
        tab.client.close()
    first.close()


def _all_at_once(tabs: list[Tab], send: Callable[[Tab], int]) -> list[int]:
    with ThreadPoolExecutor(len(tabs)) as pool:
        return list(pool.map(send, tabs))


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_duplicate_writes_store_one_row_and_never_fail(app, tabs, published):
    page = "/learn/modules/m1/pages/m1-p1"
    assert set(_all_at_once(tabs, lambda t: t.get(page))) == {200}
    assert _count(app, PageProgress, PageProgress.page_id == "m1-p1") == 1

    assert set(_all_at_once(tabs, lambda t: t.post(page + "/complete"))) == {302}
    assert _count(app, PageProgress, PageProgress.completed_at.is_not(None)) == 1

    feedback = {"page-feedback-helpful": "yes", "page-feedback-comment": "Clear"}
    assert set(_all_at_once(tabs, lambda t: t.post(page + "/feedback", feedback))) == {302}
    assert _count(app, PageFeedback) == 1

    assert set(_all_at_once(tabs, lambda t: t.post("/learn/modules/m1/quiz"))) == {302}
    assert _count(app, QuizAttempt) == 1
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        question = next(q for q in published.quizzes["m1"].questions
                        if q.id == attempt.question_ids[0])  # fmt: skip
    answer = {"answer": question.options[0].id}
    question_page = f"/learn/quiz-attempts/{attempt.id}/questions/1"
    statuses = _all_at_once(tabs, lambda t: t.post(question_page, answer))
    assert 500 not in statuses and set(statuses) <= {302, 400}
    assert _count(app, QuizAnswer) == 1

    survey = next(s for s in published.surveys if s.id == "baseline")
    answers = {f"item-{i.id}": "4" for i in survey.items if i.type == "likert"}
    answers |= {f"item-{i.id}": i.options[0].id for i in survey.items if i.type == "single"}
    answers |= {f"item-{i.id}": "5" for i in survey.items if i.type == "rating"}
    assert set(_all_at_once(tabs, lambda t: t.post("/learn/surveys/baseline", answers))) == {302}
    assert _count(app, SurveyResponse) == 1
    second_page = "/learn/surveys/baseline?page=2"  # the survey shows 6 questions a page
    assert set(_all_at_once(tabs, lambda t: t.post(second_page, answers))) == {302}
    assert _count(app, SurveyResponse) == 1
    statuses = _all_at_once(tabs, lambda t: t.post("/learn/surveys/baseline/check"))
    assert set(statuses) == {302}
    assert _count(app, SurveyResponse, SurveyResponse.submitted_at.is_not(None)) == 1


def test_duplicate_registrations_make_one_account(app, server, published):
    with app.app_context():
        code = make_invite(max_uses=20).code
    browsers = [httpx.Client(base_url=server, timeout=30) for _ in range(TABS)]
    try:
        tokens = [_token(b.get("/register").text) for b in browsers]
        data = {"invite_code": code, "email": "twin@example.org", "display_name": "Twin",
                "password": "kettle orbit lantern", "confirm_password": "kettle orbit lantern",
                "community_role": "other", "evaluation_consent": "no"}  # fmt: skip
        with ThreadPoolExecutor(TABS) as pool:
            statuses = list(
                pool.map(
                    lambda pair: pair[0].post("/register", data={**data, "csrf_token": pair[1]}),
                    zip(browsers, tokens, strict=True),
                )
            )
    finally:
        for browser in browsers:
            browser.close()
    codes = [response.status_code for response in statuses]
    assert codes.count(302) == 1 and set(codes) <= {302, 400}, codes
    assert _count(app, User, User.email == "twin@example.org") == 1
    # Every other tab is told why, in plain words: never a 500 or a blank error.
    refused = [response.text for response in statuses if response.status_code == 400]
    assert all("An account with this email address already exists" in text for text in refused)
