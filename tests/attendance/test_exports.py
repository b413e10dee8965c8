"""Attendance exports parsed back (csv module, openpyxl) match the database."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory, attendance_session, scan_pdf, signature_png
from training.attendance import codes
from training.attendance import selectors as attendance
from training.attendance import services as services
from training.attendance.exports import attendance_rows, summary_rows
from training.attendance.models import AttendanceSignature, SlotAttendance

pytestmark = pytest.mark.django_db


def _code(slot):
    return codes.code_current(secret=SlotAttendance.objects.get(slot=slot).secret)


@pytest.fixture
def recorded():
    """A session whose morning is signed (drawn, typed, paper), marked and attested."""
    session, slot, trainer, people = attendance_session(trainees=5, open_slot=True)
    drawn, typed, paper, late, absent = people
    drawn.first_name, drawn.last_name, drawn.organisation = '=HYPERLINK("x")', "Dupont", "@SUM(A1)"
    drawn.save()
    late.organisation = "+33 1 23 45 67 89"
    late.save()
    services.signature_record(
        slot=slot, trainee=drawn, code=_code(slot), image_data=signature_png()
    )
    services.signature_record(
        slot=slot, trainee=typed, code=_code(slot), typed_name=typed.get_full_name(), certified=True
    )
    services.paper_signature_record(slot=slot, trainee=paper, scan=scan_pdf(), recorded_by=trainer)
    signed = services.signature_record(
        slot=slot, trainee=late, code=_code(slot), image_data=signature_png()
    )
    services.signature_correct(
        signature=signed, author=trainer, new_status="retard", reason="9 h 50"
    )
    services.slot_close_and_attest(slot=slot, trainer=trainer, image_data=signature_png())
    return session, slot, trainer, people


def _db_status(slot, trainee):
    record = (
        AttendanceSignature.objects.with_effective_status()
        .filter(slot=slot, trainee=trainee)
        .first()
    )
    return record.current_status_label if record else "Non signé"


def test_csv_export_has_bom_semicolons_and_matches_the_database(client, administrator, recorded):
    session, morning, trainer, people = recorded
    client.force_login(administrator)
    response = client.get(reverse("training:attendance_export"), {"telecharger": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:4] == [
        "Référence de la session",
        "Intitulé de la session",
        "Date",
        "Demi-journée",
    ]
    slots = list(session.slots.order_by("date", "period"))
    assert len(data) == len(slots) * len(people)
    by_key = {(row[2], row[3], row[8]): row for row in data}
    for slot in slots:
        for person in people:
            row = by_key[
                (slot.date.strftime("%d/%m/%Y"), str(slot.get_period_display()), person.email)
            ]
            assert row[0] == session.code
            assert row[4] == slot.start_time.strftime("%H:%M")
            assert row[5] == slot.end_time.strftime("%H:%M")
            assert row[6] == f"{Decimal(slot.duration_minutes) / 60:.2f}".replace(".", ",")
            assert row[10] == _db_status(slot, person)
    morning_rows = [
        row for row in data if row[2] == morning.date.strftime("%d/%m/%Y") and row[3] == "Matin"
    ]
    assert {row[13] for row in morning_rows} == {trainer.get_full_name()}
    drawn = next(row for row in morning_rows if row[8] == people[0].email)
    record = AttendanceSignature.objects.get(slot=morning, trainee=people[0])
    from django.utils import timezone

    assert drawn[11] == timezone.localtime(record.signed_at).strftime("%d/%m/%Y %H:%M:%S")
    assert drawn[12] == "Tracée à l'écran"
    absent = next(row for row in morning_rows if row[8] == people[4].email)
    assert (absent[10], absent[11], absent[12]) == ("Absent", "", "Enregistré par le formateur")


def test_cells_that_could_be_formulas_are_escaped(client, administrator, recorded):
    session, morning, trainer, people = recorded
    client.force_login(administrator)
    body = b"".join(
        client.get(reverse("training:attendance_export"), {"telecharger": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ";=HYPERLINK" not in body
    assert "'@SUM(A1)" in body
    assert "'+33 1 23 45 67 89" in body


def test_xlsx_export_has_two_sheets_matching_the_database(client, administrator, recorded):
    session, morning, trainer, people = recorded
    client.force_login(administrator)
    response = client.get(reverse("training:attendance_export"), {"telecharger": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Émargement", "Synthèse des heures"]
    rows_sheet = list(workbook["Émargement"].iter_rows(values_only=True))
    slots = list(session.slots.order_by("date", "period"))
    assert len(rows_sheet) - 1 == len(slots) * len(people)
    for row in rows_sheet[1:]:
        slot = next(
            s for s in slots if s.date == row[2].date() and str(s.get_period_display()) == row[3]
        )
        person = next(p for p in people if p.email == row[8])
        assert row[10] == _db_status(slot, person)
        assert row[6] == pytest.approx(slot.duration_minutes / 60)
    names = [row[7] for row in rows_sheet[1:]]
    assert all(not str(name).startswith("=") for name in names)
    for row in workbook["Émargement"].iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    summary = list(workbook["Synthèse des heures"].iter_rows(values_only=True))
    hours = attendance.attended_hours(session=session)
    planned = attendance.planned_hours(session=session)
    assert len(summary) - 1 == len(people)
    for row in summary[1:]:
        person = next(p for p in people if p.email == row[3])
        assert Decimal(str(row[5])) == planned
        assert Decimal(str(row[6])).quantize(Decimal("0.01")) == hours[person.pk]


def test_row_builders_filter_by_session_and_dates(recorded):
    session, morning, trainer, people = recorded
    other, *_ = attendance_session(trainees=2, days_ahead=10)
    every = list(attendance_rows())
    assert len(every) == 4 * 5 + 4 * 2
    assert {row[0] for row in attendance_rows(session=other)} == {other.code}
    first_day = list(attendance_rows(since=morning.date, until=morning.date))
    assert {row[2] for row in first_day} == {morning.date}
    assert len(first_day) == 2 * 5
    summary = list(summary_rows(session=session, until=morning.date))
    hours = {row[3]: row[6] for row in summary}
    assert hours[people[0].email] == attendance.minutes_to_hours(morning.duration_minutes)
    assert hours[people[4].email] == Decimal("0.00")
    assert {row[5] for row in summary} == {
        attendance.planned_hours(session=session, until=morning.date)
    }


def test_the_export_page_refuses_inverted_dates(client, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("training:attendance_export"),
        {"since": "2026-05-02", "until": "2026-05-01", "telecharger": "csv"},
    )
    assert response.status_code == 400
    assert "La date de début doit précéder la date de fin" in response.content.decode()


def test_the_export_page_refuses_an_unknown_format(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("training:attendance_export"), {"telecharger": "exe"})
    assert response.status_code == 400


def test_the_command_writes_csv_and_xlsx(tmp_path, recorded):
    session, morning, trainer, people = recorded
    out = tmp_path / "emargement.csv"
    call_command(
        "export_attendance", "--format", "csv", "--session", session.code, "--out", str(out)
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 4 * 5
    assert rows[0][0] == "Référence de la session"
    summary = tmp_path / "heures.csv"
    call_command("export_attendance", "--format", "csv", "--summary", "--out", str(summary))
    assert len(summary.read_text(encoding="utf-8-sig").splitlines()) == 1 + 5
    xlsx = tmp_path / "emargement.xlsx"
    call_command(
        "export_attendance",
        "--format",
        "xlsx",
        "--since",
        morning.date.isoformat(),
        "--until",
        (morning.date + datetime.timedelta(days=5)).isoformat(),
        "--out",
        str(xlsx),
    )
    workbook = load_workbook(xlsx, read_only=True)
    assert workbook.sheetnames == ["Émargement", "Synthèse des heures"]


def test_the_command_rejects_unknown_sessions_and_bad_dates(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "export_attendance",
            "--format",
            "csv",
            "--session",
            "NOPE",
            "--out",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError):
        call_command(
            "export_attendance",
            "--format",
            "csv",
            "--since",
            "31/12/2026",
            "--out",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError):
        call_command(
            "export_attendance",
            "--format",
            "csv",
            "--since",
            "2026-02-02",
            "--until",
            "2026-01-01",
            "--out",
            str(tmp_path / "x"),
        )


def test_exports_are_for_administrators_only(client, recorded):
    session, morning, trainer, people = recorded
    client.force_login(trainer)
    assert (
        client.get(reverse("training:attendance_export"), {"telecharger": "csv"}).status_code == 403
    )
    client.force_login(UserFactory(role="Stagiaire"))
    assert (
        client.get(reverse("training:attendance_export"), {"telecharger": "csv"}).status_code == 403
    )


def test_export_files_are_named_by_session_and_period_not_by_export_date(
    client, administrator, recorded
):
    from django.utils.text import slugify

    session, _slot, _trainer, _people = recorded
    first, last = session.slots.order_by("date").first().date, session.slots.last().date
    client.force_login(administrator)
    url = reverse("training:attendance_export")
    response = client.get(url, {"telecharger": "csv", "session": session.code})
    expected = f"emargement-{slugify(session.code)}-{first:%Y-%m-%d}-au-{last:%Y-%m-%d}.csv"
    assert expected in response["Content-Disposition"]
    response = client.get(
        url, {"telecharger": "xlsx", "since": "2026-01-01", "until": "2026-06-30"}
    )
    assert (
        "emargement-toutes-sessions-2026-01-01-au-2026-06-30.xlsx"
        in (response["Content-Disposition"])
    )
    response = client.get(url, {"telecharger": "resume-csv", "since": f"{first:%Y-%m-%d}"})
    assert (
        f"heures-toutes-sessions-{first:%Y-%m-%d}-au-{last:%Y-%m-%d}.csv"
        in (response["Content-Disposition"])
    )
