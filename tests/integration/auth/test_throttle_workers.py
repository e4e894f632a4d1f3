"""Sign-in limits hold across processes: two gunicorn workers share one count (the database)."""

import re

import requests

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


def test_the_per_account_limit_holds_across_two_workers(app, two_workers):
    with app.app_context():
        make_user(email="grace@example.org")
    statuses = []
    for _ in range(3):  # several browsers, as an attacker would use
        with requests.Session() as session:
            for _ in range(2):
                statuses.append(_try(session, two_workers, "grace@example.org", "wrong guess!"))
    # Five wrong tries are allowed in total, however the requests were spread; then a wait.
    assert statuses == [400] * 5 + [429]
    with requests.Session() as session:
        assert _try(session, two_workers, "grace@example.org", "wrong guess!") == 429
