"""The revision store: import a validated course, find the live revision, export it as files.

Requests never parse YAML or Markdown: the live course is parsed from its stored JSON once per
process and held in memory until a newer revision is published.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import g
from sqlalchemy import func, select

from elearn.content.loader import load_course
from elearn.content.models import ContentRevision
from elearn.content.schema import Course
from elearn.db import utcnow
from elearn.extensions import db

_parsed: dict[str, Course] = {}  # by checksum


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
        .where(ContentRevision.status == "published")
        .order_by(ContentRevision.published_at.desc(), ContentRevision.id.desc())
        .limit(1)
    ).first()


def live_revision_id() -> int | None:
    row = _live_row()
    return row.id if row else None


def live_course() -> Course:
    """The published course: one small query per request, parsed JSON cached per revision."""
    if "live_course" in g:
        return g.live_course
    row = _live_row()
    if row is None:
        raise NoContent("no published content: run `elearn content import`")
    course = _parsed.get(row.checksum)
    if course is None:
        data = db.session.scalar(select(ContentRevision.data).where(ContentRevision.id == row.id))
        course = Course.model_validate_json(data)
        _parsed.clear()  # keep only the live revision in memory
        _parsed[row.checksum] = course
    g.live_course = course
    g.live_revision_id = row.id
    return course


def publish(course: Course, note: str, user_id: int | None = None) -> ImportResult:
    """Store a course as the new live revision, unless it is identical to the live one."""
    digest = checksum(course)
    live_id = live_revision_id()
    if live_id is not None:
        live = db.session.get(ContentRevision, live_id)
        if live.checksum == digest:
            return ImportResult(live, created=False)
    number = (db.session.scalar(select(func.max(ContentRevision.number))) or 0) + 1
    now = utcnow()
    revision = ContentRevision(
        number=number,
        status="published",
        checksum=digest,
        data=course.model_dump_json(),
        note=note[:300],
        created_by_id=user_id,
        created_at=now,
        published_at=now,
    )
    db.session.add(revision)
    db.session.commit()
    g.pop("live_course", None)
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
            }
        ),
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
                    "sources": [s.model_dump(exclude_none=True) for s in module.sources],
                }
            ),
        )
        for p, page in enumerate(module.pages, start=1):
            front = {"id": page.id, "title": page.title}
            if page.sources:
                front["sources"] = page.sources
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
