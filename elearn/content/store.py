"""The revision store: import a validated course, find the live revision, export it as files.

Requests never parse YAML or Markdown: a revision's course is parsed from its stored JSON once per
process and held in memory (the live one and a few drafts). Requests get their course through
``elearn.content.provider``, not from here. Nothing here commits: the caller's edge does.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import func, select, update

from elearn.content.identity import changed_meaning
from elearn.content.loader import load_course
from elearn.content.models import ContentRevision, RevisionStatus
from elearn.content.problems import ContentInvalid, Problem
from elearn.content.schema import Course
from elearn.content.source import Source, course_source
from elearn.content.validate import validate_data
from elearn.db import utcnow
from elearn.extensions import db

_parsed: dict[str, Course] = {}  # by checksum, oldest first
_PARSED_KEPT = 3


@dataclass(frozen=True)
class ImportResult:
    revision: ContentRevision
    created: bool


class NoContent(LookupError):
    """No revision has been published yet: run `elearn content import`."""


def checksum(course: Course) -> str:
    return hashlib.sha256(course.model_dump_json().encode()).hexdigest()


def _live_row():
    return db.session.execute(
        select(ContentRevision.id, ContentRevision.checksum)
        .where(ContentRevision.status == RevisionStatus.PUBLISHED)
        .order_by(ContentRevision.published_at.desc(), ContentRevision.id.desc())
        .limit(1)
    ).first()


def live_revision_id() -> int | None:
    row = _live_row()
    return row.id if row else None


def _parse(revision_id: int, digest: str) -> Course:
    course = _parsed.get(digest)
    if course is None:
        data = db.session.scalar(
            select(ContentRevision.data).where(ContentRevision.id == revision_id)
        )
        if data is None:
            raise NoContent(f"no content revision {revision_id}")
        course = Course.model_validate_json(data)
        _parsed[digest] = course
        while len(_parsed) > _PARSED_KEPT:  # the live revision and a draft or two
            del _parsed[next(iter(_parsed))]
    return course


def live() -> tuple[int, Course]:
    """The published revision's id and course: one small query, parsed JSON cached."""
    row = _live_row()
    if row is None:
        raise NoContent("no published content: run `elearn content import`")
    return row.id, _parse(row.id, row.checksum)


def revision_course(revision_id: int) -> Course:
    """Any revision's course, draft or published (raises NoContent for an unknown id)."""
    digest = db.session.scalar(
        select(ContentRevision.checksum).where(ContentRevision.id == revision_id)
    )
    if digest is None:
        raise NoContent(f"no content revision {revision_id}")
    return _parse(revision_id, digest)


def save_draft(course: Course, note: str, user_id: int | None = None) -> ContentRevision:
    """Store a course as a new draft revision (not live until published)."""
    revision = ContentRevision(
        number=_next_number(),
        status=RevisionStatus.DRAFT,
        checksum=checksum(course),
        data=course.model_dump_json(),
        note=note[:300],
        created_by_id=user_id,
        created_at=utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def _next_number() -> int:
    return (db.session.scalar(select(func.max(ContentRevision.number))) or 0) + 1


class DraftChanged(Exception):
    """Someone else saved the draft between reading it and saving it: read it again."""


class DraftNotReady(Exception):
    """The draft cannot be published as it stands (its problems say why)."""


def open_draft() -> ContentRevision | None:
    """The draft being worked on, if there is one (there is at most one at a time)."""
    return db.session.scalar(
        select(ContentRevision)
        .where(ContentRevision.status == RevisionStatus.DRAFT)
        .order_by(ContentRevision.id.desc())
        .limit(1)
    )


def start_draft(user_id: int | None) -> ContentRevision:
    """A new draft that begins as a copy of the live revision (or the open draft, if any)."""
    draft = open_draft()
    if draft is not None:
        return draft
    live_id, course = live()
    now = utcnow()
    draft = ContentRevision(
        number=_next_number(),
        status=RevisionStatus.DRAFT,
        checksum=checksum(course),
        data=course.model_dump_json(),
        source=json.dumps(course_source(course), ensure_ascii=False),
        base_revision_id=live_id,
        version=1,
        problems="[]",
        note="",
        created_by_id=user_id,
        created_at=now,
        updated_at=now,
        updated_by_id=user_id,
    )
    db.session.add(draft)
    db.session.flush()
    return draft


def draft_source(draft: ContentRevision) -> Source:
    return json.loads(draft.source) if draft.source else course_source(revision_course(draft.id))


def draft_problems(draft: ContentRevision) -> list[str]:
    return list(json.loads(draft.problems or "[]"))


def check_source(source: Source) -> tuple[Course | None, list[Problem]]:
    """The course built from the documents, or None with every problem that stops it."""
    try:
        return validate_data(source), []
    except ContentInvalid as error:
        return None, error.problems


def save_source(
    draft: ContentRevision,
    source: Source,
    user_id: int | None,
    version: int,
    checked: tuple[Course | None, list[Problem]] | None = None,
) -> list[Problem]:
    """Save the edited documents in the draft; return the problems that stop it being
    published (none when it is ready). When it validates, its course is rebuilt, so a preview
    shows it; otherwise the preview keeps the last course that validated.

    ``version`` is the draft's version the edit was made on: if another save came first,
    DraftChanged is raised and nothing is written."""
    course, problems = check_source(source) if checked is None else checked
    values: dict[str, object] = {
        "source": json.dumps(source, ensure_ascii=False),
        "problems": json.dumps([str(p) for p in problems], ensure_ascii=False),
        "version": version + 1,
        "updated_at": utcnow(),
        "updated_by_id": user_id,
    }
    if course is not None:
        values.update(checksum=checksum(course), data=course.model_dump_json())
    saved = db.session.execute(
        update(ContentRevision)
        .where(
            ContentRevision.id == draft.id,
            ContentRevision.status == RevisionStatus.DRAFT,
            ContentRevision.version == version,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's CursorResult
        raise DraftChanged(f"draft {draft.number} changed since version {version}")
    db.session.refresh(draft)
    return problems


def publish_draft(draft: ContentRevision, note: str, user_id: int | None) -> ContentRevision:
    """Make the draft the live revision, in the caller's one transaction."""
    if draft.status != RevisionStatus.DRAFT:
        raise DraftNotReady("this draft has already been published or discarded")
    problems = draft_problems(draft)
    if problems:
        raise DraftNotReady(f"the draft has {len(problems)} problem(s) to fix first")
    live_id = live_revision_id()
    if live_id is not None:
        meaning = changed_meaning(revision_course(live_id), revision_course(draft.id))
        if meaning:
            raise ContentInvalid(meaning)
    now = utcnow()
    draft.status = RevisionStatus.PUBLISHED
    draft.note = note[:300]
    draft.published_at = now
    draft.updated_at = now
    draft.updated_by_id = user_id
    db.session.flush()
    return draft


def discard_draft(draft: ContentRevision, user_id: int | None) -> None:
    draft.status = RevisionStatus.DISCARDED
    draft.updated_at = utcnow()
    draft.updated_by_id = user_id
    db.session.flush()


def published_revisions() -> list[ContentRevision]:
    """Every published revision, newest first."""
    return list(
        db.session.scalars(
            select(ContentRevision)
            .where(ContentRevision.status == RevisionStatus.PUBLISHED)
            .order_by(ContentRevision.published_at.desc(), ContentRevision.id.desc())
        )
    )


def rollback_to(revision_id: int, note: str, user_id: int | None) -> ImportResult:
    """Publish a copy of an earlier revision as a new one. The copy is checked by today's
    rules first: a revision that no longer validates raises ContentInvalid, changing nothing."""
    old = db.session.get(ContentRevision, revision_id)
    if old is None or old.status != RevisionStatus.PUBLISHED:
        raise NoContent(f"no published revision {revision_id}")
    source = json.loads(old.source) if old.source else course_source(revision_course(old.id))
    course = validate_data(source)
    return publish(course, note, user_id)


def publish(course: Course, note: str, user_id: int | None = None) -> ImportResult:
    """Store a course as the new live revision, unless it is identical to the live one.

    Raises ContentInvalid, storing nothing, when a question keeps its live id but its options or
    right answer changed (see content.identity)."""
    digest = checksum(course)
    live_id = live_revision_id()
    if live_id is not None:
        live = db.session.get(ContentRevision, live_id)
        if live is None:
            raise NoContent(f"the live content revision {live_id} has gone")
        if live.checksum == digest:
            return ImportResult(live, created=False)
        problems = changed_meaning(_parse(live.id, live.checksum), course)
        if problems:
            raise ContentInvalid(problems)
    now = utcnow()
    revision = ContentRevision(
        number=_next_number(),
        status=RevisionStatus.PUBLISHED,
        checksum=digest,
        data=course.model_dump_json(),
        note=note[:300],
        created_by_id=user_id,
        created_at=now,
        published_at=now,
    )
    db.session.add(revision)
    db.session.flush()
    return ImportResult(revision, created=True)


def import_directory(root: Path | str, user_id: int | None = None) -> ImportResult:
    """Validate the files under root and publish them (raises ContentInvalid, importing nothing)."""
    course = load_course(root)
    return publish(course, note=f"Imported from {Path(root).resolve().name}", user_id=user_id)


def export_directory(course: Course, root: Path | str) -> list[Path]:
    """Write a course back to the file format that `load_course` reads."""
    root = Path(root)
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    def dump(data) -> str:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

    documents = course_source(course)
    modules_dir = root / "modules"
    write(modules_dir / "course.yaml", dump(documents["course"]))
    write(modules_dir / "glossary.yaml", dump(documents["glossary"]))
    if documents["bibliography"]["sources"]:
        write(modules_dir / "bibliography.yaml", dump(documents["bibliography"]))
    for handout in documents["handouts"]:
        front = {key: value for key, value in handout.items() if key != "markdown"}
        write(
            modules_dir / "handouts" / f"{handout['id']}.md",
            f"---\n{dump(front)}---\n{handout['markdown']}",
        )
    for n, entry in enumerate(documents["modules"], start=1):
        folder = modules_dir / f"{n:02d}-{entry['module']['id']}"
        write(folder / "module.yaml", dump(entry["module"]))
        for p, page in enumerate(entry["pages"], start=1):
            front = {key: value for key, value in page.items() if key != "markdown"}
            write(
                folder / "pages" / f"{p:03d}-{page['id']}.md",
                f"---\n{dump(front)}---\n{page['markdown']}",
            )
    for quiz in documents["quizzes"]:
        write(root / "quizzes" / f"{quiz['module']}.yaml", dump(quiz))
    for survey in documents["surveys"]:
        write(root / "surveys" / f"{survey['id']}.yaml", dump(survey))
    return written
