"""Durations in learning records are time on task: page visits up to the next action, capped."""

import json
from datetime import timedelta

from sqlalchemy import select

from elearn.content import provider
from elearn.db import utcnow
from elearn.extensions import db
from elearn.journey import progression
from elearn.learn.models import PageProgress
from elearn.unit_of_work import action
from elearn.xapi import statements as xs
from elearn.xapi.models import OutboxStatement
from tests.factories import learner, make_user
from tests.helpers import answer_quiz, start_quiz


def _seconds(app, user_id) -> dict[str, float]:
    with app.app_context():
        rows = db.session.scalars(select(PageProgress).where(PageProgress.user_id == user_id))
        return {row.page_id: row.seconds_on_task for row in rows}


def test_a_page_counts_from_its_view_to_the_next_action_capped(app, published):
    app.config["PAGE_TIME_ON_TASK_CAP_SECONDS"] = 600
    with app.app_context():
        user_id = make_user().id
    module = published.modules[0]
    first, second, third = (p.id for p in module.pages[:3])
    start = utcnow() - timedelta(hours=2)

    def act(step, seconds, page_id):
        with app.test_request_context(), action():
            course, who = provider.course(), learner(user_id)
            when = start + timedelta(seconds=seconds)
            if step == "view":
                progression.view_page(course, who, module.id, page_id, now=when)
            else:
                progression.complete_page(course, who, module.id, page_id, now=when)

    act("view", 0, first)
    act("view", 120, second)  # 120 s on the first page
    act("done", 150, second)  # 30 s on the second
    act("view", 5000, third)  # walked away: the second visit is capped at 600 s in all
    act("view", 4990, first)  # a clock that went back never takes time away
    seconds = _seconds(app, user_id)
    assert seconds[first] == 120
    assert seconds[second] == 600
    assert seconds[third] == 0


def test_module_and_course_durations_are_the_sum_of_their_pages(app, learner_client, published):
    for module in published.modules[:1]:
        for page in module.pages:
            learner_client.get(f"/learn/modules/{module.id}/pages/{page.id}")
            learner_client.post(f"/learn/modules/{module.id}/pages/{page.id}/complete")
        attempt_id, _ = start_quiz(learner_client, module.id)
        answer_quiz(learner_client, attempt_id, published.quizzes[module.id])
        learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    module = published.modules[0]
    with app.app_context():
        made = [json.loads(t) for t in db.session.scalars(select(OutboxStatement.statement_json))]
        rows = db.session.scalars(select(PageProgress).where(PageProgress.module_id == module.id))
        expected = sum(row.seconds_on_task for row in rows)
    (completed,) = [
        s
        for s in made
        if s["verb"]["id"].endswith("/completed") and s["object"]["id"].endswith(module.id)
    ]
    assert expected > 0
    assert completed["result"]["duration"] == xs.format_duration(expected)
