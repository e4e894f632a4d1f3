"""Every review statistic against values worked out by hand on a small fixture (conftest.py).

Six consenting learners take three questions of the module 1 quiz (first attempts):

    learner  q1   q2   q3   score   percent rank
    L1       R    R    R    3/3     0.8  (upper 27%)
    L2       R    R    R    3/3     0.8  (upper 27%)
    L3       R    W1   R    2/3     0.6
    L4       W1   R    W1   1/3     0.2  (lower 27%)
    L5       W2   W1   R    1/3     0.2  (lower 27%)
    L6       W1   W1   W1   0/3     0.0  (lower 27%)

    facility: q1 3/6 = 0.5, q2 3/6 = 0.5, q3 4/6 = 0.67
    discrimination (upper facility - lower facility):
        q1 1 - 0/3 = 1.0, q2 1 - 1/3 = 0.67, q3 1 - 1/3 = 0.67
    most chosen wrong answer: q1 W1 (2), q2 W1 (3), q3 W1 (2)
    score bands: 0-9% 1, 30-39% 2, 60-69% 1, 100% 2

A seventh learner who did not consent, and L6's second attempt, must change nothing.
Module 1 is completed by L1-L5 in 10, 20, 30, 40 and 50 minutes: median 30, n = 5.
"""

from elearn.review import service
from elearn.review.service import Filters


def test_item_statistics_by_hand(app, fixture_data):
    (q1, q2, q3), ids = fixture_data
    with app.app_context():
        stats = service.item_statistics(Filters())["m1"]
    assert (stats[q1].answered, stats[q1].facility, stats[q1].discrimination) == (6, 0.5, 1.0)
    assert (stats[q2].answered, stats[q2].facility, stats[q2].discrimination) == (6, 0.5, 0.67)
    assert (stats[q3].answered, stats[q3].facility, stats[q3].discrimination) == (6, 0.67, 0.67)
    assert (stats[q1].common_wrong, stats[q1].common_wrong_count) == ([ids[q1]["W"]], 2)
    assert (stats[q2].common_wrong, stats[q2].common_wrong_count) == ([ids[q2]["W"]], 3)
    assert (stats[q3].common_wrong, stats[q3].common_wrong_count) == ([ids[q3]["W"]], 2)


def test_score_distribution_by_hand(app, fixture_data):
    with app.app_context():
        assert service.score_distribution(Filters())["m1"] == {0: 1, 3: 2, 6: 1, 10: 2}


def test_funnel_and_median_by_hand(app, fixture_data):
    """The service gives exact figures; what may be shown is the disclosure rules' job."""
    with app.app_context():
        registered, rows = service.funnel(Filters())
        assert registered == 6
        assert (rows["m1"].started, rows["m1"].completed) == (6, 5)
        registered, rows = service.funnel(Filters(community_role="ppg-member"))
        assert (registered, rows["m1"].started, rows["m1"].completed) == (3, 3, 3)
        assert service.median_minutes(Filters())["m1"] == (30.0, 5)
        # Care staff L4 and L5 completed in 40 and 50 minutes (L6 did not complete).
        assert service.median_minutes(Filters(community_role="care-staff"))["m1"] == (45.0, 2)


def test_groups_hold_every_consenting_learner_once(app, fixture_data):
    with app.app_context():
        roles = service.groups(Filters(community_role="ppg-member"))
        assert Filters(community_role=service.NOT_GIVEN) in roles
        assert sum(service.funnel(group)[0] for group in roles) == 6
        cohorts = service.groups(Filters(cohort_id=1))
        assert sum(service.funnel(group)[0] for group in cohorts) == 6
        assert service.groups(Filters()) == []
