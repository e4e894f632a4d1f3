"""Handouts (the printable scripts and cards) edited in the draft, previewed, kept from learners
until published."""

import re

from elearn.content import store

HANDOUT = "grace-quick-reference"
EDIT = f"/admin/content/draft/handouts/{HANDOUT}"
PREVIEW = f"/admin/content/draft/preview/handouts/{HANDOUT}"


def _form(client) -> dict:
    html = client.get(EDIT).get_data(as_text=True)

    def value(name: str) -> str:
        return re.search(rf'id="{name}"[^>]*value="([^"]*)"', html).group(1)

    return {
        "fingerprint": value("fingerprint"),
        "title": value("title"),
        "persona": value("persona"),
        "summary": value("summary"),
        "markdown": "Grace keeps this card.\r\n\r\n## Five steps\r\n\r\nListen first.\r\n",
    }


def _draft_handout(app):
    with app.app_context():
        course = store.revision_course(store.open_draft().id)
    return next(h for h in course.handouts if h.id == HANDOUT)


def test_the_editor_lists_the_handouts_and_opens_one_with_its_fields(drafting):
    home = drafting.get("/admin/content/").get_data(as_text=True)
    assert f'href="{EDIT}"' in home
    html = drafting.get(EDIT).get_data(as_text=True)
    assert "Grace" in re.search(r'id="persona"[^>]*value="([^"]*)"', html).group(1)
    assert "Five steps when someone is worried" in html  # the Markdown, in the textarea
    assert "Reading ease" in html


def test_a_saved_handout_is_in_the_draft_and_its_preview_not_live(app, drafting, learner_client):
    saved = drafting.post(EDIT, data=_form(drafting))
    assert saved.status_code == 302
    handout = _draft_handout(app)
    assert handout.markdown == "Grace keeps this card.\n\n## Five steps\n\nListen first."
    preview = drafting.get(PREVIEW).get_data(as_text=True)
    assert "Preview \u2014 not live" in preview
    assert "Listen first." in preview and "Five steps when someone is worried" not in preview
    live = learner_client.get(f"/learn/handouts/{HANDOUT}").get_data(as_text=True)
    assert "Five steps when someone is worried" in live


def test_a_handout_without_a_title_is_refused_with_the_error_summary(app, drafting):
    before = _draft_handout(app)
    refused = drafting.post(EDIT, data=dict(_form(drafting), title=""))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "nhsuk-error-summary" in html and "Enter the handout&#39;s title" in html
    assert _draft_handout(app) == before


def test_a_save_over_someone_elses_newer_save_is_shown_not_written(app, drafting):
    first = _form(drafting)
    assert drafting.post(EDIT, data=first).status_code == 302
    conflict = drafting.post(EDIT, data=dict(first, markdown="Another admin's card.\n"))
    assert conflict.status_code == 409
    assert "Someone else saved this since you opened it" in conflict.get_data(as_text=True)
    assert _draft_handout(app).markdown.startswith("Grace keeps this card.")


def test_an_unknown_handout_is_not_found(drafting):
    assert drafting.get("/admin/content/draft/handouts/no-such-card").status_code == 404
    assert drafting.get("/admin/content/draft/preview/handouts/no-such-card").status_code == 404


def test_script_in_a_handout_is_inert_in_preview(drafting):
    payload = '<script>alert(1)</script>[link](javascript:alert(1)) <img src=x onerror="x()">\n'
    assert drafting.post(EDIT, data=dict(_form(drafting), markdown=payload)).status_code == 302
    html = drafting.get(PREVIEW).get_data(as_text=True)
    content = html.split('class="app-content"', 1)[1]
    assert "<script" not in content and "<img" not in content
    assert 'href="javascript' not in content
    assert "&lt;script&gt;" in content  # shown as text, not run
