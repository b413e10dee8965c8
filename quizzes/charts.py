"""Server-side chart geometry: before → after « dumbbell » rows on a 0–100 % scale.

The template draws the SVG from these numbers (no chart library, no inline style); the same
data is always given as a table next to the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 170
PLOT_WIDTH = 250
RIGHT_MARGIN = 46
ROW_HEIGHT = 30
TOP = 34
BOTTOM = 30
LABEL_MAX = 22


@dataclass
class ChartRow:
    label: str
    y: float
    before: int | None
    after: int | None
    x_before: float | None
    x_after: float | None
    is_average: bool = False

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> str:
        delta = self.delta
        if delta is None:
            return "none"
        return "up" if delta > 0 else "down" if delta < 0 else "flat"

    @property
    def x_min(self) -> float | None:
        xs = [x for x in (self.x_before, self.x_after) if x is not None]
        return min(xs) if xs else None

    @property
    def x_max(self) -> float | None:
        xs = [x for x in (self.x_before, self.x_after) if x is not None]
        return max(xs) if xs else None

    @property
    def text_y(self) -> float:
        return self.y + 4

    @property
    def x_value(self) -> float:
        return LABEL_WIDTH + PLOT_WIDTH + 8


def _x(value: int | None) -> float | None:
    if value is None:
        return None
    return LABEL_WIDTH + PLOT_WIDTH * max(0, min(100, value)) / 100


def _short(label: str) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def dumbbell_chart(
    rows: list[tuple[str, int | None, int | None]], *, average: tuple[str, int | None, int | None]
) -> dict:
    """Return the geometry of a chart with one row per item plus a group average row."""
    chart_rows = []
    all_rows = [*rows, average]
    for index, (label, before, after) in enumerate(all_rows):
        y = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2 + (8 if index == len(rows) else 0)
        chart_rows.append(
            ChartRow(
                _short(label),
                y,
                before,
                after,
                _x(before),
                _x(after),
                is_average=index == len(rows),
            )
        )
    height = TOP + ROW_HEIGHT * len(all_rows) + 8 + BOTTOM
    ticks = [{"x": _x(v), "label": f"{v} %"} for v in (0, 25, 50, 75, 100)]
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN,
        "height": height,
        "rows": chart_rows,
        "ticks": ticks,
        "plot_top": TOP - 6,
        "plot_bottom": height - BOTTOM + 4,
        "axis_y": height - BOTTOM + 20,
        "separator_y": TOP + ROW_HEIGHT * len(rows) + 4,
        "label_x": LABEL_WIDTH - 10,
        "plot_left": LABEL_WIDTH,
        "plot_right": LABEL_WIDTH + PLOT_WIDTH,
        "legend_y": 14,
        "legend_text_y": 18,
        "legend": [
            {"cx": 6, "tx": 16},
            {"cx": 190, "tx": 200},
        ],
    }
