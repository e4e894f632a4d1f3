"""Importing, publishing, exporting, and the content commands."""

import shutil

import pytest
import yaml
from sqlalchemy import func, select

from elearn.config import ROOT
from elearn.content import provider, store
from elearn.content.archive import course_from_zip, course_zip
from elearn.content.loader import load_course
from elearn.content.models import ContentRevision
from elearn.content.problems import ContentInvalid
from elearn.extensions import db
from elearn.unit_of_work import action
from tests.helpers import with_question


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


def _new_right_answer(course, question_id="m1-q3"):
    question = next(q for q in course.quizzes["m1"].questions if q.id == question_id)
    right = next(o.id for o in question.options if o.correct)
    wrong = next(o.id for o in question.options if not o.correct)
    return with_question(
        course, question_id, option_updates={right: {"correct": False}, wrong: {"correct": True}}
    )


def test_publishing_a_new_right_answer_under_the_same_id_is_refused(app, published):
    with app.app_context():
        live_id = store.live_revision_id()
        with pytest.raises(ContentInvalid) as raised, action():
            store.publish(_new_right_answer(published), "new answer")
        [problem] = raised.value.problems
        assert "question 'm1-q3': the right answer changed" in problem.message
        assert "use 'm1-q3-r2'" in problem.message
    assert _revisions(app) == 1
    with app.app_context():
        assert store.live_revision_id() == live_id


def test_the_first_publish_has_nothing_to_compare_with(app, shipped_course):
    with app.app_context(), action():
        assert store.publish(_new_right_answer(shipped_course), "first").created


def test_import_refuses_a_changed_meaning_and_imports_nothing(app, runner, tmp_path):
    assert runner.invoke(args=["content", "import"]).exit_code == 0
    for name in ("modules", "quizzes", "surveys"):
        shutil.copytree(ROOT / name, tmp_path / name)
    quiz = tmp_path / "quizzes/m1.yaml"
    data = yaml.safe_load(quiz.read_text())
    question = next(q for q in data["questions"] if q["id"] == "m1-q3")
    for option in question["options"]:
        option["text"] += " (reworded)"
    quiz.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "quizzes/m1.yaml: questions: question 'm1-q3': the text of option"
    )
    assert "use 'm1-q3-r2'" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert _revisions(app) == 1


def test_validate_prints_warnings_after_ok_without_failing(runner, tmp_path):
    for name in ("modules", "quizzes", "surveys"):
        shutil.copytree(ROOT / name, tmp_path / name)
    page = tmp_path / "modules/01-health-and-care-data/pages/002-what-is-in-a-record.md"
    page.write_text(page.read_text() + "\nThe QXZ team can help.\n")
    quiz = tmp_path / "quizzes/m1.yaml"
    data = yaml.safe_load(quiz.read_text())
    for option in data["questions"][0]["options"]:
        option["feedback"] = "See the page about records."
    quiz.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(args=["content", "validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("OK: 4 modules, 33 pages")
    assert (
        "modules/01-health-and-care-data/pages/002-what-is-in-a-record.md: warning: 'QXZ' is not"
        " explained: add it to the glossary, or write it out in full the first time"
    ) in lines[1:]
    assert any(
        line.startswith("quizzes/m1.yaml: warning: question 'm1-q1': several options share")
        for line in lines
    ), lines


def test_the_live_revision_as_a_zip_imported_again_creates_no_revision(app, published):
    with app.app_context():
        _, course = store.live()
        again = course_from_zip(course_zip(course))
        assert store.checksum(again) == store.checksum(course)
        with action():
            assert not store.publish(again, "uploaded").created
    assert _revisions(app) == 1
