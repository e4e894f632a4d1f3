"""One commit per action, at the edge.

Services add and change rows, record events and flush; they never commit. The edge that started
the action commits once when it succeeded, or rolls everything back (the learner's change and the
learning records that describe it) when it did not:

- a web request: after the view returns a response below 400, and never while a draft course is
  being previewed (a 4xx or 5xx response, or an exception, rolls back);
- a command or a batch of demo learners: ``with action():``.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from elearn.content import provider
from elearn.extensions import db

_WROTE = "elearn.wrote"


def init_app(app: Flask) -> None:
    app.after_request(_commit_or_roll_back)


def _commit_or_roll_back(response: Response) -> Response:
    if response.status_code < 400 and not provider.is_preview():
        if wrote(db.session()):
            db.session.commit()
    else:
        db.session.rollback()
    return response


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
