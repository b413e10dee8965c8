"""« Mes données », readable: a short French summary per category of what the platform keeps.

The right of access must be concise and intelligible (RGPD, art. 12): this page says, per
category (identity, sessions, signatures, results, documents, connections), how many records
there are and their key facts in French, with the details folded away. The complete data stays
in the JSON download (``training.privacy.export.user_export``); every section of that export
that holds rows and is not summarised in a category is counted under « Other records », so the
page never hides that something exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from training.privacy.export import link_key, user_links

# The export sections each category summarises (the others are counted under « Other records »).
COVERED = {
    "identity": set(),
    "sessions": {"training.enrolment.trainee", "training.trainingsession.trainers"},
    "signatures": {"training.attendancesignature.trainee", "training.signingattempt.trainee"},
    "results": {"quizzes.attempt.user", "modules.lessonprogress.user"},
    "documents": {"training.generateddocument.trainee"},
    "connections": {
        "axes.accesslog.username",
        "axes.accessfailurelog.username",
        "axes.accessattempt.username",
    },
}


@dataclass
class Category:
    key: str
    title: str
    count: int
    facts: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    details_label: str = ""


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return _("%(date)s at %(time)s") % {
            "date": formats.date_format(value, "j F Y"),
            "time": formats.time_format(value, "H:i"),
        }
    return formats.date_format(value, "j F Y")


def _day(value) -> str:
    return formats.date_format(value, "l j F Y")


def _number(value) -> str:
    """« 84 », « 62,5 », « 33,33 »: French decimals, no useless zeros."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text))


def _period(session) -> str:
    if session.start_date == session.end_date:
        return _("on %(date)s") % {"date": _date(session.start_date)}
    return _("from %(start)s to %(end)s") % {
        "start": _date(session.start_date),
        "end": _date(session.end_date),
    }


BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def browser_text(user_agent: str) -> str:
    """« Firefox sous Linux » from a user agent string; « navigateur inconnu » otherwise."""
    agent = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in agent), None)
    system = next((name for mark, name in SYSTEMS if mark in agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("unknown browser")


def _identity(user) -> Category:
    roles = ", ".join(user.groups.order_by("name").values_list("name", flat=True))
    facts = [
        _("Name: %(name)s") % {"name": user.get_full_name() or "—"},
        _("Email address: %(email)s") % {"email": user.email},
    ]
    if user.profession or user.profession_category:
        profession = user.profession or user.get_profession_category_display()
        facts.append(_("Profession: %(profession)s") % {"profession": profession})
    if user.organisation:
        facts.append(_("Employer: %(organisation)s") % {"organisation": user.organisation})
    facts.append(_("Role: %(roles)s") % {"roles": roles or _("none")})
    facts.append(_("Account created on %(date)s") % {"date": _date(user.date_joined)})
    if user.last_login:
        facts.append(_("Last login on %(date)s") % {"date": _date(user.last_login)})
    return Category(
        "identity",
        _("Identity"),
        1,
        facts=facts,
        details=[_("Your password is stored only as a fingerprint and is never shown.")],
        details_label=_("What else"),
    )


def _sessions(user) -> Category:
    from training.sessions.models import Enrolment, TrainingSession

    enrolments = list(
        Enrolment.objects.filter(trainee=user)
        .select_related("session")
        .order_by("session__start_date", "pk")
    )
    trained = list(TrainingSession.objects.filter(trainers=user).order_by("start_date", "pk"))
    facts = []
    if enrolments:
        facts.append(
            ngettext(
                "Enrolled in %(count)s session.",
                "Enrolled in %(count)s sessions.",
                len(enrolments),
            )
            % {"count": len(enrolments)}
        )
    if trained:
        facts.append(
            ngettext(
                "Trainer of %(count)s session.",
                "Trainer of %(count)s sessions.",
                len(trained),
            )
            % {"count": len(trained)}
        )
    if not facts:
        facts.append(_("No session."))
    details = []
    for enrolment in enrolments:
        session = enrolment.session
        line = _("%(code)s — %(title)s, %(period)s: %(status)s since %(date)s") % {
            "code": session.code,
            "title": session.title,
            "period": _period(session),
            "status": enrolment.get_status_display().lower(),
            "date": _date(enrolment.enrolled_at),
        }
        if enrolment.convocation_sent_at:
            line += " · " + _("convocation sent on %(date)s") % {
                "date": _date(enrolment.convocation_sent_at)
            }
        details.append(line)
    for session in trained:
        details.append(
            _("%(code)s — %(title)s, %(period)s: as a trainer")
            % {"code": session.code, "title": session.title, "period": _period(session)}
        )
    return Category(
        "sessions",
        _("Sessions"),
        len(enrolments) + len(trained),
        facts=facts,
        details=details,
        details_label=_("Each session"),
    )


def _signatures(user) -> Category:
    from training.attendance.models import AttendanceSignature, SigningAttempt

    records = list(
        AttendanceSignature.objects.filter(trainee=user)
        .with_effective_status()
        .select_related("slot__session")
        .order_by("slot__date", "slot__period", "pk")
    )
    wrong_codes = SigningAttempt.objects.filter(trainee=user).count()
    by_status: dict[str, int] = {}
    for record in records:
        label = record.current_status_label.lower()
        by_status[label] = by_status.get(label, 0) + 1
    facts = [
        ngettext("%(count)s half-day recorded.", "%(count)s half-days recorded.", len(records))
        % {"count": len(records)}
    ]
    if by_status:
        ordered = sorted(by_status.items(), key=lambda item: (-item[1], item[0]))
        facts.append(capfirst(", ".join(f"{label} : {count}" for label, count in ordered)))
    corrected = sum(1 for record in records if record.effective_status != record.status)
    if corrected:
        facts.append(
            ngettext(
                "%(count)s record corrected by a trainer (the original is kept).",
                "%(count)s records corrected by a trainer (the originals are kept).",
                corrected,
            )
            % {"count": corrected}
        )
    if wrong_codes:
        facts.append(
            ngettext(
                "%(count)s wrong signing code typed.",
                "%(count)s wrong signing codes typed.",
                wrong_codes,
            )
            % {"count": wrong_codes}
        )
    details = [
        _("%(day)s, %(period)s (%(code)s): %(status)s — %(method)s, %(time)s")
        % {
            "day": capfirst(_day(record.slot.date)),
            "period": record.slot.get_period_display().lower(),
            "code": record.slot.session.code,
            "status": record.current_status_label.lower(),
            "method": record.get_method_display().lower(),
            "time": _date(record.signed_at),
        }
        for record in records
    ]
    return Category(
        "signatures",
        _("Attendance signatures"),
        len(records),
        facts=facts,
        details=details,
        details_label=_("Each half-day"),
    )


def _results(user) -> Category:
    from modules.models import Lesson, LessonProgress
    from quizzes.models import Attempt

    attempts = list(
        Attempt.objects.filter(user=user).select_related("quiz").order_by("started_at", "pk")
    )
    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    read = LessonProgress.objects.filter(user=user).count()
    facts = [
        ngettext(
            "%(count)s quiz attempt, %(submitted)s submitted.",
            "%(count)s quiz attempts, %(submitted)s submitted.",
            len(attempts),
        )
        % {"count": len(attempts), "submitted": len(submitted)},
        ngettext(
            "%(read)s lesson read out of %(total)s",
            "%(read)s lessons read out of %(total)s",
            read,
        )
        % {"read": read, "total": Lesson.objects.count()},
    ]
    passed = [a for a in submitted if a.passed]
    if passed:
        facts.append(
            _("Passed: %(quizzes)s") % {"quizzes": ", ".join(a.quiz.title for a in passed)}
        )
    details = []
    for attempt in attempts:
        if attempt.status == Attempt.Status.SUBMITTED:
            line = _("%(quiz)s — %(date)s: %(score)s %%") % {
                "quiz": attempt.quiz.title,
                "date": _date(attempt.submitted_at),
                "score": _number(attempt.score_percent or 0),
            }
            if attempt.passed is True:
                line += " (" + _("passed") + ")"
            elif attempt.passed is False:
                line += " (" + _("not passed") + ")"
        else:
            line = _("%(quiz)s — started on %(date)s, not submitted") % {
                "quiz": attempt.quiz.title,
                "date": _date(attempt.started_at),
            }
        details.append(line)
    return Category(
        "results",
        _("Quiz results and reading"),
        len(attempts) + read,
        facts=facts,
        details=details,
        details_label=_("Each attempt"),
    )


def _documents(user) -> Category:
    from training.documents.models import GeneratedDocument

    documents = list(
        GeneratedDocument.objects.filter(trainee=user)
        .select_related("session")
        .order_by("created_at", "pk")
    )
    facts = [
        ngettext(
            "%(count)s personal document issued (convocation, certificate, attestation).",
            "%(count)s personal documents issued (convocation, certificate, attestation).",
            len(documents),
        )
        % {"count": len(documents)}
    ]
    details = [
        _("%(kind)s — session %(code)s, made on %(date)s")
        % {
            "kind": document.get_kind_display(),
            "code": document.session.code,
            "date": _date(document.created_at),
        }
        for document in documents
    ]
    return Category(
        "documents",
        _("Documents"),
        len(documents),
        facts=facts,
        details=details,
        details_label=_("Each document"),
    )


def _connections(user) -> Category:
    from axes.models import AccessFailureLog, AccessLog

    logins = list(AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time"))
    failures = AccessFailureLog.objects.filter(username__iexact=user.email).count()
    facts = [
        ngettext("%(count)s login recorded.", "%(count)s logins recorded.", len(logins))
        % {"count": len(logins)}
    ]
    if logins:
        facts.append(_("Last one on %(date)s.") % {"date": _date(logins[0].attempt_time)})
    facts.append(
        ngettext(
            "%(count)s failed login attempt with your address.",
            "%(count)s failed login attempts with your address.",
            failures,
        )
        % {"count": failures}
    )
    details = [
        _("%(date)s — address %(ip)s — %(browser)s")
        % {
            "date": _date(login.attempt_time),
            "ip": login.ip_address or "—",
            "browser": browser_text(login.user_agent),
        }
        for login in logins
    ]
    return Category(
        "connections",
        _("Connections"),
        len(logins) + failures,
        facts=facts,
        details=details,
        details_label=_("Each login"),
    )


def _others(user, export: dict) -> Category:
    covered = set().union(*COVERED.values())
    labels = {link_key(model, fld): (model, fld) for model, fld in user_links()}
    lines = []
    total = 0
    for section in export["sections"]:
        if section["key"] in covered or not section["rows"]:
            continue
        count = len(section["rows"])
        total += count
        model_field = labels.get(section["key"])
        name = capfirst(section["model"])
        if model_field is not None:
            name = f"{name} ({model_field[1].verbose_name})"
        lines.append(f"{name} : {count}")
    return Category(
        "others",
        _("Other records"),
        total,
        facts=[
            _("Records where you appear as the author or the subject of an action.")
            if total
            else _("None.")
        ],
        details=lines,
        details_label=_("By kind"),
    )


def my_data_summary(*, user, export: dict) -> list[Category]:
    """Return the readable summary of ``export`` (``user_export(user=user)``), per category."""
    return [
        _identity(user),
        _sessions(user),
        _signatures(user),
        _results(user),
        _documents(user),
        _connections(user),
        _others(user, export),
    ]


def covered_keys() -> set[str]:
    """The export sections summarised by a category of their own."""
    return set().union(*COVERED.values())
