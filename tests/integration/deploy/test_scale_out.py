"""The production layout in small (docs/deploy.md): two web instances (gunicorn, two ports) and
two `elearn xapi worker` processes on one PostgreSQL database, sending to one LRS. A learner
signed in on one instance is signed in on the other with the same cookie, sign-in limits count
across both, progress made on one shows on the other, and every learning record reaches the LRS
exactly once (two workers sending and sweeping timed-out sessions at the same time)."""

import json
import re
import time
from collections import Counter
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from elearn.auth.models import User, UserSession
from elearn.extensions import db
from elearn.xapi import statements as xs
from elearn.xapi.models import SENT, OutboxStatement
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.postgres  # skipped, saying so, unless ELEARN_DATABASE_URL is PostgreSQL

COOKIE = "session"  # http base address: the cookie is not __Host- prefixed


def _token(page: requests.Response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _sign_in(url: str, email: str, password: str = DEFAULT_PASSWORD) -> requests.Session:
    browser = requests.Session()
    response = _try_sign_in(browser, url, email, password)
    assert response.status_code == 302, response.text[:500]
    return browser


def _try_sign_in(browser: requests.Session, url: str, email: str, password: str):
    token = _token(browser.get(url + "/sign-in"))
    return browser.post(
        url + "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
    )


def _with_cookie_of(browser: requests.Session) -> requests.Session:
    """Another browser holding the same session cookie (the same learner, another server)."""
    other = requests.Session()
    other.cookies.update(browser.cookies)  # the cookie as it was set, with its domain
    assert list(other.cookies.keys()) == [COOKIE]
    return other


def _done_count(browser: requests.Session, url: str, module_id: str) -> int:
    page = browser.get(f"{url}/learn/modules/{module_id}", allow_redirects=False)
    assert page.status_code == 200, page.status_code
    return int(re.search(r"You have done (\d+) of \d+ pages", page.text).group(1))


def _outbox(app) -> list[OutboxStatement]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id)))
        db.session.remove()
        return rows


def _wait_until_all_sent(app, lrs, deadline: float) -> list[OutboxStatement]:
    while True:
        rows = _outbox(app)
        if rows and all(r.state == SENT for r in rows) and len(lrs.stored) >= len(rows):
            return rows
        assert time.monotonic() < deadline, Counter(r.state for r in rows)
        time.sleep(0.2)


def test_two_web_instances_and_two_workers_share_one_database(
    app, published, scaled_out, scripted_lrs
):
    started = time.monotonic()
    first, second = scaled_out
    module = published.modules[0]
    with app.app_context():
        make_user(email="ada@example.org")
        make_user(email="grace@example.org")

    # Signed in on the first instance; the same cookie is signed in on the second.
    on_first = _sign_in(first, "ada@example.org")
    on_second = _with_cookie_of(on_first)
    assert on_second.get(second + "/account", allow_redirects=False).status_code == 200
    stranger = requests.Session()
    assert stranger.get(second + "/account", allow_redirects=False).status_code == 302

    # Progress made on the first instance shows on the second.
    assert _done_count(on_second, second, module.id) == 0
    page_url = f"{first}/learn/modules/{module.id}/pages/{module.pages[0].id}"
    page = on_first.get(page_url)
    assert page.status_code == 200
    done = on_first.post(
        page_url + "/complete", data={"csrf_token": _token(page)}, allow_redirects=False
    )
    assert done.status_code == 302
    assert _done_count(on_second, second, module.id) == 1
    on_second.get(f"{second}/learn/modules/{module.id}/pages/{module.pages[1].id}")

    # Sign-in limits count across both instances: five wrong tries in all, then a wait.
    attacker = requests.Session()
    statuses = [
        _try_sign_in(attacker, url, "grace@example.org", "wrong guess!").status_code
        for url in (first, second) * 3
    ]
    assert statuses == [400] * 5 + [429]

    # A second session of the learner times out: both workers sweep it, one records it.
    _sign_in(second, "ada@example.org")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "ada@example.org"))
        timed_out = db.session.scalars(
            select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id)
        ).all()[-1]
        timed_out.created_at -= timedelta(days=1)
        timed_out.last_seen_at -= timedelta(days=1)
        timed_out_id = timed_out.record_id
        db.session.commit()
        db.session.remove()

    # Signing out on the second instance ends the session the first one started.
    sign_out = on_second.get(second + "/sign-out")
    response = on_second.post(
        second + "/sign-out", data={"csrf_token": _token(sign_out)}, allow_redirects=False
    )
    assert response.status_code == 302
    assert on_first.get(first + "/account", allow_redirects=False).status_code == 302

    rows = _wait_until_all_sent(app, scripted_lrs, deadline=started + 25)
    time.sleep(1.0)  # several more sweeps by both workers: still nothing new to record
    rows = _wait_until_all_sent(app, scripted_lrs, deadline=started + 28)

    # Every outbox row was sent, and the LRS holds each statement once: never posted twice.
    outbox_ids = [json.loads(r.statement_json)["id"] for r in rows]
    assert len(set(outbox_ids)) == len(outbox_ids)
    assert set(scripted_lrs.stored) == set(outbox_ids)
    assert set(scripted_lrs.store_count.values()) == {1}
    assert Counter(scripted_lrs.received_ids).most_common(1)[0][1] == 1

    terminated = [
        s for s in scripted_lrs.stored.values() if s["verb"]["id"] == xs.VERBS["terminated"]
    ]
    sessions = Counter(s["context"]["extensions"][xs.SESSION_ID_EXTENSION] for s in terminated)
    assert len(sessions) == 2 and set(sessions.values()) == {1}
    assert sessions[timed_out_id] == 1
