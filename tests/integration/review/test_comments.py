"""Comments in context: each links to its page; filters by module, page, role and words; admins
mark what acted on a comment (feedback_data in conftest.py: A-E commented on m1-p1)."""

import re

from elearn.content.models import ContentRevision
from elearn.content.store import live_revision_id, publish
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback
from elearn.review.models import CommentAction
from tests.factories import DEFAULT_PASSWORD
from tests.integration.review.helpers import SCRIPT, edited


def _sign_in(client, email):
    client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_comments_link_to_their_page_and_filter_by_page(app, client, users, feedback_data):
    _sign_in(client, users["reviewer"])
    html = _text(client.get("/review/page-feedback"))
    assert len(re.findall(r'<a href="/learn/modules/m1/pages/m1-p1">Module 1, page 1:', html)) == 5
    assert "Showing 1 to 5 of 5 comments." in html
    assert "Not yet" in html and "acted-on" not in html  # reviewers cannot mark
    on_page = _text(client.get("/review/page-feedback?module=m1&page_id=m1-p1"))
    assert "Showing 1 to 5 of 5 comments." in on_page
    # Nobody commented on page 2 (A and B only answered yes or no): nothing is listed.
    other = _text(client.get("/review/page-feedback?page_id=m1-p2"))
    assert "Too few learners in this group left comments" in other
    # Three PPG members commented: too few to list.
    ppg = _text(client.get("/review/page-feedback?role=ppg-member"))
    assert "Too few learners in this group left comments" in ppg
    words = _text(client.get("/review/page-feedback?q=phone"))
    assert "Showing 1 to 1 of 1 comments." in words


def test_unknown_filters_show_everything_with_a_message(app, client, users, feedback_data):
    _sign_in(client, users["reviewer"])
    for query in ("page_id=nope", "module=m9", "page_id=m2-p1&module=m1"):
        response = client.get(f"/review/page-feedback?{query}")
        assert response.status_code == 200
        html = _text(response)
        assert "A filter was not recognised, so it was left out" in html, query
        assert "Showing 1 to 5 of 5 comments." in html, query


def _feedback_id(app, learners, name):
    with app.app_context():
        return db.session.scalar(
            db.select(PageFeedback.id).where(
                PageFeedback.user_id == learners[name], PageFeedback.page_id == "m1-p1"
            )
        )


def test_admin_marks_a_comment_acted_on(app, client, users, feedback_data):
    feedback_id = _feedback_id(app, feedback_data, "A")
    with app.app_context():
        revision = db.session.scalar(db.select(ContentRevision))
    _sign_in(client, users["admin"])
    listing = _text(client.get("/review/page-feedback"))
    assert f'href="/review/comments/{feedback_id}/acted-on"' in listing
    form = client.get(f"/review/comments/{feedback_id}/acted-on")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert f"Revision {revision.number}, published" in page
    bad = client.post(f"/review/comments/{feedback_id}/acted-on", data={"revision": "999"})
    assert bad.status_code == 400
    assert "Select a published revision" in bad.get_data(as_text=True)
    done = client.post(
        f"/review/comments/{feedback_id}/acted-on", data={"revision": str(revision.id)}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("#comments")
    listing = _text(client.get("/review/page-feedback"))
    assert f"Revision {revision.number}: test" in listing
    with app.app_context():
        action = db.session.scalar(db.select(CommentAction))
        assert (action.page_feedback_id, action.revision_id) == (feedback_id, revision.id)
    cleared = client.post(f"/review/comments/{feedback_id}/acted-on", data={"revision": ""})
    assert cleared.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CommentAction.id))) == 0


def test_only_admins_mark_and_only_listed_comments_open(app, client, users, feedback_data):
    g_comment = _feedback_id(app, feedback_data, "G")  # G did not consent: never shown
    a_comment = _feedback_id(app, feedback_data, "A")
    _sign_in(client, users["reviewer"])
    assert client.get(f"/review/comments/{a_comment}/acted-on").status_code == 403
    client.post("/sign-out")
    _sign_in(client, users["admin"])
    assert client.get(f"/review/comments/{g_comment}/acted-on").status_code == 404


def test_marking_needs_the_csrf_token(csrf_app, users, feedback_data):
    client = csrf_app.test_client()
    feedback_id = _feedback_id(csrf_app, feedback_data, "A")
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token[1] if token else re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD,
                                  "csrf_token": token})  # fmt: skip
    response = client.post(f"/review/comments/{feedback_id}/acted-on", data={"revision": ""})
    assert response.status_code == 400


def test_free_text_answers_link_to_their_survey(app, client, users, feedback_data):
    _sign_in(client, users["reviewer"])
    html = client.get("/review/surveys").get_data(as_text=True)
    assert 'id="survey-after-m1"' in html
    assert len(re.findall(r'<a href="#survey-after-m1">', html)) == 5


def _retitle(data: dict) -> None:
    data["modules"][0]["pages"][0]["title"] += " (retitled)"


def _act(app, feedback_id, revision_id):
    with app.app_context():
        db.session.add(CommentAction(page_feedback_id=feedback_id, revision_id=revision_id,
                                     created_at=utcnow()))  # fmt: skip
        db.session.commit()


def test_the_acted_on_mark_links_admins_to_what_the_revision_changed(
    app, client, users, feedback_data, published
):
    a_comment = _feedback_id(app, feedback_data, "A")
    b_comment = _feedback_id(app, feedback_data, "B")
    with app.test_request_context():
        first = live_revision_id()
        second = publish(edited(published, _retitle), note="Second").revision.id
        db.session.commit()
    _act(app, a_comment, second)
    _act(app, b_comment, first)  # the first revision: nothing before it to compare with
    _sign_in(client, users["admin"])
    html = client.get("/review/page-feedback").get_data(as_text=True)
    diff = f"/admin/content/diff?old={first}&amp;new={second}"
    assert html.count(f'<a href="{diff}">') == 1
    assert client.get(f"/admin/content/diff?old={first}&new={second}").status_code == 200
    one = client.get(f"/review/comments/{a_comment}/acted-on").get_data(as_text=True)
    assert f'<a href="{diff}">' in one
    # The first revision's mark stays text: it has no earlier revision to compare with.
    assert html.count("/admin/content/diff") == 1
    client.post("/sign-out")
    _sign_in(client, users["reviewer"])
    listing = client.get("/review/page-feedback").get_data(as_text=True)
    assert "/admin/content/diff" not in listing  # reviewers cannot open the editor
    assert "Revision 2: Second" in " ".join(listing.split())
    assert client.get(f"/admin/content/diff?old={first}&new={second}").status_code == 403
