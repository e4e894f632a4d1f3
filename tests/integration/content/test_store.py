"""Importing, publishing, exporting, and the content commands."""

import shutil

from sqlalchemy import func, select

from elearn.config import ROOT
from elearn.content import provider, store
from elearn.content.loader import load_course
from elearn.content.models import ContentRevision
from elearn.extensions import db
from elearn.unit_of_work import action


def _revisions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ContentRevision))


def test_import_then_identical_import_creates_no_new_revision(app, runner):
    first = runner.invoke(args=["content", "import"])
    assert first.exit_code == 0, first.output
    assert "Published revision 1." in first.output
    again = runner.invoke(args=["content", "import"])
    assert "No changes: revision 1 is already live." in again.output
    assert _revisions(app) == 1


def test_invalid_content_is_not_imported_and_live_stays(app, runner, tmp_path):
    assert runner.invoke(args=["content", "import"]).exit_code == 0
    for name in ("modules", "quizzes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "modules/02-care-planning-research/pages/002-planning.md").unlink()
    result = runner.invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert "page 'm2-p2' has no file in pages/" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert _revisions(app) == 1


def test_validate_command(runner, tmp_path):
    ok = runner.invoke(args=["content", "validate"])
    assert ok.exit_code == 0
    assert "OK: 4 modules, 33 pages" in ok.output
    for name in ("modules", "quizzes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    quiz = tmp_path / "quizzes/m3.yaml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 80", "pass_mark: 180"))
    bad = runner.invoke(args=["content", "validate", str(tmp_path)])
    assert bad.exit_code == 1
    assert "quizzes/m3.yaml:2: pass_mark: Input should be less than or equal to 100" in bad.stderr


def test_export_round_trips(app, runner, tmp_path, shipped_course):
    runner.invoke(args=["content", "import"])
    result = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    again = load_course(tmp_path / "out")
    assert store.checksum(again) == store.checksum(shipped_course)


def test_export_with_nothing_published_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["content", "export", str(tmp_path)])
    assert result.exit_code == 1
    assert "no published content" in result.stderr


def test_live_course_follows_a_new_publish(app, shipped_course):
    changed = shipped_course.model_copy(update={"title": "Health Data Guides (revised)"})
    with app.test_request_context(), action():
        store.publish(shipped_course, "first")
        assert provider.course().title == shipped_course.title
    with app.test_request_context(), action():
        store.publish(changed, "second")
    with app.test_request_context():
        assert provider.course().title == "Health Data Guides (revised)"
