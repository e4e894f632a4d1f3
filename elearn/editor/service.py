"""Editing the course: save an edit into the draft, publish it, roll back, and who a change
affects. Every change is audited; nothing here commits (the request's edge does)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from elearn import audit
from elearn.audit import AuditAction
from elearn.auth.models import User
from elearn.content import checks, store
from elearn.content.checks import ContentWarning
from elearn.content.diff import diff_courses
from elearn.content.models import ContentRevision
from elearn.content.problems import Problem
from elearn.content.schema import Course
from elearn.content.source import Source, course_source
from elearn.extensions import db
from elearn.learn.models import ModuleProgress, PageProgress
from elearn.quiz.models import AttemptStatus, QuizAttempt
from elearn.roles import Role

Edit = Callable[[Source], Source]


@dataclass(frozen=True)
class Checked:
    """An edit applied to the draft's documents, and what the validator says of the result."""

    source: Source
    course: Course | None
    problems: list[Problem]

    def about(self, path: str) -> list[Problem]:
        """The problems in one document (its pseudo-path, like modules/0/pages/2)."""
        return [p for p in self.problems if p.path == path]


def check(draft: ContentRevision, edit: Edit) -> Checked:
    """What the draft would be with this edit, and its problems (nothing saved)."""
    source = edit(store.draft_source(draft))
    course, problems = store.check_source(source)
    return Checked(source, course, problems)


def save(draft: ContentRevision, version: int, checked: Checked, user_id: int, what: str) -> None:
    """Save a checked edit in the draft (store.DraftChanged when another save of the same
    version came first). Problems elsewhere in the draft are kept and stop it being published."""
    store.save_source(draft, checked.source, user_id, version, (checked.course, checked.problems))
    audit.record(AuditAction.DRAFT_SAVED, user_id, None, f"draft {draft.number}: {what}"[:300])


def start(user_id: int) -> ContentRevision:
    draft = store.open_draft()
    if draft is None:
        draft = store.start_draft(user_id)
        audit.record(AuditAction.DRAFT_STARTED, user_id, None, f"draft {draft.number}")
    return draft


def discard(draft: ContentRevision, user_id: int) -> None:
    store.discard_draft(draft, user_id)
    audit.record(AuditAction.DRAFT_DISCARDED, user_id, None, f"draft {draft.number}")


def publish(draft: ContentRevision, summary: str, user_id: int) -> ContentRevision:
    revision = store.publish_draft(draft, summary, user_id)
    audit.record(
        AuditAction.PUBLISHED, user_id, None, f"revision {revision.number}: {summary}"[:300]
    )
    return revision


def rollback(revision_id: int, summary: str, user_id: int) -> store.ImportResult:
    """Publish a copy of an earlier revision (ContentInvalid if it no longer validates)."""
    result = store.rollback_to(revision_id, summary, user_id)
    old = db.session.get(ContentRevision, revision_id)
    number = old.number if old else revision_id
    audit.record(
        AuditAction.ROLLED_BACK,
        user_id,
        None,
        f"revision {result.revision.number} copies {number}: {summary}"[:300],
    )
    return result


def upload(course: Course, user_id: int) -> ContentRevision:
    """A validated course from a zip becomes the draft (never straight to live)."""
    draft = store.start_draft(user_id)
    store.save_source(draft, course_source(course), user_id, draft.version)
    audit.record(AuditAction.DRAFT_UPLOADED, user_id, None, f"draft {draft.number}")
    return draft


def names(user_ids: set[int]) -> dict[int, str]:
    """Display names of the admins who made revisions (for the history)."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


_warnings: dict[str, list[ContentWarning]] = {}  # by the checksum of the course checked
_WARNINGS_KEPT = 4


def warnings(revision: ContentRevision) -> list[ContentWarning]:
    """The plain-language and quality warnings of a revision's course. Checking reads every
    page (a second or so), so the result is kept per version of the course."""
    found = _warnings.get(revision.checksum)
    if found is None:
        found = checks.check_course(store.revision_course(revision.id))
        _warnings[revision.checksum] = found
        while len(_warnings) > _WARNINGS_KEPT:
            del _warnings[next(iter(_warnings))]
    return found


# Who a change affects.


def course_surveys_changed(live: Course, draft: Course) -> list[str]:
    """Surveys not tied to a module (registration, end of course) that the draft changes."""
    old = {s.id: s for s in live.surveys if s.module is None}
    new = {s.id: s for s in draft.surveys if s.module is None}
    return sorted(s for s in {*old, *new} if old.get(s) != new.get(s))


@dataclass
class ModuleImpact:
    """What publishing does to one changed module, and how many learners it reaches."""

    module_id: str
    title: str
    part_way: int = 0  # learners who have opened a page but not completed the module
    completed: int = 0
    attempts_in_progress: int = 0
    pages_added: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)
    pages_moved: bool = False
    pages_edited: list[str] = field(default_factory=list)
    questions_added: list[str] = field(default_factory=list)
    questions_removed: list[str] = field(default_factory=list)
    questions_edited: list[str] = field(default_factory=list)
    quiz_settings: bool = False
    details: bool = False
    surveys: list[str] = field(default_factory=list)
    new_module: bool = False
    removed_module: bool = False


def impact(live: Course, draft: Course) -> list[ModuleImpact]:
    """Every module the draft changes, with learner counts (three queries)."""
    changes = _changes(live, draft)
    if not changes:
        return []
    ids = [c.module_id for c in changes]
    learner = select(User.id).where(User.role == Role.LEARNER)
    completed = _counts(
        select(ModuleProgress.module_id, func.count())
        .where(
            ModuleProgress.module_id.in_(ids),
            ModuleProgress.completed_at.is_not(None),
            ModuleProgress.user_id.in_(learner),
        )
        .group_by(ModuleProgress.module_id)
    )
    finished = select(ModuleProgress.user_id).where(
        ModuleProgress.module_id == PageProgress.module_id,
        ModuleProgress.completed_at.is_not(None),
    )
    part_way = _counts(
        select(PageProgress.module_id, func.count(func.distinct(PageProgress.user_id)))
        .where(
            PageProgress.module_id.in_(ids),
            PageProgress.user_id.in_(learner),
            PageProgress.user_id.not_in(finished.correlate(PageProgress)),
        )
        .group_by(PageProgress.module_id)
    )
    attempts = _counts(
        select(QuizAttempt.module_id, func.count())
        .where(
            QuizAttempt.module_id.in_(ids),
            QuizAttempt.status == AttemptStatus.IN_PROGRESS,
        )
        .group_by(QuizAttempt.module_id)
    )
    for change in changes:
        change.part_way = part_way.get(change.module_id, 0)
        change.completed = completed.get(change.module_id, 0)
        change.attempts_in_progress = attempts.get(change.module_id, 0)
    return changes


def _counts(query) -> dict[str, int]:
    """A grouped count query as {module id: count}."""
    return {module_id: count for module_id, count in db.session.execute(query)}


def _changes(live: Course, draft: Course) -> list[ModuleImpact]:
    """Each module the draft changes, from the id-by-id diff of the two courses."""
    changes = diff_courses(live, draft)
    titles = {m.id: m.title for m in [*live.modules, *draft.modules]}
    impacts: dict[str, ModuleImpact] = {}

    def impact_of(module_id: str) -> ModuleImpact:
        return impacts.setdefault(module_id, ModuleImpact(module_id, titles.get(module_id, "")))

    for module_id in changes.modules.added:
        impact_of(module_id).new_module = True
    for module_id in changes.modules.removed:
        impact_of(module_id).removed_module = True
    for module in changes.changed_modules:
        impact = impact_of(module.id)
        impact.pages_added = list(module.pages.added)
        impact.pages_removed = list(module.pages.removed)
        impact.pages_moved = bool(module.pages.moved)
        impact.pages_edited = [page.id for page in module.changed_pages]
        impact.details = bool(module.details)
    for module_id in [*changes.quizzes.added, *changes.quizzes.removed]:
        impact_of(module_id).quiz_settings = True
    for quiz in changes.changed_quizzes:
        impact = impact_of(quiz.module_id)
        impact.questions_added = list(quiz.questions.added)
        impact.questions_removed = list(quiz.questions.removed)
        impact.questions_edited = [question.id for question in quiz.changed_questions]
        impact.quiz_settings = bool(quiz.settings)
    survey_modules = {s.id: s.module for s in [*live.surveys, *draft.surveys]}
    changed_surveys = [
        *changes.surveys.added,
        *changes.surveys.removed,
        *(survey.id for survey in changes.changed_surveys),
    ]
    for survey_id in changed_surveys:
        survey_module = survey_modules.get(survey_id)
        if survey_module is not None:
            impact_of(survey_module).surveys.append(survey_id)
    order = [m.id for m in draft.modules] + [m.id for m in live.modules]
    return sorted(impacts.values(), key=lambda i: order.index(i.module_id))
