"""The validator: every kind of problem, with the file and line it is on."""

import shutil

import pytest

from elearn.config import ROOT
from elearn.content.loader import ContentInvalid, load_course


@pytest.fixture
def content(tmp_path):
    """A copy of the shipped content to break."""
    for name in ("modules", "quizzes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "surveys").mkdir()
    return tmp_path


def _problems(root) -> list[str]:
    with pytest.raises(ContentInvalid) as raised:
        load_course(root)
    return [str(p) for p in raised.value.problems]


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_content_is_valid(content):
    course = load_course(content)
    assert [m.id for m in course.modules] == ["m1", "m2", "m3", "m4"]


def test_unknown_key_reported_with_its_line(content):
    module = content / "modules/01-health-and-care-data/module.yaml"
    _edit(module, "estimated_minutes: 40\n", "estimated_minutes: 40\ncolour: blue\n")
    line = module.read_text().splitlines().index("colour: blue") + 1
    assert _problems(content) == [
        f"modules/01-health-and-care-data/module.yaml:{line}: unknown key 'colour'"
    ]


def test_missing_page_file(content):
    (content / "modules/01-health-and-care-data/pages/003-how-data-is-recorded.md").unlink()
    problems = _problems(content)
    assert any(
        p.startswith("modules/01-health-and-care-data/module.yaml:")
        and "page 'm1-p3' has no file in pages/" in p
        for p in problems
    ), problems


def test_duplicate_page_id(content):
    page = content / "modules/02-care-planning-research/pages/002-planning.md"
    _edit(page, "id: m2-p2", "id: m2-p1")
    assert any("duplicate page id 'm2-p1'" in p for p in _problems(content))


def test_broken_internal_link_and_unknown_glossary_term(content):
    page = content / "modules/01-health-and-care-data/pages/002-what-is-in-a-record.md"
    _edit(page, "(page:m1-p4)", "(page:m9-p9)")
    page.write_text(page.read_text() + "\nSee [x](glossary:no-such-term).\n")
    problems = _problems(content)
    lines = page.read_text().splitlines()
    broken = next(n for n, line in enumerate(lines, 1) if "page:m9-p9" in line)
    assert f"{page.relative_to(content)}:{broken}: link to unknown page 'm9-p9'" in problems
    assert f"{page.relative_to(content)}:{len(lines)}: unknown glossary term 'no-such-term'" in (
        problems
    )


def test_quiz_references_and_untested_outcome(content):
    quiz = content / "quizzes/m1.yaml"
    text = quiz.read_text()
    text = text.replace("outcome: m1-lo5", "outcome: m1-lo9").replace("page: m1-p2", "page: m2-p1")
    quiz.write_text(text)
    problems = _problems(content)
    assert any("unknown outcome 'm1-lo9'" in p for p in problems), problems
    assert any("unknown page 'm2-p1' in module 'm1'" in p for p in problems), problems
    assert "quizzes/m1.yaml: questions: learning outcome 'm1-lo5' has no question" in problems


def test_bad_yaml_gives_the_line(content):
    (content / "quizzes/m2.yaml").write_text("module: m2\npass_mark: [80\n")
    assert any(p.startswith("quizzes/m2.yaml:3: not valid YAML") for p in _problems(content))


def test_survey_with_unknown_module(content):
    (content / "surveys/end-of-module.yaml").write_text(
        "id: after-m9\ntitle: T\ndescription: D\ntrigger: after-module\nmodule: m9\n"
        "items:\n  - id: clear\n    type: likert\n    text: It was clear\n"
    )
    assert "surveys/end-of-module.yaml:5: unknown module 'm9'" in _problems(content)


SURVEY = (
    "id: s\ntitle: T\ndescription: D\n{}items:\n  - id: clear\n    type: likert\n"
    "    text: It was clear\n"
)


def test_a_time_limit_is_only_for_the_surveys_offered_on_return(content):
    (content / "surveys/s.yaml").write_text(
        SURVEY.format("trigger: after-course\nopen_for_days: 9\n")
    )
    assert any(p.startswith("surveys/s.yaml:") and "open_for_days is only for the stuck and "
               "follow-up surveys" in p for p in _problems(content))  # fmt: skip


@pytest.mark.parametrize("days", ["0", "400", "soon"])
def test_a_time_limit_is_a_number_of_days(content, days):
    (content / "surveys/s.yaml").write_text(
        SURVEY.format(f"trigger: stuck\nopen_for_days: {days}\n")
    )
    assert any(p.startswith("surveys/s.yaml:5: open_for_days") for p in _problems(content))


def test_a_page_with_no_text(content):
    page = content / "modules/01-health-and-care-data/pages/008-recap.md"
    text = page.read_text()
    page.write_text(text[: text.index("\n---\n") + 5] + "\n  \n")
    assert _problems(content) == [
        "modules/01-health-and-care-data/pages/008-recap.md:2: "
        "markdown: String should have at least 1 character"
    ]


LIBRARY = "modules/01-health-and-care-data/pages/007-seeing-your-own-record.md"


def test_a_decision_point_choice_without_feedback_is_named_with_its_line(content):
    page = content / LIBRARY
    feedback = (
        "        feedback: This is not right. He has a right to see his own record. He does not"
        " need an appointment to ask for it.\n"
    )
    _edit(page, feedback, "")
    line = page.read_text().splitlines().index("      - id: c") + 1
    assert _problems(content)[0] == f"{LIBRARY}:{line}: missing key 'feedback'"


def test_a_decision_point_needs_one_best_reply(content):
    page = content / LIBRARY
    _edit(page, "        best: true\n", "")
    problems = _problems(content)
    assert problems[0].startswith(f"{LIBRARY}:6: decisions.0: ")
    assert problems[0].endswith("a decision point needs exactly one choice marked best: true")


def test_decision_point_ids_are_unique_across_the_course(content):
    recap = content / "modules/01-health-and-care-data/pages/008-recap.md"
    _edit(recap, "id: m1-d2-put-it-right", "id: m1-d1-library")
    recap_path = "modules/01-health-and-care-data/pages/008-recap.md"
    line = recap.read_text().splitlines().index("  - id: m1-d1-library") + 1
    assert _problems(content) == [
        f"{recap_path}:{line}: duplicate decision point id 'm1-d1-library'"
    ]


def test_a_sample_answer_that_follows_no_reflection_is_named_with_its_line(content):
    path = "modules/01-health-and-care-data/pages/003-how-data-is-recorded.md"
    page = content / path
    text = page.read_text()
    _edit(page, "\n::: sample-answer\n", "\nA line between.\n\n::: sample-answer\n")
    line = page.read_text().splitlines().index("::: sample-answer") + 1
    assert text.count("::: sample-answer") == 1
    assert _problems(content) == [
        f"{path}:{line}: a sample answer must come straight after a reflect block"
    ]


def test_a_page_citing_a_source_not_in_the_bibliography_is_named_with_its_line(content):
    path = "modules/02-care-planning-research/pages/005-five-safes.md"
    page = content / path
    _edit(page, "sources: [", "sources: [made-up-source, ")
    line = (
        page.read_text()
        .splitlines()
        .index(next(x for x in page.read_text().splitlines() if x.startswith("sources:")))
        + 1
    )
    assert _problems(content) == [
        f"{path}:{line}: unknown source 'made-up-source' (not in the course bibliography)"
    ]


def test_the_bibliography_has_one_id_and_one_address_per_source(content):
    bibliography = content / "modules/bibliography.yaml"
    text = bibliography.read_text()
    _edit(bibliography, "- id: tvs-cop\n", "- id: nhse-sde\n")
    problems = _problems(content)
    assert any(p.startswith("modules/bibliography.yaml:") and "duplicate source id 'nhse-sde'"
               in p for p in problems), problems  # fmt: skip
    bibliography.write_text(text + text[text.index("- id: nhse-sde") :].split("\n- id:")[0]
                            .replace("id: nhse-sde", "id: a-copy") + "\n")  # fmt: skip
    assert any("source 'a-copy': the same address as another source" in p
               for p in _problems(content))  # fmt: skip


def test_a_source_is_checked_only_with_a_named_reviewer_and_a_date(content):
    bibliography = content / "modules/bibliography.yaml"
    _edit(bibliography, "- id: ndg-caldicott\n", "- id: ndg-caldicott\n  checked_by: A Reviewer\n")
    problems = _problems(content)
    assert problems[0].startswith("modules/bibliography.yaml:")
    assert problems[0].endswith("a checked source needs both checked_by and checked_on")


def test_sources_in_a_module_file_are_refused(content):
    module = content / "modules/01-health-and-care-data/module.yaml"
    module.write_text(
        module.read_text() + "sources:\n  - id: x\n    title: X\n    url: https://example.org\n"
    )
    line = module.read_text().splitlines().index("sources:") + 1
    assert _problems(content) == [
        "modules/01-health-and-care-data/module.yaml:"
        f"{line}: sources belong in the course bibliography (bibliography.yaml)"
    ]
