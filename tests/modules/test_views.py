import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules import rendering
from modules.models import Lesson, LessonProgress
from tests.factories import UserFactory
from tests.modules.content_tree import write_tree
from training.content import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_course(tmp_path):
    content_load(base=write_tree(tmp_path / "small", modules=2, lessons=2))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def urls():
    lesson = Lesson.objects.select_related("module").order_by("module__number", "order").first()
    return [
        reverse("modules:course_detail"),
        lesson.module.get_absolute_url(),
        lesson.get_absolute_url(),
        reverse("modules:glossary"),
        reverse("training:dashboard"),
    ]


def test_query_counts_do_not_grow_with_lessons_or_trainees(client, tmp_path):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    content_load(base=write_tree(tmp_path / "a", modules=2, lessons=2))
    small = [count_queries(client, url) for url in urls()]
    content_load(base=write_tree(tmp_path / "b", modules=5, lessons=6))
    for other in UserFactory.create_batch(10, role="Stagiaire"):
        for lesson in Lesson.objects.all()[:5]:
            LessonProgress.objects.create(user=other, lesson=lesson)
    for lesson in Lesson.objects.all()[:3]:
        LessonProgress.objects.create(user=user, lesson=lesson)
    large = [count_queries(client, url) for url in urls()]
    assert large == small


def test_markdown_is_never_rendered_during_a_get(client, small_course, monkeypatch):
    client.force_login(UserFactory(role="Stagiaire"))
    calls = []
    monkeypatch.setattr(rendering.markdown, "Markdown", lambda *a, **k: calls.append(1))
    for url in urls():
        assert client.get(url).status_code == 200
    assert calls == []


def test_mark_read_is_idempotent_and_moves_progress(client, small_course):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    lesson = Lesson.objects.order_by("module__number", "order").first()
    url = reverse("modules:lesson_mark_read", args=[lesson.module.slug, lesson.slug])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert LessonProgress.objects.filter(user=user).count() == 1
    page = client.get(lesson.module.get_absolute_url()).content.decode()
    assert 'value="50"' in page


def test_trainer_notes_are_shown_to_trainers_only(client, small_course):
    lesson = Lesson.objects.first()
    client.force_login(UserFactory(role="Stagiaire"))
    assert "Notes du formateur" not in client.get(lesson.module.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role="Formateur"))
    assert "Notes du formateur" in client.get(lesson.module.get_absolute_url()).content.decode()


def test_course_pages_need_a_role(client, small_course):
    lesson = Lesson.objects.first()
    assert client.get(lesson.get_absolute_url()).status_code == 302
    client.force_login(UserFactory(role=None))
    assert client.get(lesson.get_absolute_url()).status_code == 403
    assert client.get(
        reverse("modules:lesson_detail", args=[lesson.module.slug, "nexiste-pas"])
    ).status_code in (403, 404)


def test_unknown_lesson_is_a_404(client, small_course):
    client.force_login(UserFactory(role="Stagiaire"))
    lesson = Lesson.objects.first()
    assert (
        client.get(
            reverse("modules:lesson_detail", args=[lesson.module.slug, "nexiste-pas"])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("modules:lesson_detail", args=["autre-module", lesson.slug])).status_code
        == 404
    )


def test_admin_save_rerenders_through_the_service(client, small_course):
    admin = UserFactory(role="Administrateur", is_staff=True, is_superuser=True)
    client.force_login(admin)
    lesson = Lesson.objects.first()
    response = client.post(
        reverse("admin:modules_lesson_change", args=[lesson.pk]),
        {
            "module": lesson.module_id,
            "slug": lesson.slug,
            "title": lesson.title,
            "order": 1,
            "minutes": 5,
            "source": "## Nouveau\n\n<script>x()</script>Texte **gras**.",
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert "<strong>gras</strong>" in lesson.html
    assert "<script" not in lesson.html
