"""Every page renders with its heading (ChainableUndefined would hide a typo otherwise)."""

import re

import pytest

from tests.factories import DEFAULT_PASSWORD

PAGES = [
    ("anonymous", "/", "Learn how health and care data is used"),
    ("anonymous", "/sign-in", "Sign in"),
    ("anonymous", "/register", "Create your account"),
    ("anonymous", "/accessibility-statement", "Accessibility statement for Health Data Guides"),
    ("anonymous", "/privacy-notice", "Privacy notice"),
    ("anonymous", "/cookies", "Cookies on Health Data Guides"),
    ("learner", "/account", "Your account"),
    ("learner", "/account/password", "Change your password"),
    ("learner", "/account/evaluation-consent", "Using your feedback in the pilot evaluation"),
    ("learner", "/sign-out", "Sign out"),
    ("learner", "/learn/", "Your course"),
    (
        "learner",
        "/learn/modules/m2",
        "How data is used for care, planning and research, and what an SDE is",
    ),
    ("learner", "/learn/modules/m2/pages/m2-p5", None),
    ("learner", "/learn/modules/m4/print", "Being a Health Data Guide"),
    ("learner", "/learn/glossary", "Glossary"),
    ("learner", "/learn/sources", "Sources and further reading"),
    ("learner", "/learn/modules/m3/quiz", "End of module quiz"),
    ("reviewer", "/review/", "Pilot review"),
    ("reviewer", "/review/quizzes", "Pilot review: quizzes"),
    ("admin", "/admin/", "Admin"),
    ("admin", "/admin/cohorts", "Cohorts and invite codes"),
]


@pytest.mark.parametrize(("role", "path", "heading"), PAGES)
def test_page_heading_and_title(client, users, published, role, path, heading):
    if role != "anonymous":
        client.post("/sign-in", data={"email": users[role], "password": DEFAULT_PASSWORD})
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    h1 = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S)
    if heading is None:  # a content page: its title from the live course
        heading = published.modules[1].pages[4].title
    assert h1 and h1.group(1) == heading
    assert "Health Data Guides</title>" in html
    assert html.count("<h1") == 1
    assert 'href="/accessibility-statement"' in html  # the footer is there


def test_admin_creates_a_cohort_and_sees_its_code(client, users):
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    response = client.post(
        "/admin/cohorts", data={"name": "Oxfordshire pilot", "max_uses": "30", "days_valid": "30"}
    )
    assert response.status_code == 302
    html = client.get("/admin/cohorts").get_data(as_text=True)
    assert "Oxfordshire pilot" in html
    assert re.search(r"HDG-[A-Z2-9]{8}", html)
    assert "0 of 30" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "max_uses": "5", "days_valid": "5"}, "Enter a name for the cohort"),
        ({"name": "A", "max_uses": "0", "days_valid": "5"}, "Enter a number from 1 to 10,000"),
        ({"name": "A", "max_uses": "5", "days_valid": "999"}, "Enter a number of days from 1"),
    ],
)
def test_cohort_form_errors(client, users, data, message):
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    response = client.post("/admin/cohorts", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
