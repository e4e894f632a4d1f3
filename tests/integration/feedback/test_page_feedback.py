"""Was this page helpful? One answer per learner per page, changeable, as a plain form POST."""

from flask import render_template
from sqlalchemy import event, select

from elearn.content import provider
from elearn.extensions import db
from elearn.feedback import presenters, service
from elearn.feedback.models import PageFeedback
from elearn.unit_of_work import action
from tests.factories import learner
from tests.helpers import csrf_token_from

URL = "/learn/modules/m1/pages/m1-p2/feedback"


def _rows() -> list[PageFeedback]:
    return list(db.session.scalars(select(PageFeedback).order_by(PageFeedback.id)))


def _post(client, helpful="yes", comment="", url=URL, **extra):
    data = {"page-feedback-helpful": helpful, "page-feedback-comment": comment, **extra}
    return client.post(url, data=data)


def _partial(app, user_id, module_id="m1", page_id="m1-p2") -> str:
    with app.test_request_context():
        course = provider.course()
        module = next(m for m in course.modules if m.id == module_id)
        page = next(p for p in module.pages if p.id == page_id)
        return render_template(
            "feedback/_page_feedback.html",
            module=module,
            page=page,
            page_feedback_form=presenters.page_feedback_form(user_id, page_id),
        )


def test_give_then_change_page_feedback(app, learner_client, learner_id, published):
    response = _post(learner_client, "yes", "Clear and short")
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/modules/m1/pages/m1-p2#page-feedback"
    with app.app_context():
        (row,) = _rows()
        assert (row.user_id, row.module_id, row.page_id) == (learner_id, "m1", "m1-p2")
        assert row.helpful is True and row.comment == "Clear and short"
        first_updated = row.updated_at

    changed = _post(learner_client, "no", "")
    assert changed.status_code == 302
    with app.app_context():
        (row,) = _rows()  # still one row: the answer changed in place
        assert row.helpful is False and row.comment is None
        assert row.created_at <= first_updated <= row.updated_at


def test_the_form_shows_the_earlier_answer_so_it_can_be_changed(app, learner_id, published):
    html = _partial(app, learner_id)
    assert "Was this page helpful?" in html
    assert "Thank you for your feedback" not in html
    assert 'action="/learn/modules/m1/pages/m1-p2/feedback"' in html
    assert 'method="post"' in html
    assert 'name="page-feedback-helpful" type="radio" value="yes"' in html
    assert 'name="page-feedback-comment"' in html
    assert "You can enter up to 1,000 characters" in html
    with app.test_request_context(), action():
        service.give_page_feedback(
            provider.course(),
            learner(learner_id),
            "m1",
            "m1-p2",
            helpful=False,
            comment="Too long <b>x</b>",
        )
    html = _partial(app, learner_id)
    assert "You told us this page was not helpful." in html
    assert 'value="no" checked' in html
    assert "Too long &lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    # Another page has nothing yet.
    assert "Thank you for your feedback" not in _partial(app, learner_id, "m1", "m1-p3")


def test_building_the_form_takes_one_query(app, learner_id, published):
    statements = []
    with app.test_request_context():
        provider.course()
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            presenters.page_feedback_form(learner_id, "m1-p2")
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1, statements


def test_no_answer_returns_the_form_with_a_message(app, learner_client, published):
    response = learner_client.post(URL, data={"page-feedback-comment": "Kept"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error: " in html and "There is a problem" in html
    message = "Select yes if this page was helpful, or no if it was not"
    assert html.count(message) == 2
    assert 'href="#page-feedback-helpful"' in html
    assert ">Kept</textarea>" in html
    assert 'href="/learn/modules/m1/pages/m1-p2"' in html  # back to the page
    with app.app_context():
        assert _rows() == []


def test_a_comment_over_1000_characters_is_refused_not_cut(app, learner_client, published):
    comment = "b" * 1001
    response = _post(learner_client, "no", comment)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count("Your comment must be 1,000 characters or fewer. You entered 1,001.") == 2
    assert comment in html
    with app.app_context():
        assert _rows() == []
    assert _post(learner_client, "no", "b" * 1000).status_code == 302
    with app.app_context():
        assert _rows()[0].comment == "b" * 1000


def test_script_in_a_comment_is_stored_as_typed_and_shown_as_text(
    app, learner_client, learner_id, published
):
    typed = '<script>alert("x")</script>'
    _post(learner_client, "yes", typed)
    with app.app_context():
        assert _rows()[0].comment == typed
    html = _partial(app, learner_id)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_a_value_other_than_yes_or_no_is_a_400(app, learner_client, published):
    assert _post(learner_client, "maybe").status_code == 400
    with app.app_context():
        assert _rows() == []


def test_unknown_module_or_page_is_404_and_writes_nothing(app, learner_client, published):
    for url in (
        "/learn/modules/m9/pages/m1-p2/feedback",
        "/learn/modules/m1/pages/m9-p9/feedback",
        "/learn/modules/m2/pages/m1-p2/feedback",  # a page of another module
    ):
        assert _post(learner_client, url=url).status_code == 404, url
    with app.app_context():
        assert _rows() == []


def test_each_learner_has_their_own_answer(app, learner_client, learner_id, other_client):
    _post(learner_client, "yes", "Mine")
    _post(other_client, "no", "Theirs")
    with app.app_context():
        rows = _rows()
        assert len(rows) == 2
        assert {r.comment for r in rows} == {"Mine", "Theirs"}
        other_id = next(r.user_id for r in rows if r.comment == "Theirs")
    mine = _partial(app, learner_id)
    theirs = _partial(app, other_id)
    assert "Mine" in mine and "Theirs" not in mine
    assert "Theirs" in theirs and "Mine" not in theirs


def test_works_as_a_plain_form_with_csrf_on(app, learner_client, learner_id, published):
    """No JavaScript: the browser posts the form with its CSRF token and follows the redirect."""
    app.config["WTF_CSRF_ENABLED"] = True
    assert 'name="page-feedback-csrf_token" type="hidden"' in _partial(app, learner_id)
    token = csrf_token_from(learner_client.get("/learn/surveys/baseline").get_data(as_text=True))
    refused = _post(learner_client, "yes")
    assert refused.status_code == 400
    sent = _post(learner_client, "yes", **{"page-feedback-csrf_token": token})
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith("#page-feedback")
    with app.app_context():
        assert len(_rows()) == 1


def test_the_learn_page_shows_page_feedback(learner_client, published):
    """The content page includes the form (templates/learn/page.html)."""
    _post(learner_client, "yes", "Helpful")
    html = learner_client.get("/learn/modules/m1/pages/m1-p2").get_data(as_text=True)
    assert 'id="page-feedback"' in html
    assert "You told us this page was helpful." in html
    assert 'action="/learn/modules/m1/pages/m1-p2/feedback"' in html
