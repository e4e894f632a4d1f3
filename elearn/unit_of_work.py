"""One commit per action, at the edge.

Services add and change rows, record events and flush; they never commit. The edge that started
the action commits once when it succeeded, or rolls everything back (the learner's change and the
learning records that describe it) when it did not:

- a web request: every view is wrapped by :func:`init_app`. A response below 400 is committed
  (never while a draft course is being previewed); a 4xx or 5xx response, or an exception, rolls
  back. When the commit meets a unique-constraint conflict (two tabs, a double click: another
  request stored the same row first) the whole action is rolled back and run once more, so it
  sees the other request's row and gives the same result as a single request;
- a command or a batch of demo learners: ``with action():``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import Flask, Response, make_response
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session

from elearn.content import provider
from elearn.extensions import db

_WROTE = "elearn.wrote"
ATTEMPTS = 2  # the action, and once more after a conflict


def init_app(app: Flask) -> None:
    """Make every view an action with one commit (call after the blueprints are registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = _edge(view)


def _edge(view: Callable[..., Any]) -> Callable[..., Response]:
    @wraps(view)
    def action_view(*args: Any, **kwargs: Any) -> Response:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = make_response(view(*args, **kwargs))
                finish(response)
            except IntegrityError:
                db.session.rollback()
                if attempt == ATTEMPTS:
                    raise
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    return action_view


def finish(response: Response) -> None:
    """Commit a successful action's writes; roll back anything else."""
    if response.status_code < 400 and not provider.is_preview():
        if wrote(db.session()):
            db.session.commit()
    else:
        db.session.rollback()


@contextmanager
def action() -> Iterator[None]:
    """Commit what the block did, once; roll it all back if it raises."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def wrote(session: Session) -> bool:
    """Whether this transaction has changed anything (so a read-only request commits nothing,
    and a download streaming from an open cursor is not cut off by a commit)."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, flush_context: object) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    session.info.pop(_WROTE, None)
