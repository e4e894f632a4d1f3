"""Sign-in limits hold across processes: two gunicorn workers share one count (the database, or
Redis when it is configured)."""

import re

import redis
import requests
from sqlalchemy import func, select

from elearn.auth.models import ThrottleHit
from elearn.extensions import db
from tests.factories import make_user


def _try(session: requests.Session, url: str, email: str, password: str) -> int:
    # A new connection each time, so requests spread over both workers.
    page = session.get(url + "/sign-in", headers={"Connection": "close"})
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    response = session.post(
        url + "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        headers={"Connection": "close"},
        allow_redirects=False,
    )
    return response.status_code


def _five_wrong_tries_then_a_wait(app, url: str) -> None:
    with app.app_context():
        make_user(email="grace@example.org")
    statuses = []
    for _ in range(3):  # several browsers, as an attacker would use
        with requests.Session() as session:
            for _ in range(2):
                statuses.append(_try(session, url, "grace@example.org", "wrong guess!"))
    # Five wrong tries are allowed in total, however the requests were spread; then a wait.
    assert statuses == [400] * 5 + [429]
    with requests.Session() as session:
        assert _try(session, url, "grace@example.org", "wrong guess!") == 429


def _counted_in_the_database(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ThrottleHit))


def test_the_per_account_limit_holds_across_two_workers(app, two_workers):
    _five_wrong_tries_then_a_wait(app, two_workers)
    assert _counted_in_the_database(app) > 0


def test_the_limit_holds_across_two_workers_counting_in_redis(
    app, two_workers_on_redis, redis_store
):
    _five_wrong_tries_then_a_wait(app, two_workers_on_redis)
    assert _counted_in_the_database(app) == 0
    # Flask-Limiter's limits are kept in the same Redis: three wrong certificate codes, then a wait.
    checks = [
        requests.get(
            two_workers_on_redis + "/certificates/NOT-A-CODE", headers={"Connection": "close"}
        ).status_code
        for _ in range(5)
    ]
    assert checks == [404] * 3 + [429] * 2
    client = redis.Redis.from_url(redis_store["REDIS_URL"])
    limits = list(client.scan_iter(match=redis_store["REDIS_KEY_PREFIX"] + "limits*"))
    client.close()
    assert limits
