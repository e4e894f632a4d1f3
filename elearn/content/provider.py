"""The one seam through which a request gets its course: the live revision, or a draft.

Everything that shows or records learning asks here, never the revision store directly, so an
admin can preview a draft revision exactly as a learner would see it. While a draft is being
previewed, :func:`is_preview` is true: no learning event is recorded and the edge commits nothing.
"""

from dataclasses import dataclass

from flask import g

from elearn.content import store
from elearn.content.schema import Course

_KEY = "course_in_use"


@dataclass(frozen=True)
class CourseInUse:
    course: Course
    revision_id: int
    preview: bool


def _in_use() -> CourseInUse:
    if _KEY not in g:
        revision_id, course = store.live()
        setattr(g, _KEY, CourseInUse(course, revision_id, preview=False))
    return getattr(g, _KEY)


def course() -> Course:
    """The course for this request (raises store.NoContent when nothing is published)."""
    return _in_use().course


def revision_id() -> int:
    """The revision the course for this request comes from."""
    return _in_use().revision_id


def is_preview() -> bool:
    in_use = g.get(_KEY)
    return in_use is not None and in_use.preview


def preview(revision_id: int) -> Course:
    """Use this (draft) revision for the rest of the request, recording nothing."""
    course = store.revision_course(revision_id)
    setattr(g, _KEY, CourseInUse(course, revision_id, preview=True))
    return course


def forget() -> None:
    """Drop the request's course, so the next call reads the newly published one."""
    g.pop(_KEY, None)
