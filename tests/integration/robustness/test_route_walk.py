"""A generated walk over every route, as every role, with odd values: no response is a 5xx."""

import re
import string
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROLES = ("anonymous", "learner", "reviewer", "admin")
RULE_ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["²", "٣", "0", "2147483648", "1e3", "", "-1", "00001"]),
)
PATH_VALUE = st.one_of(NUMBERS, ODD_TEXT.filter(bool), st.sampled_from(["m1", "m1-p1", "baseline"]))
QUERY = st.lists(
    st.tuples(
        st.sampled_from(["page", "cohort", "role", "module", "q", "next", "code", "check",
                         "endpoint", "_method", "x"]),
        st.one_of(NUMBERS, ODD_TEXT),
    ),
    max_size=4,
)  # fmt: skip
FORM = st.dictionaries(
    st.sampled_from(["answer", "email", "password", "helpful", "comment", "csrf_token",
                     "page-feedback-helpful", "page-feedback-comment", "name", "max_uses"]),
    st.one_of(NUMBERS, ODD_TEXT),
    max_size=4,
)  # fmt: skip


def _routes(app) -> list[tuple[str, list[str], tuple[str, ...]]]:
    """Every rule but static files: its path template, converter argument names and methods."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = tuple(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
        found.append((rule.rule, sorted(rule.arguments), methods))
    return sorted(found)


def _fill(template: str, values: dict[str, str]) -> str:
    """The path with each ``<converter:name>`` replaced by its value, URL-quoted."""
    return RULE_ARGUMENT.sub(lambda m: quote(values[m.group(1)], safe=""), template)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_route_answers_with_a_server_error(clients, app, data):
    route, arguments, methods = data.draw(st.sampled_from(_routes(app)), label="route")
    role = data.draw(st.sampled_from(ROLES), label="role")
    values = {name: data.draw(PATH_VALUE, label=name) for name in arguments}
    path = _fill(route, values)
    query = urlencode(data.draw(QUERY, label="query"))
    method = data.draw(st.sampled_from([*methods, "PUT", "DELETE"]), label="method")
    url = f"{path}?{query}" if query else path
    form = data.draw(FORM, label="form")
    response = clients[role].open(url, method=method, data=form, buffered=True)
    assert response.status_code < 500, (role, method, url, form, response.status_code)


def test_the_walk_reaches_every_route(app):
    templates = {route for route, _, _ in _routes(app)}
    assert "/learn/quiz-attempts/<id:attempt_id>/questions/<id:number>" in templates
    assert len(templates) > 30
    assert all(set(string.printable) >= set(t) for t in templates)


ODD_VALUES = ["²", "٣", "2147483648", "99999999999999999999999", "-1", "", "%00", "a\nb", "💥"]
QUERY_NAMES = ["page", "cohort", "role", "module", "q", "next", "code", "check", "endpoint"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_every_route_with_every_query_value_odd(clients, app, value):
    """The same odd value in every query argument and path part, on every route, for every role
    (GET, and POST where the route takes it)."""
    query = urlencode({name: value for name in QUERY_NAMES})
    for route, arguments, methods in _routes(app):
        path = _fill(route, {name: value or "x" for name in arguments})
        for role, client in clients.items():
            for method in {"GET", "POST"} & set(methods) or {"GET"}:
                response = client.open(
                    f"{path}?{query}", method=method, data={"answer": value}, buffered=True
                )
                assert response.status_code < 500, (role, method, path, value)
