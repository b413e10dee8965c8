"""``make bench``: measure the platform against baselines taken in the same run.

Usage: .venv/bin/python tests/bench/run.py [--scale 1.0] [--keep]

The orchestrator (this file, no Django loaded) builds two throwaway SQLite databases (a tiny
one and a large one: 5,000 trainees, 200 sessions, 50,000 quiz attempts at scale 1), then runs
each measurement in a child process of this same file (``--phase ...``) so that memory and
timings of one do not leak into another. HTTP loads go to gunicorn on 127.0.0.1 only, with
wrk (or a bounded Python client when wrk is missing). Every figure is a ratio to a baseline
measured in the same run, because the machine is shared and noisy.

Prints one table, writes tests/bench/results-latest.json (ignored by git) and
tests/bench/last-run.md (committed).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PG_ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL", "postgres://training:training@127.0.0.1:5432/training"
)
PG_BENCH_URL = os.environ.get(
    "BENCH_PG_URL", "postgres://training:training@127.0.0.1:5432/training_bench"
)
PASSWORD = "banc-d-essai-2026"  # noqa: S105 - throwaway accounts of a throwaway database
FOCUS_TRAINEES = 25
TINY_SCALE = 0.0  # the tiny dataset: the minimum of every count
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
# A logged-in browser also sends the CSRF cookie the login page gave it (32 characters).
CSRF_COOKIE = "benchcsrfcookie0123456789abcdefg"


def cookie_header(session_key: str) -> str:
    """The Cookie header of a logged-in browser: its session and its CSRF cookie."""
    return f"sessionid={session_key}; csrftoken={CSRF_COOKIE}"


def log(message: str) -> None:
    print(
        f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True
    )


# =========================================================================== child side


def django_setup(settings: str = "tests.bench.settings") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()


def _session_cookie(user) -> str:
    """Return the key of a new logged-in session of the user (no login request measured)."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "training.accounts.auth.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def counts(scale: float) -> dict:
    return {
        # The tiny dataset keeps two sessions of distinct trainees and attempts at every quiz.
        "trainees": max(2 * FOCUS_TRAINEES + 5, round(5000 * scale)),
        "sessions": max(2, round(200 * scale)),
        "attempts": max(400, round(50_000 * scale)),
    }


def phase_template(args) -> dict:
    """Migrate and load the real course content (the content loader service)."""
    django_setup()
    from django.core.management import call_command

    from training.content.loader import content_load

    call_command("migrate", verbosity=0, interactive=False)
    content_load()
    return {}


def phase_stock_seed(args) -> dict:
    """The stock Django project's database: its migrations, one user and a session of theirs."""
    django_setup("tests.bench.stock_settings")
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user("stock", password=PASSWORD)
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return {"cookie": store.session_key}


def phase_seed(args) -> dict:
    """Seed one database: services where cheap, bulk inserts for the volume."""
    django_setup()
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from modules.models import Course, Lesson
    from quizzes.models import Answer, Attempt, Quiz
    from quizzes.services import _answer_rows, quiz_questions
    from training.access import roles
    from training.attendance.models import AttendanceSignature, SlotAttendance
    from training.models import Enrolment, Slot, TrainingSession, User
    from training.sessions.services import enrolment_create, session_create

    n = counts(args.scale)
    began = time.perf_counter()
    course = Course.objects.order_by("pk").first()
    trainee_group = Group.objects.get(name=roles.TRAINEE)
    trainer_group = Group.objects.get(name=roles.TRAINER)
    trainer = User.objects.create_user(
        "formateur.banc@exemple.fr", password=PASSWORD, first_name="Claire", last_name="Banc"
    )
    trainer.groups.add(trainer_group)
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=f"stagiaire{i:05d}@exemple.fr",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i:05d}",
                organisation="Structure du banc d'essai",
                profession="Éducatrice",
                password=hashed,
            )
            for i in range(n["trainees"])
        ],
        batch_size=1000,
    )
    trainees = list(User.objects.filter(email__startswith="stagiaire").order_by("email"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=t.pk, group_id=trainee_group.pk) for t in trainees],
        batch_size=2000,
    )

    # Sessions through the real service (dates checked, slots and modules planned).
    today = timezone.localdate()
    sessions = []
    for index in range(n["sessions"]):
        if index == 0:  # the focus session runs today: signatures and the final quiz
            dates = [today, today + datetime.timedelta(days=1)]
        else:  # three days, Monday to Wednesday, every other week back in time
            monday = today - datetime.timedelta(days=today.weekday())
            start = monday - datetime.timedelta(weeks=2 * index)
            dates = [start + datetime.timedelta(days=d) for d in (0, 1, 2)]
        sessions.append(
            session_create(
                course=course,
                title="Le partage d'information à caractère secret",
                dates=dates,
                trainers=[trainer],
                code=f"BANC-{index:04d}",
                capacity=FOCUS_TRAINEES,
                place_name="Salle du banc d'essai",
                address="1 rue de l'Exemple\n75000 Paris",
            )
        )

    # Enrolments: the focus session through the service, the others in bulk.
    def members(index):
        return [
            trainees[(index * FOCUS_TRAINEES + k) % len(trainees)] for k in range(FOCUS_TRAINEES)
        ]

    for trainee in members(0):
        enrolment_create(session=sessions[0], email=trainee.email, send_convocation=False)
    Enrolment.objects.bulk_create(
        [
            Enrolment(session=s, trainee=t)
            for i, s in enumerate(sessions[1:], 1)
            for t in members(i)
        ],
        batch_size=2000,
    )
    # Signatures for every past half-day (the focus session is signed during P6).
    now = timezone.now()
    past_slots = list(Slot.objects.exclude(session=sessions[0]).select_related("session"))
    by_session = {s.pk: i for i, s in enumerate(sessions)}
    SlotAttendance.objects.bulk_create(
        [
            SlotAttendance(
                slot=slot,
                status=SlotAttendance.Status.CLOSED,
                opened_at=now,
                closed_at=now,
                attested_by=trainer,
                attested_at=now,
                attestation_method="saisie",
                attestation_name=trainer.get_full_name(),
            )
            for slot in past_slots
        ],
        batch_size=2000,
    )
    signatures = 0
    batch = []
    for slot in past_slots:
        for t in members(by_session[slot.session_id]):
            batch.append(
                AttendanceSignature(
                    slot=slot,
                    trainee=t,
                    status="present",
                    method="saisie",
                    typed_name=t.get_full_name(),
                    signed_at=now,
                    recorded_by=t,
                )
            )
        if len(batch) >= 5000:
            AttendanceSignature.objects.bulk_create(batch, batch_size=2000)
            signatures += len(batch)
            batch = []
    AttendanceSignature.objects.bulk_create(batch, batch_size=2000)
    signatures += len(batch)

    # Quiz attempts in bulk; answers (item analysis) for the final evaluation attempts.
    quizzes = list(Quiz.objects.order_by("order", "pk"))
    final = next(q for q in quizzes if q.kind == Quiz.Kind.FINAL)
    final_questions = quiz_questions(quiz=final)
    session_of = {}
    for i, s in enumerate(sessions):
        for t in members(i):
            session_of.setdefault(t.pk, s.pk)
    focus_ids = {t.pk for t in members(0)}
    attempts, answer_sets = [], []
    for i in range(n["attempts"]):
        trainee = trainees[i % len(trainees)]
        quiz = quizzes[(i // len(trainees)) % len(quizzes)]
        if quiz.pk == final.pk and trainee.pk in focus_ids:
            quiz = quizzes[0] if quizzes[0].pk != final.pk else quizzes[1]
        rows, total, maximum = [], 0, 1
        if quiz.pk == final.pk:
            answers = {
                q.pk: [list(q.choices.all())[(i + k) % len(q.choices.all())].pk]
                for k, q in enumerate(final_questions)
            }
            rows, total, maximum = _answer_rows(final_questions, answers)
        percent = round(100 * float(total) / float(maximum)) if rows else (i * 37) % 101
        attempts.append(
            Attempt(
                user=trainee,
                quiz=quiz,
                session_id=session_of.get(trainee.pk),
                status=Attempt.Status.SUBMITTED,
                submitted_at=now - datetime.timedelta(minutes=i),
                score_points=percent / 10,
                max_points=10,
                score_percent=percent,
                passed=percent >= quiz.pass_mark,
            )
        )
        answer_sets.append(rows)
    with transaction.atomic():
        Attempt.objects.bulk_create(attempts, batch_size=2000)
    answer_rows = []
    for attempt, rows in zip(attempts, answer_sets, strict=True):
        for row in rows:
            row.attempt_id = attempt.pk
            answer_rows.append(row)
    with transaction.atomic():
        Answer.objects.bulk_create(answer_rows, batch_size=1000)

    focus_trainee = members(0)[0]
    lesson = (
        Lesson.objects.select_related("module").order_by("module__number", "order", "pk").first()
    )
    from django.urls import reverse

    pages = {
        "lesson": (
            "trainee",
            reverse("modules:lesson_detail", args=[lesson.module.slug, lesson.slug]),
        ),
        "course": ("trainee", reverse("modules:course_detail")),
        "dashboard": ("trainee", reverse("training:dashboard")),
        "session": ("trainer", reverse("training:session_detail", args=[sessions[0].pk])),
        "results": ("trainer", reverse("quizzes:quiz_results", args=[final.slug])),
    }
    return {
        "counts": {
            "trainees": len(trainees),
            "sessions": TrainingSession.objects.count(),
            "slots": Slot.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "signatures": signatures,
            "attempts": Attempt.objects.count(),
            "answers": Answer.objects.count(),
        },
        "cookies": {"trainee": _session_cookie(focus_trainee), "trainer": _session_cookie(trainer)},
        "focus_session": sessions[0].pk,
        "pack_session": sessions[1].pk,
        "pages": pages,
        "seconds": round(time.perf_counter() - began, 1),
    }


def phase_queries(args) -> dict:
    """P3: SQL queries per page, in process with the test client."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    info = json.loads(Path(args.info).read_text())
    result = {}
    for name, (who, url) in info["pages"].items():
        client = Client()
        client.cookies["sessionid"] = info["cookies"][who]
        client.get(url)  # warm caches (templates, content) once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result[name] = {"status": response.status_code, "queries": len(queries)}
    return result


def phase_submissions(args) -> dict:
    """P5 preparation: started final-evaluation attempts, answers and session cookies."""
    django_setup()
    from django.urls import reverse

    from quizzes.models import Quiz
    from quizzes.services import attempt_start, quiz_questions
    from training.models import Enrolment, TrainingSession, User

    info = json.loads(Path(args.info).read_text())
    final = Quiz.objects.get(kind=Quiz.Kind.FINAL)
    answers = {f"q{q.pk}": str(next(iter(q.choices.all())).pk) for q in quiz_questions(quiz=final)}
    focus = TrainingSession.objects.get(pk=info["focus_session"])
    focus_users = [
        e.trainee for e in Enrolment.objects.filter(session=focus).select_related("trainee")
    ]
    others = list(
        User.objects.filter(groups__name="Stagiaire")
        .exclude(pk__in=[u.pk for u in focus_users])
        .order_by("pk")[:5]
    )

    def prepared(user, session=None):
        attempt = attempt_start(user=user, quiz=final, session=session)
        return {
            "url": reverse("quizzes:attempt_take", args=[attempt.pk]),
            "cookie": _session_cookie(user),
        }

    return {
        "answers": answers,
        "singles": [prepared(user) for user in others],
        "concurrent": [prepared(user, focus) for user in focus_users],
    }


def _threads(count, target):
    """Run target(index) in ``count`` threads released together; return (results, errors)."""
    from django.db import connection

    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            began = time.perf_counter()
            target(index)
            results[index] = time.perf_counter() - began
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return [r for r in results if r is not None], errors, time.perf_counter() - began


def phase_signatures(args) -> dict:
    """P6: 25 trainees sign the same open half-day at once (this process's database)."""
    django_setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from modules.models import Course
    from training.attendance.codes import code_current
    from training.attendance.models import SlotAttendance
    from training.attendance.services import signature_record
    from training.models import Enrolment, Slot, TrainingSession, User

    if connection.vendor == "postgresql":
        call_command("migrate", verbosity=0, interactive=False)
    suffix = f"{os.getpid()}-{int(time.time())}"
    course = Course.objects.order_by("pk").first() or Course.objects.create(
        slug=f"banc-{suffix}", title="Banc d'essai"
    )
    today = timezone.localdate()
    session = TrainingSession.objects.create(
        code=f"SIG-{suffix}",
        course=course,
        title="Signatures simultanées",
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
        capacity=FOCUS_TRAINEES,
    )
    slot = Slot.objects.create(
        session=session,
        date=today,
        period="am",
        start_time=datetime.time(0, 0),
        end_time=datetime.time(23, 59),
    )
    users = User.objects.bulk_create(
        [
            User(email=f"sig{k}-{suffix}@exemple.fr", first_name=f"Prénom{k}", last_name="Signe")
            for k in range(FOCUS_TRAINEES)
        ]
    )
    users = list(User.objects.filter(email__endswith=f"-{suffix}@exemple.fr").order_by("email"))
    Enrolment.objects.bulk_create([Enrolment(session=session, trainee=u) for u in users])
    state = SlotAttendance.objects.create(
        slot=slot, status=SlotAttendance.Status.OPEN, opened_at=timezone.now()
    )
    code = code_current(secret=state.secret)

    def sign(index):
        user = users[index]
        signature_record(
            slot=slot,
            trainee=user,
            code=code,
            typed_name=user.get_full_name(),
            certified=True,
            ip_address="127.0.0.1",
            user_agent="bench",
        )

    latencies, errors, wall = _threads(FOCUS_TRAINEES, sign)
    return {
        "vendor": connection.vendor,
        "errors": errors,
        "signed": len(latencies),
        "wall": wall,
        "throughput": len(latencies) / wall if wall else 0,
    }


def _percentile(values, pct):
    values = sorted(values)
    return values[max(0, math.ceil(pct / 100 * len(values)) - 1)]


def _pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def _render(kind_key, data, trainee=None) -> bytes:
    """Render one document from scratch (no document cache): the cost of a real render."""
    from training.documents import rendering
    from training.documents.registry import KINDS

    kind = KINDS[kind_key]
    if kind.render is not None:
        return kind.render(data)
    html = rendering.html_render(kind.template, kind.build(data, trainee))
    return rendering.pdf_render(html, title=kind_key)


def _pack(session, trainees, kinds) -> int:
    from training.documents.data import SessionData

    data = SessionData(session)
    rendered = 0
    for key in kinds["session"]:
        _render(key, data)
        rendered += 1
    for trainee in trainees:
        for key in kinds["personal"]:
            _render(key, data, trainee)
            rendered += 1
    return rendered


def _timed(function, repeat=1):
    best = None
    for _ in range(repeat):
        began = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    return value, best


def phase_inproc(args) -> dict:
    """P7, P8, P11, P12 on the large database, in this one process."""
    django_setup()
    import tracemalloc

    from django.contrib.auth.hashers import check_password
    from django.test import Client
    from django.urls import reverse

    from training.attendance.exports import attendance_csv_stream
    from training.attendance.models import AttendanceSignature
    from training.documents.models import GeneratedDocument
    from training.models import Enrolment, TrainingSession

    info = json.loads(Path(args.info).read_text())
    out: dict = {}
    Kind = GeneratedDocument.Kind

    # ---- P7 / P8: documents
    log("P7 documents per page")
    from training.documents.data import SessionData

    pack_session = TrainingSession.objects.get(pk=info["pack_session"])
    pack_trainees = [
        e.trainee
        for e in Enrolment.objects.filter(session=pack_session)
        .select_related("trainee")
        .order_by("pk")
    ]
    data = SessionData(pack_session)
    _render(Kind.CERTIFICATE, data, pack_trainees[0])  # warm up fonts and templates
    per_page = {}
    for name, key, trainee in (  # every kind of document, the certificate first
        ("certificate", Kind.CERTIFICATE, pack_trainees[0]),
        ("handout", Kind.HANDOUT, None),
        ("attendance sheet", Kind.ATTENDANCE, None),
        ("bibliography", Kind.BIBLIOGRAPHY, None),
        ("link list", Kind.LINKS, None),
        ("convocation", Kind.CONVOCATION, pack_trainees[0]),
        ("attestation", Kind.ATTESTATION, pack_trainees[0]),
    ):
        pdf, seconds = _timed(
            lambda key=key, trainee=trainee: _render(key, SessionData(pack_session), trainee),
            # The baseline best of 5, every other kind best of 3: a single timing of one
            # document on a shared machine is as likely to measure the machine as the page.
            5 if name == "certificate" else 3,
        )
        pages = _pdf_pages(pdf)
        per_page[name] = {
            "ms": round(seconds * 1000, 1),
            "pages": pages,
            "ms_per_page": seconds * 1000 / pages,
        }
    out["P7"] = per_page
    certificate_s = per_page["certificate"]["ms"] / 1000

    log("P8 full session pack")
    from django.conf import settings
    from django.test import Client as BundleClient

    from training.documents import services as document_services
    from training.documents.models import DocumentBundle
    from training.documents.services import documents_bundle

    processes = settings.WORKER_PDF_PROCESSES

    def pack():
        """The worker's bundle path (documents_bundle on the worker's printers), every
        document printed (nothing in the cache)."""
        GeneratedDocument.objects.filter(session=pack_session).delete()
        bundle = documents_bundle(
            session=pack_session,
            kinds=[Kind.HANDOUT, Kind.ATTENDANCE, Kind.CERTIFICATE, Kind.ATTESTATION],
            processes=processes,
        )
        return [document for _path, document in bundle]

    pack_documents, pack_s = _timed(pack, 2)
    pack_pages = sum(_pdf_pages(document.read()) for document in pack_documents)  # not timed
    out["P8"] = {
        "documents": sum(1 for document in pack_documents if document.rendered),
        "pages": pack_pages,
        "seconds": round(pack_s, 2),
        "ratio": pack_s / certificate_s,
        "processes": processes,
    }

    # « Tout télécharger » as a trainer does it: the request (fingerprints the bundle, creates
    # its row, enqueues the task) and then the worker's build (bundle_build, the task's body),
    # every document printed from scratch.
    log("P8/P14 « tout » bundle: request, then the worker's build")
    trainer = pack_session.trainers.order_by("pk").first()
    bundle_client = BundleClient()
    bundle_client.force_login(trainer)
    start_url = reverse("training:session_bundle_start", args=[pack_session.pk, "tout"])

    def request():
        DocumentBundle.objects.filter(session=pack_session).delete()
        response = bundle_client.post(start_url)
        assert response.status_code == 302, response.status_code
        return response

    GeneratedDocument.objects.filter(session=pack_session).delete()
    _response, request_s = _timed(request, 3)
    joined, join_s = _timed(lambda: bundle_client.post(start_url), 3)  # the same bundle again
    assert joined.status_code == 302
    bundle = DocumentBundle.objects.get(session=pack_session)
    began = time.perf_counter()
    outcome = document_services.bundle_build(bundle_id=bundle.pk, processes=processes)
    build_s = time.perf_counter() - began
    bundle.refresh_from_db()
    assert outcome == "built" and bundle.status == "ready", (outcome, bundle.status)
    import zipfile

    with zipfile.ZipFile(bundle.file.path) as archive:  # not timed
        full_pages = sum(_pdf_pages(archive.read(name)) for name in archive.namelist())
    out["P8_full"] = {
        "documents": bundle.total,
        "pages": full_pages,
        "trainees": len(pack_trainees),
        "seconds": round(build_s, 2),
        "ms_per_page": build_s * 1000 / full_pages,
        "ratio": build_s / certificate_s,
        # P8's bound (60 certificates for the pack) spread over the pack's pages.
        "per_page_vs_p8_bound": (build_s / full_pages) / (60 * certificate_s / pack_pages),
        "processes": processes,
    }
    out["P14"] = {
        "request_ms": round(request_s * 1000, 1),
        "join_ms": round(join_s * 1000, 1),
        "build_s": round(build_s, 2),
        "ratio": request_s / build_s,
    }

    # ---- P11: attendance export
    log("P11 attendance export")
    past = list(TrainingSession.objects.exclude(pk=info["focus_session"]).order_by("-start_date"))
    chosen, expected = [], 0  # the latest sessions, until 10,000 trainee × half-day rows
    for candidate in past:
        chosen.append(candidate)
        expected += candidate.slots.count() * candidate.enrolments.count()
        if expected >= 10_000:
            break
    since, until = min(s.start_date for s in chosen), max(s.end_date for s in chosen)

    def export():
        rows = 0
        for chunk in attendance_csv_stream(since=since, until=until):
            rows += chunk.count("\r\n")
        return rows - 1

    def iterate():
        rows = 0
        for _row in (
            AttendanceSignature.objects.filter(slot__session__in=chosen)
            .select_related("trainee", "slot")
            .iterator(chunk_size=2000)
        ):
            rows += 1
        return rows

    export()  # warm up
    iterate()
    base_rows, base_s = _timed(iterate, 2)
    rows, export_s = _timed(export, 2)  # timed without tracemalloc, which slows Python down
    tracemalloc.start()
    export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out["P11"] = {
        "rows": rows,
        "signature_rows": base_rows,
        "export_s": round(export_s, 3),
        "iterate_s": round(base_s, 3),
        "ratio": export_s / base_s,
        "peak_mb": peak / 1e6,
    }

    # ---- P12: login request vs one password check
    log("P12 login")
    user = Enrolment.objects.filter(session=info["focus_session"]).first().trainee
    url = reverse("login")
    logins, checks = [], []
    for _ in range(8):  # the best of 8 of each: a cost, not the machine's noise
        _ok, seconds = _timed(lambda: check_password(PASSWORD, user.password))
        checks.append(seconds)
        client = Client()
        _response, seconds = _timed(
            lambda client=client: client.post(url, {"username": user.email, "password": PASSWORD})
        )
        if _response.status_code != 302:
            out.setdefault("P12_errors", []).append(_response.status_code)
        logins.append(seconds)
    out["P12"] = {
        "login_ms": round(min(logins) * 1000, 1),
        "check_ms": round(min(checks) * 1000, 1),
        "ratio": min(logins) / min(checks),
    }
    return out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def phase_memory(args) -> dict:
    """P9: resident memory after 100 packs ÷ after 10 (fresh process)."""
    import gc

    django_setup()
    from training.documents.models import GeneratedDocument
    from training.models import Enrolment, TrainingSession

    Kind = GeneratedDocument.Kind
    info = json.loads(Path(args.info).read_text())
    session = TrainingSession.objects.get(pk=info["pack_session"])
    trainees = [
        e.trainee
        for e in Enrolment.objects.filter(session=session).select_related("trainee").order_by("pk")
    ][: args.pack_trainees]
    # A reduced pack (time budget): the per-trainee documents only, for a few trainees.
    kinds = {"session": [], "personal": [Kind.CERTIFICATE, Kind.ATTESTATION]}
    rss = {}
    documents = 0
    began = time.perf_counter()
    for index in range(1, args.packs + 1):
        documents += _pack(session, trainees, kinds)
        if index in (1, 10, args.packs):
            gc.collect()  # count live memory, not garbage awaiting collection
            rss[index] = _rss_mb()
    return {
        "pack": f"{len(trainees)} certificate(s) + {len(trainees)} attestation(s)",
        "packs": args.packs,
        "documents": documents,
        "seconds": round(time.perf_counter() - began, 1),
        "rss_mb": rss,
        "ratio": rss[args.packs] / rss[10],
    }


def phase_import(args) -> dict:
    """P13: a 5,000-row CSV of trainees: upload + preview page, the import (its emails queued),
    a re-import, the worker's sending of the emails."""
    django_setup()
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core import mail
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from modules.models import Course
    from training.access import roles
    from training.background.models import EmailDelivery
    from training.models import User
    from training.sessions.imports import enrolment_import_csv, trainee_csv_parse
    from training.sessions.services import session_create
    from training.sessions.tasks import emails_send

    rows, existing, sample = 5000, 1000, 200  # a fifth of the file already has an account
    trainer = User.objects.create_user(
        "formateur.import@exemple.fr", password=PASSWORD, first_name="Inès", last_name="Import"
    )
    trainer.groups.add(Group.objects.get(name=roles.TRAINER))
    User.objects.bulk_create(
        [
            User(
                email=f"stagiaire{i:05d}@exemple.fr",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i:05d}",
                password=make_password(None),
            )
            for i in range(existing)
        ],
        batch_size=1000,
        ignore_conflicts=True,  # the large dataset already has them
    )
    first = timezone.localdate() + datetime.timedelta(days=200)
    session = session_create(
        course=Course.objects.order_by("pk").first(),
        title="Session du banc d'essai (import)",
        dates=[first, first + datetime.timedelta(days=1)],
        trainers=[trainer],
        capacity=rows,
    )
    # Excel's « CSV (séparateur : point-virgule) »: Windows-1252, accents, CRLF.
    lines = ["nom;prénom;email;profession;organisation"]
    for i in range(rows):
        email = f"stagiaire{i:05d}@exemple.fr" if i < existing else f"import{i:05d}@exemple.fr"
        lines.append(f"Lefèvre{i};Hélène;{email};Éducatrice spécialisée;Foyer Saint-Exupéry")
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")

    client = Client()
    client.force_login(trainer)
    upload = io.BytesIO(data)
    upload.name = "stagiaires.csv"
    url = reverse("training:enrolment_import", args=[session.pk])
    response, preview_s = _timed(lambda: client.post(url, {"file": upload}))
    assert response.status_code == 200 and b"csv_text" in response.content, response.status_code

    def run_import():
        """As the import page does it: the enrolments and their emails queued (one delivery
        per convocation and invitation, batches of tasks enqueued after the commit)."""
        return enrolment_import_csv(session=session, rows=trainee_csv_parse(data).rows)

    cpu = time.process_time()
    report, import_s = _timed(run_import)
    import_cpu_s = time.process_time() - cpu  # this process's CPU: what a busy machine hides
    again, reimport_s = _timed(run_import)  # the same file again: nothing new
    assert len(report.enrolled) == rows and not again.enrolled, (report, again)

    # The emails of the import, sent afterwards by the task worker (its task's body, here in
    # process with the locmem backend), on a sample of the queued deliveries.
    queued = EmailDelivery.objects.filter(session=session, status="queued")
    assert queued.count() == rows, queued.count()
    enrolments = list(queued.order_by("pk").values_list("pk", flat=True)[:sample])
    new_users = list(
        EmailDelivery.objects.filter(kind="invitation", status="queued")
        .order_by("pk")
        .values_list("pk", flat=True)[:sample]
    )
    mail.outbox = []
    _sent, convocations_s = _timed(lambda: emails_send.call(enrolments))
    _sent, invitations_s = _timed(lambda: emails_send.call(new_users))
    assert len(mail.outbox) == 2 * sample, len(mail.outbox)
    convocation_ms = convocations_s * 1000 / sample
    invitation_ms = invitations_s * 1000 / sample
    return {
        "rows": rows,
        "existing_accounts": existing,
        "accounts_created": len(report.accounts_created),
        "preview_s": round(preview_s, 2),
        "import_s": round(import_s, 2),
        "import_cpu_s": round(import_cpu_s, 2),
        "reimport_s": round(reimport_s, 2),
        "convocation_ms": round(convocation_ms, 1),
        "invitation_ms": round(invitation_ms, 1),
        "emails_estimate_s": round(
            (rows * convocation_ms + len(report.accounts_created) * invitation_ms) / 1000, 1
        ),
    }


PHASES = {
    "import": phase_import,
    "stock_seed": phase_stock_seed,
    "template": phase_template,
    "submissions": phase_submissions,
    "seed": phase_seed,
    "queries": phase_queries,
    "signatures": phase_signatures,
    "inproc": phase_inproc,
    "memory": phase_memory,
}


# =========================================================================== orchestrator


def _ok(ok, no: str) -> str:
    """A table cell for a target met, missed, or an informational row (ok is None)."""
    return "—" if ok is None else "yes" if ok else no


class Bench:
    def __init__(self, args):
        self.args = args
        if getattr(args, "reuse", None):
            self.tmp = Path(args.reuse)
            self.secret = (self.tmp / "secret").read_text().strip()
        else:
            self.tmp = Path(tempfile.mkdtemp(prefix="bench-"))
            self.secret = os.urandom(32).hex()
        self.results: dict = {"scale": args.scale, "notes": []}

    def env(self, db: Path, **extra) -> dict:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.bench.settings",
            DJANGO_SECRET_KEY=self.secret,
            DJANGO_DEBUG="0",
            SQLITE_PATH=str(db),
            DJANGO_MEDIA_ROOT=str(self.tmp / "media"),
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env

    def child(self, phase: str, db: Path, *extra_args, env_extra=None, timeout=600) -> dict:
        out = self.tmp / f"{phase}-{db.stem}-{len(extra_args)}.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--phase",
            phase,
            "--out",
            str(out),
        ]
        command += ["--scale", str(self.args.scale), *extra_args]
        began = time.perf_counter()
        subprocess.run(
            command, env=self.env(db, **(env_extra or {})), cwd=ROOT, check=True, timeout=timeout
        )
        log(f"phase {phase} ({db.stem}) done in {time.perf_counter() - began:.1f} s")
        return json.loads(out.read_text())

    def stock_seed(self, db: Path) -> dict:
        """Create the stock Django project's database (tests/bench/stock_settings.py)."""
        return self.child("stock_seed", db, env_extra={"STOCK_SQLITE_PATH": str(db)})

    # ---- HTTP

    def gunicorn_start(self, db: Path, **env_extra) -> tuple[subprocess.Popen, int]:
        """Start gunicorn (2 workers) on a free port; return the process and the port."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "training.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            env=self.env(db, **env_extra),
            cwd=ROOT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.fetch("/bench/hello/" if not env_extra else "/bench/stock-user/", port=port)
                return server, port
            except OSError:
                time.sleep(0.5)
        server.kill()
        raise RuntimeError("gunicorn did not start")

    @staticmethod
    def gunicorn_stop(server: subprocess.Popen):
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    def fetch(self, path, cookie=None, port=None):
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        headers = {"Cookie": cookie_header(cookie)} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def load(self, path, cookie=None, port=None) -> dict:
        """Requests per second on one URL: wrk -t2 -c8 for WRK_SECONDS, or a Python client."""
        port = port or self.port
        status, _body = self.fetch(path, cookie, port=port)
        if status != 200:
            return {"status": status, "rps": 0.0}
        wrk = shutil.which("wrk")
        if wrk:
            command = [wrk, "-t2", "-c8", f"-d{WRK_SECONDS}s", "--timeout", "10s"]
            if cookie:
                command += ["-H", f"Cookie: {cookie_header(cookie)}"]
            output = subprocess.run(
                [*command, f"http://127.0.0.1:{port}{path}"],
                capture_output=True,
                text=True,
                timeout=WRK_SECONDS + 30,
            ).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            return {"status": status, "rps": rps, "non_2xx": int(bad.group(1)) if bad else 0}
        return self._python_load(path, cookie, port)

    def submit(self, prepared: dict, answers: dict) -> float:
        """POST one quiz submission as its trainee; return the latency (s) or raise."""
        import http.client
        import secrets
        from urllib.parse import urlencode

        token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        body = urlencode({"csrfmiddlewaretoken": token, **answers})
        headers = {
            "Cookie": f"sessionid={prepared['cookie']}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        began = time.perf_counter()
        connection.request("POST", prepared["url"], body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - began
        connection.close()
        location = response.getheader("Location") or ""
        if response.status != 302 or not location.endswith("/resultat/"):
            raise RuntimeError(f"HTTP {response.status} {location}")
        return elapsed

    def submissions(self, prepared: dict) -> dict:
        """P5: one trainee at a time (the baseline), then 25 at once, through gunicorn."""
        answers = prepared["answers"]
        singles = [self.submit(item, answers) for item in prepared["singles"]]
        items = prepared["concurrent"]
        barrier = threading.Barrier(len(items))
        latencies, errors = [], []

        def run(item):
            try:
                barrier.wait()
                latencies.append(self.submit(item, answers))
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                errors.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=run, args=(item,)) for item in items]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        single = statistics.median(singles)
        p99 = _percentile(latencies, 99) if latencies else None
        return {
            "errors": errors,
            "submitted": len(latencies),
            "single_ms": round(single * 1000, 1),
            "p99_ms": round(p99 * 1000, 1) if p99 else None,
            "ratio": p99 / single if p99 else None,
        }

    def _python_load(self, path, cookie, port) -> dict:
        import http.client

        stop = time.time() + WRK_SECONDS
        done = [0] * 8

        def worker(index):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Cookie": cookie_header(cookie)} if cookie else {}
            while time.time() < stop and done[index] < 5000:
                connection.request("GET", path, headers=headers)
                connection.getresponse().read()
                done[index] += 1
            connection.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return {"status": 200, "rps": sum(done) / (time.perf_counter() - began), "client": "python"}

    # ---- run

    def pg_prepare(self) -> bool:
        try:
            import psycopg
        except ImportError:
            return False
        try:
            with psycopg.connect(
                PG_ADMIN_URL.replace("postgres://", "postgresql://"),
                autocommit=True,
                connect_timeout=5,
            ) as conn:
                name = PG_BENCH_URL.rsplit("/", 1)[1]
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{name}"')
            return True
        except Exception as exc:  # noqa: BLE001
            self.results["notes"].append(f"PostgreSQL unavailable: {exc}")
            return False

    def http_loads(self, info: dict) -> dict:
        """P1, P2: req/s of each page, of the platform's logged-in floor, of a stock Django
        project's logged-in floor and of a bare « hello », all served by the same gunicorn.

        The two gunicorns (the platform's, the stock project's) run side by side, each with 2
        workers, and are loaded one URL at a time; the baselines are measured before and
        after the pages and averaged, so a change of the machine's load shows in both.
        """
        stock_db = self.tmp / "stock.sqlite3"
        for old in self.tmp.glob("stock.sqlite3*"):
            old.unlink()
        stock_info = self.stock_seed(stock_db)
        log("HTTP loads under gunicorn (2 workers)")
        self.server, self.port = self.gunicorn_start(self.tmp / "large.sqlite3")
        stock_server, stock_port = self.gunicorn_start(
            stock_db,
            DJANGO_SETTINGS_MODULE="tests.bench.stock_settings",
            STOCK_SQLITE_PATH=str(stock_db),
        )
        trainee = info["cookies"]["trainee"]
        http = {}
        try:

            def baselines(suffix: str) -> None:
                http[f"hello{suffix}"] = self.load("/bench/hello/")
                http[f"stock{suffix}"] = self.load(
                    "/bench/stock-user/", stock_info["cookie"], port=stock_port
                )
                http[f"hello_user{suffix}"] = self.load("/bench/hello-user/", trainee)
                log(
                    f"  hello {http[f'hello{suffix}']['rps']:.0f}, stock floor "
                    f"{http[f'stock{suffix}']['rps']:.0f}, floor "
                    f"{http[f'hello_user{suffix}']['rps']:.0f} req/s"
                )

            baselines("")
            for name, (who, url) in info["pages"].items():
                http[name] = self.load(url, info["cookies"][who])
                log(f"  {name}: {http[name]}")
            baselines("_after")
        finally:
            self.gunicorn_stop(stock_server)
            self.gunicorn_stop(self.server)
        return http

    def run(self):
        started = time.perf_counter()
        a = self.args
        template, tiny, large = (self.tmp / f"{n}.sqlite3" for n in ("template", "tiny", "large"))
        log(f"working in {self.tmp}, scale {a.scale}")
        if a.reuse:  # the databases of an earlier --keep run (--http-only changes nothing)
            tiny_info = json.loads((self.tmp / "tiny.json").read_text())
            large_info = json.loads((self.tmp / "large.json").read_text())
        else:
            self.child("template", template)
            shutil.copy(template, tiny)
            shutil.copy(template, large)
            tiny_info = self.child("seed", tiny, "--scale", str(TINY_SCALE))
            large_info = self.child("seed", large)
            (self.tmp / "tiny.json").write_text(json.dumps(tiny_info))
            (self.tmp / "large.json").write_text(json.dumps(large_info))
        self.results["dataset"] = large_info["counts"]
        self.results["tiny_dataset"] = tiny_info["counts"]
        self.results["seed_seconds"] = large_info["seconds"]
        log(f"large dataset: {large_info['counts']}")

        # P3
        q_tiny = self.child("queries", tiny, "--info", str(self.tmp / "tiny.json"))
        q_large = self.child("queries", large, "--info", str(self.tmp / "large.json"))
        self.results["P3"] = {"tiny": q_tiny, "large": q_large}

        # P1, P2
        self.results["http"] = self.http_loads(large_info)
        if a.http_only:
            self.results["total_seconds"] = round(time.perf_counter() - started, 1)
            self.report()
            return
        prepared = self.child("submissions", large, "--info", str(self.tmp / "large.json"))
        log("P5 final-evaluation submissions over HTTP")
        self.server, self.port = self.gunicorn_start(large)
        try:
            self.results["P5"] = self.submissions(prepared)
        finally:
            self.gunicorn_stop(self.server)

        # P7, P8, P11, P12
        self.results["inproc"] = self.child("inproc", large, "--info", str(self.tmp / "large.json"))

        # P13 (on a copy: the import adds 4,000 accounts that later phases do not expect)
        imports = self.tmp / "import.sqlite3"
        shutil.copy(large, imports)
        self.results["P13"] = self.child("import", imports)

        # P6
        sig_sqlite = self.child("signatures", large)
        sig_pg = None
        if self.pg_prepare():
            try:
                sig_pg = self.child("signatures", large, env_extra={"DATABASE_URL": PG_BENCH_URL})
            except subprocess.CalledProcessError as exc:
                self.results["notes"].append(f"PostgreSQL signatures failed: {exc}")
        self.results["P6"] = {"sqlite": sig_sqlite, "postgresql": sig_pg}

        # P9
        self.results["P9"] = self.child(
            "memory",
            large,
            "--info",
            str(self.tmp / "large.json"),
            "--packs",
            str(a.packs),
            "--pack-trainees",
            str(a.pack_trainees),
        )
        self.results["total_seconds"] = round(time.perf_counter() - started, 1)
        if not a.keep and not a.reuse:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:  # the sessions' hashes need the run's secret key (tests/bench/instructions.py)
            (self.tmp / "secret").write_text(self.secret)
            log(f"kept {self.tmp}")
        self.report()

    # ---- table

    def rows(self) -> list[tuple]:
        r = self.results
        rows = []
        http = r["http"]
        fmt = lambda v: f"{v:.2f}"  # noqa: E731

        def mean(key):  # a baseline, measured before and after the pages
            return (http[key]["rps"] + http[f"{key}_after"]["rps"]) / 2

        hello, stock, floor = mean("hello"), mean("stock"), mean("hello_user")
        rows.append(
            (
                "P1/P2",
                "platform's logged-in floor (session, user, role; no page) req/s ÷ stock "
                f"Django's logged-in floor ({floor:.0f} / {stock:.0f} req/s; stock ÷ hello "
                f"{stock / hello:.2f})",
                fmt(floor / stock),
                "≥ 0.90",
                floor / stock >= 0.9,
            )
        )
        trainees = r.get("dataset", {}).get("trainees", "?")
        pages = {
            "lesson": ("P1", "lesson page", 0.7),
            "course": ("P2", "course page", 0.5),
            "session": ("P2", "trainer session page", 0.5),
            "dashboard": ("P2", "trainee dashboard", 0.4),
            "results": ("P2", f"results page (final evaluation, {trainees} trainees)", 0.25),
        }
        for key, (measure, label, target) in pages.items():
            rps = http[key]["rps"]
            rows.append(
                (
                    measure,
                    f"{label} req/s ÷ stock Django floor ({rps:.0f} req/s; ÷ hello "
                    f"{rps / hello:.2f})",
                    fmt(rps / stock),
                    f"≥ {target:.2f}",
                    rps / stock >= target,
                )
            )
        for key, page in r["P3"]["large"].items():
            tiny = r["P3"]["tiny"][key]["queries"]
            ratio = page["queries"] / tiny if tiny else float("nan")
            rows.append(
                (
                    "P3",
                    f"SQL queries, {key} page: large ÷ tiny ({page['queries']}/{tiny})",
                    fmt(ratio),
                    "1.0",
                    ratio == 1.0,
                )
            )
        if "P5" not in r:  # --http-only
            return rows
        p5 = r["P5"]
        rows.append(
            (
                "P5",
                "25 concurrent final submissions (HTTP, gunicorn): errors",
                str(len(p5["errors"])),
                "0",
                not p5["errors"],
            )
        )
        rows.append(
            (
                "P5",
                f"p99 ÷ single submission ({p5['p99_ms']} ms / {p5['single_ms']} ms)",
                fmt(p5["ratio"]) if p5["ratio"] else "n/a",
                "≤ 10",
                bool(p5["ratio"]) and p5["ratio"] <= 10,
            )
        )
        p6 = r["P6"]
        sqlite, pg = p6["sqlite"], p6["postgresql"]
        rows.append(
            (
                "P6",
                "25 concurrent signatures, SQLite: errors",
                str(len(sqlite["errors"])),
                "0",
                not sqlite["errors"],
            )
        )
        if pg:
            rows.append(
                (
                    "P6",
                    "25 concurrent signatures, PostgreSQL: errors",
                    str(len(pg["errors"])),
                    "0",
                    not pg["errors"],
                )
            )
            ratio = sqlite["throughput"] / pg["throughput"] if pg["throughput"] else float("nan")
            rows.append(
                (
                    "P6",
                    f"SQLite ÷ PostgreSQL signatures/s ({sqlite['throughput']:.0f}/{pg['throughput']:.0f})",
                    fmt(ratio),
                    "≥ 0.5",
                    ratio >= 0.5,
                )
            )
        else:
            rows.append(("P6", "SQLite ÷ PostgreSQL signatures/s", "not run", "≥ 0.5", False))
        p7 = r["inproc"]["P7"]
        base = p7["certificate"]["ms_per_page"]
        for name, value in p7.items():
            ratio = value["ms_per_page"] / base
            rows.append(
                (
                    "P7",
                    f"{name}: {value['ms_per_page']:.0f} ms/page ({value['pages']} p.) ÷ certificate",
                    fmt(ratio),
                    "≤ 3",
                    ratio <= 3,
                )
            )
        p8 = r["inproc"]["P8"]
        rows.append(
            (
                "P8",
                f"session pack ({p8['documents']} PDFs, {p8.get('pages', '?')} p., "
                f"{p8['seconds']} s, the worker's path on {p8.get('processes', 1)} processes) "
                "÷ one certificate",
                fmt(p8["ratio"]),
                "≤ 60",
                p8["ratio"] <= 60,
            )
        )
        full = r["inproc"].get("P8_full")
        if full:
            rows.append(
                (
                    "P8",
                    f"« tout » bundle built by the worker (bundle_build, {full['trainees']} "
                    f"trainees, {full['documents']} PDFs, {full['pages']} p., "
                    f"{full['seconds']} s, {full['ms_per_page']:.0f} ms/page): ms/page ÷ P8's "
                    "bound per page (60 certificates over the pack's pages)",
                    fmt(full["per_page_vs_p8_bound"]),
                    "≤ 1",
                    full["per_page_vs_p8_bound"] <= 1,
                )
            )
        p14 = r["inproc"].get("P14")
        if p14:
            rows.append(
                (
                    "P14",
                    f"« tout » request ({p14['request_ms']} ms; the same bundle again: "
                    f"{p14['join_ms']} ms) ÷ building it in the worker ({p14['build_s']} s)",
                    f"{p14['ratio']:.3f}",
                    "≤ 0.05 (1/20)",
                    p14["ratio"] <= 0.05,
                )
            )
        p9 = r["P9"]
        rss = p9["rss_mb"]
        rows.append(
            (
                "P9",
                f"RSS after {p9['packs']} packs ÷ after 10 ({float(rss[str(p9['packs'])] if str(p9['packs']) in rss else rss[p9['packs']]):.0f} MB; pack = {p9['pack']})",
                fmt(p9["ratio"]),
                "≤ 1.2",
                p9["ratio"] <= 1.2,
            )
        )
        p11 = r["inproc"]["P11"]
        rows.append(
            (
                "P11",
                f"{p11['rows']}-row attendance export time ÷ iterating the rows",
                fmt(p11["ratio"]),
                "≤ 5",
                p11["ratio"] <= 5,
            )
        )
        rows.append(
            (
                "P11",
                "attendance export: extra memory (tracemalloc peak, MB)",
                f"{p11['peak_mb']:.1f}",
                "≤ 50",
                p11["peak_mb"] <= 50,
            )
        )
        p13 = r.get("P13")
        if p13:
            rows.append(
                (
                    "P13",
                    f"{p13['rows']}-row CSV import ({p13['accounts_created']} new accounts, "
                    f"CPU {p13.get('import_cpu_s', '?')} s; preview page {p13['preview_s']} s, "
                    f"re-import {p13['reimport_s']} s): seconds",
                    f"{p13['import_s']:.2f}",
                    "≤ 5 (a few seconds)",
                    p13["import_s"] <= 5,
                )
            )
            rows.append(
                (
                    "P13",
                    f"its emails (queued by the import), sent afterwards by the task worker "
                    f"({p13['convocation_ms']} ms per convocation, {p13['invitation_ms']} ms "
                    "per invitation): estimated seconds",
                    f"{p13['emails_estimate_s']:.0f}",
                    "(info)",
                    None,
                )
            )
        p12 = r["inproc"]["P12"]
        rows.append(
            (
                "P12",
                f"login request ÷ one password check ({p12['login_ms']} / {p12['check_ms']} ms)",
                fmt(p12["ratio"]),
                "≤ 1.3",
                p12["ratio"] <= 1.3,
            )
        )
        return rows

    def report(self):
        rows = self.rows()
        self.results["table"] = [
            {"id": i, "measure": m, "value": v, "target": t, "ok": ok} for i, m, v, t, ok in rows
        ]
        widths = [max(len(str(row[k])) for row in rows) for k in range(4)]
        print()
        print(
            f"{'id':<{widths[0]}}  {'measure':<{widths[1]}}  {'value':>{widths[2]}}  {'target':<{widths[3]}}  ok"
        )
        for i, m, v, t, ok in rows:
            print(
                f"{i:<{widths[0]}}  {m:<{widths[1]}}  {v:>{widths[2]}}  {t:<{widths[3]}}  {_ok(ok, 'NO')}"
            )
        counts_text = ", ".join(f"{k} {v}" for k, v in self.results["dataset"].items())
        print(f"\nDataset: {counts_text}. Total {self.results['total_seconds']} s.")
        for note in self.results["notes"]:
            print(f"Note: {note}")
        (HERE / "results-latest.json").write_text(json.dumps(self.results, indent=2, default=str))
        if self.args.http_only:
            return
        lines = [
            "# Last `make bench` run",
            "",
            f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, scale {self.args.scale} "
            f"({counts_text}); {self.results['total_seconds']} s in all.",
            "",
            "| id | measure | value | target | ok |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {i} | {m} | {v} | {t} | {_ok(ok, '**no**')} |" for i, m, v, t, ok in rows]
        lines += [""] + [f"Note: {n}" for n in self.results["notes"]]
        (HERE / "last-run.md").write_text("\n".join(lines).rstrip() + "\n")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="dataset size (1.0 = 5,000 trainees)"
    )
    parser.add_argument(
        "--packs", type=int, default=100, help="P9: packs rendered (RSS at 10 and here)"
    )
    parser.add_argument("--pack-trainees", type=int, default=1, help="P9: trainees per pack")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="only P1, P2 and P3, not written to last-run.md (a quicker run while working)",
    )
    parser.add_argument(
        "--reuse", metavar="DIR", help="the databases of an earlier --keep run (with --http-only)"
    )
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--info", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = PHASES[args.phase](args)
        Path(args.out).write_text(json.dumps(result, default=str))
        return
    Bench(args).run()


if __name__ == "__main__":
    main()
