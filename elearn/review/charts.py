"""Charts for the review pages, drawn on the server as SVG by matplotlib.

Each chart is returned as a data: URI for an <img>, so the page needs no JavaScript and no
inline styles (the strict Content-Security-Policy does not govern an image's insides). Every
chart is shown with a text summary and a data table beside it.

Charts are drawn only from figures that have been through the disclosure rules: a hidden
figure (None) gets no bar, and its label says "not shown". Each bar carries its figure in the
SVG (``id="bar-<position>-<value>"``) and as a label beside it, so what a chart shows can be read
back and checked.

Figures are made with matplotlib's object API (``Figure``), not pyplot's global state, so
threads serving requests at once cannot draw into each other's figures. Drawing is the slow
part of a review page, so each chart function keeps its last results: the same figures give the
same SVG without drawing again.
"""

import base64
import functools
import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# The NHS identity colours; every one has at least 3:1 contrast with the white background
# (WCAG 2.2, 1.4.11), and neighbouring bars are parted by a white edge.
NHS_BLUE, NHS_DARK_BLUE, NHS_GREY, NHS_GREEN, NHS_RED, NHS_DARK_PINK, NHS_TEXT = (
    "#005eb8", "#003087", "#768692", "#007f3b", "#d5281b", "#7c2855", "#212b32",
)  # fmt: skip
PALETTE = (NHS_BLUE, NHS_DARK_BLUE, NHS_GREY, NHS_GREEN, NHS_RED, NHS_DARK_PINK)
LABEL_WIDTH = 30  # characters a long label is wrapped at
plt.rcParams.update(
    {"font.family": "sans-serif", "font.size": 11, "svg.fonttype": "none", "axes.spines.top": False,
     "axes.spines.right": False, "svg.hashsalt": "health-data-guides", "text.color": NHS_TEXT,
     "axes.labelcolor": NHS_TEXT, "xtick.color": NHS_TEXT, "ytick.color": NHS_TEXT,
     "axes.edgecolor": NHS_TEXT, "patch.edgecolor": "white"}
)  # fmt: skip


def _subplots(figsize: tuple[float, float]):
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)  # a renderer, to measure labels before saving
    return figure, figure.subplots()


def _wrap(labels: Sequence[str]) -> list[str]:
    """Long labels on several lines, so they need not be cut or run into each other."""
    return [textwrap.fill(label, LABEL_WIDTH) for label in labels]


def _lines(labels: Sequence[str]) -> int:
    return sum(label.count("\n") + 1 for label in labels)


def overlaps(figure) -> list[tuple[str, str]]:
    """Pairs of tick labels on one axis whose boxes overlap (none, in a readable chart)."""
    renderer = figure.canvas.get_renderer()
    found = []
    for axis in figure.axes:
        for ticks in (axis.get_xticklabels(), axis.get_yticklabels()):
            shown = [t for t in ticks if t.get_visible() and t.get_text()]
            boxes = [t.get_window_extent(renderer) for t in shown]
            for i in range(len(shown)):
                for j in range(i + 1, len(shown)):
                    if boxes[i].overlaps(boxes[j]):
                        found.append((shown[i].get_text(), shown[j].get_text()))
    return found


def _fit_x_labels(figure, axis) -> None:
    """Slant the x labels when they would overlap, then label fewer of them if still needed."""
    if not overlaps(figure):
        return
    for label in axis.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")
    step = 2
    while overlaps(figure) and step < len(axis.get_xticklabels()):
        for n, label in enumerate(axis.get_xticklabels()):
            label.set_visible(n % step == 0)
        step += 1


def _frozen(value):
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, str) or not isinstance(value, Sequence):
        return value
    return tuple(_frozen(v) for v in value)


def _remembered(function):
    """Keep the last 64 charts a function drew, keyed by its (frozen) arguments."""
    cached = functools.lru_cache(maxsize=64)(function)

    @functools.wraps(function)
    def chart(*args):
        return cached(*(_frozen(a) for a in args))

    chart.cache_clear = cached.cache_clear
    return chart


def _svg_uri(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def _label(bars, values: Sequence[float | None], axis) -> None:
    """Tag each bar with its figure (SVG id and a text label); hidden figures say so."""
    for position, (bar, value) in enumerate(zip(bars, values, strict=True)):
        bar.set_gid(f"bar-{position}-{'hidden' if value is None else f'{value:g}'}")
    axis.bar_label(bars, labels=["not shown" if v is None else f"{v:g}" for v in values],
                   padding=3, fontsize=9)  # fmt: skip


@_remembered
def horizontal_bars(labels: Sequence[str], values: Sequence[float | None], xlabel: str) -> str:
    """One bar per label (used for funnels and medians); hidden values get no bar."""
    labels = _wrap(labels)
    figure, axis = _subplots(figsize=(7, 0.6 + 0.28 * _lines(labels) + 0.2 * len(labels)))
    positions = range(len(labels))
    bars = axis.barh(positions, [v or 0 for v in values], color=NHS_BLUE)
    _label(bars, values, axis)
    axis.set_yticks(list(positions), labels)
    axis.invert_yaxis()
    axis.set_xlabel(xlabel)
    return _svg_uri(figure)


def grouped_bars(groups: Sequence[str], series: dict[str, Sequence[float]], ylabel: str) -> str:
    """Bars side by side for each group, one colour per series."""
    colours = [NHS_BLUE, NHS_GREEN, NHS_DARK_BLUE, NHS_GREY]
    figure, axis = _subplots(figsize=(7, 3.2))
    width = 0.8 / max(len(series), 1)
    for n, (name, values) in enumerate(series.items()):
        axis.bar([i + n * width for i in range(len(groups))], [v or 0 for v in values], width,
                 label=name, color=colours[n % len(colours)])  # fmt: skip
    axis.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(groups))], groups)
    axis.set_ylabel(ylabel)
    axis.legend(frameon=False)
    return _svg_uri(figure)


@_remembered
def histogram(bins: Sequence[str], counts: Sequence[int | None], xlabel: str) -> str:
    """One bar per bin; a hidden count gets no bar and "not shown" above its bin."""
    figure, axis = _subplots(figsize=(7, 2.8))
    bars = axis.bar(range(len(bins)), [c or 0 for c in counts], color=NHS_BLUE)
    _label(bars, counts, axis)
    axis.set_xticks(range(len(bins)), bins, fontsize=9)
    axis.set_xlabel(xlabel)
    axis.set_ylabel("Learners")
    _fit_x_labels(figure, axis)
    return _svg_uri(figure)


@_remembered
def diverging_likert(
    items: Sequence[str], shares: Sequence[Sequence[float]], labels: Sequence[str]
) -> str:
    """A diverging stacked bar per item: disagreement left of zero, agreement right."""
    colours = [NHS_DARK_PINK, NHS_RED, NHS_GREY, NHS_BLUE, NHS_DARK_BLUE]
    items = _wrap(items)
    figure, axis = _subplots(figsize=(8, 0.9 + 0.3 * _lines(items) + 0.25 * len(items)))
    for row, share in enumerate(shares):
        left = -(share[0] + share[1] + share[2] / 2)
        for n, value in enumerate(share):
            axis.barh(
                row, value, left=left, color=colours[n], label=labels[n] if row == 0 else None
            )
            left += value
    axis.axvline(0, color=NHS_TEXT, linewidth=0.8)
    axis.set_yticks(range(len(items)), items)
    axis.invert_yaxis()
    axis.set_xlabel("Share of answers (%)")
    axis.legend(frameon=False, ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=9)
    return _svg_uri(figure)


@_remembered
def before_after(labels: Sequence[str], before: Sequence[float], after: Sequence[float]) -> str:
    """Two horizontal bars per label, before and after, on the 1-5 scale (long lists fit)."""
    labels = _wrap(labels)
    figure, axis = _subplots(figsize=(7, 0.9 + 0.28 * _lines(labels) + 0.2 * len(labels)))
    rows = range(len(labels))
    axis.barh([r - 0.2 for r in rows], before, 0.4, label="Before the course", color=NHS_GREY)
    axis.barh([r + 0.2 for r in rows], after, 0.4, label="After the course", color=NHS_BLUE)
    axis.set_yticks(list(rows), labels)
    axis.invert_yaxis()
    axis.set_xlim(1, 5)
    axis.set_xlabel("Mean answer (1 strongly disagree, 5 strongly agree)")
    axis.legend(frameon=False, ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return _svg_uri(figure)


@_remembered
def weekly_bars(labels: Sequence[str], series) -> str:
    """Bars side by side for each week, one NHS colour per series; hidden counts get no bar.

    Week labels are short ("3 Nov") and turned on a slant; with many weeks only every few is
    labelled, so labels never overlap (the table beside the chart names every week)."""
    colours = [NHS_BLUE, NHS_GREEN, NHS_DARK_BLUE, NHS_GREY]
    figure, axis = _subplots(figsize=(7, 3.4))
    width = 0.8 / max(len(series), 1)
    for n, (name, values) in enumerate(dict(series).items()):
        bars = axis.bar([i + n * width for i in range(len(labels))], [v or 0 for v in values],
                        width, label=name, color=colours[n % len(colours)])  # fmt: skip
        for position, (bar, value) in enumerate(zip(bars, values, strict=True)):
            bar.set_gid(f"bar-{n}-{position}-{'hidden' if value is None else value}")
    step = max(1, -(-len(labels) // 12))
    ticks = list(range(0, len(labels), step))
    axis.set_xticks([i + width * (len(series) - 1) / 2 for i in ticks],
                    [labels[i] for i in ticks], rotation=45, ha="right")  # fmt: skip
    axis.set_ylabel("Learners")
    axis.legend(frameon=False, ncol=len(series), loc="lower center", bbox_to_anchor=(0.5, 1.0))
    _fit_x_labels(figure, axis)
    return _svg_uri(figure)
