"""Server-rendered SVG charts: bar, stacked bar and line. No JavaScript, no network, no library.

Each chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>`` (a screen
reader announces them); every bar and point carries a ``<title>`` with its exact value (a tooltip).
Pages show the numbers in a table next to each chart as well: the chart is never the only way to
read them. Colours are the Okabe–Ito palette, distinguishable with the common colour blindnesses.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["PALETTE", "SMALL_NOTE", "bar_chart", "format_value", "line_chart", "stacked_bar_chart"]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000")
Series = Sequence[tuple[str, Sequence[float | None]]]

_W, _H = 480, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 8, 10, 30
_LEGEND_ROW = 18
# The charts' text size lives in /static/app.css (svg.chart text): an inline <style> would be
# refused by the Content-Security-Policy (otbill.web.headers).
_ids = itertools.count(1)


def format_value(value: float | None, unit: str, *, exact: bool = False) -> str:
    """A value as people read it: 42%, $1,250 (or $1,250.40 when exact), 1,296."""
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.1f}%" if exact else f"{value:.0f}%"
    if unit == "$":
        return f"${value:,.2f}" if exact else f"${value:,.0f}"
    return f"{value:,.0f}"


def _nice_step(top: float) -> float:
    """The grid step: 1, 2, 2.5 or 5 times a power of ten, so that four steps reach ``top``."""
    if top <= 0:
        return 0.25
    quarter = top / 4
    power = 10 ** math.floor(math.log10(quarter))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if quarter <= m * power))


def _short(label: str, limit: int) -> str:
    """The label cut to ``limit`` characters (the full label is in its tooltip and the table)."""
    limit = max(limit, 4)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


class _Canvas:
    """The frame shared by the three charts: axes, grid, labels, legend, title and description."""

    def __init__(self, title: str, desc: str, labels: Sequence[str], top: float, unit: str):
        self.uid = f"chart{next(_ids)}"
        self.labels = list(labels)
        self.step = _nice_step(top)
        self.top, self.unit = 4 * self.step, unit
        self.plot_w = _W - _LEFT - _RIGHT
        self.plot_h = _H - _TOP - _BOTTOM
        self.hatches: set[str] = set()
        self.parts: list[str] = [
            f'<title id="{self.uid}-t">{escape(title)}</title>',
            f'<desc id="{self.uid}-d">{escape(desc)}</desc>',
        ]
        self._grid()

    def y(self, value: float) -> float:
        return _TOP + self.plot_h * (1 - min(max(value, 0.0), self.top) / self.top)

    def slot(self, index: int) -> tuple[float, float]:
        """The x of slot ``index``'s left edge, and the slot's width."""
        width = self.plot_w / max(len(self.labels), 1)
        return _LEFT + index * width, width

    def _grid(self) -> None:
        for i in range(5):
            value = self.top * i / 4
            y = self.y(value)
            self.parts.append(
                f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#d9dee5" stroke-width="1"/>'
                f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                f"{escape(format_value(value, self.unit, exact=self.step % 1 != 0))}</text>"
            )
        for i, label in enumerate(self.labels):
            x, width = self.slot(i)
            self.parts.append(
                f'<text x="{x + width / 2:.1f}" y="{_H - _BOTTOM + 16}" text-anchor="middle">'
                f"<title>{escape(label)}</title>{escape(_short(label, int(width / 7)))}</text>"
            )

    def add(self, svg: str) -> None:
        self.parts.append(svg)

    def render(self, names: Sequence[str], note: str = "") -> Markup:
        legend = []
        if len(names) > 1:
            for i, name in enumerate(names):
                y = _H + 4 + i * _LEGEND_ROW
                legend.append(
                    f'<rect x="{_LEFT}" y="{y}" width="12" height="12" fill="{_colour(i)}"/>'
                    f'<text x="{_LEFT + 18}" y="{y + 10}">{escape(name)}</text>'
                )
        if note:  # e.g. how small samples are drawn
            legend.append(
                f'<text class="chart-note" x="{_LEFT}" y="{_H + 14 + len(legend) * _LEGEND_ROW}">'
                f"{escape(note)}</text>"
            )
        height = _H + (len(legend) * _LEGEND_ROW + 8 if legend else 0)
        return Markup(
            f'<svg class="chart" role="img" aria-labelledby="{self.uid}-t {self.uid}-d" '
            f'viewBox="0 0 {_W} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(self.parts)}{"".join(legend)}</svg>'
        )


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _tip(label: str, name: str, value: float | None, unit: str) -> str:
    prefix = f"{name}, " if name else ""
    return escape(f"{prefix}{label}: {format_value(value, unit, exact=True)}")


def bar_chart(title: str, desc: str, labels: Sequence[str], values: Sequence[float | None],
              unit: str = "n") -> Markup:  # fmt: skip
    """One bar per label; a missing value (None) leaves its slot empty."""
    return stacked_bar_chart(title, desc, labels, [("", values)], unit)


SMALL_NOTE = "Hatched bars and hollow points: small samples, not to be read like the others."


def _hatch(canvas: _Canvas, s: int) -> str:
    """The id of series ``s``'s hatched fill (defined once per chart), for a small sample."""
    pid = f"{canvas.uid}-hatch{s}"
    if pid not in canvas.hatches:
        canvas.hatches.add(pid)
        canvas.add(
            f'<defs><pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{_colour(s)}" stroke-width="3"/>'
            f"</pattern></defs>"
        )
    return f"url(#{pid})"


def stacked_bar_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Series,
    unit: str = "n",
    small: Sequence[bool] = (),
) -> Markup:
    """One bar per label, its segments the series (in order, bottom up), with a legend. A label
    whose ``small`` is true (a small sample) is drawn hatched and labelled "small sample"."""
    totals = [
        sum((values[i] or 0) if i < len(values) else 0 for _, values in series)
        for i in range(len(labels))
    ]
    canvas = _Canvas(title, desc, labels, max(totals, default=0), unit)
    for i, label in enumerate(labels):
        x, width = canvas.slot(i)
        bar_w = min(width * 0.6, 64)
        base = 0.0
        few = i < len(small) and small[i]
        for s, (name, values) in enumerate(series):
            value = values[i] if i < len(values) else None
            if not value:
                continue
            y_top, y_base = canvas.y(base + value), canvas.y(base)
            fill = _hatch(canvas, s) if few else _colour(s)
            tip = _tip(label, name, value, unit) + (" (small sample)" if few else "")
            canvas.add(
                f'<rect x="{x + (width - bar_w) / 2:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" '
                f'height="{max(y_base - y_top, 0.5):.1f}" fill="{fill}" stroke="{_colour(s)}">'
                f"<title>{tip}</title></rect>"
            )
            base += value
        if few:
            canvas.add(
                f'<text class="small-sample" x="{x + width / 2:.1f}" '
                f'y="{max(canvas.y(base) - 4, _TOP + 8):.1f}" text-anchor="middle">small sample</text>'
            )
    return canvas.render([name for name, _ in series], SMALL_NOTE if any(small) else "")


def line_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Series,
    unit: str = "n",
    small: Sequence[bool] = (),
) -> Markup:
    """One line per series across the labels; a None value breaks the line. A label whose
    ``small`` is true (a small sample) is a hollow point the line does not run through."""
    values = [v for _, vs in series for v in vs if v is not None]
    canvas = _Canvas(title, desc, labels, max(values, default=0), unit)
    for s, (name, points) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(points):
            if value is None:
                runs.append([])
                continue
            x, width = canvas.slot(i)
            cx, cy = x + width / 2, canvas.y(value)
            if i < len(small) and small[i]:
                runs.append([])
                canvas.add(
                    f'<circle class="small-sample" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" '
                    f'fill="#ffffff" stroke="{_colour(s)}" stroke-width="1.5" '
                    f'stroke-dasharray="2 1"><title>{_tip(labels[i], name, value, unit)} '
                    f"(small sample)</title></circle>"
                )
                continue
            runs[-1].append(f"{cx:.1f},{cy:.1f}")
            canvas.add(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{_colour(s)}">'
                f"<title>{_tip(labels[i], name, value, unit)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                canvas.add(
                    f'<polyline points="{" ".join(run)}" fill="none" '
                    f'stroke="{_colour(s)}" stroke-width="2"/>'
                )
    return canvas.render([name for name, _ in series], SMALL_NOTE if any(small) else "")
