"""A course as its documents: the round trip, and edits that leave the original alone."""

import pytest

from elearn.config import ROOT
from elearn.content import source
from elearn.content.loader import load_course
from elearn.content.validate import validate_data

COURSE = load_course(ROOT)


def test_the_documents_build_the_same_course():
    # Anything the schema gains (a new block, a new kind of document) must be written back too,
    # or a draft, an export or a rollback would silently drop it.
    assert validate_data(source.course_source(COURSE)) == COURSE


def test_edits_return_a_copy_and_leave_the_original_alone():
    documents = source.course_source(COURSE)
    first = documents["modules"][0]["pages"][0]["id"]
    moved = source.move_page(documents, "m1", first, 1)
    assert documents["modules"][0]["pages"][0]["id"] == first
    assert moved["modules"][0]["pages"][1]["id"] == first
    assert moved["modules"][0]["module"]["pages"][1] == first


def test_moving_past_either_end_keeps_the_page_where_it_is():
    documents = source.course_source(COURSE)
    ids = [p["id"] for p in documents["modules"][0]["pages"]]
    up = source.move_page(documents, "m1", ids[0], -1)
    down = source.move_page(documents, "m1", ids[-1], 1)
    assert [p["id"] for p in up["modules"][0]["pages"]] == ids
    assert [p["id"] for p in down["modules"][0]["pages"]] == ids


def test_a_page_added_after_another_goes_in_its_place_and_in_the_module_list():
    documents = source.course_source(COURSE)
    ids = [p["id"] for p in documents["modules"][0]["pages"]]
    added = source.add_page(documents, "m1", "m1-new", "New", "Text.", after=ids[0])
    assert added["modules"][0]["module"]["pages"][:3] == [ids[0], "m1-new", ids[1]]
    at_end = source.add_page(documents, "m1", "m1-new", "New", "Text.", after=None)
    assert at_end["modules"][0]["module"]["pages"][-1] == "m1-new"


def test_the_fingerprint_changes_with_the_document():
    page = source.course_source(COURSE)["modules"][0]["pages"][0]
    assert source.fingerprint(page) == source.fingerprint(dict(page))
    assert source.fingerprint(page) != source.fingerprint(dict(page, title="Other"))


def test_an_unknown_document_is_named():
    documents = source.course_source(COURSE)
    with pytest.raises(source.NotInSource, match="no page nope in module m1"):
        source.page(documents, "m1", "nope")
    with pytest.raises(source.NotInSource, match="no module m9"):
        source.set_module(documents, "m9", {"title": "x"})
