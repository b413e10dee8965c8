"""The scoring rule, as pure functions (documented in quizzes/README.md and on the result page).

Every question is worth one point.

- Single choice and true/false: 1 point when the one correct choice is chosen, else 0.
- Multiple choice: partial credit = (correct choices ticked − wrong choices ticked) / number
  of correct choices, never below 0. Ticking everything therefore earns nothing on a question
  with as many wrong choices as right ones, and a single wrong tick cancels a right one.

Computations use exact fractions; the result is rounded to two decimals only when stored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
QUESTION_POINTS = Fraction(1)


def question_score(*, type: str, correct_ids: set[int], chosen_ids: set[int]) -> Fraction:
    """Return the points (0 to 1) earned on one question."""
    if not correct_ids:
        return Fraction(0)
    if type in (SINGLE, TRUE_FALSE):
        return QUESTION_POINTS if chosen_ids == correct_ids else Fraction(0)
    right = len(chosen_ids & correct_ids)
    wrong = len(chosen_ids - correct_ids)
    return max(Fraction(0), Fraction(right - wrong, len(correct_ids))) * QUESTION_POINTS


def percent(points: Fraction, maximum: Fraction) -> Fraction:
    """Return points as a percentage of the maximum (0 when there is nothing to score)."""
    return Fraction(0) if not maximum else 100 * Fraction(points) / Fraction(maximum)


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """Round a fraction half-up to a Decimal with the given number of places."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def is_passed(*, score_percent: Fraction, pass_mark: int) -> bool | None:
    """Return whether the score reaches the pass mark; None when the quiz has none."""
    if not pass_mark:
        return None
    return score_percent >= pass_mark
