"""Drop-off within modules against values worked out by hand (conftest.py, dropoff_data).

Twenty-one consenting learners and module 1's eight pages:

    learners  role                 pages opened   furthest page
    6         ppg-member           1-8            8
    7         care-staff           1, 2, 3        3
    5         health-professional  1              1
    2         care-staff           1, 5           5 (skipped 2-4: they still reached them)
    1         ppg-member           none           none

    furthest: none 1, page 1: 5, page 3: 7, page 5: 2, page 8: 6 (the rest 0); total 21
    reached:  p1 20, p2 15, p3 15, p4 8, p5 8, p6 6, p7 6, p8 6

A learner who did not consent opened pages 1 and 2: they change nothing.

Disclosure (threshold 5): "none" (1) and "page 5" (2) are small and hidden; together 3, so the
next smallest count, "page 1" (5), is hidden too (1 + 2 + 5 = 8). Every "reached" figure that
needs one of them is hidden: pages 1 to 5. Pages 6-8 (6 + 0 + 0 and so on) are shown. The
biggest drop shown is after page 3: 7 learners went no further.
"""

from elearn.content import provider
from elearn.review import presenters, service
from elearn.review.presenters import Across
from elearn.review.service import Filters
from tests.factories import DEFAULT_PASSWORD

FURTHEST = {1: 5, 3: 7, 5: 2, 8: 6}


def _positions(app):
    with app.test_request_context():
        return presenters.page_positions(provider.course())


def test_furthest_pages_by_hand(app, dropoff_data):
    positions = _positions(app)
    with app.app_context():
        assert service.furthest_pages(Filters(), positions) == (21, {"m1": FURTHEST})
        care = service.furthest_pages(Filters(community_role="care-staff"), positions)
        assert care == (9, {"m1": {3: 7, 5: 2}})
        assert service.furthest_pages(Filters(), {}) == (21, {})


def test_reached_and_biggest_drop_by_hand(app, dropoff_data):
    with app.test_request_context():
        course = provider.course()
        module = course.modules[0]
        raw = (21, {"m1": FURTHEST})
        everyone = presenters.dropoff_cells(course)(raw)
        assert everyone[("none", "m1")] == 1
        assert [everyone[("furthest", "m1", k)] for k in range(1, 9)] == [5, 0, 7, 0, 2, 0, 0, 6]
        exact = {k: sum(v for j, v in FURTHEST.items() if j >= k) for k in range(1, 9)}
        assert list(exact.values()) == [20, 15, 15, 8, 8, 6, 6, 6]
        shown = presenters.dropoff_shown(course, Across(raw))
        assert shown[("none", "m1")] is None
        assert [shown[("furthest", "m1", k)] for k in range(1, 9)] == [None, 0, 7, 0, None, 0, 0, 6]
        assert [presenters.reached(shown, module, k) for k in range(1, 9)] == [None] * 5 + [6] * 3
        assert presenters.biggest_drop(shown, module) == (3, 7)


def test_dropoff_page_names_the_biggest_drop(app, client, users, dropoff_data):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    html = client.get("/review/drop-off").get_data(as_text=True)
    with app.test_request_context():
        title = provider.course().modules[0].pages[2].title
    assert f"The biggest drop in module 1 is after page 3, “{title}”: 7 learners" in html
    assert 'href="/learn/modules/m1/pages/m1-p3"' in html
    assert "Learners who reached each page, module 1" in html
    # Care staff alone (9): the 2 who skipped ahead are hidden, and so is the 7 beside them
    # (9 - 7 = 2), so no drop is named; all 9 reached page 1.
    care = client.get("/review/drop-off?role=care-staff").get_data(as_text=True)
    assert "No drop within module 1 can be shown for this group. 9 learners opened page 1" in care
    # PPG members (7): the one who opened nothing is hidden, so the 6 are too.
    ppg = client.get("/review/drop-off?role=ppg-member").get_data(as_text=True)
    assert "Figures for module 1 are not shown for this group" in ppg
