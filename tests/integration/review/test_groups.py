"""Groups side by side against values worked out by hand (conftest.py, dropoff_data).

Twenty-one consenting learners: 7 PPG members (6 opened module 1, 1 nothing), 9 care staff and
5 health professionals (all opened module 1); no completions, certificates or page feedback.

    column               registered  m1 not started  m1 started  certificate
    all                  21          1               20          0
    health professional   5          0                5          0
    PPG member            7          1                6          0
    care staff            9          0                9          0
    the other three       0          0                0          0

The 1 not starting is hidden in "all" and in "PPG member"; in each, the next smallest count
beside it (20 and 6 started) is hidden too. Across groups, "all started" (hidden) is PPG's 6
(hidden) plus 14: still unknown, so nothing else needs hiding.
"""

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content import provider
from elearn.review import presenters, service
from elearn.review.service import NOT_GIVEN, Filters
from tests.factories import DEFAULT_PASSWORD


def test_comparison_by_hand(app, dropoff_data):
    with app.test_request_context():
        course = provider.course()
        groups = service.groups(Filters(community_role="other"))
        raw = {
            g: (service.funnel(g), service.certificates(g), service.page_helpful(g)) for g in groups
        }
        everyone = (service.funnel(Filters()), service.certificates(Filters()), {})
        assert everyone[0][0] == 21 and everyone[0][1]["m1"].started == 20
        assert raw[Filters(community_role="ppg-member")][0][1]["m1"].started == 6
        shown = presenters.comparison_shown(course, everyone, raw)
        view = presenters.comparison_view(course, shown, presenters.group_names(groups, {}))
    head = [cell["text"] for cell in view["head"]]
    roles = list(COMMUNITY_ROLES.values())
    assert head == ["Figure", "All consenting learners", *roles, "Role not given"]
    rows = {row[0]["text"]: [cell["text"] for cell in row[1:]] for row in view["rows"]}
    assert rows["Registered"] == ["21", "5", "7", "0", "9", "0", "0"]
    assert rows["Module 1 started"] == ["not shown", "5", "not shown", "0", "9", "0", "0"]
    assert rows["Module 1 completed"] == ["0"] * 7
    assert rows["Module 2 started"] == ["0"] * 7
    assert rows["Earned the certificate"] == ["0", "0", "0", "0", "0", "0", "0"]
    assert rows["Page answers saying helpful"] == ["not shown"] * 7  # no answers: no share
    assert view["note"] == (
        "Some figures for All consenting learners and GP Patient Participation Group member "
        "say “not shown” for the same reason."
    )
    assert NOT_GIVEN not in head


def test_groups_page_and_bad_grouping(app, client, users, dropoff_data):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    html = client.get("/review/groups").get_data(as_text=True)
    assert "Figures by community role, beside everyone" in html
    assert "Care staff" in html
    by_cohort = client.get("/review/groups?by=cohort").get_data(as_text=True)
    assert "Figures by cohort, beside everyone" in by_cohort
    assert "No cohort" in by_cohort
    # Everyone is in no cohort: that column would repeat a hidden "all" figure, so it is hidden.
    assert "Some figures for All consenting learners and No cohort" in by_cohort
    odd = client.get("/review/groups?by=%3Cscript%3E")
    assert odd.status_code == 200
    assert "That way of grouping learners is not known" in odd.get_data(as_text=True)
