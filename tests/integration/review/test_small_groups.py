"""No page, chart, sentence, table or export reveals a hidden count, alone or by comparing
filters, on a pilot with cohorts of 1, 2, 3 and 4 consenting learners (and one of 8).

Eighteen consenting learners: cohort "One" has 1 (and two who said no), "Two" 2, "Three" 3,
"Four" 4 and "Eight" 8; 8 are GP Patient Participation Group members, 9 care staff and 1 "other".
Learner i (0-17) opens module 1 and completes it unless i % 6 == 0 (3 do not); takes the module 1
quiz, scoring 0 when i % 9 == 0 (2 learners) and 3 of 3 otherwise (16); answers "clarity" with 1
(2 learners) or 4 (16) the same way; says page 1 did not help the same way (2 no, 16 yes); writes
free text when i is even and comments unless i % 3 == 0. Learners who said no do everything too,
with text that must never appear.

So every breakdown has one small count beside a large one (3 of 18 not completing, 2 of 18
scoring 0, 1 "other" beside 8 and 9): showing only counts of 5 or more would still give the
small ones away by subtraction.

Checks, for every filter (none, each cohort, each community role):
- every count in a table, a sentence or a chart's bars (read back from the SVG) is 0, at least
  the threshold, or "not shown";
- within a table row, the hidden counts add up to 0 or at least the threshold;
- across the groups of a filter, for every table cell and sentence, the hidden groups add up to
  0 or at least the threshold (so no difference between two pages gives a small count), and a
  hidden unfiltered count cannot be added up from the groups.
"""

import base64
import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content.store import live_revision_id
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback
from elearn.learn.models import ModuleProgress, PageProgress
from elearn.review.models import ExportRecord
from tests.factories import DEFAULT_PASSWORD, make_invite, make_user
from tests.integration.review.helpers import add_attempt, add_response

SMALL = 5
COHORTS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Eight": 8}
ROLE_OF = ["ppg-member"] * 8 + ["care-staff"] * 9 + ["other"]
SECRET = "NO-CONSENT-SECRET"
PAGES = [
    "/review/",
    "/review/drop-off",
    "/review/over-time",
    "/review/quizzes",
    "/review/surveys",
    "/review/page-feedback",
]


@pytest.fixture
def pilot(app, published):
    quiz = published.quizzes["m1"]
    questions = [q for q in quiz.questions if not q.multiple and len(q.options) >= 3][:3]
    ids = {}
    for q in questions:
        right = next(o.id for o in q.options if o.correct)
        wrong = [o.id for o in q.options if not o.correct]
        ids[q.id] = {"R": right, "W": wrong[0], "V": wrong[1]}
    start = utcnow() - timedelta(days=3)
    cohorts = {}
    with app.test_request_context():
        revision = live_revision_id()
        people = []
        for name, size in COHORTS.items():
            cohort_id = make_invite(name=name).cohort_id
            cohorts[name] = cohort_id
            people += [(cohort_id, True)] * size
            if name == "One":
                people += [(cohort_id, False)] * 2
        n = 0
        for k, (cohort_id, consent) in enumerate(people):
            i = n if consent else 0
            role = ROLE_OF[n] if consent else "other"
            user = make_user(email=f"pilot{k}@example.org",
                             evaluation_consent=consent, community_role=role,
                             cohort_id=cohort_id)  # fmt: skip
            n += consent
            db.session.add(PageProgress(user_id=user.id, module_id="m1", page_id="m1-p1",
                                        first_viewed_at=start, last_viewed_at=start))  # fmt: skip
            done = i % 6 != 0 or not consent
            db.session.add(ModuleProgress(
                user_id=user.id, module_id="m1", started_at=start,
                completed_at=start + timedelta(minutes=20 + 7 * i) if done else None,
            ))  # fmt: skip
            odd_one = i % 9 == 0
            pattern = "WVW" if odd_one else "RRR"
            add_attempt(user.id, 1, questions, ids, pattern, revision)
            text = {"what-worked": f"pages {i}"} if i % 2 == 0 else {}
            if not consent:
                text = {"what-worked": SECRET}
            add_response(user.id, "after-m1", {"clarity": 1 if odd_one else 4, **text},
                      when=start + timedelta(hours=i))  # fmt: skip
            db.session.add(PageFeedback(
                user_id=user.id, module_id="m1", page_id="m1-p1", helpful=not odd_one,
                comment=(f"comment {i}" if consent else SECRET) if i % 3 else None,
                created_at=start, updated_at=start,
            ))  # fmt: skip
        db.session.commit()
    return cohorts


class Tables(HTMLParser):
    """Table captions and cell texts (without the headings repeated for small screens),
    paragraphs, and the charts' images."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.charts: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._where: list[str] = []
        self._skip = 0
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and "nhsuk-table__heading" in (attrs.get("class") or "").split():
            self._skip += 1
            self._where.append("skip")
            return
        if tag == "span":
            self._where.append("span")
        if tag == "img" and "app-chart" in (attrs.get("class") or ""):
            self.charts.append((attrs.get("alt") or "", attrs["src"]))
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "tr":
            self.tables[-1][1].append([])
        if tag in ("td", "th", "caption", "p"):
            self._buffer = ""

    def handle_endtag(self, tag):
        if tag == "span" and self._where:
            if self._where.pop() == "skip":
                self._skip -= 1
            return
        text = " ".join(self._buffer.split())
        if tag in ("td", "th") and self.tables and self.tables[-1][1]:
            self.tables[-1][1][-1].append(text)
        elif tag == "caption":
            self.tables[-1] = (text, self.tables[-1][1])
        elif tag == "p":
            self.text.append(text)

    def handle_data(self, data):
        if not self._skip:
            self._buffer += data


def _parse(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def _count(text: str) -> int | None | str:
    """A table cell as a count: an int, None when hidden, or "other" (not a count)."""
    if text == "not shown":
        return None
    return int(text) if re.fullmatch(r"\d+", text) else "other"


def _caption(caption: str) -> str:
    return re.sub(r"\((?:\d+|not shown)[^)]*\)", "", caption).strip()


SENTENCES = [
    r"(\d+|not shown|Too few) consenting learners registered",
    r"Module \d: started (\d+|not shown)",
    r"Module \d: started \S+, completed (\d+|not shown)",
    r"(\d+) learners took the module \d quiz",
    r"(\d+) scored in or above the pass band",
    r"(\d+) learners opened it but no later page",
    r"(\d+) learners opened page 1",
    r"(\d+) reached the last page",
    r"(\d+|not shown) registrations and",
    r"registrations and (\d+|not shown) course completions",
    r"(\d+) of \d+ consenting learners have completed the course",
    r"(\d+) consenting learners have completed the course",
    r"How many of the (\d+) consenting learners have completed",
    r"Completed each module: module 1 (\d+|not shown)",
    r"% of (\d+) answers said it was helpful",
    r"(\d+) of the \d+ learners who reached it went no further",
    r"\d+ of the (\d+) learners who reached it went no further",
    r"% of (\d+) first attempts were right",
]


def _figures(html: str) -> dict:
    """Every count on a page by a stable key: table cells, sentences and count charts' bars."""
    page = _parse(html)
    figures: dict = {}
    for caption, rows in page.tables:
        for row in rows[1:]:
            for c, cell in enumerate(row[1:], start=1):
                value = _count(cell)
                if value != "other":
                    figures[("table", _caption(caption), row[0], c)] = value
    text = " ".join(page.text)
    for pattern in SENTENCES:
        for n, match in enumerate(re.finditer(pattern, text)):
            found = match.group(1)
            figures[("sentence", pattern, n)] = int(found) if found.isdigit() else None
    for n, (alt, src) in enumerate(page.charts):
        counts = ("learners who registered", "first-attempt scores", "learners reached each page")
        if not any(kind in alt for kind in counts):
            continue  # the other charts draw minutes, shares and means, not counts
        svg = base64.b64decode(src.split(",", 1)[1]).decode()
        for position, value in re.findall(r'id="bar-(\d+)-([^"]+)"', svg):
            figures[("chart", alt, n, position)] = None if value == "hidden" else int(value)
    return figures


def _small(value) -> bool:
    return isinstance(value, int) and 0 < value < SMALL


def _get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.fixture
def reviewer(client, users):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    return client


def _check_groups(everyone: dict, groups: list[dict], where: str) -> None:
    for key, total in everyone.items():
        values = [g.get(key) for g in groups]  # not on the page: hidden too
        shown = sum(v for v in values if v is not None)
        hidden = [v for v in values if v is None]
        if total is None:
            assert hidden, f"{where}: the hidden {key} adds up from the groups"
        elif hidden:
            rest = total - shown
            assert not _small(rest), f"{where}: {key}: hidden groups add up to {rest}"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_reveals_a_small_count_alone_or_by_difference(app, reviewer, pilot, path):
    everyone_html = _get(reviewer, path)
    assert SECRET not in everyone_html
    everyone = _figures(everyone_html)
    assert any(isinstance(v, int) and v >= SMALL for v in everyone.values())  # not all hidden
    dimensions = {
        "cohort": [f"cohort={cohort_id}" for cohort_id in pilot.values()],
        "role": [f"role={role}" for role in COMMUNITY_ROLES],
    }
    for dimension, queries in dimensions.items():
        groups = []
        for query in queries:
            html = _get(reviewer, f"{path}?{query}")
            assert SECRET not in html
            figures = _figures(html)
            small = {k: v for k, v in figures.items() if _small(v)}
            assert not small, f"{path}?{query} shows {small}"
            groups.append(figures)
        assert any(g.get(k) is None for g in groups for k in everyone)  # something is hidden
        _check_groups(everyone, groups, f"{path} by {dimension}")
    small = {k: v for k, v in everyone.items() if _small(v)}
    assert not small, f"{path} shows {small}"


def test_table_rows_never_leave_one_small_hidden_count(app, reviewer, pilot):
    html = _get(reviewer, "/review/surveys")
    page = _parse(html)
    statements = [rows for caption, rows in page.tables if caption.startswith("Statements in")]
    assert statements
    for rows in statements:
        for row in rows[1:]:
            n, *points = (_count(cell) for cell in row[1:7])
            if isinstance(n, int) and n:
                rest = n - sum(p for p in points if isinstance(p, int))
                assert not _small(rest), row
    quizzes = _parse(_get(reviewer, "/review/quizzes"))
    took = int(re.search(r"(\d+) learners took the module 1 quiz", " ".join(quizzes.text))[1])
    bands = next(rows for caption, rows in quizzes.tables if caption.startswith("First-attempt"))
    shown = sum(v for v in (_count(r[1]) for r in bands[1:]) if isinstance(v, int))
    assert took == 18 and not _small(took - shown)
    overview = _parse(_get(reviewer, "/review/"))
    registered = int(re.search(r"(\d+) consenting learners", " ".join(overview.text))[1])
    funnel = next(rows for caption, rows in overview.tables if caption.startswith("Learners by"))
    for row in funnel[1:]:
        started, completed = _count(row[1]), _count(row[2])
        if isinstance(started, int):
            assert not _small(registered - started), row
            if isinstance(completed, int):
                assert not _small(started - completed), row


def test_no_percentage_gives_a_small_count_away(app, reviewer, pilot):
    for path in ("/review/page-feedback", "/review/surveys", "/review/report"):
        for query in ("", *(f"?cohort={c}" for c in pilot.values()), "?role=care-staff"):
            page = _parse(_get(reviewer, path + query))
            for caption, rows in page.tables:
                for row in rows[1:]:
                    counts = [_count(c) for c in row[1:]]
                    n = counts[0] if counts else None
                    for cell in row[2:]:
                        share = re.fullmatch(r"(\d+)%", cell)
                        if share and isinstance(n, int):
                            part = round(int(share[1]) * n / 100)
                            assert not _small(part) and not _small(n - part), (caption, row)


def test_charts_draw_only_what_the_tables_show(app, reviewer, pilot):
    page = _parse(_get(reviewer, "/review/quizzes"))
    alt, src = page.charts[0]
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    drawn = dict(re.findall(r'id="bar-(\d+)-([^"]+)"', svg))
    bands = next(rows for caption, rows in page.tables if caption.endswith("module 1"))
    table = {str(n): row[1] for n, row in enumerate(bands[1:])}
    # 2 learners scored 0 and 16 scored 3 of 3: the 2 is hidden, and the 16 too (18 - 16 = 2);
    # neither has a bar in the chart, and every empty band is drawn as 0.
    assert drawn == {n: "hidden" if text == "not shown" else text for n, text in table.items()}
    assert (drawn["0"], drawn["10"]) == ("hidden", "hidden")
    assert {drawn[str(n)] for n in range(1, 10)} == {"0"}


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_exports_follow_the_same_rules_and_are_logged(app, reviewer, pilot):
    everyone = _csv(reviewer.get("/review/exports/survey-responses.csv"))
    assert everyone and SECRET not in str(everyone)
    assert {"community_role", "cohort"}.isdisjoint(everyone[0])
    for name, cohort_id in pilot.items():
        response = reviewer.get(f"/review/exports/survey-responses.csv?cohort={cohort_id}")
        if name == "Eight":
            # 8 learners, and the other cohorts' 10 together: neither is small.
            assert response.mimetype == "text/csv"
            assert len({r["learner"] for r in _csv(response)}) == 8
        else:
            assert response.mimetype == "text/html"
            assert "This download was not given" in response.get_data(as_text=True)
        feedback = reviewer.get(f"/review/exports/page-feedback.csv?cohort={cohort_id}")
        assert (feedback.mimetype == "text/csv") is (name == "Eight")
    items = _csv(reviewer.get("/review/exports/quiz-items.csv"))
    for row in items:
        assert not _small(_count(row["first_attempts"]))
    with app.app_context():
        log = db.session.scalars(db.select(ExportRecord)).all()
    assert len(log) == 1 + 2 * len(pilot) + 1
    assert sum(r.refused for r in log) == 2 * (len(pilot) - 1)
    assert {r.cohort_id for r in log} == {None, *pilot.values()}
    html = _get(reviewer, "/review/exports")
    assert "Refused: group too small" in html and "Cohort: Four" in html


def test_one_group_at_a_time(app, reviewer, pilot):
    """A cohort and a role together would make tiny groups: the cohort alone is shown, and the
    page says so."""
    both = _get(reviewer, f"/review/?cohort={pilot['Eight']}&role=care-staff")
    cohort = _get(reviewer, f"/review/?cohort={pilot['Eight']}")
    assert "Figures are shown for one group at a time" in both
    assert "Figures are shown for one group at a time" not in cohort
    assert _figures(both) == _figures(cohort)
    assert "8 consenting learners registered." in cohort


@pytest.mark.parametrize("kind", ["role", "cohort"])
def test_groups_side_by_side_reveal_no_small_count(app, reviewer, pilot, kind):
    """Each column alone, and every row across the columns (everyone against its groups)."""
    page = _parse(_get(reviewer, f"/review/groups?by={kind}"))
    caption, rows = next(t for t in page.tables if t[0].startswith("Figures by"))
    hidden_somewhere = False
    for row in rows[1:]:
        counts = [_count(cell) for cell in row[1:]]
        if "other" in counts:
            continue  # the helpful share: a percentage, checked below
        everyone, groups = counts[0], counts[1:]
        assert not any(_small(v) for v in counts), row
        hidden_somewhere |= None in counts
        _check_groups({"row": everyone}, [{"row": g} for g in groups], f"{kind}: {row[0]}")
    assert hidden_somewhere
    registered = next(row for row in rows if row[0] == "Registered")
    certified = next(row for row in rows if row[0] == "Earned the certificate")
    for reg, cert in zip(registered[1:], certified[1:], strict=True):
        if _count(reg) is not None and isinstance(_count(cert), int):
            assert not _small(int(reg) - int(cert))
