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


LONG = [
    "1. Why health and care data matters to you and the people you support (n=12)",
    "2. What is in a record, and who writes it down in a GP practice (n=9)",
    "3. How data is recorded, step by step, from the clinic to the record (n=15)",
]


def _drawn(monkeypatch, draw) -> list:
    """The figures a chart function draws (instead of their SVG)."""
    figures: list = []
    monkeypatch.setattr(charts, "_svg_uri", lambda figure: figures.append(figure) or "data:,")
    draw()
    return figures


def test_long_labels_are_wrapped_and_never_overlap(monkeypatch):
    for function in (charts.horizontal_bars, charts.histogram, charts.diverging_likert,
                     charts.before_after, charts.weekly_bars):  # fmt: skip
        function.cache_clear()
    figures = _drawn(monkeypatch, lambda: (
        charts.horizontal_bars(LONG, [12, None, 15], "Learners"),
        charts.histogram([f"{n * 10}-{n * 10 + 9}%" for n in range(10)] + ["100%"],
                         [1] * 11, "Score"),
        charts.diverging_likert(LONG, [[20, 20, 20, 20, 20]] * 3, list("12345")),
        charts.before_after(LONG, [2.0, 2.5, 3.0], [3.8, 4.0, 4.1]),
        charts.weekly_bars([f"{d} Nov" for d in range(1, 31)],
                           {"Registrations": list(range(30)), "Completions": [None] * 30}),
    ))  # fmt: skip
    assert len(figures) == 5
    for figure in figures:
        assert charts.overlaps(figure) == []
    labels = [t.get_text() for t in figures[0].axes[0].get_yticklabels()]
    assert all("\n" in label for label in labels)  # wrapped, not cut
    assert all(len(line) <= charts.LABEL_WIDTH for label in labels for line in label.split("\n"))


def test_crowded_labels_are_detected():
    figure, axis = charts._subplots((2, 2))
    axis.set_xticks(range(10), [f"a long label {n}" for n in range(10)])
    assert charts.overlaps(figure)
    charts._fit_x_labels(figure, axis)
    assert charts.overlaps(figure) == []


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_palette_has_enough_contrast_with_white():
    for colour in (*charts.PALETTE, charts.NHS_TEXT):
        assert 1.05 / (_luminance(colour) + 0.05) >= 3, colour
    svg = _svg(charts.diverging_likert(["a (n=5)"], [[20, 20, 20, 20, 20]], list("12345")))
    fills = set(re.findall(r"fill: (#[0-9a-f]{6})", svg))
    assert fills - {"#ffffff", charts.NHS_TEXT} <= set(charts.PALETTE)
