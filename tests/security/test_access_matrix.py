"""Every named URL × every role → the expected status; object-scoped routes stay private."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import MATRIX
from tests.security.world import ROLES, url_for, url_kwargs, url_names, world_build

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def client_for(world, role, **kwargs):
    client = Client(**kwargs)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def observed(response):
    if response.status_code == 302:
        return "L" if response.url.startswith(LOGIN) else "R"
    return response.status_code


def test_every_named_url_is_in_the_access_matrix():
    names = set(url_names())
    missing = sorted(names - set(MATRIX))
    stale = sorted(set(MATRIX) - names)
    assert not missing, f"add these URLs to tests/security/matrix.py: {missing}"
    assert not stale, f"these URLs no longer exist: {stale}"


def test_every_url_with_arguments_has_its_arguments(course_loaded):
    world = world_build()
    for name in url_names():
        assert url_for(world, name)  # NoReverseMatch when kwargs are missing


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_url(course_loaded, role):
    world = world_build()
    column = ROLES.index(role)
    client = client_for(world, role)
    wrong = []
    for name, expected in sorted(MATRIX.items()):
        got = observed(client.get(url_for(world, name)))
        if got != expected[column]:
            wrong.append(f"{name}: expected {expected[column]}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_matrix_only_grants_object_routes_to_their_owners():
    """Whoever does not own session A never gets a 200 on a route scoped to its objects."""
    scoped = [name for name, kwargs in _kwargs_sample().items() if _is_object_scoped(kwargs)]
    for name in scoped:
        row = dict(zip(ROLES, MATRIX[name], strict=True))
        for outsider in ("other_trainee", "other_trainer"):
            assert row[outsider] in (403, 404, 405, "L"), (name, outsider, row[outsider])


def _kwargs_sample():
    class Stub:
        pk = 1
        token = "x"
        link_secret = "x"
        slug = "x"
        key = "x"

    class StubWorld:
        session = slot = enrolment = signature = resource = attempt = quiz = lesson = Stub()
        module = case = token = erasure = bundle = reference = flag = Stub()
        invitation = comment = complaint = action = Stub()
        users = {"trainee": Stub()}
        session.start_date = datetime.date(2026, 1, 5)  # the BPF export names a year

    return url_kwargs(StubWorld())


def _is_object_scoped(kwargs):
    return any(key in kwargs for key in ("pk", "slot_pk", "signature_pk", "enrolment_pk"))


# --- Mixed identifiers: an object of session B reached through session A's URL -------------


def test_mixed_identifiers_never_reach_another_sessions_objects(course_loaded):
    world = world_build()
    s = world.session.pk
    other_slot = world.other_session.slots.order_by("date", "period").first()
    other_trainee = world.users["other_trainee"]
    urls = [
        reverse("training:attendance_evidence", args=[s, world.other_signature.pk]),
        reverse("training:attendance_signature_correct", args=[s, world.other_signature.pk]),
        reverse("training:slot_update", args=[s, other_slot.pk]),
        reverse("training:attendance_console_state", args=[s, other_slot.pk]),
        reverse("training:attendance_qr", args=[s, other_slot.pk]),
        reverse("training:session_trainee_document", args=[s, "convocation", other_trainee.pk]),
    ]
    for role in ("trainer", "admin"):
        client = client_for(world, role)
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)


def test_a_trainee_never_reaches_another_trainees_evidence_or_documents(course_loaded):
    world = world_build()
    client = client_for(world, "trainee")
    other = world.other_session.pk
    for url in [
        reverse("training:attendance_evidence", args=[other, world.other_signature.pk]),
        reverse("training:attendance_evidence", args=[world.session.pk, world.other_signature.pk]),
        reverse("training:my_document", args=[other, "convocation"]),
        reverse("training:session_detail", args=[other]),
        reverse("quizzes:attempt_take", args=[world.other_attempt.pk]),
        reverse("quizzes:attempt_result", args=[world.other_attempt.pk]),
        reverse(
            "training:attendance_sign",
            args=[world.other_session.slots.order_by("pk").first().pk],
        ),
    ]:
        assert client.get(url).status_code in (403, 404), url


def test_a_second_trainee_of_the_same_session_cannot_see_the_first_ones_signature(
    course_loaded,
):
    from tests.factories import EnrolmentFactory, UserFactory

    world = world_build()
    classmate = UserFactory(role="Stagiaire")
    EnrolmentFactory(session=world.session, trainee=classmate)
    client = Client()
    client.force_login(classmate)
    url = reverse("training:attendance_evidence", args=[world.session.pk, world.signature.pk])
    assert client.get(url).status_code == 404
    document = reverse(
        "training:session_trainee_document",
        args=[world.session.pk, "convocation", world.users["trainee"].pk],
    )
    assert client.get(document).status_code == 403


def test_the_calendar_feed_needs_the_exact_secret_token(course_loaded):
    world = world_build()
    client = Client()
    bad = reverse("training:calendar_feed_ics", args=["pas-le-bon-jeton"])
    assert client.get(bad).status_code == 404
    own = client.get(url_for(world, "training:calendar_feed_ics")).content.decode()
    assert world.session.code in own
    assert world.other_session.code not in own


# --- POST-only routes: non-owners are refused and nothing changes -----------------------------


def _post_routes(world):
    s, slot = world.session.pk, world.slot.pk
    trainee = world.users["trainee"]
    return {
        "enrolment_remove": (
            reverse("training:enrolment_remove", args=[s, world.enrolment.pk]),
            {},
        ),
        "convocation_resend": (
            reverse("training:convocation_resend", args=[s, world.enrolment.pk]),
            {},
        ),
        "convocations_resend": (reverse("training:convocations_resend", args=[s]), {}),
        "session_bundle_start": (
            reverse("training:session_bundle_start", args=[s, "tout"]),
            {},
        ),
        "session_proofs_start": (reverse("training:session_proofs_start", args=[s]), {}),
        "bpf_enrolment_edit": (
            reverse("training:bpf_enrolment_edit", args=[world.enrolment.pk]),
            {"trainee_category": "autre", "funding_source": "autre", "price": "1"},
        ),
        "session_resource_create": (
            reverse("training:session_resource_create", args=[s]),
            {"kind": "link", "title": "Intrus", "url": "https://exemple.fr/"},
        ),
        "session_resource_delete": (
            reverse("training:session_resource_delete", args=[s, world.resource.pk]),
            {},
        ),
        "attendance_slot_open": (reverse("training:attendance_slot_open", args=[s, slot]), {}),
        "attendance_status_mark": (
            reverse("training:attendance_status_mark", args=[s, slot]),
            {"trainee": trainee.pk, "status": "absent", "reason": "x"},
        ),
        "attendance_slot_close": (reverse("training:attendance_slot_close", args=[s, slot]), {}),
        "attendance_signature_correct": (
            reverse("training:attendance_signature_correct", args=[s, world.signature.pk]),
            {"new_status": "absent", "reason": "Intrusion"},
        ),
        "session_update": (reverse("training:session_update", args=[s]), {"title": "Piraté"}),
        "session_cancel": (reverse("training:session_cancel", args=[s]), {"reason": "x"}),
        "enrolment_create": (
            reverse("training:enrolment_create", args=[s]),
            {"email": "intrus@exemple.fr", "first_name": "I", "last_name": "N"},
        ),
        "attempt_take": (reverse("quizzes:attempt_take", args=[world.attempt.pk]), {}),
        "sponsor_invite": (
            reverse("training:sponsor_invite", args=[s]),
            {"name": "Intrus", "email": "intrus@exemple.fr"},
        ),
        "session_survey_settings": (
            reverse("training:session_survey_settings", args=[s]),
            {"cold_delay_days": "5"},
        ),
        "survey_comment_moderate": (
            reverse("training:survey_comment_moderate", args=[world.comment.pk]),
            {"decision": "publier"},
        ),
        "complaint_detail": (
            reverse("training:complaint_detail", args=[world.complaint.pk]),
            {"status": "close", "internal_note": "Intrusion"},
        ),
        "action_update": (
            reverse("training:action_update", args=[world.action.pk]),
            {"title": "Piraté", "description": "x", "source": "autre", "status": "prevue"},
        ),
    }


def _snapshot():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("training", "quizzes", "modules", "boussole")
    }


@pytest.mark.parametrize("role", ["anonymous", "trainee", "other_trainee", "other_trainer"])
def test_non_owners_posting_to_object_routes_are_refused_and_change_nothing(course_loaded, role):
    world = world_build()
    client = client_for(world, role)
    before = _snapshot()
    for name, (url, data) in _post_routes(world).items():
        if role == "trainee" and name == "attempt_take":
            continue  # their own attempt
        response = client.post(url, data)
        assert observed(response) in ("L", 403, 404), (role, name, response.status_code)
    assert _snapshot() == before
    world.session.refresh_from_db()
    assert world.session.title != "Piraté"
    assert not world.session.is_cancelled
    for obj in (world.comment, world.complaint, world.action):
        obj.refresh_from_db()
    assert world.comment.comment_status == "a_relire"
    assert world.complaint.status == "recue"
    assert world.action.title != "Piraté"
    assert not hasattr(world.session, "survey_settings")
    world.enrolment.refresh_from_db()
    assert world.enrolment.trainee_category == "" and world.enrolment.price is None
