"""The BPF of a year as rows (CSV, XLSX through ``core.spreadsheets``) and as a readable PDF
(``core.pdf``). Pure functions of a ``BpfReport``; the views and the command wrap them."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from training.attendance.selectors import attended_hours
from training.bpf import categories
from training.bpf.selectors import BpfReport, year_enrolments

TO_CHECK = "à vérifier sur le formulaire Cerfa en vigueur"


def _check(line) -> str:
    return line.cerfa if line.verified else TO_CHECK


def bpf_rows(report: BpfReport) -> list[list]:
    """One table: each figure of the BPF with what it counts."""
    rows = [
        [_("Table"), _("Line"), _("Trainees"), _("Hours-trainee"), _("Income (€)"), _("Cerfa form")]
    ]
    for line in report.by_category:
        rows.append(
            [_("By trainee category"), line.label, line.trainees, line.hours, None, _check(line)]
        )
    rows.append([_("By trainee category"), _("Total"), report.trainees, report.hours, None, ""])
    for line in report.by_funding:
        rows.append(
            [
                _("By funding source"),
                line.label,
                line.trainees,
                line.hours,
                line.income,
                _check(line),
            ]
        )
    rows.append(
        [_("By funding source"), _("Total"), report.trainees, report.hours, report.income, ""]
    )
    rows.append(
        [_("Trainers"), _("Number of trainers"), report.trainers_count, None, None, TO_CHECK]
    )
    rows.append(
        [
            _("Trainers"),
            _("Hours of training delivered"),
            None,
            report.hours_delivered,
            None,
            TO_CHECK,
        ]
    )
    for trainer in report.trainers:
        rows.append([_("Trainers"), trainer.name, None, trainer.hours, None, ""])
    return rows


def enrolment_rows(report: BpfReport) -> list[list]:
    """The enrolments counted, one per row, to check the figures."""
    rows = [
        [
            _("Session"),
            _("First day"),
            _("Trainee"),
            _("Trainee category (BPF)"),
            _("Funding source (BPF)"),
            _("Price (€)"),
            _("Hours attended"),
        ]
    ]
    hours = {session.pk: attended_hours(session=session) for session in report.sessions}
    for enrolment in year_enrolments(sessions=report.sessions):
        rows.append(
            [
                enrolment.session.code,
                enrolment.session.start_date,
                enrolment.trainee.get_full_name() or enrolment.trainee.email,
                categories.category_label(enrolment.trainee_category, kind=categories.TRAINEE),
                categories.category_label(enrolment.funding_source, kind=categories.FUNDING),
                enrolment.price,
                hours[enrolment.session_id].get(enrolment.trainee_id),
            ]
        )
    return rows


def bpf_sheets(report: BpfReport) -> list[tuple[str, list[list]]]:
    return [
        (_("BPF %(year)s") % {"year": report.year}, bpf_rows(report)),
        (_("Enrolments"), enrolment_rows(report)),
    ]


def bpf_filename(year: int, extension: str) -> str:
    return f"bpf-{year}.{extension}"


def bpf_pdf(report: BpfReport) -> bytes:
    """The BPF of the year as a readable PDF."""
    context = {
        "report": report,
        "organisation": settings.ORGANISATION,
        "to_check": TO_CHECK,
        "stylesheet": "css/pdf-documents.css",
    }
    with translation.override(settings.LANGUAGE_CODE):  # a French document, like the others
        title = _("Figures for the BPF %(year)s") % {"year": report.year}
        return render_pdf(
            "training/pdf/bpf.html",
            context,
            title=title,
            author=settings.ORGANISATION.get("name", ""),
        )
