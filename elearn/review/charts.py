"""Charts for the review pages, drawn on the server as SVG by matplotlib.

Each chart is returned as a data: URI for an <img>, so the page needs no JavaScript and no
inline styles (the strict Content-Security-Policy does not govern an image's insides). Every
chart is shown with a text summary and a data table beside it.
"""

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

NHS_BLUE, NHS_DARK_BLUE, NHS_GREY, NHS_GREEN, NHS_RED = (
    "#005eb8", "#003087", "#768692", "#007f3b", "#d5281b",
)  # fmt: skip
plt.rcParams.update(
    {"font.family": "sans-serif", "font.size": 11, "svg.fonttype": "none", "axes.spines.top": False,
     "axes.spines.right": False, "svg.hashsalt": "health-data-guides"}
)  # fmt: skip


def _svg_uri(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def horizontal_bars(labels: Sequence[str], values: Sequence[float], xlabel: str) -> str:
    """One bar per label (used for funnels and medians); missing values are left blank."""
    figure, axis = plt.subplots(figsize=(7, 0.5 + 0.45 * len(labels)))
    positions = range(len(labels))
    axis.barh(positions, [v or 0 for v in values], color=NHS_BLUE)
    axis.set_yticks(list(positions), labels)
    axis.invert_yaxis()
    axis.set_xlabel(xlabel)
    return _svg_uri(figure)


def grouped_bars(groups: Sequence[str], series: dict[str, Sequence[float]], ylabel: str) -> str:
    """Bars side by side for each group, one colour per series."""
    colours = [NHS_BLUE, NHS_GREEN, NHS_DARK_BLUE, NHS_GREY]
    figure, axis = plt.subplots(figsize=(7, 3.2))
    width = 0.8 / max(len(series), 1)
    for n, (name, values) in enumerate(series.items()):
        axis.bar([i + n * width for i in range(len(groups))], [v or 0 for v in values], width,
                 label=name, color=colours[n % len(colours)])  # fmt: skip
    axis.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(groups))], groups)
    axis.set_ylabel(ylabel)
    axis.legend(frameon=False)
    return _svg_uri(figure)


def histogram(bins: Sequence[str], counts: Sequence[int], xlabel: str) -> str:
    figure, axis = plt.subplots(figsize=(7, 2.8))
    axis.bar(range(len(bins)), counts, color=NHS_BLUE)
    axis.set_xticks(range(len(bins)), bins)
    axis.set_xlabel(xlabel)
    axis.set_ylabel("Learners")
    return _svg_uri(figure)


def diverging_likert(
    items: Sequence[str], shares: Sequence[Sequence[float]], labels: Sequence[str]
) -> str:
    """A diverging stacked bar per item: disagreement left of zero, agreement right."""
    colours = [NHS_RED, "#f0a59c", NHS_GREY, "#78be20", NHS_GREEN]
    figure, axis = plt.subplots(figsize=(8, 0.8 + 0.5 * len(items)))
    for row, share in enumerate(shares):
        left = -(share[0] + share[1] + share[2] / 2)
        for n, value in enumerate(share):
            axis.barh(
                row, value, left=left, color=colours[n], label=labels[n] if row == 0 else None
            )
            left += value
    axis.axvline(0, color="#212b32", linewidth=0.8)
    axis.set_yticks(range(len(items)), items)
    axis.invert_yaxis()
    axis.set_xlabel("Share of answers (%)")
    axis.legend(frameon=False, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.25), fontsize=9)
    return _svg_uri(figure)
