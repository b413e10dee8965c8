"""Server errors: a database unavailable for now answers 503 « try again », a bug answers 500,
and the 500 page says the team was told only when error reporting is configured."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory


def _read_only(on: bool) -> None:
    """Make the test's own database connection refuse writes (a real fault, no mock)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
        else:
            mode = "READ ONLY" if on else "READ WRITE"
            cursor.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION {mode}")


@pytest.mark.django_db(transaction=True)
def test_a_read_only_database_answers_503_in_french_then_service_returns():
    UserFactory(email="lea@exemple.fr")
    client = Client(raise_request_exception=False)
    credentials = {"username": "lea@exemple.fr", "password": DEFAULT_PASSWORD}
    _read_only(True)
    try:
        response = client.post(reverse("login"), credentials)
    finally:
        if connection.connection is not None:  # SQLite in memory is never closed
            _read_only(False)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page
    assert "Réessayez dans 30 secondes." in page
    assert '<html lang="fr">' in page
    if connection.vendor == "postgresql":
        # The connection that saw the fault was closed: the next request gets a fresh one.
        assert connection.connection is None
    assert client.post(reverse("login"), credentials).status_code == 302


def _caught(statement: str, *, read_only: bool = False) -> DatabaseError:
    """Run a statement that fails on the real database; return the error Django raised."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if read_only and connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION READ ONLY")  # undone with the savepoint
            elif read_only:
                cursor.execute("PRAGMA query_only = ON")
            cursor.execute(statement)
    except DatabaseError as error:
        return error
    finally:
        if read_only and connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
    raise AssertionError("the statement did not fail")


@pytest.mark.django_db
def test_only_errors_that_mean_unavailable_are_treated_as_such():
    from core.database import database_unavailable

    missing_table = _caught("SELECT * FROM no_such_table_at_all")
    duplicate = _caught(
        "INSERT INTO django_content_type (app_label, model) "
        "SELECT app_label, model FROM django_content_type LIMIT 1"
    )
    read_only = _caught("UPDATE django_content_type SET model = model", read_only=True)
    assert isinstance(duplicate, IntegrityError)
    assert not database_unavailable(missing_table)
    assert not database_unavailable(duplicate)
    assert not database_unavailable(ValueError("not a database error"))
    assert database_unavailable(read_only)


@pytest.mark.django_db
def test_the_503_page_reads_nothing_from_the_database(django_assert_num_queries):
    from training.pages.views import server_error

    error = _caught("UPDATE django_content_type SET model = model", read_only=True)
    request = RequestFactory().post("/comptes/connexion/")
    try:
        raise error
    except DatabaseError:
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 503


def _bug(client):
    return client.get("/panne/")


@pytest.mark.django_db
@pytest.mark.urls("tests.pages.urls_with_a_bug")
def test_a_bug_answers_500_without_claiming_anyone_was_told(settings):
    settings.ADMINS = []
    settings.SENTRY_DSN = ""
    response = _bug(Client(raise_request_exception=False))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Une erreur est survenue" in page
    assert "prévenue" not in page
    assert settings.ORGANISATION["email"] in page


@pytest.mark.django_db
@pytest.mark.urls("tests.pages.urls_with_a_bug")
@pytest.mark.parametrize(
    "reporting", [{"ADMINS": [("Exploitation", "ops@exemple.fr")]}, {"SENTRY_DSN": "https://k@s/1"}]
)
def test_the_500_page_says_the_team_was_told_when_errors_are_reported(settings, reporting):
    settings.ADMINS = []
    settings.SENTRY_DSN = ""
    for name, value in reporting.items():
        setattr(settings, name, value)
    response = _bug(Client(raise_request_exception=False))
    assert response.status_code == 500
    assert "L'équipe a été prévenue" in response.content.decode()
