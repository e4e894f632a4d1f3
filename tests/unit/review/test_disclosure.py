"""The disclosure rules against cases worked out by hand (threshold 5)."""

from elearn.review.disclosure import Sum, combined, percent, protect, protect_group

ANSWERS = Sum("n", ("sd", "d", "n0", "a", "sa"))


def test_small_counts_are_hidden_and_zero_is_shown():
    assert protect({"x": 0, "y": 1, "z": 4, "w": 5}, [], 5) == {
        "x": 0, "y": None, "z": None, "w": 5,
    }  # fmt: skip


def test_one_hidden_count_takes_the_next_smallest_with_it():
    # 12 answers: 3 hidden; 12 - 9 would give it back, so the 9 is hidden too (3 + 9 = 12 >= 5).
    cells = {"n": 12, "sd": 0, "d": 3, "n0": 0, "a": 0, "sa": 9}
    assert protect(cells, [ANSWERS], 5) == {
        "n": 12, "sd": 0, "d": None, "n0": 0, "a": 0, "sa": None,
    }  # fmt: skip


def test_hidden_counts_must_add_up_to_the_threshold():
    # 1, 2 and 4 are hidden by rule 1: 7 in all, not small, so nothing more is hidden.
    cells = {"n": 20, "sd": 1, "d": 2, "n0": 6, "a": 7, "sa": 4}
    assert protect(cells, [ANSWERS], 5) == {
        "n": 20, "sd": None, "d": None, "n0": 6, "a": 7, "sa": None,
    }  # fmt: skip
    # 1 and 2 are hidden (3 in all, still small): the next smallest, 6, goes too (9 >= 5).
    cells = {"n": 24, "sd": 1, "d": 2, "n0": 6, "a": 7, "sa": 8}
    assert protect(cells, [ANSWERS], 5) == {
        "n": 24, "sd": None, "d": None, "n0": None, "a": 7, "sa": 8,
    }  # fmt: skip


def test_a_small_total_hides_everything_in_it():
    cells = {"n": 3, "sd": 0, "d": 3, "n0": 0, "a": 0, "sa": 0}
    assert protect(cells, [ANSWERS], 5)["n"] is None
    assert protect(cells, [ANSWERS], 5)["d"] is None


def test_yes_and_no_hide_each_other():
    # "80% helpful" of 5 is one "no": both counts and so the percentage are hidden.
    shown = protect({"n": 5, "yes": 4, "no": 1}, [Sum("n", ("yes", "no"))], 5)
    assert shown == {"n": 5, "yes": None, "no": None}
    assert percent(shown["yes"], shown["n"]) is None


def test_groups_cannot_be_subtracted_from_everyone():
    # Completed: 10 in all, 8 in group A, 2 in group B. B's 2 is hidden, so A's 8 is hidden
    # too (10 - 8 = 2); everyone's 10 stays.
    groups = {"A": {"n": 8}, "B": {"n": 2}}
    assert protect_group({"n": 10}, groups, "A", [], 5) == {"n": None}
    assert protect_group({"n": 10}, groups, "B", [], 5) == {"n": None}
    three = {"A": {"n": 8}, "B": {"n": 2}, "C": {"n": 9}}
    # Adding up the other groups: 19 - 9 - 8 = 2, so the smaller of 8 and 9 goes with the 2.
    assert protect_group({"n": 19}, three, "C", [], 5) == {"n": 9}
    assert protect_group({"n": 19}, three, "A", [], 5) == {"n": None}


def test_groups_and_answers_are_protected_together():
    # Everyone: yes 9, no 6. Group A: yes 5, no 5; group B: yes 4, no 1.
    rule = Sum("n", ("yes", "no"))
    everyone = {"n": 15, "yes": 9, "no": 6}
    groups = {"A": {"n": 10, "yes": 5, "no": 5}, "B": {"n": 5, "yes": 4, "no": 1}}
    # B's 4 and 1 are hidden; so are A's, or 9 - 5 and 6 - 5 would give B's back.
    assert protect_group(everyone, groups, "A", [rule], 5) == {"n": 10, "yes": None, "no": None}
    assert protect_group(everyone, groups, "B", [rule], 5) == {"n": 5, "yes": None, "no": None}


def test_combined_and_percent():
    rule = ANSWERS
    shown = {"n": 24, "sd": None, "d": None, "n0": None, "a": 7, "sa": 8}
    assert combined(shown, ["a", "sa"], rule) == 15
    assert combined(shown, ["d", "a"], rule) is None
    assert combined(shown, ["sd", "d", "n0"], rule) == 9  # 24 - 7 - 8: already known
    assert percent(15, 24) == 62
    assert percent(None, 24) is None and percent(3, 0) is None


def test_strict_sums_never_leave_one_hidden_count_in_a_row_or_column():
    """Weeks A and B by yes and no: A has 3 yes and 7 no, B 6 yes and 5 no (9 yes, 12 no).
    The 3 is hidden, and the 7 beside it; the yes column then holds one hidden count, so B's 6
    is hidden too, which leaves B's row with one hidden count: its 5 goes as well. Nothing
    hidden can now be worked out from a row or a column."""
    cells = {("yes", "A"): 3, ("no", "A"): 7, ("yes", "B"): 6, ("no", "B"): 5,
             ("n", "A"): 10, ("n", "B"): 11, "yes": 9, "no": 12}  # fmt: skip
    sums = [
        Sum(("n", "A"), (("yes", "A"), ("no", "A")), strict=True),
        Sum(("n", "B"), (("yes", "B"), ("no", "B")), strict=True),
        Sum("yes", (("yes", "A"), ("yes", "B")), strict=True),
        Sum("no", (("no", "A"), ("no", "B")), strict=True),
    ]
    shown = protect(cells, sums, 5)
    assert [shown[(a, w)] for w in "AB" for a in ("yes", "no")] == [None] * 4
    assert (shown["yes"], shown["no"], shown[("n", "A")], shown[("n", "B")]) == (9, 12, 10, 11)
    loose = protect(cells, [Sum(s.total, s.parts) for s in sums], 5)
    # Without strict sums: 11 - 5 gives the hidden 6, and then 9 - 6 gives the 3.
    assert loose[("yes", "B")] is None and loose[("no", "B")] == 5
