"""Editing in a draft: saving, conflicts between admins, problems, preview and publishing."""

import re

import pytest
from sqlalchemy import func, select

from elearn.audit import AuditAction, AuditEntry
from elearn.content import source, store
from elearn.content.models import ContentRevision, RevisionStatus
from elearn.extensions import db
from elearn.learn.models import PageProgress
from elearn.quiz.models import QuizAttempt
from elearn.xapi.models import OutboxStatement
from tests.factories import DEFAULT_PASSWORD, make_user

PAGE = "/admin/content/draft/modules/m1/pages/m1-p1"


def _fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint"[^>]*value="([^"]+)"', html).group(1)


def _page_form(client, url=PAGE) -> dict:
    html = client.get(url).get_data(as_text=True)
    return {
        "fingerprint": _fingerprint(html),
        "title": re.search(r'id="title"[^>]*value="([^"]*)"', html).group(1),
        "sources": "",
        "markdown": "A new opening paragraph for the pilot.\r\n",
    }


def _draft_course(app):
    with app.app_context():
        draft = store.open_draft()
        return store.revision_course(draft.id), draft


def test_a_saved_page_is_in_the_draft_not_live(app, drafting, learner_client):
    form = _page_form(drafting)
    response = drafting.post(PAGE, data=form)
    assert response.status_code == 302
    course, draft = _draft_course(app)
    assert course.modules[0].pages[0].markdown == "A new opening paragraph for the pilot."
    live = learner_client.get("/learn/modules/m1/pages/m1-p1").get_data(as_text=True)
    assert "A new opening paragraph" not in live
    with app.app_context():
        details = db.session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == AuditAction.DRAFT_SAVED)
        ).all()
    assert details == [f"draft {draft.number}: page m1-p1"]


def test_two_admins_saving_the_same_page_do_not_overwrite_each_other(app, drafting, users):
    first = _page_form(drafting)
    second = dict(first, markdown="The other admin's words.\n")
    assert drafting.post(PAGE, data=first).status_code == 302

    conflict = drafting.post(PAGE, data=second)
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Someone else saved this since you opened it" in html
    assert "A new opening paragraph for the pilot." in html  # theirs, shown
    assert "The other admin&#39;s words." in html  # yours, kept in the form
    course, _ = _draft_course(app)
    assert course.modules[0].pages[0].markdown == "A new opening paragraph for the pilot."

    # Saving again, on purpose, replaces theirs.
    again = dict(second, fingerprint=_fingerprint(html))
    assert drafting.post(PAGE, data=again).status_code == 302
    course, _ = _draft_course(app)
    assert course.modules[0].pages[0].markdown == "The other admin's words."


def test_edits_to_different_pages_both_land(app, drafting):
    other_url = "/admin/content/draft/modules/m1/pages/m1-p2"
    first = _page_form(drafting)
    second = dict(_page_form(drafting, other_url), markdown="Second page, rewritten.\n")
    assert drafting.post(PAGE, data=first).status_code == 302
    assert drafting.post(other_url, data=second).status_code == 302
    course, _ = _draft_course(app)
    assert course.modules[0].pages[0].markdown.startswith("A new opening paragraph")
    assert course.modules[0].pages[1].markdown == "Second page, rewritten."


def test_a_page_with_problems_of_its_own_is_not_saved(app, drafting):
    form = dict(_page_form(drafting), markdown="See [a page](page:no-such-page).\n")
    response = drafting.post(PAGE, data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and "no-such-page" in html
    course, _ = _draft_course(app)
    assert "no-such-page" not in course.modules[0].pages[0].markdown


def test_a_change_that_breaks_another_document_is_saved_but_blocks_publishing(app, drafting):
    # The quiz questions that send learners to page m1-p2 to read again lose their page.
    assert drafting.post("/admin/content/draft/modules/m1/pages/m1-p2/remove").status_code == 302
    with app.app_context():
        draft = store.open_draft()
        problems = store.draft_problems(draft)
    assert problems and all("m1-p2" in p for p in problems)
    home = drafting.get("/admin/content/").get_data(as_text=True)
    assert "problem" in home and "Quiz for m1" in home
    response = drafting.post("/admin/content/draft/publish", data={"summary": "Remove page 1"})
    assert response.status_code == 400
    assert "problem(s) before publishing" in response.get_data(as_text=True)
    with app.app_context():
        assert store.open_draft() is not None  # still a draft: nothing went live


def test_pages_are_added_moved_and_removed_in_the_draft(app, drafting):
    response = drafting.post(
        "/admin/content/draft/modules/m1/pages/new",
        data={"page_id": "m1-extra", "title": "An extra page", "after": "m1-p1"},
    )
    assert response.status_code == 302
    course, _ = _draft_course(app)
    ids = [p.id for p in course.modules[0].pages]
    assert ids[:3] == ["m1-p1", "m1-extra", "m1-p2"]
    assert drafting.post("/admin/content/draft/modules/m1/pages/m1-extra/up").status_code == 302
    course, _ = _draft_course(app)
    assert [p.id for p in course.modules[0].pages][:2] == ["m1-extra", "m1-p1"]
    assert drafting.post("/admin/content/draft/modules/m1/pages/m1-extra/remove").status_code == 302
    course, _ = _draft_course(app)
    assert "m1-extra" not in [p.id for p in course.modules[0].pages]
    taken = drafting.post(
        "/admin/content/draft/modules/m1/pages/new",
        data={"page_id": "m1-p2", "title": "Clash", "after": ""},
    )
    assert taken.status_code == 400
    assert "already used" in taken.get_data(as_text=True)


def test_module_details_and_outcomes_are_edited(app, drafting):
    url = "/admin/content/draft/modules/m1"
    html = drafting.get(url).get_data(as_text=True)
    bad = drafting.post(
        url,
        data={
            "fingerprint": _fingerprint(html),
            "title": "Module one",
            "summary": "A summary.",
            "estimated_minutes": "30",
            "outcomes": "m1-o1 without a colon",
        },
    )
    assert bad.status_code == 400
    assert "Line 1 of the learning outcomes" in bad.get_data(as_text=True)
    course, _ = _draft_course(app)
    outcome_lines = "\n".join(f"{o.id}: {o.text}" for o in course.modules[0].outcomes)
    good = drafting.post(
        url,
        data={
            "fingerprint": _fingerprint(html),
            "title": "Module one, revised",
            "summary": "A summary.",
            "estimated_minutes": "30",
            "outcomes": outcome_lines,
        },
    )
    assert good.status_code == 302
    course, _ = _draft_course(app)
    assert course.modules[0].title == "Module one, revised"
    assert course.modules[0].estimated_minutes == 30


def test_the_glossary_is_edited_as_text_with_line_numbered_errors(app, drafting):
    url = "/admin/content/draft/glossary"
    html = drafting.get(url).get_data(as_text=True)
    broken = drafting.post(
        url, data={"fingerprint": _fingerprint(html), "text": "terms:\n  - id: x\n   term: [\n"}
    )
    assert broken.status_code == 400
    assert "not valid YAML on line" in broken.get_data(as_text=True)
    wrong_shape = drafting.post(
        url, data={"fingerprint": _fingerprint(html), "text": "terms:\n  - id: only-an-id\n"}
    )
    assert wrong_shape.status_code == 400
    assert "missing key" in wrong_shape.get_data(as_text=True)


def test_preview_shows_the_draft_as_a_learner_sees_it_and_records_nothing(app, drafting):
    drafting.post(PAGE, data=_page_form(drafting))
    preview = drafting.get("/admin/content/draft/preview/modules/m1/pages/m1-p1")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Preview \u2014 not live" in html
    assert "A new opening paragraph for the pilot." in html
    assert "/admin/content/draft/preview/modules/m1/pages/m1-p2" in html  # Next, in preview
    quiz = drafting.get("/admin/content/draft/preview/modules/m1/quiz").get_data(as_text=True)
    course, _ = _draft_course(app)
    question = course.quizzes["m1"].questions[0]
    right = [o.id for o in question.options if o.correct]
    marked = drafting.post(
        "/admin/content/draft/preview/modules/m1/quiz", data={question.id: right}
    )
    assert marked.status_code == 200
    assert "<strong>Right.</strong>" in marked.get_data(as_text=True)
    assert "Mark my answers" in quiz
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PageProgress)) == 0
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxStatement)) == 0


def test_preview_shows_decision_points_and_sources_and_answers_them_without_recording(
    app, drafting
):
    course, _ = _draft_course(app)
    module = next(m for m in course.modules if m.id == "m1")
    page = next(p for p in module.pages if p.id == "m1-p7")
    decision = page.decisions[0]
    preview_url = "/admin/content/draft/preview/modules/m1/pages/m1-p7"
    html = drafting.get(preview_url).get_data(as_text=True)
    assert f"Your turn: {decision.title}" in html
    assert f'action="{preview_url}/decisions/{decision.id}"' in html
    assert "Sources for this page" in html
    wrong = next(c for c in decision.choices if not c.best)
    answered = drafting.post(
        f"{preview_url}/decisions/{decision.id}", data={f"{decision.id}-choice": wrong.id}
    )
    assert answered.status_code == 302
    assert answered.headers["Location"].startswith(
        f"{preview_url}?decision={decision.id}&choice={wrong.id}"
    )
    feedback = drafting.get(answered.headers["Location"]).get_data(as_text=True)
    assert "Think again" in feedback
    assert wrong.feedback in feedback
    nothing = drafting.post(f"{preview_url}/decisions/{decision.id}", data={})
    assert nothing.status_code == 400
    assert "Select what you would say" in nothing.get_data(as_text=True)
    assert (
        drafting.post(
            f"{preview_url}/decisions/{decision.id}", data={f"{decision.id}-choice": "nope"}
        ).status_code
        == 400
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxStatement)) == 0


def test_publish_needs_a_summary_and_makes_the_draft_live(app, drafting, learner_client):
    drafting.post(PAGE, data=_page_form(drafting))
    missing = drafting.post("/admin/content/draft/publish", data={"summary": ""})
    assert missing.status_code == 400
    assert "Enter a summary of the change" in missing.get_data(as_text=True)
    done = drafting.post("/admin/content/draft/publish", data={"summary": "Clearer opening"})
    assert done.status_code == 302
    live = learner_client.get("/learn/modules/m1/pages/m1-p1").get_data(as_text=True)
    assert "A new opening paragraph for the pilot." in live
    history = drafting.get("/admin/content/history").get_data(as_text=True)
    assert "Clearer opening" in history
    with app.app_context():
        assert store.open_draft() is None
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert AuditAction.PUBLISHED in actions


def test_publish_shows_who_is_affected_in_plain_words(app, drafting, users, learner_client):
    app.config["SMALL_NUMBER_THRESHOLD"] = 1  # one learner is enough to show a count here
    learner_client.get("/learn/modules/m1/pages/m1-p1")
    drafting.post(
        "/admin/content/draft/modules/m1/pages/new",
        data={"page_id": "m1-extra", "title": "An extra page", "after": ""},
    )
    html = drafting.get("/admin/content/draft/publish").get_data(as_text=True)
    assert "1 learner part-way through this module" in html
    assert "1 new page. Learners part-way through must read them" in html


def test_publishing_over_a_later_live_revision_needs_confirming(app, drafting, shipped_course):
    drafting.post(PAGE, data=_page_form(drafting))
    with app.app_context():  # someone imports files meanwhile
        changed = shipped_course.model_copy(update={"title": "Renamed by an import"})
        store.publish(changed, "import")
        db.session.commit()
    home = drafting.get("/admin/content/").get_data(as_text=True)
    assert "The live course changed" in home
    refused = drafting.post("/admin/content/draft/publish", data={"summary": "Mine"})
    assert refused.status_code == 400
    assert "tick the box" in refused.get_data(as_text=True)
    agreed = drafting.post(
        "/admin/content/draft/publish", data={"summary": "Mine", "overwrite": "y"}
    )
    assert agreed.status_code == 302


def test_discarding_the_draft_leaves_live_alone(app, drafting):
    drafting.post(PAGE, data=_page_form(drafting))
    assert drafting.post("/admin/content/draft/discard").status_code == 302
    with app.app_context():
        assert store.open_draft() is None
        statuses = db.session.scalars(select(ContentRevision.status)).all()
    assert sorted(statuses) == [RevisionStatus.DISCARDED, RevisionStatus.PUBLISHED]
    assert drafting.get(PAGE).status_code == 302  # no draft: back to start one


def test_two_saves_of_one_draft_version_cannot_both_win(app, drafting):
    with app.app_context():
        draft = store.open_draft()
        version = draft.version
        data = store.draft_source(draft)
        store.save_source(draft, source.set_course(data, "One", "Summary"), None, version)
        with pytest.raises(store.DraftChanged):
            store.save_source(draft, source.set_course(data, "Two", "Summary"), None, version)
        db.session.commit()
        assert store.revision_course(draft.id).title == "One"


def test_another_admin_signs_in_and_sees_the_same_draft(app, drafting, users):
    drafting.post(PAGE, data=_page_form(drafting))
    with app.app_context():
        email = make_user(role="admin").email
    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    html = client.get(PAGE).get_data(as_text=True)
    assert "A new opening paragraph for the pilot." in html


def test_plain_language_checks_show_while_editing(app, drafting):
    long_paragraph = " ".join(["The guide listens to the question and answers it plainly."] * 12)
    form = dict(_page_form(drafting), markdown=f"Short opening.\n\n{long_paragraph}\n")
    assert drafting.post(PAGE, data=form).status_code == 302
    html = drafting.get(PAGE).get_data(as_text=True)
    assert "Reading ease" in html and "(aim for 60 or more)" in html
    assert "a paragraph has 120 words (more than 100)" in html
    home = drafting.get("/admin/content/").get_data(as_text=True)
    assert "Plain-language and quality checks" in home
    assert f'href="{PAGE}">m1 / m1-p1: a paragraph has 120 words' in home


def test_the_bibliography_is_edited_as_text(app, drafting):
    home = drafting.get("/admin/content/").get_data(as_text=True)
    assert 'href="/admin/content/draft/bibliography"' in home
    assert 'href="/admin/content/draft/glossary"' in home
    url = "/admin/content/draft/bibliography"
    html = drafting.get(url).get_data(as_text=True)
    text = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    text = text.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    text = text.replace("&lt;", "<").replace("&gt;", ">")
    first_title = re.search(r"title: (.+)", text).group(1)
    changed = text.replace(f"title: {first_title}", "title: A clearer title", 1)
    response = drafting.post(url, data={"fingerprint": _fingerprint(html), "text": changed})
    assert response.status_code == 302
    course, _ = _draft_course(app)
    assert course.bibliography[0].title == "A clearer title"
