"""A learner's journey: dashboard, pages, progress, resume, and revisions."""

import json
import re

import pytest
from flask import url_for
from sqlalchemy import event, select

from elearn.auth.models import User
from elearn.content import links
from elearn.content.store import publish
from elearn.extensions import db
from elearn.learn.models import ModuleProgress, PageProgress
from elearn.unit_of_work import action
from elearn.xapi.models import OutboxStatement


def _user_id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _tags(html):
    return re.findall(r'<strong class="nhsuk-tag[^"]*">\s*(.*?)\s*</strong>', html)


def test_dashboard_starts_with_four_modules_not_started(learner_client, published):
    html = learner_client.get("/learn/").get_data(as_text=True)
    assert html.count("Not started") == 4
    assert "You have completed 0 of 4 modules." in html
    assert "Start the course" in html
    assert 'href="/learn/modules/m1/pages/m1-p1"' in html


def test_viewing_a_page_starts_the_module_and_resume_returns_to_it(
    app, learner_client, users, published
):
    response = learner_client.get("/learn/modules/m2/pages/m2-p3")
    html = response.get_data(as_text=True)
    assert "Page 3 of 8" in html
    assert "Next: " in html  # Next marks the page done (a button, not a link)
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert "In progress" in dashboard
    assert "Carry on where you stopped" in dashboard
    assert re.search(r'<a [^>]*href="/learn/modules/m2/pages/m2-p3"[^>]*>\s*Continue', dashboard)
    with app.app_context():
        # Starting is the first page row; a module progress row is written on completion.
        assert db.session.scalar(select(ModuleProgress)) is None
        verbs = [
            json.loads(r.statement_json)["verb"]["id"].rsplit("/", 1)[1]
            for r in db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id))
        ]
        assert verbs[-2:] == ["initialized", "experienced"]


def test_mark_done_goes_to_the_next_page_and_completes_the_module(
    app, learner_client, users, published
):
    module = published.modules[0]
    for index, page in enumerate(module.pages):
        learner_client.get(f"/learn/modules/m1/pages/{page.id}")
        response = learner_client.post(f"/learn/modules/m1/pages/{page.id}/complete")
        assert response.status_code == 302
        if index + 1 < len(module.pages):
            assert (
                response.headers["Location"]
                == f"/learn/modules/m1/pages/{module.pages[index + 1].id}"
            )
        else:
            assert response.headers["Location"] == "/learn/modules/m1/quiz"
    overview = learner_client.get("/learn/modules/m1").get_data(as_text=True)
    assert "You have done 8 of 8 pages." in overview
    assert "Take the quiz to complete this module." in overview
    assert "In progress" in _tags(overview)  # not completed until the quiz is passed
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert "You have completed 0 of 4 modules." in dashboard
    with app.app_context():
        assert db.session.scalar(select(ModuleProgress)) is None  # no completion yet


def test_a_module_without_a_quiz_completes_when_every_page_is_done(
    app, learner_client, users, published
):
    with app.app_context(), action():
        publish(published.model_copy(update={"quizzes": {}}), "no quizzes")
    for page in published.modules[0].pages:
        response = learner_client.post(f"/learn/modules/m1/pages/{page.id}/complete")
    assert response.headers["Location"] == "/learn/surveys/after-m1"  # its survey is offered
    assert "Completed" in _tags(learner_client.get("/learn/modules/m1").get_data(as_text=True))
    assert "You have completed 1 of 4 modules." in learner_client.get("/learn/").get_data(
        as_text=True
    )
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.module_id == "m1"))
        assert progress.completed_at is not None


def test_marking_a_page_done_twice_keeps_one_row(app, learner_client, users, published):
    learner_client.post("/learn/modules/m1/pages/m1-p1/complete")
    learner_client.post("/learn/modules/m1/pages/m1-p1/complete")
    with app.app_context():
        rows = db.session.scalars(select(PageProgress)).all()
        assert len(rows) == 1 and rows[0].completed_at is not None


def test_progress_survives_revisions(app, learner_client, users, published):
    published = published.model_copy(update={"quizzes": {}})  # pages only, for this test
    with app.app_context(), action():
        publish(published, "no quizzes")
    for page in published.modules[0].pages:
        learner_client.post(f"/learn/modules/m1/pages/{page.id}/complete")
    m1 = published.modules[0]
    # A new revision adds a page to module 1: the module is in progress again.
    new_page = m1.pages[1].model_copy(update={"id": "m1-new", "title": "A new page"})
    added = published.model_copy(
        update={
            "modules": [
                m1.model_copy(update={"pages": [*m1.pages, new_page]}),
                *published.modules[1:],
            ]
        }
    )
    with app.app_context(), action():
        publish(added, "add a page")
    html = learner_client.get("/learn/modules/m1").get_data(as_text=True)
    assert "You have done 8 of 9 pages." in html and "In progress" in _tags(html)
    # The next revision removes two pages: the removed pages no longer count.
    removed = published.model_copy(
        update={"modules": [m1.model_copy(update={"pages": m1.pages[:6]}), *published.modules[1:]]}
    )
    with app.app_context(), action():
        publish(removed, "remove pages")
    html = learner_client.get("/learn/modules/m1").get_data(as_text=True)
    assert "You have done 6 of 6 pages." in html and "Completed" in _tags(html)


@pytest.mark.parametrize(
    "path",
    ["/learn/modules/m9", "/learn/modules/m1/pages/m2-p1", "/learn/modules/m1/pages/nope",
     "/learn/modules/nope/print"],
)  # fmt: skip
def test_unknown_module_or_page_is_404(learner_client, published, path):
    response = learner_client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_page_post_is_404_and_writes_nothing(app, learner_client, published):
    assert learner_client.post("/learn/modules/m1/pages/zzz/complete").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(PageProgress)).all() == []


def test_glossary_print_and_sources(learner_client, published):
    glossary = learner_client.get("/learn/glossary").get_data(as_text=True)
    assert 'id="five-safes"' in glossary and "Five Safes" in glossary
    printable = learner_client.get("/learn/modules/m3/print").get_data(as_text=True)
    assert printable.count('<h2 class="nhsuk-heading-l">') == len(published.modules[2].pages)
    sources = learner_client.get("/learn/sources").get_data(as_text=True)
    assert "Sources and further reading" in sources
    assert "https://understandingpatientdata.org.uk" in sources


def test_content_links_match_the_routes(app):
    with app.test_request_context():
        assert links.page_path("m1", "m1-p2") == url_for(
            "learn.page", module_id="m1", page_id="m1-p2"
        )
        assert links.glossary_path("x") == url_for("learn.glossary") + "#x"


def test_glossary_links_in_pages_land_on_terms(learner_client, published):
    page = learner_client.get("/learn/modules/m1/pages/m1-p5").get_data(as_text=True)
    glossary = learner_client.get("/learn/glossary").get_data(as_text=True)
    targets = re.findall(r'href="/learn/glossary#([a-z0-9-]+)"', page)
    assert targets
    for target in targets:
        assert f'id="{target}"' in glossary


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self)


@pytest.mark.parametrize(
    "path, budget",
    [
        ("/learn/", 6),
        ("/learn/modules/m2", 6),
        # A page view also adds the time spent on the page before it (time on task): 7.
        ("/learn/modules/m2/pages/m2-p1", 7),
        ("/learn/modules/m2/pages/m2-p2", 7),
    ],
)
def test_learner_pages_stay_within_their_query_budget(app, learner_client, published, path, budget):
    learner_client.get("/learn/modules/m1/pages/m1-p1")  # warm the content cache, some progress
    learner_client.post("/learn/modules/m1/pages/m1-p1/complete")
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = learner_client.get(path)
    assert response.status_code == 200
    assert counter.count <= budget, f"{path} made {counter.count} queries"
