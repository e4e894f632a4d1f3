"""The audit log records who did what, to whom and from where: lock-outs, password and consent
changes and deletions (by the learner, by an admin, by the retention purge)."""

from datetime import timedelta

from sqlalchemy import select

from elearn.audit import COMMAND_LINE, AuditAction, AuditEntry
from elearn.auth.models import User
from elearn.db import utcnow
from elearn.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user

ADDRESS = "192.0.2.7"  # a documentation address: where the request came from


def _entries(app, action: AuditAction) -> list[tuple[int | None, int | None, str, str]]:
    with app.app_context():
        return [
            (e.actor_id, e.subject_id, e.detail, e.address)
            for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        ]


def _signed_in(app, email: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    response = client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def test_lock_outs_password_and_consent_changes_are_recorded_with_the_address(app):
    with app.app_context():
        grace_id = make_user(email="grace@example.org").id
        amina_id = make_user(email="amina@example.org").id
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = ADDRESS
    for _ in range(6):
        attacker.post("/sign-in", data={"email": "grace@example.org", "password": "a wrong one"})
    failed = _entries(app, AuditAction.SIGN_IN_FAILED)
    assert len(failed) == 5 and all(address == ADDRESS for *_, address in failed)
    assert _entries(app, AuditAction.LOCKED_OUT) == [(None, grace_id, "", ADDRESS)]

    amina = _signed_in(app, "amina@example.org")
    changed = amina.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "violet harbour engine",
            "confirm_password": "violet harbour engine",
        },
    )
    assert changed.status_code == 302
    assert amina.post("/account/evaluation-consent", data={"evaluation_consent": "no"}).status_code
    assert [e[:2] + e[3:] for e in _entries(app, AuditAction.PASSWORD_CHANGED)] == [
        (amina_id, amina_id, ADDRESS)
    ]
    assert _entries(app, AuditAction.CONSENT_CHANGED) == [(amina_id, amina_id, "no", ADDRESS)]


def test_deletions_are_recorded_with_who_asked(app, runner, users):
    with app.app_context():
        own_id = make_user(email="own@example.org").id
        asked_id = make_user(email="asked@example.org").id
        old = make_user(email="old@example.org")
        old.created_at = utcnow() - timedelta(days=800)
        old_id = old.id
        db.session.commit()
        admin_id = db.session.scalar(select(User.id).where(User.email == users["admin"]))

    own = _signed_in(app, "own@example.org")
    assert own.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
    admin = _signed_in(app, users["admin"])
    response = admin.post(
        "/admin/delete-account", data={"email": "asked@example.org", "checked": "checked"}
    )
    assert response.status_code == 302
    admin.get(response.headers["Location"])  # shows the "has been deleted" message, with the email
    result = runner.invoke(args=["data", "purge", "--older-than", "365"])
    assert result.exit_code == 0, result.output

    deleted = _entries(app, AuditAction.DELETED)
    assert (own_id, own_id, "at their own request", ADDRESS) in deleted
    assert (admin_id, asked_id, "by an admin", ADDRESS) in deleted
    assert (None, old_id, "after the retention period", COMMAND_LINE) in deleted
    html = admin.get(f"/admin/audit-log?action={AuditAction.DELETED}").get_data(as_text=True)
    assert "Account deleted" in html and "by an admin" in html
    assert "asked@example.org" not in html  # the account's email is gone; its number stays
