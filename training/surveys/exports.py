"""Survey results as spreadsheet rows (written by ``core.spreadsheets``): a summary and the
distribution of each question, with the comments the viewer may read."""

from __future__ import annotations

from django.utils.translation import gettext as _

from training.surveys.selectors import SurveyResults


def summary_rows(results: SurveyResults, *, scope: str) -> list[list]:
    """Return the summary sheet: scope, sessions, invited, answers, rate, key figures."""
    satisfaction = results.satisfaction
    recommendation = results.recommendation
    rows = [
        [_("Figure"), _("Value")],
        [_("Questionnaire"), results.questionnaire.title],
        [_("Scope"), scope],
        [_("Sessions"), results.session_count],
        [_("People invited"), results.invited],
        [_("Answers"), results.responses],
        [_("Response rate (%)"), results.response_rate],
    ]
    if results.hidden:
        rows.append([_("Figures"), _("hidden: too few answers")])
        return rows
    if satisfaction is not None:
        rows.append([_("Satisfied or very satisfied (%)"), satisfaction.top_two])
    if recommendation is not None:
        rows.append([_("Recommendation score (NPS, −100 to +100)"), recommendation.nps])
    return rows


def detail_rows(results: SurveyResults) -> list[list]:
    """Return one row per question and answer (count and percent), then the comments."""
    rows = [
        [
            _("Section"),
            _("Question"),
            _("Answer"),
            _("Count"),
            _("Percent"),
            _("Answers to the question"),
            _("Mean"),
        ]
    ]
    if results.hidden:
        return rows
    for item in results.questions:
        question = item.question
        if item.is_text:
            for comment in item.comments:
                rows.append(
                    [question.section, question.text, comment.text, None, None, item.answered, None]
                )
            continue
        for bucket in item.buckets:
            rows.append(
                [
                    question.section,
                    question.text,
                    bucket.label,
                    bucket.count,
                    bucket.percent,
                    item.answered,
                    item.mean,
                ]
            )
    return rows
