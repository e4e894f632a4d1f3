"""The access-control matrix: every route, every role. Each feature adds its routes here."""

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.integration.access_matrix import FORBIDDEN, HOME, MATRIX, OK, POSTS, ROLES, SIGN_IN


def test_every_route_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    listed = set(MATRIX) | set(POSTS)
    assert endpoints - listed == set(), "add new routes to the access matrix"
    assert listed - endpoints == set(), "the matrix lists routes that no longer exist"


def test_every_view_declares_who_may_use_it(app):
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        assert getattr(view, "allowed_roles", None), f"{endpoint} has no role_required or public"


# POST-only routes: (path, expected by role) for a POST with no body.
@pytest.mark.parametrize("role", ROLES)
def test_matrix(app, client, users, published, role):
    if role != "anonymous":
        response = client.post(
            "/sign-in", data={"email": users[role], "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302
    for path, expected in MATRIX.values():
        want = expected[role]
        response = client.get(path)
        response.close()  # a streamed download must release what it holds
        where = f"{role} GET {path}"
        if want == SIGN_IN:
            assert response.status_code == 302, where
            assert "/sign-in" in response.headers["Location"], where
        elif want == HOME:
            assert response.status_code == 302, where
            assert "/sign-in" not in response.headers["Location"], where
        else:
            assert response.status_code == want, where
    for path, expected in POSTS.values():
        response = client.post(path)
        if expected[role] == SIGN_IN:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
        elif expected[role] == FORBIDDEN:
            assert response.status_code == 403, f"{role} POST {path}"
        elif expected[role] == OK:
            assert response.status_code in (302, 400), f"{role} POST {path}"
        else:
            assert response.status_code == expected[role], f"{role} POST {path}"
