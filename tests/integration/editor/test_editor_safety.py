"""Markdown from the editor is inert in preview and live; pilot figures beside the editor obey
the small-number rules; big input gets a clear message."""

import re

import pytest
from sqlalchemy import select

from elearn.content import store
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback
from elearn.learn.models import PageProgress
from elearn.quiz.models import AttemptStatus, QuizAnswer, QuizAttempt
from tests.factories import make_user

PAGE = "/admin/content/draft/modules/m1/pages/m1-p1"
PREVIEW = "/admin/content/draft/preview/modules/m1/pages/m1-p1"

PAYLOADS = [
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"><circle r="4"/></svg>',
    '<div onclick="alert(1)">raw html block</div>\n\nafter',
    '<a href="javascript:alert(1)">raw link</a>',
    '::: inset\n<iframe src="https://evil.example"></iframe>\n:::',
]


def _content(html: str) -> str:
    return re.search(
        r'<div class="app-content">(.*?)</div>\s*<(a class="nhsuk-button|form)', html, re.S
    ).group(1)


def _assert_inert(html: str) -> None:
    """No live markup: every tag is an allowed one, with no script link or event handler.
    (The payload may still be there as text, escaped, which is harmless.)"""
    for tag in re.findall(r"<[^>]+>", html):
        lowered = tag.lower()
        name = re.match(r"</?([a-z0-9]+)", lowered).group(1)
        assert name not in {"script", "svg", "iframe", "img", "object", "embed"}, tag
        assert "javascript:" not in lowered and "data:" not in lowered, tag
        assert not re.search(r"\son[a-z]+\s*=", lowered), tag


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert_in_preview_and_live(app, drafting, learner_client, payload):
    html = drafting.get(PAGE).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)
    markdown = f"Safe opening line.\n\n{payload}\n"
    saved = drafting.post(
        PAGE, data={"fingerprint": fingerprint, "title": "Payload", "markdown": markdown}
    )
    assert saved.status_code in (302, 400)  # refused with a message, or saved and made inert
    preview = _content(drafting.get(PREVIEW).get_data(as_text=True))
    _assert_inert(preview)
    if saved.status_code == 302:
        assert "Safe opening line." in preview
        published = drafting.post("/admin/content/draft/publish", data={"summary": "payload"})
        assert published.status_code == 302
        live = learner_client.get("/learn/modules/m1/pages/m1-p1").get_data(as_text=True)
        _assert_inert(_content(live))


def test_an_upload_over_the_size_limit_gets_a_clear_message(app, drafting):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    html = drafting.get(PAGE).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)
    response = drafting.post(
        PAGE, data={"fingerprint": fingerprint, "title": "Big", "markdown": "word " * 1000}
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def _feedback(app, page_id: str, answers: list[bool], comment: str | None = None) -> None:
    with app.app_context():
        for n, helpful in enumerate(answers):
            user = make_user(role="learner", evaluation_consent=True)
            db.session.add(
                PageFeedback(
                    user_id=user.id,
                    module_id="m1",
                    page_id=page_id,
                    helpful=helpful,
                    comment=comment if n == 0 else None,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
        db.session.commit()


def test_page_feedback_beside_the_editor_hides_small_numbers(app, drafting):
    _feedback(app, "m1-p1", [True, True, False], comment="Too long")
    html = drafting.get(PAGE).get_data(as_text=True)
    assert "Too few learners have rated this page" in html
    assert "Too long" not in html


def test_page_feedback_shows_a_share_when_both_sides_are_big_enough(app, drafting):
    _feedback(app, "m1-p1", [True] * 6 + [False] * 5, comment="Clear and useful")
    html = drafting.get(PAGE).get_data(as_text=True)
    assert "55% of 11 learners found this page helpful" in html


def test_a_share_that_would_reveal_a_few_unhappy_learners_is_not_shown(app, drafting):
    _feedback(app, "m1-p1", [True] * 9 + [False] * 2)
    html = drafting.get(PAGE).get_data(as_text=True)
    assert "found this page helpful" not in html
    assert "Too few learners have rated this page" in html


def test_nothing_a_preview_does_is_stored(app, drafting):
    drafting.get(PREVIEW)
    with app.app_context():
        assert db.session.scalars(select(PageProgress)).all() == []
        assert store.open_draft() is not None


def _answers(app, published, right: int, wrong: int) -> tuple[str, str]:
    """First attempts at quiz m1 by consenting learners: `right` answer the first question
    correctly, `wrong` all choose the same wrong option. Returns (question id, its text)."""
    question = published.quizzes["m1"].questions[0]
    wrong_option = next(o for o in question.options if not o.correct)
    right_ids = [o.id for o in question.options if o.correct]
    with app.app_context():
        revision_id = store.live_revision_id()
        for n in range(right + wrong):
            is_right = n < right
            user = make_user(role="learner", evaluation_consent=True)
            attempt = QuizAttempt(
                user_id=user.id,
                module_id="m1",
                number=1,
                revision_id=revision_id,
                question_ids=[question.id],
                option_order={},
                status=AttemptStatus.SUBMITTED,
                started_at=utcnow(),
                submitted_at=utcnow(),
                score=n % 4 if not is_right else 3 + n % 3,
                max_score=5,
                pass_mark=80,
                passed=False,
            )
            attempt.answers.append(
                QuizAnswer(
                    question_id=question.id,
                    option_ids=right_ids if is_right else [wrong_option.id],
                    correct=is_right,
                    answered_at=utcnow(),
                )
            )
            db.session.add(attempt)
        db.session.commit()
    return question.id, wrong_option.text


def test_question_feedback_names_the_wrong_answer_most_chosen(app, drafting, published):
    question_id, wrong_text = _answers(app, published, right=6, wrong=6)
    html = drafting.get(f"/admin/content/draft/modules/m1/quiz/questions/{question_id}").get_data(
        as_text=True
    )
    assert "50% answered correctly" in html
    assert "The wrong answer chosen most often is" in html and wrong_text in html
    quiz = drafting.get("/admin/content/draft/modules/m1/quiz").get_data(as_text=True)
    assert "50% answered correctly" in quiz


def test_question_feedback_from_too_few_learners_says_so(app, drafting, published):
    question_id, wrong_text = _answers(app, published, right=2, wrong=1)
    html = drafting.get(f"/admin/content/draft/modules/m1/quiz/questions/{question_id}").get_data(
        as_text=True
    )
    assert "too few to judge" in html
    assert "answered correctly" not in html and "chosen most often" not in html


EDITOR_PAGES = (
    "/admin/content/",
    "/admin/content/draft/course",
    "/admin/content/draft/modules/m1",
    PAGE,
    "/admin/content/draft/modules/m1/pages/new",
    "/admin/content/draft/modules/m1/quiz",
    "/admin/content/draft/modules/m1/quiz/questions/m1-q1",
    "/admin/content/draft/glossary",
    "/admin/content/draft/preview/modules/m1/quiz",
    "/admin/content/draft/publish",
)


def test_every_editor_form_carries_a_csrf_token_and_needs_it(app, drafting):
    app.config["WTF_CSRF_ENABLED"] = True
    for path in EDITOR_PAGES:
        html = drafting.get(path).get_data(as_text=True)
        posts = len(re.findall(r'<form method="post"', html))
        assert posts and html.count('name="csrf_token"') == posts, path
    refused = drafting.post("/admin/content/draft/discard")
    assert refused.status_code == 400
    with app.app_context():
        assert store.open_draft() is not None
