"""The header shows staff the areas their role may use; admin home links to the review area."""

import re

import pytest

from tests.factories import DEFAULT_PASSWORD


def _header_links(html: str) -> list[tuple[str, str, bool]]:
    """(text, href, current) of each header navigation link."""
    nav = re.search(r'<nav class="nhsuk-header__navigation".*?</nav>', html, re.S)
    if nav is None:
        return []
    links = []
    for item in re.findall(r"<li class=\"nhsuk-header__navigation-item.*?</li>", nav[0], re.S):
        href = re.search(r'href="([^"]+)"', item)
        text = re.sub(r"<[^>]+>|\s+", " ", item).strip()
        links.append((text, href[1] if href else "", 'aria-current="page"' in item))
    return links


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        ("reviewer", "/review/", [("Course", False), ("Review", True)]),
        ("admin", "/admin/", [("Course", False), ("Review", False), ("Admin", True)]),
        ("admin", "/learn/", [("Course", True), ("Review", False), ("Admin", False)]),
        ("learner", "/learn/", []),
    ],
)
def test_header_shows_the_areas_a_role_may_use(app, client, users, published, role, path,
                                               expected):  # fmt: skip
    client.post("/sign-in", data={"email": users[role], "password": DEFAULT_PASSWORD})
    links = _header_links(client.get(path).get_data(as_text=True))
    assert [(text, current) for text, _, current in links] == expected
    hrefs = {text: href for text, href, _ in links}
    assert hrefs.get("Review", "/review/") == "/review/"
    assert hrefs.get("Admin", "/admin/") == "/admin/"


def test_no_header_links_when_signed_out(app, client):
    assert _header_links(client.get("/accessibility-statement").get_data(as_text=True)) == []


def test_admin_home_links_to_the_review_area(app, client, users):
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    html = client.get("/admin/").get_data(as_text=True)
    assert re.search(r'href="/review/"[^>]*>\s*Pilot review', html)
