"""Questions keep their meaning under their id; rollback; what learners keep when the course
changes under them."""

import json
import re

from sqlalchemy import select

from elearn.audit import AuditAction, AuditEntry
from elearn.content import store
from elearn.content.models import ContentRevision, RevisionStatus
from elearn.db import utcnow
from elearn.extensions import db
from elearn.quiz.models import QuizAttempt
from tests.helpers import answer_quiz, start_quiz

QUIZ = "/admin/content/draft/modules/m1/quiz"


def _question_form(client, question_id: str) -> dict:
    html = client.get(f"{QUIZ}/questions/{question_id}").get_data(as_text=True)
    form = {"fingerprint": re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)}
    for name in ("question_id", "text", "explanation", "scenario"):
        match = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', html) or re.search(
            rf'name="{name}"[^>]*value="([^"]*)"', html
        )
        form[name] = match.group(1) if match else ""
    for name in ("type", "answer", "outcome", "page"):
        select_html = re.search(rf'name="{name}".*?</select>', html, re.S).group(0)
        chosen = re.search(r'value="([^"]*)" selected', select_html)
        form[name] = chosen.group(1) if chosen else ""
    for n in range(8):
        for part in ("id", "text"):
            match = re.search(rf'name="options-{n}-{part}"[^>]*value="([^"]*)"', html)
            form[f"options-{n}-{part}"] = match.group(1) if match else ""
        feedback = re.search(rf'name="options-{n}-feedback"[^>]*>([^<]*)</textarea>', html)
        form[f"options-{n}-feedback"] = feedback.group(1) if feedback else ""
        if re.search(rf'name="options-{n}-correct"[^>]*checked', html):
            form[f"options-{n}-correct"] = "y"
    return {
        k: v.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
        for k, v in form.items()
    }


def _first_question(published):
    question = published.quizzes["m1"].questions[0]
    right = next(n for n, o in enumerate(question.options) if o.correct)
    wrong = next(n for n, o in enumerate(question.options) if not o.correct)
    return question, right, wrong


def test_a_question_edit_keeps_its_id_when_only_wording_changes(app, drafting, published):
    question, _, _ = _first_question(published)
    form = dict(_question_form(drafting, question.id), explanation="A clearer explanation.")
    assert drafting.post(f"{QUIZ}/questions/{question.id}", data=form).status_code == 302
    with app.app_context():
        course = store.revision_course(store.open_draft().id)
    edited = next(q for q in course.quizzes["m1"].questions if q.id == question.id)
    assert edited.explanation == "A clearer explanation."
    assert edited.options == question.options


def test_changing_the_right_answer_needs_a_new_question_id(app, drafting, published):
    question, right, wrong = _first_question(published)
    form = _question_form(drafting, question.id)
    form.pop(f"options-{right}-correct")
    form[f"options-{wrong}-correct"] = "y"
    refused = drafting.post(f"{QUIZ}/questions/{question.id}", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"for example {question.id}-r2" in html
    accepted = drafting.post(
        f"{QUIZ}/questions/{question.id}", data=dict(form, question_id=f"{question.id}-r2")
    )
    assert accepted.status_code == 302
    with app.app_context():
        course = store.revision_course(store.open_draft().id)
    ids = [q.id for q in course.quizzes["m1"].questions]
    assert f"{question.id}-r2" in ids and question.id not in ids


def test_a_question_that_breaks_the_schema_is_not_saved(app, drafting, published):
    question, _, _ = _first_question(published)
    form = dict(_question_form(drafting, question.id), question_id=f"{question.id}-r2")
    for n in range(8):
        form.pop(f"options-{n}-correct", None)  # no right answer at all
    response = drafting.post(f"{QUIZ}/questions/{question.id}", data=form)
    assert response.status_code == 400
    assert "at least one option must be correct" in response.get_data(as_text=True)


def test_a_new_question_is_added_and_can_be_removed(app, drafting, published):
    question, _, _ = _first_question(published)
    blank = drafting.get(f"{QUIZ}/new-question").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', blank).group(1)
    form = dict(_question_form(drafting, question.id), question_id="m1-new")
    form.update(text="A brand new question?", fingerprint=fingerprint)
    assert drafting.post(f"{QUIZ}/new-question", data=form).status_code == 302
    with app.app_context():
        course = store.revision_course(store.open_draft().id)
    assert course.quizzes["m1"].questions[-1].id == "m1-new"
    assert drafting.post(f"{QUIZ}/questions/m1-new/remove").status_code == 302
    with app.app_context():
        course = store.revision_course(store.open_draft().id)
    assert "m1-new" not in [q.id for q in course.quizzes["m1"].questions]


def test_quiz_settings_are_checked_against_the_pool(app, drafting, published):
    html = drafting.get(QUIZ).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)
    too_many = drafting.post(
        QUIZ, data={"fingerprint": fingerprint, "pass_mark": "80", "draw": "199"}
    )
    assert too_many.status_code == 400
    assert "draw cannot be more than the number of questions" in too_many.get_data(as_text=True)
    fine = drafting.post(
        QUIZ,
        data={"fingerprint": fingerprint, "pass_mark": "70", "draw": "5", "shuffle": ["options"]},
    )
    assert fine.status_code == 302
    with app.app_context():
        quiz = store.revision_course(store.open_draft().id).quizzes["m1"]
    assert (quiz.pass_mark, quiz.draw, quiz.shuffle_options, quiz.shuffle_questions) == (
        70,
        5,
        True,
        False,
    )


def _publish(client, summary: str) -> None:
    assert client.post("/admin/content/draft/publish", data={"summary": summary}).status_code == 302


def test_rollback_publishes_a_copy_of_an_old_revision(app, drafting, learner_client):
    page = "/admin/content/draft/modules/m1/pages/m1-p1"
    html = drafting.get(page).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)
    drafting.post(page, data={"fingerprint": fingerprint, "title": "Changed", "markdown": "New."})
    _publish(drafting, "Rewrite page 1")
    assert "<h1>Changed</h1>" in learner_client.get("/learn/modules/m1/pages/m1-p1").get_data(
        as_text=True
    )
    with app.app_context():
        first = store.published_revisions()[-1]
    form = drafting.get(f"/admin/content/revisions/{first.id}/rollback")
    assert form.status_code == 200
    done = drafting.post(
        f"/admin/content/revisions/{first.id}/rollback", data={"summary": "Pilot preferred it"}
    )
    assert done.status_code == 302
    assert "<h1>Changed</h1>" not in learner_client.get("/learn/modules/m1/pages/m1-p1").get_data(
        as_text=True
    )
    with app.app_context():
        revisions = store.published_revisions()
        detail = db.session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == AuditAction.ROLLED_BACK)
        )
        assert store.revision_course(revisions[0].id) == store.revision_course(first.id)
    assert len(revisions) == 3
    assert revisions[0].note == f"Rolled back to revision {first.number}: Pilot preferred it"
    assert f"copies {first.number}" in detail


def test_rolling_back_to_a_revision_that_no_longer_validates_changes_nothing(app, admin):
    with app.app_context():
        live_id, course = store.live()
        broken = ContentRevision(
            number=99,
            status=RevisionStatus.PUBLISHED,
            checksum="x" * 64,
            data=course.model_dump_json(),
            source=json.dumps({"course": {"id": "Not An Id"}}),
            note="an old one",
            created_at=utcnow(),
            published_at=utcnow().replace(year=2020),
        )
        db.session.add(broken)
        db.session.commit()
        broken_id = broken.id
    response = admin.post(
        f"/admin/content/revisions/{broken_id}/rollback", data={"summary": "try it"}
    )
    assert response.status_code == 400
    assert "does not pass today" in response.get_data(as_text=True)
    with app.app_context():
        assert store.live_revision_id() == live_id


def test_learners_keep_progress_and_attempts_when_pages_and_questions_change(
    app, drafting, learner_client, published
):
    # A learner part-way: two pages done and a quiz attempt submitted on the first revision.
    for page_id in ("m1-p1", "m1-p2"):
        learner_client.post(f"/learn/modules/m1/pages/{page_id}/complete")
    attempt_id, _ = start_quiz(learner_client)
    answer_quiz(learner_client, attempt_id, published.quizzes["m1"], right=False)
    with app.app_context():
        first_revision = store.live_revision_id()
    # The admin adds a page at the start, moves another and removes a question.
    drafting.post(
        "/admin/content/draft/modules/m1/pages/new",
        data={"page_id": "m1-new", "title": "New first page", "after": ""},
    )
    drafting.post("/admin/content/draft/modules/m1/pages/m1-p2/up")
    question = published.quizzes["m1"].questions[0].id
    drafting.post(f"{QUIZ}/questions/{question}/remove")
    said = drafting.get("/admin/content/draft/publish").get_data(as_text=True)
    assert "1 new page." in said
    assert "Pages move to a new order." in said
    assert "Quiz questions change (0 added, 1 removed, 0 edited)" in said
    assert "1 quiz attempt in progress: each carries on with the questions it was given" in said
    _publish(drafting, "Restructure module 1")

    module = learner_client.get("/learn/modules/m1")
    html = module.get_data(as_text=True)
    assert module.status_code == 200
    total = len(published.modules[0].pages) + 1
    assert f"You have done 2 of {total} pages" in html
    assert learner_client.get(f"/learn/quiz-attempts/{attempt_id}/check").status_code == 200
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.revision_id == first_revision
    assert learner_client.get("/learn/").status_code == 200


def test_the_diff_shows_text_changes_and_moved_pages(app, drafting, published):
    page = "/admin/content/draft/modules/m1/pages/m1-p1"
    html = drafting.get(page).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)
    title = published.modules[0].pages[0].title
    drafting.post(
        page,
        data={"fingerprint": fingerprint, "title": title, "markdown": "Only this line now."},
    )
    drafting.post("/admin/content/draft/modules/m1/pages/m1-p3/up")
    with app.app_context():
        live_id = store.live_revision_id()
    draft_diff = drafting.get(f"/admin/content/diff?old={live_id}&new=draft")
    text = draft_diff.get_data(as_text=True)
    assert draft_diff.status_code == 200
    assert "1 page changed, 1 page moved" in text
    assert (
        '<ins><span class="nhsuk-u-visually-hidden">added: </span>Only this line now.</ins>' in text
    )
    assert "m1-p3" in text
    _publish(drafting, "Shorter page 1")
    with app.app_context():
        newest = store.published_revisions()[0].id
    between = drafting.get(f"/admin/content/diff?old={live_id}&new={newest}")
    assert "Only this line now." in between.get_data(as_text=True)
    for odd in ("?old=999&new=1", "?old=abc&new=draft", "?old=1&new=draft", ""):
        response = drafting.get(f"/admin/content/diff{odd}")
        assert response.status_code == 302, odd  # back to the history to choose
