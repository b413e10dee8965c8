"""Server-side chart geometry for survey results (no chart library, no inline style).

``likert_chart``: several 1–5 scale questions, one 100 % stacked bar each (from « pas du
tout » in red to « tout à fait » in green); ``bars_chart``: one horizontal bar per answer
(yes / no, choices), in percent of the answers; ``columns_chart``: the 0–10 recommendation answers as columns, coloured by group
(detractors 0–6, passives 7–8, promoters 9–10). Templates draw the SVG from these numbers;
the same figures are always given in a table next to the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 190
PLOT_WIDTH = 200
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 8
LABEL_MAX = 28

COLUMN_WIDTH = 26
COLUMN_GAP = 6
COLUMN_PLOT_HEIGHT = 110
COLUMN_TOP = 22
COLUMN_LEFT = 8


@dataclass
class Bar:
    label: str
    count: int
    percent: int
    y: float
    width: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 4


def _short(label: str, limit: int = LABEL_MAX) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bars_chart(buckets) -> dict:
    """Return the geometry of a horizontal bar chart from (label, count, percent) buckets."""
    bars = []
    for index, bucket in enumerate(buckets):
        y = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                _short(bucket.label),
                bucket.count,
                bucket.percent,
                y,
                PLOT_WIDTH * bucket.percent / 100,
            )
        )
    height = TOP * 2 + ROW_HEIGHT * len(bars)
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        "height": height,
        "bars": bars,
        "label_x": LABEL_WIDTH - 8,
        "plot_left": LABEL_WIDTH,
        "value_x": LABEL_WIDTH + PLOT_WIDTH + 6,
        "bar_height": BAR_HEIGHT,
        "axis_top": TOP - 4,
        "axis_bottom": height - TOP + 4,
    }


@dataclass
class Column:
    label: str
    count: int
    percent: int
    x: float
    y: float
    height: float
    group: str  # detractor, passive, promoter

    @property
    def text_x(self) -> float:
        return self.x + COLUMN_WIDTH / 2

    @property
    def count_y(self) -> float:
        return self.y - 5


def _group(value: int) -> str:
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


def columns_chart(buckets) -> dict:
    """Return the geometry of the 0–10 recommendation chart (height in percent of answers)."""
    highest = max((b.percent for b in buckets), default=0) or 1
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    columns = []
    for index, bucket in enumerate(buckets):
        height = COLUMN_PLOT_HEIGHT * bucket.percent / highest
        columns.append(
            Column(
                bucket.label,
                bucket.count,
                bucket.percent,
                COLUMN_LEFT + index * (COLUMN_WIDTH + COLUMN_GAP),
                baseline - height,
                height,
                _group(bucket.value),
            )
        )
    width = COLUMN_LEFT * 2 + len(columns) * (COLUMN_WIDTH + COLUMN_GAP) - COLUMN_GAP
    return {
        "width": width,
        "height": baseline + 24,
        "columns": columns,
        "baseline": baseline,
        "label_y": baseline + 16,
        "column_width": COLUMN_WIDTH,
    }


LIKERT_WIDTH = 560
LIKERT_ROW = 48
LIKERT_BAR = 20
LIKERT_LABEL_MAX = 70
LIKERT_MIN_TEXT = 34  # a segment narrower than this shows no percentage


@dataclass
class Segment:
    value: int
    count: int
    percent: int
    x: float
    width: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def has_text(self) -> bool:
        return self.width >= LIKERT_MIN_TEXT


@dataclass
class StackedRow:
    label: str
    label_y: float
    bar_y: float
    text_y: float
    segments: list[Segment]


def likert_chart(items) -> dict:
    """Return the geometry of 100 % stacked bars, one per 1–5 question (``QuestionResult``)."""
    rows = []
    for index, item in enumerate(items):
        top = 4 + index * LIKERT_ROW
        segments, x = [], 0.0
        total = item.answered
        for bucket in item.buckets:
            width = LIKERT_WIDTH * bucket.count / total if total else 0
            segments.append(Segment(bucket.value, bucket.count, bucket.percent, x, width))
            x += width
        rows.append(
            StackedRow(
                _short(item.question.text, LIKERT_LABEL_MAX),
                top + 13,
                top + 19,
                top + 19 + LIKERT_BAR / 2 + 4,
                segments,
            )
        )
    return {
        "width": LIKERT_WIDTH,
        "height": 8 + LIKERT_ROW * len(rows),
        "rows": rows,
        "bar_height": LIKERT_BAR,
    }
