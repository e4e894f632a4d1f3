"""The web editor and the content files are two doors to one store: download, upload."""

import io
import zipfile

from sqlalchemy import func, select

from elearn.content import store
from elearn.content.models import ContentRevision
from elearn.extensions import db


def _zip(client) -> bytes:
    response = client.get("/admin/content/live.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "revision-1.zip" in response.headers["Content-Disposition"]
    return response.data


def _upload(client, data: bytes, name: str = "course.zip"):
    return client.post(
        "/admin/content/upload",
        data={"archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _revisions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ContentRevision))


def test_the_live_course_downloads_as_the_content_files(app, admin):
    names = zipfile.ZipFile(io.BytesIO(_zip(admin))).namelist()
    assert "modules/course.yaml" in names
    assert any(n.startswith("quizzes/") for n in names)
    assert any(n.endswith(".md") for n in names)


def test_uploading_the_live_zip_again_makes_nothing(app, admin):
    response = _upload(admin, _zip(admin))
    assert response.status_code == 302
    assert _revisions(app) == 1
    page = admin.get("/admin/content/").get_data(as_text=True)
    assert "same as the live course" in page


def test_a_changed_zip_becomes_a_draft_not_live(app, admin, learner_client):
    original = zipfile.ZipFile(io.BytesIO(_zip(admin)))
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as out:
        for name in original.namelist():
            data = original.read(name)
            if name == "modules/course.yaml":
                data = data.replace(b"title: ", b"title: Uploaded ", 1)
            out.writestr(name, data)
    response = _upload(admin, changed.getvalue())
    assert response.status_code == 302
    with app.app_context():
        draft = store.open_draft()
        assert store.revision_course(draft.id).title.startswith("Uploaded ")
        assert not store.live()[1].title.startswith("Uploaded ")
    again = _upload(admin, changed.getvalue())
    assert again.status_code == 400
    assert "A draft is open" in again.get_data(as_text=True)


def test_a_file_that_is_not_a_content_zip_is_refused_with_reasons(app, admin):
    not_zip = _upload(admin, b"just some text", "notes.txt")
    assert not_zip.status_code == 400
    text = not_zip.get_data(as_text=True)
    assert "The zip was not taken" in text and "notes.txt" in text
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as out:
        out.writestr("readme.txt", "nothing here")
    no_course = _upload(admin, empty.getvalue())
    assert no_course.status_code == 400
    assert "course.yaml" in no_course.get_data(as_text=True)
    assert _revisions(app) == 1


def test_publishing_a_draft_with_no_changes_is_refused(app, drafting):
    response = drafting.post("/admin/content/draft/publish", data={"summary": "Nothing"})
    assert response.status_code == 400
    assert "nothing to publish" in response.get_data(as_text=True)
