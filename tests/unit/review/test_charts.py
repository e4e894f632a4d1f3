"""Charts: SVG data URIs, drawn once for the same figures."""

import base64
import re

from elearn.review import charts


def _svg(uri: str) -> str:
    assert uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1]).decode()


def test_before_after_draws_both_series():
    svg = _svg(charts.before_after(["M1 LO1", "M1 LO2"], [2.0, 2.5], [3.8, 4.0]))
    assert "Before the course" in svg and "After the course" in svg and "M1 LO2" in svg


def test_same_figures_reuse_the_drawing():
    charts.diverging_likert.cache_clear()
    first = charts.diverging_likert(["a (n=5)"], [[20, 20, 20, 20, 20]], list("12345"))
    again = charts.diverging_likert(("a (n=5)",), ((20, 20, 20, 20, 20),), tuple("12345"))
    assert again is first  # lists and tuples with the same values are the same key
    other = charts.diverging_likert(["a (n=5)"], [[0, 20, 20, 40, 20]], list("12345"))
    assert other != first


def test_hidden_figures_get_no_bar_and_say_so():
    svg = _svg(charts.histogram(["0-9%", "10-19%", "100%"], [5, None, 0], "Score"))
    assert re.findall(r'id="bar-(\d+)-([^"]+)"', svg) == [("0", "5"), ("1", "hidden"), ("2", "0")]
    assert "not shown" in svg
    bars = _svg(charts.horizontal_bars(["Registered", "Completed"], [12, None], "Learners"))
    assert re.findall(r'id="bar-(\d+)-([^"]+)"', bars) == [("0", "12"), ("1", "hidden")]
