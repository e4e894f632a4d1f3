"""Accounts admin: find accounts, change roles, turn accounts off and on, end sessions,
reset links, invite codes, and the audit log that records it all."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn import audit
from elearn.audit import AuditAction, AuditEntry
from elearn.auth.models import Invite, User
from elearn.db import utcnow
from elearn.extensions import db
from elearn.learn.models import ModuleProgress
from tests.factories import DEFAULT_PASSWORD, make_invite, make_user


def _sign_in(app, email):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _user_id(app, email) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _actions(app) -> list[tuple[str, int | None, int | None, str]]:
    with app.app_context():
        return [
            (e.action, e.actor_id, e.subject_id, e.detail)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_list_and_search_accounts_with_cohort_progress_and_last_sign_in(
    app, admin, users, published
):
    with app.app_context():
        invite = make_invite("Oxfordshire spring")
        grace = make_user(email="grace.hopper@example.org", display_name="Grace Hopper")
        grace.cohort_id = invite.cohort_id
        db.session.add(
            ModuleProgress(
                user_id=grace.id, module_id="m1", started_at=utcnow(), completed_at=utcnow()
            )
        )
        db.session.commit()
    _sign_in(app, "grace.hopper@example.org")
    html = admin.get("/admin/accounts").get_data(as_text=True)
    assert "Grace Hopper" in html and users["reviewer"] in html
    row = html[html.index("Grace Hopper") :]
    row = row[: row.index("</tr>")]
    assert "Oxfordshire spring" in row
    assert f"1 of {len(published.modules)} modules" in row
    assert "Never" not in row  # she has signed in
    assert "Learner" in row

    found = admin.get("/admin/accounts?q=HOPPER").get_data(as_text=True)
    assert "Grace Hopper" in found and users["reviewer"] not in found
    by_role = admin.get("/admin/accounts?role=reviewer").get_data(as_text=True)
    assert users["reviewer"] in by_role and "Grace Hopper" not in by_role
    assert "No accounts match" in admin.get("/admin/accounts?q=zzz").get_data(as_text=True)
    assert "No accounts match" in admin.get("/admin/accounts?q=%25").get_data(as_text=True)


def test_names_and_emails_are_for_admins_only(app, users):
    reviewer = _sign_in(app, users["reviewer"])
    assert reviewer.get("/admin/accounts").status_code == 403


def test_account_page_shows_details(app, admin, users):
    learner_id = _user_id(app, users["learner"])
    html = admin.get(f"/admin/accounts/{learner_id}").get_data(as_text=True)
    assert users["learner"] in html
    assert "Change account type" in html and "Turn off account" in html


def test_change_role_and_the_audit_log_records_it(app, admin, users):
    learner = _sign_in(app, users["learner"])
    learner_id = _user_id(app, users["learner"])
    response = admin.post(f"/admin/accounts/{learner_id}/role", data={"role": "reviewer"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, learner_id).role == "reviewer"
    # A new role means signing in again.
    assert learner.get("/account").status_code == 302
    admin_id = _user_id(app, users["admin"])
    assert (AuditAction.ROLE_CHANGED, admin_id, learner_id, "learner to reviewer") in _actions(app)


@pytest.mark.parametrize("role", ["superuser", "", "ADMIN"])
def test_an_unknown_role_is_refused(app, admin, users, role):
    learner_id = _user_id(app, users["learner"])
    response = admin.post(f"/admin/accounts/{learner_id}/role", data={"role": role})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, learner_id).role == "learner"


def test_the_last_admin_cannot_be_removed(app, admin, users):
    admin_id = _user_id(app, users["admin"])
    response = admin.post(f"/admin/accounts/{admin_id}/role", data={"role": "learner"})
    assert response.status_code == 400
    assert "This is the only admin" in response.get_data(as_text=True)
    with app.app_context():
        other = make_user(role="admin", email="second.admin@example.org")
        other_id = other.id
    # With a second admin, one may step down; then the other is the last and cannot be turned off.
    assert (
        admin.post(f"/admin/accounts/{admin_id}/role", data={"role": "reviewer"}).status_code == 302
    )
    second = _sign_in(app, "second.admin@example.org")
    second.post(f"/admin/accounts/{other_id}/deactivate")
    with app.app_context():
        assert db.session.get(User, other_id).is_active


def test_deactivated_account_cannot_sign_in_until_reactivated(app, admin, users):
    learner = _sign_in(app, users["learner"])
    learner_id = _user_id(app, users["learner"])
    assert admin.post(f"/admin/accounts/{learner_id}/deactivate").status_code == 302
    assert learner.get("/account").status_code == 302  # signed out at once
    response = app.test_client().post(
        "/sign-in", data={"email": users["learner"], "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert "This account has been turned off" in response.get_data(as_text=True)
    # Nor can it reset its way back in.
    assert "Turned off" in admin.get("/admin/accounts").get_data(as_text=True)

    assert admin.post(f"/admin/accounts/{learner_id}/reactivate").status_code == 302
    _sign_in(app, users["learner"])
    actions = [a[0] for a in _actions(app)]
    assert AuditAction.DEACTIVATED in actions
    assert AuditAction.SIGN_IN_REFUSED in actions
    assert AuditAction.REACTIVATED in actions


def test_admin_cannot_turn_off_their_own_account(app, admin, users):
    admin_id = _user_id(app, users["admin"])
    response = admin.post(f"/admin/accounts/{admin_id}/deactivate", follow_redirects=True)
    assert "You cannot turn off your own account" in response.get_data(as_text=True)


def test_end_all_sessions(app, admin, users):
    phone, laptop = _sign_in(app, users["learner"]), _sign_in(app, users["learner"])
    learner_id = _user_id(app, users["learner"])
    assert admin.post(f"/admin/accounts/{learner_id}/end-sessions").status_code == 302
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302
    assert admin.get("/admin/").status_code == 200


def test_admin_makes_a_one_time_reset_link_when_there_is_no_email(app, admin, users):
    learner_id = _user_id(app, users["learner"])
    response = admin.post(f"/admin/accounts/{learner_id}/reset-link")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    path = re.search(r"https://guides\.example\.org(/reset-password/[\w-]+)", html).group(1)
    # Shown once: the account page does not show it again.
    assert path not in admin.get(f"/admin/accounts/{learner_id}").get_data(as_text=True)
    learner = app.test_client()
    new = "violet harbour engine"
    data = {"new_password": new, "confirm_password": new}
    assert learner.post(path, data=data).status_code == 302
    assert learner.post(path, data=data).status_code == 400
    assert (
        learner.post("/sign-in", data={"email": users["learner"], "password": new}).status_code
        == 302
    )
    admin_id = _user_id(app, users["admin"])
    assert (AuditAction.RESET_LINK_ISSUED, admin_id, learner_id, "") in _actions(app)


def test_invite_codes_can_be_added_revoked_and_linked(app, admin, client):
    with app.app_context():
        invite = make_invite("Surrey autumn", max_uses=3)
        cohort_id, code, invite_id = invite.cohort_id, invite.code, invite.id
    html = admin.get("/admin/cohorts").get_data(as_text=True)
    assert f"https://guides.example.org/register?code={code}" in html
    assert f'value="{code}"' in client.get(f"/register?code={code}").get_data(as_text=True)

    response = admin.post(
        "/admin/invites",
        data={"invite-cohort": cohort_id, "invite-max_uses": 1, "invite-days_valid": 7},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(
            select(Invite).where(Invite.cohort_id == cohort_id, Invite.max_uses == 1)
        )
    assert admin.post(f"/admin/invites/{invite_id}/revoke").status_code == 302
    assert "Withdrawn" in admin.get("/admin/cohorts").get_data(as_text=True)
    response = client.post(
        "/register",
        data={
            "invite_code": code,
            "email": "new@example.org",
            "display_name": "New",
            "password": "kettle orbit lantern",
            "confirm_password": "kettle orbit lantern",
            "community_role": "other",
            "evaluation_consent": "no",
        },
    )
    assert response.status_code == 400
    assert "This invite code has been withdrawn" in response.get_data(as_text=True)
    actions = [a[0] for a in _actions(app)]
    assert AuditAction.INVITE_CREATED in actions and AuditAction.INVITE_REVOKED in actions


def test_invite_form_errors(app, admin):
    with app.app_context():
        cohort_id = make_invite("Berkshire").cohort_id
    response = admin.post(
        "/admin/invites",
        data={"invite-cohort": cohort_id, "invite-max_uses": 0, "invite-days_valid": 7},
    )
    assert response.status_code == 400
    assert "Enter a number from 1 to 10,000" in response.get_data(as_text=True)


def test_audit_log_lists_and_filters_and_cannot_be_edited(app, admin, users):
    app.test_client().post("/sign-in", data={"email": users["learner"], "password": "wrong one"})
    html = admin.get("/admin/audit-log").get_data(as_text=True)
    assert "Sign-in failed" in html and "Signed in" in html
    filtered = admin.get("/admin/audit-log?action=sign-in-failed").get_data(as_text=True)
    assert "Sign-in failed" in filtered
    assert users["admin"] not in filtered  # only the learner's failure
    by_person = admin.get(f"/admin/audit-log?person={users['learner']}").get_data(as_text=True)
    assert users["learner"] in by_person and users["admin"] not in by_person
    unknown = admin.get("/admin/audit-log?person=nobody@example.org").get_data(as_text=True)
    assert "There is no account with that email address" in unknown
    # The log holds no passwords or emails in its details.
    assert "wrong one" not in html
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry))
        entry.detail = "changed"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AuditEntry)))
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()


def test_audit_entries_are_kept_for_the_retention_period(app, runner):
    with app.app_context():
        audit.record_now(AuditAction.SIGNED_IN, None)
        db.session.add(
            AuditEntry(at=utcnow() - timedelta(days=800), action="signed-in", detail="", address="")
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "purge"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 audit entries" in result.output
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry)).all()) == 1


def test_publishing_is_in_the_audit_log(app, runner):
    assert runner.invoke(args=["content", "import"]).exit_code == 0
    assert runner.invoke(args=["content", "import"]).exit_code == 0  # no change: no entry
    published = [(a, d) for a, _, _, d in _actions(app) if a == AuditAction.PUBLISHED]
    assert published == [(AuditAction.PUBLISHED, "revision 1")]


def test_exports_are_in_the_audit_log(app, users, published):
    reviewer = _sign_in(app, users["reviewer"])
    response = reviewer.get("/review/exports/page-feedback.csv")
    response.close()
    admin = _sign_in(app, users["admin"])
    admin.get("/admin/learning-records/export").close()
    reviewer_id, admin_id = _user_id(app, users["reviewer"]), _user_id(app, users["admin"])
    exported = [(a, actor, detail) for a, actor, _, detail in _actions(app) if a == "exported"]
    assert (AuditAction.EXPORTED, reviewer_id, "page-feedback.csv") in exported
    assert any(actor == admin_id and detail.endswith(".jsonl") for _, actor, detail in exported)


def test_cohorts_have_optional_dates(app, admin):
    data = {"name": "Oxfordshire spring", "max_uses": 10, "days_valid": 30}
    response = admin.post(
        "/admin/cohorts", data={**data, "starts_on": "2027-03-01", "ends_on": "2027-06-30"}
    )
    assert response.status_code == 302
    html = admin.get("/admin/cohorts").get_data(as_text=True)
    assert "1 March 2027 to 30 June 2027" in html
    assert admin.post("/admin/cohorts", data={**data, "name": "No dates"}).status_code == 302


@pytest.mark.parametrize(
    "dates, message",
    [
        ({"starts_on": "2027-06-30", "ends_on": "2027-03-01"}, "End date must be the same as"),
        ({"starts_on": "2027-02-30"}, "Enter a real date, like 15 March 2027"),
    ],
)
def test_cohort_date_errors(app, admin, dates, message):
    data = {"name": "Surrey", "max_uses": 10, "days_valid": 30, **dates}
    response = admin.post("/admin/cohorts", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
