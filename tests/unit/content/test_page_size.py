"""A page too long to be a page is refused before it is rendered, quickly and clearly."""

import shutil
import time

import pytest

from elearn.config import ROOT
from elearn.content.loader import ContentInvalid, load_course
from elearn.content.plaintext import markdown_to_plain_text
from elearn.content.schema import LONG_TEXT_MAX
from elearn.content.validate import validate_data
from tests.helpers import small_course_data

HALF_A_MEGABYTE = 500_000


def _problems(data: dict) -> list[str]:
    with pytest.raises(ContentInvalid) as raised:
        validate_data(data)
    return [str(p) for p in raised.value.problems]


def test_a_500_kb_page_is_refused_quickly_with_a_clear_message():
    data = small_course_data()
    data["modules"][0]["pages"][0]["markdown"] = "[" * HALF_A_MEGABYTE  # slow to render
    started = time.monotonic()
    problems = _problems(data)
    assert time.monotonic() - started < 2
    assert problems == [
        "modules/0/pages/0: markdown: the page is too long: 500,000 characters, and a page can "
        "have at most 20,000. Split it into shorter pages."
    ]


def test_a_page_at_the_limit_is_accepted():
    data = small_course_data()
    sentence = "Your GP keeps a record. "
    body = (sentence * (LONG_TEXT_MAX // len(sentence) + 1))[: LONG_TEXT_MAX - 1] + "."
    data["modules"][0]["pages"][0]["markdown"] = body
    course = validate_data(data)
    assert len(course.modules[0].pages[1].markdown) == LONG_TEXT_MAX


def test_a_long_page_file_is_refused_with_its_line(tmp_path):
    for name in ("modules", "quizzes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    page = tmp_path / "modules/01-health-and-care-data/pages/008-recap.md"
    page.write_text(page.read_text() + "    Indented text.\n" * (HALF_A_MEGABYTE // 19))
    with pytest.raises(ContentInvalid) as raised:
        load_course(tmp_path)
    [problem] = raised.value.problems
    assert str(problem).startswith(
        "modules/01-health-and-care-data/pages/008-recap.md:2: the page is too long:"
    )


@pytest.mark.parametrize(
    "markdown",
    [
        " " * HALF_A_MEGABYTE + "x",  # one very long indented line
        (" " * 1000 + "x\n") * (HALF_A_MEGABYTE // 1002),  # many indented lines
        "[" * HALF_A_MEGABYTE,  # brackets that never close
        "[a](" * (HALF_A_MEGABYTE // 4),  # links that never close
    ],
    ids=["long-indent", "indented-lines", "open-brackets", "open-links"],
)
def test_plain_text_takes_time_in_proportion_to_the_page(markdown):
    started = time.monotonic()
    markdown_to_plain_text(markdown)
    assert time.monotonic() - started < 2


def test_plain_text_still_keeps_link_text_and_drops_table_rules():
    text = markdown_to_plain_text(
        "See [your record](page:m1-p2) and ![a chart](https://example.org/c.png).\n\n"
        "| Who | What |\n| --- | --- |\n|  :--- | ---: |\n| GP | Notes |\n"
    )
    assert text == "See your record and a chart. Who. What. GP. Notes."
