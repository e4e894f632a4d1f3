"""Fixtures for the content editor: an admin signed in, the shipped course live."""

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def admin(app, users, published):
    """A client signed in as the admin, with the shipped course live."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def drafting(admin):
    """The admin with a draft open."""
    assert admin.post("/admin/content/draft").status_code == 302
    return admin
