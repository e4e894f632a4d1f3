"""`elearn content validate|import|export`."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn import audit
from elearn.audit import AuditAction
from elearn.content.checks import ContentWarning, check_course
from elearn.content.files import ContentFiles, read_directory
from elearn.content.loader import ContentInvalid
from elearn.content.store import NoContent, export_directory, import_directory, live
from elearn.content.validate import validate
from elearn.unit_of_work import action


def _content_dir(directory: str | None) -> Path:
    return Path(directory or current_app.config["CONTENT_DIR"])


def _fail(error: ContentInvalid, closing: str) -> None:
    """Every problem on stderr, one a line, then a closing line; exit 1."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(closing, err=True)
    sys.exit(1)


@click.group("content", help="Validate, import and export the course content files.")
def content_group():
    pass


@content_group.command("validate")
@click.argument("directory", required=False)
@with_appcontext
def validate_command(directory):
    """Check the content files; print every problem as path:line: message and exit 1.
    Valid content may still have warnings (plain language, quality): printed after OK."""
    root = _content_dir(directory)
    files = read_directory(root)
    try:
        course = validate(files)
    except ContentInvalid as error:
        _fail(error, f"{len(error.problems)} problem(s) found in {root}")
    pages = sum(len(m.pages) for m in course.modules)
    click.echo(
        f"OK: {len(course.modules)} modules, {pages} pages, {len(course.glossary)} glossary terms,"
        f" {len(course.quizzes)} quizzes, {len(course.surveys)} surveys"
    )
    for warning in check_course(course):
        question = f"question '{warning.question}': " if warning.question else ""
        click.echo(f"{_warning_path(files, warning)}: warning: {question}{warning.message}")


def _warning_path(files: ContentFiles, warning: ContentWarning) -> str:
    """The file a warning is about: its page, its quiz, or its module.yaml."""
    for module in files.modules:
        if warning.page:
            for page in module.pages:
                if isinstance(page.data, dict) and page.data.get("id") == warning.page:
                    return page.path
        elif not warning.quiz and isinstance(module.module.data, dict):
            if module.module.data.get("id") == warning.module:
                return module.module.path
    for quiz in files.quizzes:
        if isinstance(quiz.data, dict) and quiz.data.get("module") == warning.quiz:
            return quiz.path
    return warning.where


@content_group.command("import")
@click.argument("directory", required=False)
@with_appcontext
def import_command(directory):
    """Validate the content files and publish them as a new revision (if anything changed)."""

    root = _content_dir(directory)
    try:
        with action():
            result = import_directory(root)
            if result.created:
                audit.record(
                    AuditAction.PUBLISHED, None, None, f"revision {result.revision.number}"
                )
    except ContentInvalid as error:
        _fail(error, "Nothing was imported: the published revision is unchanged.")
    if result.created:
        click.echo(f"Published revision {result.revision.number}.")
    else:
        click.echo(f"No changes: revision {result.revision.number} is already live.")


@content_group.command("export")
@click.argument("directory")
@with_appcontext
def export_command(directory):
    """Write the live revision to DIRECTORY in the same file format."""

    try:
        _, course = live()
    except NoContent as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    written = export_directory(course, directory)
    click.echo(f"Wrote {len(written)} files to {directory}.")
