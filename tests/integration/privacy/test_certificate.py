"""The certificate: page, PDF read back, a verification code that never reaches the learning
records, and the public check of good, bad and malformed codes, rate-limited."""

import io
import json
import re

import pytest
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from elearn.extensions import db
from elearn.learn import service as progress
from elearn.learn.models import Certificate
from elearn.xapi.models import OutboxStatement

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def _certificate(app, user_id) -> Certificate:
    with app.app_context():
        return db.session.scalar(select(Certificate).where(Certificate.user_id == user_id))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())  # lines joined, as read aloud


def test_the_page_has_name_course_date_modules_scores_code_and_print(
    app, learner_client, everything, published
):
    certificate = _certificate(app, everything.user_id)
    html = learner_client.get("/learn/certificate").get_data(as_text=True)
    assert f"{everything.name} has completed {published.title}." in html
    issued = certificate.issued_at
    assert f"{issued.day} {issued:%B %Y}" in html
    for number, module in enumerate(published.modules, start=1):
        quiz = published.quizzes[module.id]
        questions = quiz.draw or len(quiz.questions)
        line = f"Module {number}: {module.title}. Quiz score {questions} out of {questions}"
        assert str(escape(line)) in html
    assert f"Verification code:</strong> {certificate.verification_code}" in html
    assert f"https://guides.example.org/certificates/{certificate.verification_code}" in html
    assert 'id="print-certificate"' in html and "window.print()" in html
    assert '<p class="app-print-only nhsuk-heading-m">Health Data Guides</p>' in html
    assert certificate.serial not in html  # the old number went to the LRS: never shown


def test_the_pdf_reads_back_with_every_fact(app, learner_client, everything, published):
    certificate = _certificate(app, everything.user_id)
    response = learner_client.get("/learn/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    issued = certificate.issued_at
    assert text.startswith("Health Data Guides Certificate of completion")
    assert f"This is to certify that {everything.name} has completed {published.title}" in text
    assert f"on {issued.day} {issued:%B %Y}" in text
    for number, module in enumerate(published.modules, start=1):
        quiz = published.quizzes[module.id]
        questions = quiz.draw or len(quiz.questions)
        assert f"Module {number}: {module.title}. Quiz score {questions} out of {questions}" in text
    assert f"Verification code: {certificate.verification_code}" in text
    assert f"guides.example.org/certificates/{certificate.verification_code}" in text
    assert "Thames Valley and Surrey Secure Data Environment" in text


def test_the_code_and_number_never_reach_the_learning_records(app, everything):
    certificate = _certificate(app, everything.user_id)
    assert CODE.fullmatch(certificate.verification_code)
    with app.app_context():
        rows = db.session.scalars(select(OutboxStatement)).all()
    statements = [json.loads(row.statement_json) for row in rows]
    earned = [s for s in statements if s["verb"]["id"] == "http://id.tincanapi.com/verb/earned"]
    assert len(earned) == 1
    assert "extensions" not in earned[0]["context"]
    for row in rows:
        assert certificate.verification_code not in row.statement_json
        assert certificate.serial not in row.statement_json


def test_a_genuine_code_shows_the_name_and_date_only(app, client, everything):
    certificate = _certificate(app, everything.user_id)
    issued = certificate.issued_at
    for code in (
        certificate.verification_code,
        certificate.verification_code.lower(),
        certificate.verification_code.replace("-", ""),
        certificate.verification_code.replace("-", " "),
    ):
        response = client.get(f"/certificates/{code}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, code
        assert "This certificate is genuine" in html
        assert f"{everything.name} completed the Health Data Guides course" in html
        assert f"{issued.day} {issued:%B %Y}" in html
        assert everything.email not in html and everything.cohort not in html
        assert "Quiz score" not in html


@pytest.mark.parametrize(
    "code",
    [
        "ABCD-EFGH-JKLM",  # the right shape, but no certificate has it
        "HDG-2026-ABCDEFGH",  # an old certificate number
        "abc",
        "ABCD-EFGH-JKL0",  # 0 is never used
        "<script>alert(1)</script>",
        "A" * 300,
    ],
)
def test_a_code_that_is_not_valid_says_so_plainly(client, everything, code):
    response = client.get(f"/certificates/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This code is not valid" in html
    assert "No Health Data Guides certificate has this verification code." in html
    assert "<script>alert" not in html


def test_guessing_codes_is_rate_limited_but_genuine_checks_are_not_counted(app, client, everything):
    code = _certificate(app, everything.user_id).verification_code
    for _ in range(25):
        assert client.get(f"/certificates/{code}").status_code == 200
    for number in range(20):
        assert client.get(f"/certificates/ABCD-EFGH-{number:04d}").status_code == 404
    response = client.get("/certificates/ABCD-EFGH-JKLM")
    assert response.status_code == 429
    assert client.get(f"/certificates/{code}").status_code == 429  # that address is blocked


def test_the_code_is_random_and_readable(app):
    codes = {progress.new_verification_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(CODE.fullmatch(code) for code in codes)
    assert progress.normalise_code(" abcd efgh jkmn ") == "ABCD-EFGH-JKMN"
    assert progress.normalise_code("ABCD-EFGH-JKL") is None
    assert progress.normalise_code("ABCD-EFGH-JKLI") is None  # I is a look-alike
