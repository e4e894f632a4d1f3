"""The access-control matrix: every route, every role. Each feature adds its routes here; the
tests in test_access.py (and the two-factor tests) walk it."""

ROLES = ("anonymous", "learner", "reviewer", "admin")
OK, SIGN_IN, FORBIDDEN, HOME = 200, "sign-in", 403, "home"

ALL_OK = {role: OK for role in ROLES}
REVIEWERS = {"anonymous": SIGN_IN, "learner": FORBIDDEN, "reviewer": OK, "admin": OK}
STAFF_ONLY = {"anonymous": SIGN_IN, "learner": FORBIDDEN, "reviewer": FORBIDDEN, "admin": OK}
SIGNED_IN = {"anonymous": SIGN_IN, "learner": OK, "reviewer": OK, "admin": OK}
GUESTS = {"anonymous": OK, "learner": HOME, "reviewer": HOME, "admin": HOME}
LEARNERS = {"anonymous": SIGN_IN, "learner": OK, "reviewer": FORBIDDEN, "admin": FORBIDDEN}
ALL_OK_404 = {role: 404 for role in ROLES}
NO_DRAFT = {**STAFF_ONLY, "admin": 302}

# endpoint -> (path, expected by role). A route missing here fails test_every_route_is_listed.
MATRIX: dict[str, tuple[str, dict]] = {
    "info.start": ("/", GUESTS),
    "info.accessibility": ("/accessibility-statement", ALL_OK),
    "info.privacy": ("/privacy-notice", ALL_OK),
    "info.cookies": ("/cookies", ALL_OK),
    "info.healthz": ("/healthz", ALL_OK),
    "xapi_profile.profile_document": ("/xapi/profile/v1", ALL_OK),
    "xapi_profile.extension": ("/xapi/ext/attempt-id", ALL_OK),
    "auth.sign_in": ("/sign-in", GUESTS),
    "auth.register": ("/register", GUESTS),
    "auth.sign_out": ("/sign-out", SIGNED_IN),
    "auth.account": ("/account", SIGNED_IN),
    "auth.change_password": ("/account/password", SIGNED_IN),
    "auth.evaluation_consent": ("/account/evaluation-consent", LEARNERS),
    "auth.set_up_two_factor": ("/account/two-factor", SIGNED_IN),
    # Only while a second step is due; otherwise on to the user's home page.
    "auth.two_factor": (
        "/sign-in/two-factor",
        {**SIGNED_IN, "learner": 302, "reviewer": 302, "admin": 302},
    ),
    "auth.forgot_password": ("/forgot-password", ALL_OK),
    "auth.reset_link_sent": ("/forgot-password/sent", ALL_OK),
    # A made-up token: the "link has expired" page (see tests/integration/auth/test_reset).
    "auth.reset_password": ("/reset-password/not-a-token", {role: 400 for role in ROLES}),
    "learn.dashboard": ("/learn/", SIGNED_IN),
    "learn.module": ("/learn/modules/m1", SIGNED_IN),
    "learn.page": ("/learn/modules/m1/pages/m1-p1", SIGNED_IN),
    "learn.print_module": ("/learn/modules/m1/print", SIGNED_IN),
    "learn.glossary": ("/learn/glossary", SIGNED_IN),
    "learn.handouts": ("/learn/handouts", SIGNED_IN),
    "learn.handout": ("/learn/handouts/kieran-phone-script", SIGNED_IN),
    "learn.sources": ("/learn/sources", SIGNED_IN),
    # Only after completing the course (see tests/integration/quiz); before, back to the course.
    "learn.course_complete": (
        "/learn/complete",
        {**SIGNED_IN, "learner": 302, "reviewer": 302, "admin": 302},
    ),
    # Before completion: what is left to do (200); the PDF goes back to that page.
    "learn.certificate": ("/learn/certificate", SIGNED_IN),
    "learn.certificate_pdf": (
        "/learn/certificate.pdf",
        {**SIGNED_IN, "learner": 302, "reviewer": 302, "admin": 302},
    ),
    "quiz.start": ("/learn/modules/m1/quiz", SIGNED_IN),
    # Attempt pages: every role sees only its own attempts (404 otherwise, see tests/quiz).
    "quiz.question": (
        "/learn/quiz-attempts/999/questions/1",
        {**SIGNED_IN, "learner": 404, "reviewer": 404, "admin": 404},
    ),
    "quiz.check": (
        "/learn/quiz-attempts/999/check",
        {**SIGNED_IN, "learner": 404, "reviewer": 404, "admin": 404},
    ),
    "quiz.result": (
        "/learn/quiz-attempts/999/result",
        {**SIGNED_IN, "learner": 404, "reviewer": 404, "admin": 404},
    ),
    "feedback.list_surveys": ("/learn/surveys", SIGNED_IN),
    "feedback.take_survey": ("/learn/surveys/baseline", SIGNED_IN),
    # No draft yet: back to the questions (see tests/integration/feedback).
    "feedback.check_answers": (
        "/learn/surveys/baseline/check",
        {**SIGNED_IN, "learner": 302, "reviewer": 302, "admin": 302},
    ),
    "review.overview": ("/review/", REVIEWERS),
    "review.quizzes": ("/review/quizzes", REVIEWERS),
    "review.dropoff": ("/review/drop-off", REVIEWERS),
    "review.groups": ("/review/groups", REVIEWERS),
    "review.over_time": ("/review/over-time", REVIEWERS),
    # Admins only; no such comment: 404 (see tests/integration/review/test_comments.py).
    "review.mark_acted_on": ("/review/comments/999/acted-on", {**STAFF_ONLY, "admin": 404}),
    "review.export_quiz_items": ("/review/exports/quiz-items.csv", REVIEWERS),
    "review.surveys": ("/review/surveys", REVIEWERS),
    "review.page_feedback": ("/review/page-feedback", REVIEWERS),
    "review.report": ("/review/report", REVIEWERS),
    "review.report_pdf": ("/review/report.pdf", REVIEWERS),
    "review.export_survey_responses": ("/review/exports/survey-responses.csv", REVIEWERS),
    "review.export_page_feedback": ("/review/exports/page-feedback.csv", REVIEWERS),
    "review.export_log": ("/review/exports", REVIEWERS),
    "privacy.your_data": ("/account/your-data", SIGNED_IN),
    "privacy.download_your_data": ("/account/your-data.json", SIGNED_IN),
    "privacy.delete_account": ("/account/delete", LEARNERS),
    "privacy.admin_delete_account": ("/admin/delete-account", STAFF_ONLY),
    # Public; a code no certificate has says so plainly, with 404.
    "privacy.verify_certificate": ("/certificates/ABCD-EFGH-JKLM", ALL_OK_404),
    "admin.index": ("/admin/", STAFF_ONLY),
    "admin.cohorts": ("/admin/cohorts", STAFF_ONLY),
    "admin.accounts_list": ("/admin/accounts", STAFF_ONLY),
    "admin.account": ("/admin/accounts/999", {**STAFF_ONLY, "admin": 404}),
    "admin.audit_log": ("/admin/audit-log", STAFF_ONLY),
    "xapi_admin.index": ("/admin/learning-records/", STAFF_ONLY),
    "xapi_admin.export": ("/admin/learning-records/export", STAFF_ONLY),
    "editor.index": ("/admin/content/", STAFF_ONLY),
    # The draft's pages without a draft open: back to the editor to start one (302).
    "editor.edit_course": ("/admin/content/draft/course", NO_DRAFT),
    "editor.edit_module": ("/admin/content/draft/modules/m1", NO_DRAFT),
    "editor.edit_page": ("/admin/content/draft/modules/m1/pages/m1-p1", NO_DRAFT),
    "editor.new_page": ("/admin/content/draft/modules/m1/pages/new", NO_DRAFT),
    "editor.edit_quiz": ("/admin/content/draft/modules/m1/quiz", NO_DRAFT),
    "editor.edit_question": ("/admin/content/draft/modules/m1/quiz/questions/m1-q1", NO_DRAFT),
    "editor.edit_document": ("/admin/content/draft/glossary", NO_DRAFT),
    "editor.preview_page": ("/admin/content/draft/preview/modules/m1/pages/m1-p1", NO_DRAFT),
    "editor.preview_quiz": ("/admin/content/draft/preview/modules/m1/quiz", NO_DRAFT),
    "editor.edit_handout": ("/admin/content/draft/handouts/grace-quick-reference", NO_DRAFT),
    "editor.preview_handout": (
        "/admin/content/draft/preview/handouts/grace-quick-reference",
        NO_DRAFT,
    ),
    "editor.publish": ("/admin/content/draft/publish", NO_DRAFT),
    "editor.history": ("/admin/content/history", STAFF_ONLY),
    # Without two revisions to compare: back to the history to choose them.
    "editor.diff": ("/admin/content/diff", {**STAFF_ONLY, "admin": 302}),
    "editor.download": ("/admin/content/live.zip", STAFF_ONLY),
    "editor.upload": ("/admin/content/upload", STAFF_ONLY),
    "editor.rollback": ("/admin/content/revisions/999/rollback", {**STAFF_ONLY, "admin": 404}),
}


POSTS: dict[str, tuple[str, dict]] = {
    "auth.end_session": ("/account/sessions/999/end", SIGNED_IN),
    "admin.create_invite": ("/admin/invites", STAFF_ONLY),
    # No such invite or account: 404 for admins (see tests/integration/admin).
    "admin.revoke_invite": ("/admin/invites/999/revoke", {**STAFF_ONLY, "admin": 404}),
    "admin.change_role": ("/admin/accounts/999/role", {**STAFF_ONLY, "admin": 404}),
    "admin.deactivate": ("/admin/accounts/999/deactivate", {**STAFF_ONLY, "admin": 404}),
    "admin.reactivate": ("/admin/accounts/999/reactivate", {**STAFF_ONLY, "admin": 404}),
    "admin.end_sessions": ("/admin/accounts/999/end-sessions", {**STAFF_ONLY, "admin": 404}),
    "admin.make_reset_link": ("/admin/accounts/999/reset-link", {**STAFF_ONLY, "admin": 404}),
    "admin.reset_two_factor": (
        "/admin/accounts/999/reset-two-factor",
        {**STAFF_ONLY, "admin": 404},
    ),
    "learn.complete_page": ("/learn/modules/m1/pages/m1-p1/complete", SIGNED_IN),
    "learn.answer_decision": (
        "/learn/modules/m1/pages/m1-p7/decisions/m1-d1-library",
        SIGNED_IN,
    ),
    "xapi_admin.retry_failed": ("/admin/learning-records/retry-failed", STAFF_ONLY),
    "feedback.skip_survey": ("/learn/surveys/baseline/skip", SIGNED_IN),
    "feedback.give_page_feedback": ("/learn/modules/m1/pages/m1-p1/feedback", SIGNED_IN),
    "editor.start_draft": ("/admin/content/draft", {**STAFF_ONLY, "admin": 302}),
    "editor.discard_draft": ("/admin/content/draft/discard", NO_DRAFT),
    "editor.change_page": ("/admin/content/draft/modules/m1/pages/m1-p1/up", NO_DRAFT),
    "editor.remove_question": (
        "/admin/content/draft/modules/m1/quiz/questions/m1-q1/remove",
        NO_DRAFT,
    ),
    "editor.preview_decision": (
        "/admin/content/draft/preview/modules/m1/pages/m1-p7/decisions/m1-d1-library",
        NO_DRAFT,
    ),
}
