import pytest
from django.conf import settings


def pytest_configure(config):
    # Fast hashing keeps the suite quick; the production hasher is exercised by the benchmarks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


@pytest.fixture(autouse=True)
def _french(settings):
    """Start every test in the site's language: a request made in English (language cookie)
    leaves English active in the thread, and the next test must not inherit it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Bundles print one PDF after the other, in the test's process (the worker's parallel
    # printing has its own tests in tests/documents/test_parallel.py).
    settings.WORKER_PDF_PROCESSES = 1


@pytest.fixture
def run_tasks(settings, monkeypatch):
    """Run the queued tasks that are ready now with the real worker of the active backend, in
    this process and inside the test's transaction; returns how many ran.

    Database backend: django-tasks-db's ``Worker`` in batch mode (its ``close_old_connections``
    is made a no-op: closing the connection would end the test's transaction). RQ backend
    (``TASKS_BACKEND=rq``, a real redis-server, ``make pytest-rq``): django-rq's worker in burst
    mode, as a ``SimpleWorker`` (no fork: the test database lives in this process), with RQ's
    scheduler moving the ``run_after`` jobs that are due.
    """

    def run() -> int:
        if settings.TASKS_BACKEND == "rq":
            import django_rq
            from django_tasks_rq.backend import Job
            from rq.worker import SimpleWorker

            queue = django_rq.get_queue("default")

            def finished() -> int:
                return queue.finished_job_registry.count + queue.failed_job_registry.count

            before = finished()
            worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)
            worker.work(burst=True, with_scheduler=True)
            return finished() - before
        from django_tasks_db.management.commands import db_worker

        monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
        worker = db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run


@pytest.fixture(autouse=True)
def _empty_redis(settings):
    """On the RQ backend, every test starts with an empty queue (its own Redis database)."""
    if settings.TASKS_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").flushdb()
    yield


def _real_course_present() -> bool:
    from boussole.models import Guide
    from modules.models import Course, Lesson

    return (
        Course.objects.filter(slug=REAL_COURSE_SLUG).exists()
        and Lesson.objects.exists()
        and Guide.objects.exists()
    )


REAL_COURSE_SLUG = "partage-information-secret"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every worker's test database holds the real course (lessons, quizzes, guide), committed
    once: each test starts from the same data whatever ran before it in the worker, and its
    own changes are rolled back with it. Tests that build their own content ask for
    ``no_course``."""
    from training.content.loader import content_load

    with django_db_blocker.unblock():
        content_load()


@pytest.fixture
def course_loaded(db):
    """The real course. A transactional test (browser, concurrency) empties the database when
    it ends; pytest-django runs those last, but should one come first, the course is loaded
    again inside this test's transaction."""
    from training.content.loader import content_load

    if not _real_course_present():
        content_load()


@pytest.fixture
def no_course(db):
    """No course, quiz, guide or session: the database as on a fresh install (deleted inside the
    test's transaction, so the committed course is back for the next test)."""
    from boussole.models import Case, Guide
    from modules.models import Course, GlossaryTerm, Resource
    from quizzes.models import Quiz
    from training.models import TrainingSession

    TrainingSession.objects.all().delete()
    Case.objects.all().delete()
    Guide.objects.all().delete()
    Quiz.objects.all().delete()
    Course.objects.all().delete()
    GlossaryTerm.objects.all().delete()
    Resource.objects.all().delete()


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
