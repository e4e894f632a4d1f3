"""The learner's certificate as people see it, and checking a certificate's verification code.

A certificate shows the learner's name, the course, the date and each module with its best quiz
score. The verification code printed on it confirms to anyone who has it that the certificate is
genuine (name and date only); it is never part of the learning records.
"""

from dataclasses import dataclass
from datetime import datetime

from elearn.auth.models import User
from elearn.content.schema import Course
from elearn.extensions import db
from elearn.journey.state import CourseState, ModuleStatus
from elearn.learn import service as progress
from elearn.quiz import service as quizzes


@dataclass(frozen=True)
class ModuleResult:
    number: int
    title: str
    score: int | None  # the best passed quiz score; None for a module without a quiz
    out_of: int | None


@dataclass(frozen=True)
class CertificateView:
    name: str
    course_title: str
    issued_at: datetime
    code: str
    modules: tuple[ModuleResult, ...]


@dataclass(frozen=True)
class Verified:
    """What the public check confirms: the name and the date, nothing else."""

    name: str
    issued_at: datetime


def certificate(course: Course, user: User) -> CertificateView | None:
    """The learner's certificate with their module results; None before the course is done."""
    issued = progress.certificate_for(user.id)
    if issued is None:
        return None
    scores = quizzes.best_passed_scores(user.id)
    modules = []
    for number, module in enumerate(course.modules, start=1):
        score, out_of = scores.get(module.id, (None, None))
        modules.append(ModuleResult(number, module.title, score, out_of))
    return CertificateView(
        name=user.display_name,
        course_title=course.title,
        issued_at=issued.issued_at,
        code=issued.verification_code,
        modules=tuple(modules),
    )


def still_to_do(state: CourseState) -> list[str]:
    """What a learner has left before the certificate, one plain sentence per module."""
    left = []
    for number, module_state in enumerate(state.modules, start=1):
        if module_state.status == ModuleStatus.COMPLETED:
            continue
        title = f"Module {number}: {module_state.module.title}"
        pages_left = module_state.total - module_state.done_count
        if pages_left:
            pages = "page" if pages_left == 1 else "pages"
            left.append(f"{title}: finish {pages_left} more {pages}")
        if module_state.has_quiz and not module_state.quiz_passed:
            left.append(f"{title}: pass the end of module quiz")
    return left


def verify(code: str) -> Verified | None:
    """The name and date on the certificate with this code; None when no certificate has it
    (including codes in the wrong format, and certificates of deleted accounts)."""
    issued = progress.certificate_by_code(code)
    if issued is None:
        return None
    user = db.session.get(User, issued.user_id)
    if user is None or user.deleted_at is not None:
        return None
    return Verified(user.display_name, issued.issued_at)
