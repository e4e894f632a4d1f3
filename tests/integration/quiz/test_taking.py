"""Taking a quiz end to end, with bad input, attempt limits and one result per submission."""

import random
import re
import threading

import pytest
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.content import provider
from elearn.content.store import publish
from elearn.extensions import db
from elearn.journey import progression
from elearn.learn.models import ModuleProgress
from elearn.quiz import service
from elearn.quiz.models import QuizAnswer, QuizAttempt
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, learner, make_user
from tests.helpers import answer_quiz, asked_questions, start_quiz


def test_question_pages_never_show_answers_or_feedback(learner_client, published):
    quiz = published.quizzes["m1"]
    attempt_id, location = start_quiz(learner_client)
    asked = asked_questions(learner_client, attempt_id, quiz)
    for number, question in enumerate(asked, start=1):
        html = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/questions/{number}").get_data(
            as_text=True
        )
        assert f"Question {number} of {len(asked)}" in html
        assert question.text.replace("'", "&#39;").replace('"', "&#34;") in html
        for option in question.options:
            assert option.feedback.replace("'", "&#39;").replace('"', "&#34;") not in html
        assert question.explanation.replace("'", "&#39;").replace('"', "&#34;") not in html


def test_pass_completes_the_module_with_all_pages_done(app, learner_client, published):
    quiz = published.quizzes["m1"]
    for page in published.modules[0].pages:
        learner_client.post(f"/learn/modules/m1/pages/{page.id}/complete")
    assert "In progress" in learner_client.get("/learn/modules/m1").get_data(as_text=True)
    attempt_id, _ = start_quiz(learner_client)
    asked = asked_questions(learner_client, attempt_id, quiz)
    answer_quiz(learner_client, attempt_id, quiz)
    check = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/check").get_data(as_text=True)
    assert "Check your answers" in check and "Submit answers" in check
    response = learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    assert response.headers["Location"] == f"/learn/quiz-attempts/{attempt_id}/result"
    result = learner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You passed" in result
    assert f"You got {len(asked)} out of {len(asked)} (100%)" in result
    assert "The pass mark is 80%" in result
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert "You have completed 1 of 4 modules." in dashboard
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.module_id == "m1"))
        assert progress.completed_at is not None
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.passed and attempt.score == len(asked)
        assert attempt.submitted_at >= attempt.started_at
        assert attempt.revision_id is not None
        assert all(a.correct for a in attempt.answers)


def test_fail_shows_feedback_and_try_again(app, learner_client, published):
    quiz = published.quizzes["m2"]
    attempt_id, _ = start_quiz(learner_client, "m2")
    answer_quiz(learner_client, attempt_id, quiz, right=False)
    learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    result = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/result").get_data(as_text=True)
    assert "You did not pass this time" in result
    assert "You got 0 out of" in result
    assert "Try again" in result
    asked = asked_questions(learner_client, attempt_id, quiz)
    first = asked[0]
    assert "Not right" in result
    assert f'href="/learn/modules/m2/pages/{first.page}"' in result
    # After a fail with attempts to come: which were wrong and where to read, not the answers.
    assert "The right answer:" not in result
    assert "We show the right answers and full feedback when you pass." in result
    for question in asked:
        assert _escaped(question.explanation) not in result
        for option in question.options:
            assert _escaped(option.feedback) not in result
    second_id, _ = start_quiz(learner_client, "m2")
    assert second_id != attempt_id
    with app.app_context():
        assert db.session.get(QuizAttempt, second_id).number == 2
    # Once the module's quiz is passed, every result shows the answers and full feedback.
    answer_quiz(learner_client, second_id, quiz)
    learner_client.post(f"/learn/quiz-attempts/{second_id}/check")
    again = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/result").get_data(as_text=True)
    assert "The right answer:" in again
    wrong = next(o for o in first.options if not o.correct)
    assert _escaped(first.explanation) in again
    assert _escaped(wrong.feedback) in again or "Not answered" in again


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")


class DrawWith(random.Random):
    """A seeded draw that always holds a question of one kind (single or multiple answer):
    when the seeded sample has none, its first question is swapped for the pool's first."""

    def __init__(self, multiple: bool) -> None:
        super().__init__(17)
        self.multiple = multiple

    def sample(self, population, k, *, counts=None):
        drawn = super().sample(population, k, counts=counts)
        if not any(q.multiple == self.multiple for q in drawn):
            drawn[0] = next(q for q in population if q.multiple == self.multiple)
        return drawn


@pytest.mark.parametrize(
    ("module_id", "multiple", "message"),
    [("m1", False, "Select an answer"), ("m1", True, "Select at least one answer")],
)
def test_missing_answer_returns_to_the_question(
    app, users, learner_client, published, module_id, multiple, message
):
    quiz = published.quizzes[module_id]
    assert quiz.draw and any(q.multiple == multiple for q in quiz.questions)
    with app.test_request_context(), action():
        user_id = db.session.scalar(select(User.id).where(User.email == users["learner"]))
        course, revision = provider.course(), provider.revision_id()
        service.start_attempt(course, revision, user_id, module_id, rng=DrawWith(multiple))
    attempt_id, _ = start_quiz(learner_client, module_id)  # carries on the attempt drawn above
    asked = asked_questions(learner_client, attempt_id, quiz)
    number = next(n for n, q in enumerate(asked, 1) if q.multiple == multiple)
    response = learner_client.post(f"/learn/quiz-attempts/{attempt_id}/questions/{number}", data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "There is a problem" in html


def test_unknown_option_is_a_400_page(app, learner_client, published):
    attempt_id, _ = start_quiz(learner_client)
    response = learner_client.post(
        f"/learn/quiz-attempts/{attempt_id}/questions/1", data={"answer": "zz"}
    )
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 0


def test_answers_are_saved_as_you_go_and_resume(learner_client, published):
    quiz = published.quizzes["m1"]
    attempt_id, _ = start_quiz(learner_client)
    question = asked_questions(learner_client, attempt_id, quiz)[0]
    choice = question.options[0].id
    learner_client.post(
        f"/learn/quiz-attempts/{attempt_id}/questions/1",
        data={"answer": [choice] if question.multiple else choice},
    )
    again_id, location = start_quiz(learner_client)
    assert again_id == attempt_id
    assert location.endswith("/questions/2")
    html = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/questions/1").get_data(
        as_text=True
    )
    assert re.search(rf'value="{choice}"\s+checked', html)


def test_submitting_twice_records_one_result(app, learner_client, published):
    quiz = published.quizzes["m1"]
    attempt_id, _ = start_quiz(learner_client)
    answer_quiz(learner_client, attempt_id, quiz)
    learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    replay = learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    assert replay.headers["Location"].endswith("/result")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_two_concurrent_submissions_record_one_result(app, learner_client, published, users):
    quiz = published.quizzes["m1"]
    attempt_id, _ = start_quiz(learner_client)
    answer_quiz(learner_client, attempt_id, quiz)
    with app.app_context():
        user_id = db.session.get(QuizAttempt, attempt_id).user_id
    results, barrier = [], threading.Barrier(2)

    def submit():
        with app.test_request_context():
            with action():
                course = provider.course()
                view = service.load_attempt(course, user_id, attempt_id)
                barrier.wait()
                results.append(progression.submit_quiz(course, learner(user_id), view))
            db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r is not None for r in results) == 1
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.status == "submitted" and attempt.score == len(attempt.question_ids)


def test_attempt_limit(app, learner_client, published):
    limited = published.model_copy(
        update={
            "quizzes": {
                **published.quizzes,
                "m3": published.quizzes["m3"].model_copy(update={"max_attempts": 1}),
            }
        }
    )
    with app.app_context(), action():
        publish(limited, "one attempt")
    page = learner_client.get("/learn/modules/m3/quiz").get_data(as_text=True)
    assert "You have 1 attempt left." in page
    attempt_id, _ = start_quiz(learner_client, "m3")
    answer_quiz(learner_client, attempt_id, limited.quizzes["m3"], right=False)
    learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    result = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Try again" not in result and "You have used all your attempts" in result
    response = learner_client.post("/learn/modules/m3/quiz")
    assert response.headers["Location"] == "/learn/modules/m3/quiz"
    page = learner_client.get("/learn/modules/m3/quiz").get_data(as_text=True)
    assert "You have used all 1 attempts" in page or "You have used all your attempts" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_someone_elses_attempt_is_404(app, client, learner_client, published):
    attempt_id, _ = start_quiz(learner_client)
    other = app.test_client()
    with app.app_context():
        make_user(email="other@example.org")
    other.post("/sign-in", data={"email": "other@example.org", "password": DEFAULT_PASSWORD})
    for path in (f"/learn/quiz-attempts/{attempt_id}/questions/1",
                 f"/learn/quiz-attempts/{attempt_id}/check",
                 f"/learn/quiz-attempts/{attempt_id}/result"):  # fmt: skip
        assert other.get(path).status_code == 404
    assert other.post(f"/learn/quiz-attempts/{attempt_id}/check").status_code == 404


def test_course_completion_needs_all_four_modules(learner_client, published):
    for module in published.modules:
        for page in module.pages:
            learner_client.post(f"/learn/modules/{module.id}/pages/{page.id}/complete")
        attempt_id, _ = start_quiz(learner_client, module.id)
        answer_quiz(learner_client, attempt_id, published.quizzes[module.id])
        learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert "You have completed every module" in dashboard
    assert "You have completed 4 of 4 modules." in dashboard
    certificate = learner_client.get("/learn/certificate").get_data(as_text=True)
    assert "Certificate of completion" in certificate
    code = r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}"
    assert re.search(f"Verification code:</strong> {code}", certificate)


def test_passing_offers_the_module_survey(learner_client, published):
    attempt_id, _ = start_quiz(learner_client, "m4")
    answer_quiz(learner_client, attempt_id, published.quizzes["m4"])
    learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    html = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Tell us what you thought" in html
    assert 'href="/learn/surveys/after-m4"' in html
    learner_client.post("/learn/surveys/after-m4/skip")
    html = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Tell us what you thought" not in html  # skipped: not offered again


def test_draw_and_shuffle_are_fixed_per_attempt(app, learner_client, published):
    quiz = published.quizzes["m2"].model_copy(
        update={"draw": 5, "shuffle_options": True, "shuffle_questions": True}
    )
    with app.app_context(), action():
        publish(published.model_copy(update={"quizzes": {**published.quizzes, "m2": quiz}}), "draw")
    attempt_id, _ = start_quiz(learner_client, "m2")
    with app.test_request_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert len(attempt.question_ids) == 5 and attempt.max_score == 5
        assert set(attempt.question_ids) <= {q.id for q in quiz.questions}
        view = service.load_attempt(provider.course(), attempt.user_id, attempt_id)
        assert [q.id for q in view.questions] == attempt.question_ids
        for question in view.questions:  # each question keeps its options, in the stored order
            assert [o.id for o in question.options] == attempt.option_order[question.id]
    # Two more learners' attempts with fixed seeds draw different questions in different orders.
    with app.test_request_context():
        course, revision = provider.course(), provider.revision_id()
        drawn = []
        for seed in (1, 2):
            user = make_user(email=f"seed{seed}@example.org")
            attempt = service.start_attempt(
                course, revision, user.id, "m2", rng=random.Random(seed)
            )
            drawn.append((attempt.question_ids, attempt.option_order))
        assert drawn[0] != drawn[1]
    page = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/questions/5").get_data(
        as_text=True
    )
    assert "Question 5 of 5" in page


def test_no_certificate_before_the_course_is_complete(learner_client, published):
    response = learner_client.get("/learn/certificate")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your certificate is not ready yet" in html
    assert "Certificate of completion" not in html
    title = published.modules[0].title.replace("'", "&#39;")
    assert f"Module 1: {title}: finish {len(published.modules[0].pages)} more pages" in html
    assert f"Module 1: {title}: pass the end of module quiz" in html
    response = learner_client.get("/learn/certificate.pdf")
    assert response.status_code == 302 and response.headers["Location"] == "/learn/certificate"
