import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
# The collected static files of this test run; set by the first process (the xdist controller
# or a plain run) and inherited by the workers. Set it yourself to reuse a collected folder.
STATIC_ROOT_VARIABLE = "PARTAGE_TEST_STATIC_ROOT"
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def static_collect(root: Path) -> subprocess.CompletedProcess:
    """Run ``collectstatic`` into ``root`` with the production settings (DEBUG off, so
    WhiteNoise's compressed manifest storage), exactly as docs/operations.md has it run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "collectstatic-in-the-test-run-" + "s" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_STATIC_ROOT": str(root),
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def pytest_configure(config):
    # Fast hashing keeps the suite quick; the production hasher is exercised by the benchmarks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The production static storage, on files collected once per run: a template naming a
    # static file that does not exist fails its test (the manifest is strict), and the pages
    # link the hashed names production serves. tests/operations/test_static_files.py says why.
    root = os.environ.get(STATIC_ROOT_VARIABLE)
    if not root:
        root = tempfile.mkdtemp(prefix="partage-test-static-")
        result = static_collect(Path(root))
        if result.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            pytest.exit(
                "collectstatic fails with the production storage, so every page of a "
                f"production site would answer 500:\n{result.stderr[-3000:]}",
                returncode=1,
            )
        os.environ[STATIC_ROOT_VARIABLE] = root
        config._partage_static_root = root
    settings.STATIC_ROOT = Path(root)
    settings.STORAGES["staticfiles"]["BACKEND"] = PRODUCTION_STATIC_STORAGE
    # WhiteNoise scans STATIC_ROOT when a client's middleware loads (20 ms, once per test);
    # looking files up per request serves the same files with the same headers.
    settings.WHITENOISE_AUTOREFRESH = True


def pytest_unconfigure(config):
    root = getattr(config, "_partage_static_root", None)
    if root:
        shutil.rmtree(root, ignore_errors=True)
        os.environ.pop(STATIC_ROOT_VARIABLE, None)


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


@pytest.fixture(scope="session")
def _proof_key_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("proof-key")


@pytest.fixture(autouse=True)
def _proof_signing_key(settings, _proof_key_folder):
    """The proof packs' signing key of the test run, outside the project (one per worker)."""
    settings.PROOF_SIGNING_KEY_FILE = _proof_key_folder / "proof-signing-key.pem"


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
