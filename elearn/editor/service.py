"""Editing the course: save an edit into the draft, publish it, roll back, and who a change
affects. Every change is audited; nothing here commits (the request's edge does)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from elearn import audit
from elearn.audit import AuditAction
from elearn.auth.models import User
from elearn.content import store
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
    live_modules = {m.id: m for m in live.modules}
    draft_modules = {m.id: m for m in draft.modules}
    changes: list[ModuleImpact] = []
    for module_id in [*draft_modules, *(m for m in live_modules if m not in draft_modules)]:
        old, new = live_modules.get(module_id), draft_modules.get(module_id)
        change = ModuleImpact(module_id, (new or old).title)  # type: ignore[union-attr]
        if old is None or new is None:
            change.new_module, change.removed_module = old is None, new is None
            changes.append(change)
            continue
        old_pages = {p.id: p for p in old.pages}
        new_pages = {p.id: p for p in new.pages}
        change.pages_added = [p for p in new_pages if p not in old_pages]
        change.pages_removed = [p for p in old_pages if p not in new_pages]
        kept_old = [p for p in old_pages if p in new_pages]
        kept_new = [p for p in new_pages if p in old_pages]
        change.pages_moved = kept_old != kept_new
        change.pages_edited = [
            p
            for p in kept_new
            if (old_pages[p].title, old_pages[p].markdown, old_pages[p].sources)
            != (new_pages[p].title, new_pages[p].markdown, new_pages[p].sources)
        ]
        change.details = (old.title, old.summary, old.estimated_minutes, old.outcomes) != (
            new.title,
            new.summary,
            new.estimated_minutes,
            new.outcomes,
        )
        _quiz_changes(change, live.quizzes.get(module_id), draft.quizzes.get(module_id))
        old_surveys = {s.id: s for s in live.surveys if s.module == module_id}
        new_surveys = {s.id: s for s in draft.surveys if s.module == module_id}
        change.surveys = [
            s
            for s in {*old_surveys, *new_surveys}
            if old_surveys.get(s) != new_surveys.get(s)  # noqa: SIM118
        ]
        if _changed(change):
            changes.append(change)
    return changes


def _quiz_changes(change: ModuleImpact, old, new) -> None:
    if old == new:
        return
    if old is None or new is None:
        change.quiz_settings = True
        return
    old_questions = {q.id: q for q in old.questions}
    new_questions = {q.id: q for q in new.questions}
    change.questions_added = [q for q in new_questions if q not in old_questions]
    change.questions_removed = [q for q in old_questions if q not in new_questions]
    change.questions_edited = [
        q for q in new_questions if q in old_questions and old_questions[q] != new_questions[q]
    ]
    settings = ("pass_mark", "max_attempts", "shuffle_questions", "shuffle_options", "draw")
    change.quiz_settings = any(getattr(old, s) != getattr(new, s) for s in settings)


def _changed(change: ModuleImpact) -> bool:
    return bool(
        change.pages_added
        or change.pages_removed
        or change.pages_moved
        or change.pages_edited
        or change.questions_added
        or change.questions_removed
        or change.questions_edited
        or change.quiz_settings
        or change.details
        or change.surveys
    )
