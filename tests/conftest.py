import pytest
from django.conf import settings


def pytest_configure(config):
    # Fast hashing keeps the suite quick; the production hasher is exercised by the benchmarks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Bundles print one PDF after the other, in the test's process (the parallel printing
    # has its own tests in tests/training/test_documents_parallel.py).
    settings.DOCUMENTS_PDF_PROCESSES = 1


@pytest.fixture(scope="session")
def course_loaded(django_db_setup, django_db_blocker):
    """Load the real course content once for the whole session (tests run in transactions)."""
    from training.content import content_load

    with django_db_blocker.unblock():
        content_load()


@pytest.fixture
def trainee(db):
    from tests.factories import UserFactory

    return UserFactory(role="Stagiaire")


@pytest.fixture
def trainer(db):
    from tests.factories import UserFactory

    return UserFactory(role="Formateur")


@pytest.fixture
def administrator(db):
    from tests.factories import UserFactory

    return UserFactory(role="Administrateur")
