"""The final evaluation of a session's trainees, per course objective, for the attestations.

Read through ``quizzes.selectors.learning_gain`` (the retained attempts at the positioning
test and the final evaluation taken within the session, scored from the answers' frozen
points), so the attestation prints exactly what the results page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizzes import selectors as quiz_selectors


@dataclass
class ObjectiveResult:
    objective: object
    before: int | None
    after: int | None
    reached: bool | None  # None when not evaluated or when the quiz has no pass mark


@dataclass
class TraineeResult:
    overall_before: int | None
    overall_after: int | None
    passed: bool | None
    pass_mark: int
    objectives: list[ObjectiveResult] = field(default_factory=list)

    @property
    def evaluated(self) -> bool:
        return self.overall_after is not None


def final_results(*, session, objectives: list) -> dict[int, TraineeResult]:
    """Return each evaluated trainee's final results per objective: ``{user_id: result}``."""
    gain = quiz_selectors.learning_gain(session=session)
    pass_mark = gain.final.pass_mark if gain.final is not None else 0
    index = {objective.pk: i for i, objective in enumerate(gain.objectives)}
    found: dict[int, TraineeResult] = {}
    for trainee in gain.trainees:
        result = TraineeResult(
            overall_before=trainee.overall.before,
            overall_after=trainee.overall.after,
            passed=(
                trainee.overall.after >= pass_mark
                if pass_mark and trainee.overall.after is not None
                else None
            ),
            pass_mark=pass_mark,
        )
        for objective in objectives:
            if objective.pk not in index:
                continue
            score = trainee.objectives[index[objective.pk]]
            result.objectives.append(
                ObjectiveResult(
                    objective=objective,
                    before=score.before,
                    after=score.after,
                    reached=(
                        score.after >= pass_mark if pass_mark and score.after is not None else None
                    ),
                )
            )
        found[trainee.user.pk] = result
    return found


def empty_result(*, objectives: list) -> TraineeResult:
    """Return the result of a trainee who took no final evaluation in the session."""
    return TraineeResult(
        overall_before=None,
        overall_after=None,
        passed=None,
        pass_mark=0,
        objectives=[ObjectiveResult(o, None, None, None) for o in objectives],
    )
