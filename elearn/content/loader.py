"""Load the course from its files: read them (files.py), then check them against the schema and
each other and build the Course, rendering each page once (validate.py).

Every problem is reported as `path:line: message`, or `path: field: message` where no line is
known, and nothing is imported while any problem remains.
"""

from pathlib import Path

from elearn.content.files import read_directory
from elearn.content.problems import ContentInvalid, Problem
from elearn.content.schema import Course
from elearn.content.validate import validate

__all__ = ["ContentInvalid", "Problem", "load_course"]


def load_course(root: Path | str) -> Course:
    """Load and check everything under root (modules/, quizzes/, surveys/); raise ContentInvalid."""
    return validate(read_directory(root))
