"""Everything the documents of one session are made from, read once per session.

Building 25 certificates reads the session, its slots, trainers, attendance and results once:
each piece is a ``cached_property`` of :class:`SessionData`, shared by every document of the
batch (a web request, a ZIP, the management command).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.models import Module, Resource, Slide
from training.accounts.models import User
from training.attendance import selectors as attendance
from training.attendance.models import SlotAttendance
from training.documents import results
from training.sessions.models import Enrolment, Slot, TrainingSession


@dataclass
class BibliographyGroup:
    key: str
    title: str
    entries: list[Resource]


# One citation style; the type of an entry is read from its own fields, in this order.
BIBLIOGRAPHY_TYPES = [
    ("books", _("Books")),
    ("reports", _("Reports, recommendations and guides")),
    ("articles", _("Articles and journal issues")),
    ("other", _("Other references")),
]
_ARTICLE = re.compile(r"\b(revue|n°|numéro|cahiers|doi)\b", re.IGNORECASE)
_REPORT = re.compile(
    r"\b(rapport|recommandations?|guide|code de déontologie|support de cours|circulaire)\b",
    re.IGNORECASE,
)


def sort_key(text: str) -> str:
    """Sort French text as a reader expects: accents and guillemets ignored."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"^[^0-9A-Za-z]+", "", text).lower()


def bibliography_type(resource: Resource) -> str:
    """Return the type of a bibliography entry: articles, reports, books or other."""
    text = " ".join([resource.title, resource.details, resource.publisher])
    if resource.title.startswith("«") or _ARTICLE.search(resource.details or ""):
        return "articles"
    if _REPORT.search(text):
        return "reports"
    if resource.publisher or re.search(r"\d+\s*p\.", resource.details or ""):
        return "books"
    return "other"


class SessionData:
    """The inputs of a session's documents; every piece is read on first use, once."""

    def __init__(self, session: TrainingSession):
        self.session = session

    # ---- identity shared by every document

    @cached_property
    def organisation(self) -> dict:
        return dict(settings.ORGANISATION)

    @cached_property
    def slots(self) -> list[Slot]:
        return list(
            Slot.objects.filter(session=self.session)
            .prefetch_related(Prefetch("modules", queryset=Module.objects.order_by("number")))
            .order_by("date", "period")
        )

    @cached_property
    def days(self) -> list[dict]:
        days: list[dict] = []
        for slot in self.slots:
            if not days or days[-1]["date"] != slot.date:
                days.append({"date": slot.date, "slots": []})
            days[-1]["slots"].append(slot)
        return days

    @cached_property
    def trainers(self) -> list[User]:
        return list(self.session.trainers.order_by("last_name", "first_name"))

    @cached_property
    def planned_hours(self) -> Decimal:
        return sum(
            (Decimal(slot.duration_minutes) / 60 for slot in self.slots), Decimal(0)
        ).quantize(Decimal("0.01"))

    @cached_property
    def course(self):
        return self.session.course

    @cached_property
    def objectives(self) -> list:
        return list(self.course.objectives.order_by("order", "pk"))

    def base_context(self) -> dict:
        """The identity every document prints: organisation, session, dates, trainers."""
        return {
            "organisation": self.organisation,
            "session": self.session,
            "course": self.course,
            "trainers": self.trainers,
            "days": self.days,
            "planned_hours": self.planned_hours,
        }

    # ---- trainees

    @cached_property
    def enrolments(self) -> list[Enrolment]:
        return list(
            Enrolment.objects.filter(session=self.session, status=Enrolment.Status.ENROLLED)
            .select_related("trainee")
            .order_by("trainee__last_name", "trainee__first_name", "trainee__pk")
        )

    @cached_property
    def trainees(self) -> list[User]:
        return [enrolment.trainee for enrolment in self.enrolments]

    def is_enrolled(self, trainee: User) -> bool:
        return any(t.pk == trainee.pk for t in self.trainees)

    @cached_property
    def hours(self) -> dict[int, Decimal]:
        """Hours attended per trainee, from the attendance rules (the one place computing them)."""
        return attendance.attended_hours(session=self.session)

    @cached_property
    def evidence_fingerprint(self) -> str:
        return attendance.evidence_fingerprint(session=self.session)

    @cached_property
    def results(self) -> dict[int, results.TraineeResult]:
        return results.final_results(session=self.session, objectives=self.objectives)

    @cached_property
    def attested_slots(self) -> int:
        return SlotAttendance.objects.filter(
            slot__session=self.session, status=SlotAttendance.Status.CLOSED
        ).count()

    @cached_property
    def is_over(self) -> bool:
        return (
            self.session.end_date < timezone.localdate()
            or self.session.status == TrainingSession.Status.FINISHED
        )

    @cached_property
    def is_attested(self) -> bool:
        """Whether every half-day slot is closed and attested by its trainer."""
        return bool(self.slots) and self.attested_slots == len(self.slots)

    @cached_property
    def completion_documents_ready(self) -> bool:
        """Certificates and attestations are issued once the session is over and attested."""
        return self.is_over and self.is_attested and not self.session.is_cancelled

    # ---- content

    @cached_property
    def modules(self) -> list[Module]:
        """Every module of the course with its slides, in order."""
        return list(
            Module.objects.filter(course=self.course)
            .prefetch_related(
                Prefetch(
                    "slides",
                    queryset=Slide.objects.order_by("order").only(
                        "module_id", "order", "title", "html"
                    ),
                )
            )
            .order_by("number")
        )

    def _resources(self, kind: str) -> list[Resource]:
        course_entries = list(
            Resource.objects.of_course()
            .filter(Q(course=self.course) | Q(module__course=self.course), kind=kind)
            .select_related("module")
            .order_by("order", "title", "pk")
        )
        seen = {r.pk for r in course_entries}
        session_entries = [
            r
            for r in self.session.resources.filter(kind=kind).order_by("order", "title", "pk")
            if r.pk not in seen
        ]
        for resource in course_entries:
            resource.from_session = False
        for resource in session_entries:
            resource.from_session = True
        return course_entries + session_entries

    @cached_property
    def bibliography(self) -> list[BibliographyGroup]:
        groups = {key: BibliographyGroup(key, title, []) for key, title in BIBLIOGRAPHY_TYPES}
        for resource in self._resources(Resource.Kind.BIBLIOGRAPHY):
            groups[bibliography_type(resource)].entries.append(resource)
        for group in groups.values():
            group.entries.sort(key=lambda r: (sort_key(r.authors or r.title), r.year, r.pk))
        return [group for group in groups.values() if group.entries]

    @cached_property
    def links(self) -> list[Resource]:
        return self._resources(Resource.Kind.LINK)
