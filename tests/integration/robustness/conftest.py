"""Fixtures for the no-500 tests: a client signed in as each role, on the published course."""

import pytest

from tests.factories import DEFAULT_PASSWORD

ROLES = ("anonymous", "learner", "reviewer", "admin")


@pytest.fixture
def clients(app, users, published):
    """One test client per role, each with its own cookies."""
    made = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            client.post("/sign-in", data={"email": users[role], "password": DEFAULT_PASSWORD})
        made[role] = client
    return made
