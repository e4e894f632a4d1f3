"""The report for a meeting: dated, its filters and threshold stated, a contents list, the
summary first, and the same as a PDF (summary_data in conftest.py)."""

import io
import re

from pypdf import PdfReader

from elearn.db import utcnow
from tests.factories import DEFAULT_PASSWORD

SECTIONS = [
    "Summary",
    "Registered, started and completed",
    "Drop-off within modules",
    "Groups side by side",
    "Over time",
    "Quizzes",
    "Surveys",
    "Page feedback",
]


def _sign_in(client, users):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_report_is_dated_and_states_its_filters(app, client, users, summary_data):
    _sign_in(client, users)
    html = client.get("/review/report").get_data(as_text=True)
    text = _text(html)
    assert f"Produced on {utcnow():%-d %B %Y} at" in text
    assert "Figures for: All consenting learners." in text
    assert "Small-number threshold: 5. Any count from 1 to 4 is hidden" in text
    assert "Course content: revision 2 (“Clearer page 3”), published" in text
    contents = re.search(r'<nav aria-labelledby="contents-heading".*?</nav>', html, re.S)[0]
    assert [t.strip() for t in re.findall(r"<a [^>]*>([^<]+)</a>", contents)] == SECTIONS
    for anchor in re.findall(r'href="#([^"]+)"', contents):
        assert f'id="{anchor}"' in html
    # The summary comes before every detailed section.
    assert text.index("Pages most in need of attention") < text.index("Learners by module")
    assert "10 of 20 consenting learners have completed the course" in text
    filtered = _text(client.get("/review/report?role=care-staff").get_data(as_text=True))
    assert "Figures for: Community role: Care staff." in filtered


def test_report_pdf_has_the_same_figures(app, client, users, summary_data):
    _sign_in(client, users)
    response = client.get("/review/report.pdf?role=nobody")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert f"Produced on {utcnow():%-d %B %Y} at" in text
    assert "Figures for: All consenting learners." in text
    assert "The community role asked for is not known" in text
    assert "Small-number threshold: 5." in text
    assert text.index("Contents") < text.index("Completions and certificates")
    for section in SECTIONS:
        assert section in text
    assert "10 of 20 consenting learners have completed the course" in text
    assert "33% of 15 answers said it was helpful" in text
    assert "Page retitled: How data is recorded, step by step" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == SECTIONS
    assert "@example.org" not in text


def test_report_pdf_download_is_audited(app, client, users, summary_data):
    _sign_in(client, users)
    client.get("/review/report.pdf")
    html = client.get("/admin/audit-log")
    assert html.status_code == 403  # reviewers do not see the log; admins do
    client.post("/sign-out")
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    log = client.get("/admin/audit-log").get_data(as_text=True)
    assert "report.pdf" in log
