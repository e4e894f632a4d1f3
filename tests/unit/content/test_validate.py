"""validate_data: the same checks as the files, on a course sent as data (as an editor would)."""

import shutil

import pytest
import yaml

from elearn.config import ROOT
from elearn.content.loader import ContentInvalid, load_course
from elearn.content.validate import validate_data
from tests.helpers import small_course_data


def _problems(data: dict) -> list[str]:
    with pytest.raises(ContentInvalid) as raised:
        validate_data(data)
    return [str(p) for p in raised.value.problems]


def test_a_course_sent_as_data_is_built_and_rendered():
    course = validate_data(small_course_data())
    [module] = course.modules
    assert [p.id for p in module.pages] == ["m1-p1", "m1-p2"]  # in module order
    assert 'href="/learn/glossary#gp"' in module.pages[0].html
    assert 'href="/learn/modules/m1/pages/m1-p1"' in module.pages[1].html
    assert module.pages[0].text == "Your GP has it."
    assert course.quizzes["m1"].questions[0].id == "m1-q1"


def test_problems_name_the_place_in_the_data():
    data = small_course_data()
    module = data["modules"][0]
    module["module"]["colour"] = "blue"
    module["pages"][0]["markdown"] = "See [nowhere](page:m9-p9)."
    data["quizzes"][0]["pass_mark"] = 180
    assert _problems(data) == [
        "modules/0: colour: unknown key 'colour'",
        "quizzes/0: pass_mark: Input should be less than or equal to 100",
    ]
    del module["module"]["colour"]
    data["course"]["modules"].append("m9")
    assert _problems(data) == [
        "course: module 'm9' has no module.yaml",
        "modules/0/pages/0: link to unknown page 'm9-p9'",
        "quizzes/0: pass_mark: Input should be less than or equal to 100",
    ]


def test_a_document_sent_as_text_has_its_lines():
    data = small_course_data()
    data["quizzes"] = [yaml.safe_dump(data["quizzes"][0], sort_keys=False)]
    data["quizzes"][0] = data["quizzes"][0].replace("pass_mark: 80", "pass_mark: 180")
    data["modules"][0]["pages"][1] = "---\nid: m1-p1\ntitle: Start\n---\nSee [x](glossary:nope).\n"
    assert _problems(data) == [
        "modules/0/pages/1:5: unknown glossary term 'nope'",
        "quizzes/0:2: pass_mark: Input should be less than or equal to 100",
    ]


def test_a_page_with_no_markdown():
    data = small_course_data()
    del data["modules"][0]["pages"][0]["markdown"]
    assert _problems(data) == [
        "modules/0/pages/0: markdown: String should have at least 1 character"
    ]


def test_a_document_that_is_not_a_mapping():
    data = small_course_data()
    data["glossary"] = ["gp"]
    del data["course"]
    assert _problems(data)[:2] == [
        "course: expected a mapping of keys and values",
        "glossary: expected a mapping of keys and values",
    ]


def _as_data(root) -> dict:
    """The content files under root as an editor would send them: mappings and Markdown."""

    def load(path):
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    def page(path):
        _, front, markdown = path.read_text(encoding="utf-8").split("---\n", 2)
        return {**yaml.safe_load(front), "markdown": markdown}

    modules = sorted((root / "modules").glob("*/module.yaml"))
    return {
        "course": load(root / "modules/course.yaml"),
        "glossary": load(root / "modules/glossary.yaml"),
        "modules": [
            {"module": load(m), "pages": [page(p) for p in sorted(m.parent.glob("pages/*.md"))]}
            for m in modules
        ],
        "quizzes": [load(path) for path in sorted((root / "quizzes").glob("*.yaml"))],
        "surveys": [load(path) for path in sorted((root / "surveys").glob("*.yaml"))],
        "handouts": [page(p) for p in sorted((root / "modules/handouts").glob("*.md"))],
        "bibliography": load(root / "modules/bibliography.yaml"),
    }


def test_the_shipped_content_as_data_builds_the_same_course():
    assert validate_data(_as_data(ROOT)) == load_course(ROOT)


def test_broken_content_as_data_gives_the_same_messages_as_the_files(tmp_path):
    for name in ("modules", "quizzes", "surveys"):
        shutil.copytree(ROOT / name, tmp_path / name)
    page = tmp_path / "modules/01-health-and-care-data/pages/002-what-is-in-a-record.md"
    page.write_text(page.read_text().replace("(page:m1-p4)", "(page:m9-p9)"))
    quiz = tmp_path / "quizzes/m1.yaml"
    quiz.write_text(quiz.read_text().replace("outcome: m1-lo5", "outcome: m1-lo9"))
    with pytest.raises(ContentInvalid) as from_files:
        load_course(tmp_path)
    with pytest.raises(ContentInvalid) as from_data:
        validate_data(_as_data(tmp_path))
    files, data = from_files.value.problems, from_data.value.problems
    assert [p.message for p in data] == [p.message for p in files]
    assert len(files) > 2
    assert str(data[0]) == "modules/0/pages/1: link to unknown page 'm9-p9'"
    assert all(p.line is None for p in data)
