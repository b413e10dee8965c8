"""The BPF of a year from known enrolments and attendance: every figure, the year's scope,
and the refusal (with the list) when enrolments lack their data."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from training.attendance.models import AttendanceCorrection, AttendanceSignature, SlotAttendance
from training.bpf import exports, selectors
from training.sessions.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db

D = Decimal


def _session(dates, trainers, held=None, status=TrainingSession.Status.FINISHED):
    """A session on ``dates`` whose first ``held`` half-days (all by default) took place."""
    session = SessionFactory(dates=dates, trainers=trainers, status=status)
    slots = list(session.slots.order_by("date", "period"))
    held = len(slots) if held is None else held
    for slot in slots[:held]:
        SlotAttendance.objects.create(
            slot=slot,
            status=SlotAttendance.Status.CLOSED,
            opened_at=slot.starts_at,
            opened_by=trainers[0],
            closed_at=slot.ends_at,
            attested_by=trainers[0],
            attested_at=slot.ends_at,
            attestation_method="saisie",
        )
    return session, slots


def _enrol(session, slots, statuses, *, category="", source="", price=None, trainer=None):
    """Enrol a new trainee with BPF data and one record per half-day (None: no record)."""
    person = UserFactory(role="Stagiaire")
    enrolment = EnrolmentFactory(
        session=session,
        trainee=person,
        trainee_category=category,
        funding_source=source,
        price=price,
    )
    for slot, status in zip(slots, statuses, strict=False):
        if status is None:
            continue
        AttendanceSignature.objects.create(
            slot=slot,
            trainee=person,
            status=status,
            method="saisie" if status != "absent" else "formateur",
            signed_at=slot.starts_at,
            recorded_by=trainer or person,
        )
    return enrolment


@pytest.fixture
def year_2025():
    """Two sessions in 2025 with known attendance, plus what must stay out of 2025."""
    t1 = UserFactory(role="Formateur", first_name="Anne", last_name="Formatrice")
    t2 = UserFactory(role="Formateur", first_name="Bruno", last_name="Formateur")
    a, a_slots = _session([datetime.date(2025, 3, 4), datetime.date(2025, 3, 5)], [t1])
    b, b_slots = _session(
        [datetime.date(2025, 11, 18), datetime.date(2025, 11, 19)], [t1, t2], held=3
    )
    for slot in [*a_slots, *b_slots]:
        assert slot.duration_minutes == 210  # 3.5 h: the figures below are counted from it
    all_present = ["present"] * 4
    a1 = _enrol(a, a_slots, all_present, category="salarie_prive", source="opco", price=D("800"))
    a2 = _enrol(
        a,
        a_slots,
        ["present", "present", "absent", None],
        category="agent_public",
        source="employeur",
        price=D("800"),
        trainer=t1,
    )
    a3 = _enrol(
        a,
        a_slots,
        ["absent"] * 4,
        category="salarie_prive",
        source="employeur",
        price=D("600"),
        trainer=t1,
    )
    # b1: present, late (counts), absent corrected to present (counts), absent.
    b1 = _enrol(
        b,
        b_slots,
        ["present", "retard", "absent", "absent"],
        category="demandeur_emploi",
        source="france_travail",
        price=D("500"),
        trainer=t1,
    )
    corrected = AttendanceSignature.objects.get(slot=b_slots[2], trainee=b1.trainee)
    AttendanceCorrection.objects.create(
        signature=corrected,
        author=t1,
        previous_status="absent",
        new_status="present",
        reason="Arrivé après l'appel",
    )
    # Out of 2025: a removed enrolment without data, a cancelled session, a 2026 session.
    removed = _enrol(a, a_slots, [])
    Enrolment.objects.filter(pk=removed.pk).update(status=Enrolment.Status.CANCELLED)
    cancelled, c_slots = _session([datetime.date(2025, 6, 3), datetime.date(2025, 6, 4)], [t2])
    TrainingSession.objects.filter(pk=cancelled.pk).update(status=TrainingSession.Status.CANCELLED)
    _enrol(cancelled, c_slots, all_present)
    later, l_slots = _session([datetime.date(2026, 1, 6), datetime.date(2026, 1, 7)], [t2])
    _enrol(later, l_slots, all_present)
    return {"t1": t1, "t2": t2, "a": a, "b": b, "a1": a1, "a2": a2, "a3": a3, "b1": b1}


def _line(lines, code):
    return next(line for line in lines if line.code == code)


def test_every_figure_of_the_year_comes_from_enrolments_and_hours_attended(year_2025):
    report = selectors.bpf_compute(year=2025)
    assert [s.code for s in report.sessions] == [year_2025["a"].code, year_2025["b"].code]
    assert report.enrolments == 4
    # Trained: a1 (14 h), a2 (7 h), b1 (present + late + corrected = 10.5 h); a3 attended nothing.
    assert report.trainees == 3
    assert report.hours == D("31.50")
    assert report.not_trained == 1
    assert report.income == D("2700.00")

    category = {line.code: (line.trainees, line.hours) for line in report.by_category}
    assert category == {
        "salarie_prive": (1, D("14.00")),
        "agent_public": (1, D("7.00")),
        "demandeur_emploi": (1, D("10.50")),
        "particulier": (0, D("0")),
        "autre": (0, D("0")),
    }
    funding = {line.code: (line.trainees, line.hours, line.income) for line in report.by_funding}
    assert funding == {
        "employeur": (1, D("7.00"), D("1400.00")),  # a2 and a3's price (a3 attended nothing)
        "opco": (1, D("14.00"), D("800.00")),
        "france_travail": (1, D("10.50"), D("500.00")),
        "stagiaire": (0, D("0"), D("0")),
        "organisme_public": (0, D("0"), D("0")),
        "autre": (0, D("0"), D("0")),
    }
    # Trainers: session A held 4 half-days (14 h), session B 3 of 4 (10.5 h).
    trainers = {line.name: (line.sessions, line.hours) for line in report.trainers}
    assert trainers == {"Anne Formatrice": (2, D("24.50")), "Bruno Formateur": (1, D("10.50"))}
    assert report.trainers_count == 2
    assert report.hours_delivered == D("35.00")
    assert not report.all_verified  # the categories are not checked against the Cerfa form


def test_the_exports_carry_the_same_figures(year_2025, admin_client):
    report = selectors.bpf_compute(year=2025)
    rows = exports.bpf_rows(report)
    assert [
        "Par source de financement",
        "Employeur",
        1,
        D("7.00"),
        D("1400.00"),
        exports.TO_CHECK,
    ] in rows
    assert ["Formateurs", "Nombre de formateurs", 2, None, None, exports.TO_CHECK] in rows
    csv = admin_client.get(reverse("training:bpf_export", args=[2025, "csv"]))
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "Par catégorie de stagiaire;Salarié d'un employeur privé;1;14,00" in text
    assert "Par source de financement;Total;3;31,50;2700,00" in text
    xlsx = admin_client.get(reverse("training:bpf_export", args=[2025, "xlsx"]))
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(b"".join(xlsx.streaming_content)))
    detail = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert len(detail) == 1 + 4  # header + the four enrolments counted
    pdf = admin_client.get(reverse("training:bpf_export", args=[2025, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Demandeur d'emploi" in text and "2700" in text.replace("\u202f", "").replace(" ", "")
    page = admin_client.get(reverse("training:bpf"), {"year": 2025})
    assert page.status_code == 200
    assert "31,50" in page.content.decode()


def test_missing_data_is_refused_with_the_list_of_enrolments_to_complete(
    year_2025, admin_client, tmp_path
):
    a, b = year_2025["a"], year_2025["b"]
    Enrolment.objects.filter(pk=year_2025["a2"].pk).update(trainee_category="")
    Enrolment.objects.filter(pk=year_2025["b1"].pk).update(funding_source="martien", price=None)
    with pytest.raises(selectors.BpfIncomplete) as refused:
        selectors.bpf_compute(year=2025)
    missing = {item.enrolment.pk: item.missing for item in refused.value.missing}
    assert missing == {
        year_2025["a2"].pk: ["catégorie du stagiaire"],
        year_2025["b1"].pk: [
            "source de financement (« martien » n'est plus dans la liste)",
            "prix facturé",
        ],
    }
    page = admin_client.get(reverse("training:bpf"), {"year": 2025}).content.decode()
    assert "ne peut pas être calculé : 2 inscriptions" in page
    assert reverse("training:bpf_enrolment_edit", args=[year_2025["a2"].pk]) in page
    assert reverse("training:bpf_enrolment_edit", args=[year_2025["b1"].pk]) in page
    assert a.code in page and b.code in page
    assert "Télécharger le PDF" not in page
    export = admin_client.get(reverse("training:bpf_export", args=[2025, "csv"]), follow=True)
    assert export.redirect_chain[-1][0].endswith("?year=2025")
    assert "ne peut pas être exporté : 2 inscriptions" in export.content.decode()
    with pytest.raises(CommandError) as command:
        call_command("bpf_export", "2025", "--out", str(tmp_path / "bpf.csv"))
    assert year_2025["b1"].trainee.get_full_name() in str(command.value)
    assert not (tmp_path / "bpf.csv").exists()
    # Fixing them through the administrators' page makes the export possible.
    for enrolment, data in (
        (
            year_2025["a2"],
            {"trainee_category": "agent_public", "funding_source": "employeur", "price": "800"},
        ),
        (
            year_2025["b1"],
            {
                "trainee_category": "demandeur_emploi",
                "funding_source": "france_travail",
                "price": "500,00",
            },
        ),
    ):
        response = admin_client.post(
            reverse("training:bpf_enrolment_edit", args=[enrolment.pk]), data
        )
        assert response.status_code == 302
    call_command("bpf_export", "2025", "--out", str(tmp_path / "bpf.csv"))
    assert "2700,00" in (tmp_path / "bpf.csv").read_text(encoding="utf-8-sig")


def test_an_administrator_cannot_save_an_unknown_category_nor_a_negative_price(
    year_2025, admin_client
):
    enrolment = year_2025["a1"]
    url = reverse("training:bpf_enrolment_edit", args=[enrolment.pk])
    response = admin_client.post(
        url, {"trainee_category": "martien", "funding_source": "opco", "price": "-5"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sélectionnez un choix valide" in text
    assert "supérieure ou égale à 0" in text
    enrolment.refresh_from_db()
    assert enrolment.trainee_category == "salarie_prive" and enrolment.price == D("800")


def test_a_trainer_never_reaches_the_bpf(year_2025, client):
    client.force_login(year_2025["t1"])
    assert client.get(reverse("training:bpf")).status_code == 403
    assert client.get(reverse("training:bpf_export", args=[2025, "csv"])).status_code == 403
    edit = reverse("training:bpf_enrolment_edit", args=[year_2025["a1"].pk])
    assert client.post(edit, {"trainee_category": "autre"}).status_code == 403
