"""Fixtures for admin tests."""

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def admin(app, users):
    """A client signed in as the admin."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client
