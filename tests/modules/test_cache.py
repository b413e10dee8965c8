"""The course pages' shared cache: fewer queries, never stale, never another reader's progress."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Lesson, LessonProgress, Module
from tests.factories import UserFactory
from tests.modules.content_tree import replace_in, write_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(no_course, tmp_path):
    base = write_tree(tmp_path / "contenu", modules=2, lessons=2)
    content_load(base=base)
    return base


def _first_lesson():
    return Lesson.objects.select_related("module").order_by("module__number", "order").first()


def _warm_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("page", ["lesson", "course", "dashboard"])
def test_a_course_page_reads_the_session_the_user_and_the_cache_and_nothing_else(
    client, tree, page
):
    client.force_login(UserFactory(role="Stagiaire"))
    url = {
        "lesson": _first_lesson().get_absolute_url(),
        "course": reverse("modules:course_detail"),
        "dashboard": reverse("training:dashboard"),
    }[page]
    queries = _warm_queries(client, url)
    if page != "dashboard":  # its session, attendance, quiz and document panels read more
        assert len(queries) == 3
    assert "django_session" in queries[0]
    assert "training_user" in queries[1]
    assert "training_shared_cache" in queries[2]


def test_a_lesson_changed_in_the_admin_shows_at_once(client, tree):
    lesson = _first_lesson()
    trainee = client
    trainee.force_login(UserFactory(role="Stagiaire"))
    url = lesson.get_absolute_url()
    assert "Leçon 1.1" in trainee.get(url).content.decode()
    following = Lesson.objects.get(module=lesson.module, order=2)
    assert "Leçon 1.1" in trainee.get(following.get_absolute_url()).content.decode()

    admin = UserFactory(role="Administrateur", is_staff=True)
    editor = Client()
    editor.force_login(admin)
    change = reverse("admin:modules_lesson_change", args=[lesson.pk])
    form = editor.get(change)
    assert form.status_code == 200
    data = {
        "module": lesson.module_id,
        "slug": lesson.slug,
        "title": "Leçon renommée dans l'administration",
        "order": lesson.order,
        "minutes": 12,
        "source": "## Une seule partie\n\nUn texte tout neuf.",
    }
    response = editor.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    html = trainee.get(url).content.decode()
    assert "Leçon renommée dans l&#x27;administration" in html
    assert "Un texte tout neuf." in html
    assert "Temps de lecture : 12 minutes" in html
    # Its neighbour's « previous » link names it too.
    assert (
        "Leçon renommée dans l&#x27;administration"
        in trainee.get(following.get_absolute_url()).content.decode()
    )


def test_load_course_retires_the_cached_outline_and_lessons(client, tree):
    client.force_login(UserFactory(role="Stagiaire"))
    lesson = _first_lesson()
    assert "Leçon 1.1" in client.get(lesson.get_absolute_url()).content.decode()
    assert "Module 2" in client.get(reverse("modules:course_detail")).content.decode()

    replace_in(
        tree / "course" / "01-module" / "01-lecon.md", "title: Leçon 1.1", "title: Nouveau titre"
    )
    replace_in(tree / "course" / "01-module" / "01-lecon.md", "Texte.", "Texte rechargé.")
    replace_in(
        tree / "course" / "02-module" / "module.md", "title: Module 2", "title: Deuxième module"
    )
    content_load(base=tree)

    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "Nouveau titre" in html and "Texte rechargé." in html
    course = client.get(reverse("modules:course_detail")).content.decode()
    assert "Deuxième module" in course


def test_a_lesson_removed_by_load_course_is_gone(client, tree):
    client.force_login(UserFactory(role="Stagiaire"))
    lesson = Lesson.objects.get(slug="lecon-2-2")
    url = lesson.get_absolute_url()
    assert client.get(url).status_code == 200
    (tree / "course" / "02-module" / "02-lecon.md").unlink()
    content_load(base=tree)
    assert client.get(url).status_code == 404
    course = client.get(reverse("modules:course_detail")).content.decode()
    assert "0 leçon lue sur 3" in course  # French: zero is singular


def test_each_reader_sees_their_own_progress(client, tree):
    lesson = _first_lesson()
    reader, other = UserFactory(role="Stagiaire"), UserFactory(role="Stagiaire")
    other_client = Client()
    other_client.force_login(other)
    client.force_login(reader)
    url = lesson.get_absolute_url()
    for browser in (client, other_client):  # both pages cached before anything is read
        browser.get(url)
        browser.get(reverse("modules:course_detail"))

    response = client.post(
        reverse("modules:lesson_mark_read", args=[lesson.module.slug, lesson.slug])
    )
    assert response.status_code == 302

    assert "Vous avez lu cette leçon." in client.get(url).content.decode()
    assert "Vous avez lu cette leçon." not in other_client.get(url).content.decode()
    mine = client.get(reverse("modules:course_detail")).content.decode()
    theirs = other_client.get(reverse("modules:course_detail")).content.decode()
    assert "1 leçon lue sur 4" in mine
    assert "0 leçon lue sur 4" in theirs


def test_progress_removed_with_the_account_data_is_forgotten(client, tree):
    lesson = _first_lesson()
    reader = UserFactory(role="Stagiaire")
    client.force_login(reader)
    LessonProgress.objects.create(user=reader, lesson=lesson)
    url = lesson.get_absolute_url()
    assert "Vous avez lu cette leçon." in client.get(url).content.decode()
    LessonProgress.objects.filter(user=reader).delete()
    assert "Vous avez lu cette leçon." not in client.get(url).content.decode()


def test_a_module_renamed_in_the_admin_shows_on_the_course_page_and_the_dashboard(client, tree):
    client.force_login(UserFactory(role="Stagiaire"))
    client.get(reverse("modules:course_detail"))
    client.get(reverse("training:dashboard"))
    module = Module.objects.get(number=1)
    module.title = "Module renommé"
    module.save()
    assert "Module renommé" in client.get(reverse("modules:course_detail")).content.decode()
    assert "Module renommé" in client.get(reverse("training:dashboard")).content.decode()
