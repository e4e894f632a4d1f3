"""The profile and extension IRIs in our statements resolve to what they mean."""

from urllib.parse import urlsplit

from tests.integration.xapi.helpers import record_journey


def _path(iri: str) -> str:
    return urlsplit(iri).path


def test_the_profile_iri_serves_the_profile(app, client):
    base = app.config["BASE_URL"]
    response = client.get("/xapi/profile/v1")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    document = response.get_json(force=True)
    assert document["id"] == f"{base}/xapi/profile/v1"
    assert document["type"] == "Profile"
    assert {c["id"] for c in document["concepts"]} >= {
        f"{base}/xapi/ext/attempt-id",
        f"{base}/xapi/ext/attempt-number",
        f"{base}/xapi/ext/pass-mark",
    }
    assert "voided" in document["seeAlso"]["verbs"]


def test_every_iri_of_ours_in_a_journey_resolves(xapi_app, client):
    base = xapi_app.config["BASE_URL"]
    made = record_journey(xapi_app)
    ours = set()
    for statement in made:
        context = statement.get("context", {})
        ours |= {key for key in context.get("extensions", {}) if key.startswith(base)}
        ours |= {a["id"] for a in context.get("contextActivities", {}).get("category", [])}
    assert f"{base}/xapi/profile/v1" in ours
    assert any("/xapi/ext/" in iri for iri in ours)
    for iri in ours:
        response = client.get(_path(iri))
        assert response.status_code == 200, iri
        assert response.get_json(force=True)["id"] == iri


def test_an_unknown_extension_is_404(client):
    assert client.get("/xapi/ext/no-such-thing").status_code == 404
