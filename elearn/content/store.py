"""The revision store: import a validated course, find the live revision, export it as files.

Requests never parse YAML or Markdown: a revision's course is parsed from its stored JSON once per
process and held in memory (the live one and a few drafts). Requests get their course through
``elearn.content.provider``, not from here. Nothing here commits: the caller's edge does.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import func, select

from elearn.content.loader import load_course
from elearn.content.models import ContentRevision, RevisionStatus
from elearn.content.schema import Course
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


def publish(course: Course, note: str, user_id: int | None = None) -> ImportResult:
    """Store a course as the new live revision, unless it is identical to the live one."""
    digest = checksum(course)
    live_id = live_revision_id()
    if live_id is not None:
        live = db.session.get(ContentRevision, live_id)
        if live is None:
            raise NoContent(f"the live content revision {live_id} has gone")
        if live.checksum == digest:
            return ImportResult(live, created=False)
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

    modules_dir = root / "modules"
    write(
        modules_dir / "course.yaml",
        dump(
            {
                "id": course.id,
                "title": course.title,
                "summary": course.summary,
                "modules": [m.id for m in course.modules],
                "glossary": "glossary.yaml",
                "bibliography": "bibliography.yaml",
            }
        ),
    )
    if course.bibliography:
        write(
            modules_dir / "bibliography.yaml",
            dump({"sources": [s.model_dump(mode="json", exclude_none=True)
                              for s in course.bibliography]}),
        )  # fmt: skip
    for handout in course.handouts:
        handout_front = handout.model_dump(include={"id", "title", "persona", "summary"})
        write(
            modules_dir / "handouts" / f"{handout.id}.md",
            f"---\n{dump(handout_front)}---\n{handout.markdown}",
        )
    write(
        modules_dir / "glossary.yaml",
        dump({"terms": [t.model_dump() for t in course.glossary]}),
    )
    for n, module in enumerate(course.modules, start=1):
        folder = modules_dir / f"{n:02d}-{module.id}"
        write(
            folder / "module.yaml",
            dump(
                {
                    "id": module.id,
                    "title": module.title,
                    "summary": module.summary,
                    "estimated_minutes": module.estimated_minutes,
                    "outcomes": [o.model_dump() for o in module.outcomes],
                    "pages": [p.id for p in module.pages],
                }
            ),
        )
        for p, page in enumerate(module.pages, start=1):
            front: dict[str, object] = {"id": page.id, "title": page.title}
            if page.sources:
                front["sources"] = page.sources
            if page.decisions:
                front["decisions"] = [d.model_dump(exclude_defaults=True) for d in page.decisions]
            write(
                folder / "pages" / f"{p:03d}-{page.id}.md",
                f"---\n{dump(front)}---\n{page.markdown}",
            )
    for module_id, quiz in course.quizzes.items():
        write(root / "quizzes" / f"{module_id}.yaml", dump(quiz.model_dump(mode="json")))
    for survey in course.surveys:
        write(
            root / "surveys" / f"{survey.id}.yaml",
            dump(survey.model_dump(mode="json", exclude_none=True)),
        )
    return written
