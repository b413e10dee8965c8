"""Benchmark: a 10,000-row attendance export stays within constant memory.

Not collected by default (``--ignore=tests/bench``). Run it with:

    .venv/bin/pytest -o addopts="" -s tests/bench/test_attendance_export_memory.py

It builds ~10,000 trainee × half-day rows (84 sessions × 6 half-days × 20 trainees) with bulk
inserts, then measures the peak Python memory (tracemalloc) of the CSV stream and of the XLSX
writer for about 1,000 rows and for all 10,000: the peak must not grow with the row count.
"""

import datetime
import tempfile
import time
import tracemalloc

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tests.factories import UserFactory, course_for_tests
from training.attendance.exports import attendance_csv_stream, attendance_xlsx_write
from training.attendance.models import AttendanceSignature
from training.models import Enrolment, Slot, TrainingSession, User

pytestmark = pytest.mark.django_db

SESSIONS = 84
TRAINEES = 20
SMALL_SESSIONS = 9


def _build():
    course = course_for_tests()
    trainer = UserFactory(role="Formateur")
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"bench{i}@exemple.fr",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i}",
                organisation="Structure de test",
                password=password,
            )
            for i in range(TRAINEES)
        ]
    )
    trainees = list(User.objects.filter(email__startswith="bench"))
    start = datetime.date(2024, 1, 8)
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                code=f"BENCH-{n:03d}",
                course=course,
                title="Le partage d'information à caractère secret",
                start_date=start + datetime.timedelta(days=7 * n),
                end_date=start + datetime.timedelta(days=7 * n + 2),
            )
            for n in range(SESSIONS)
        ]
    )
    sessions = list(TrainingSession.objects.filter(code__startswith="BENCH-").order_by("code"))
    TrainingSession.trainers.through.objects.bulk_create(
        [
            TrainingSession.trainers.through(trainingsession_id=s.pk, user_id=trainer.pk)
            for s in sessions
        ]
    )
    Slot.objects.bulk_create(
        [
            Slot(
                session=s,
                date=s.start_date + datetime.timedelta(days=day),
                period=period,
                start_time=datetime.time(9) if period == "am" else datetime.time(13, 30),
                end_time=datetime.time(12, 30) if period == "am" else datetime.time(17),
            )
            for s in sessions
            for day in range(3)
            for period in ("am", "pm")
        ]
    )
    Enrolment.objects.bulk_create(
        [Enrolment(session=s, trainee=t) for s in sessions for t in trainees]
    )
    now = timezone.now()
    AttendanceSignature.objects.bulk_create(
        [
            AttendanceSignature(
                slot=slot,
                trainee=t,
                status="present",
                method="saisie",
                typed_name=t.get_full_name(),
                signed_at=now,
                recorded_by=t,
            )
            for slot in Slot.objects.filter(session__in=sessions)
            for t in trainees
        ],
        batch_size=2000,
    )
    return sessions


def _measure(function):
    tracemalloc.start()
    began = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, peak, elapsed


def _csv(**filters):
    rows = 0
    for chunk in attendance_csv_stream(**filters):
        rows += chunk.count("\r\n")
    return rows - 1


def _xlsx(**filters):
    with tempfile.TemporaryFile() as handle:
        attendance_xlsx_write(handle=handle, **filters)
        return handle.tell()


def test_a_10000_row_export_stays_within_constant_memory():
    sessions = _build()
    small_until = sessions[SMALL_SESSIONS - 1].end_date
    _csv(session=sessions[0])  # warm up: imports and caches are not the export's memory
    _xlsx(session=sessions[0])

    small_rows, small_peak, small_time = _measure(lambda: _csv(until=small_until))
    rows, peak, elapsed = _measure(_csv)
    assert small_rows == SMALL_SESSIONS * 6 * TRAINEES
    assert rows == SESSIONS * 6 * TRAINEES >= 10_000
    print(
        f"\nCSV  {small_rows:>6} rows: peak {small_peak / 1e6:5.2f} MB, {small_time:5.2f} s"
        f"\nCSV  {rows:>6} rows: peak {peak / 1e6:5.2f} MB, {elapsed:5.2f} s"
    )
    assert peak < small_peak * 1.5 + 1_000_000

    small_size, small_xpeak, small_xtime = _measure(lambda: _xlsx(until=small_until))
    size, xpeak, xtime = _measure(_xlsx)
    print(
        f"XLSX {small_rows:>6} rows: peak {small_xpeak / 1e6:5.2f} MB, {small_xtime:5.2f} s, {small_size / 1e3:.0f} kB"
        f"\nXLSX {rows:>6} rows: peak {xpeak / 1e6:5.2f} MB, {xtime:5.2f} s, {size / 1e3:.0f} kB"
    )
    assert xpeak < small_xpeak * 1.5 + 1_000_000
