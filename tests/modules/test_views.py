import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules import rendering, services
from modules.models import GlossaryTerm, Lesson, LessonProgress, Resource
from tests.factories import UserFactory
from tests.modules.content_tree import write_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_course(tmp_path):
    content_load(base=write_tree(tmp_path / "small", modules=2, lessons=2))


def count_queries(client, url):
    """The queries of a page once its shared parts are cached (the first visit builds them)."""
    client.get(url)
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


def test_trainer_notes_are_shown_to_trainers_and_administrators_only(client, small_course):
    lesson = Lesson.objects.first()
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(lesson.module.get_absolute_url()).content.decode()
    assert "Notes du formateur" not in page
    assert "Déroulé et timing" not in page
    for role in ("Formateur", "Administrateur"):
        client.force_login(UserFactory(role=role))
        page = client.get(lesson.module.get_absolute_url()).content.decode()
        assert "Notes du formateur" in page, role
        assert "Déroulé et timing" in page, role


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


def test_lesson_page_has_breadcrumb_neighbours_and_a_toc_only_when_long(client, small_course):
    client.force_login(UserFactory(role="Stagiaire"))
    first, second = Lesson.objects.order_by("module__number", "order")[:2]
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'class="breadcrumb"' in page
    assert f'href="{first.module.get_absolute_url()}"' in page
    assert f'rel="next" href="{second.get_absolute_url()}"' in page
    assert 'rel="prev"' not in page
    assert "Dans cette leçon" not in page  # two headings: no table of contents
    second.source += "\n## Partie trois\n\nSuite.\n"
    services.lesson_render(lesson=second)
    second.save()
    page = client.get(second.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in page
    assert "Dans cette leçon" in page
    assert 'href="#partie-trois"' in page and 'id="partie-trois"' in page


def test_glossary_page_has_an_anchor_per_term_and_lessons_link_to_it(client, small_course):
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(reverse("modules:glossary")).content.decode()
    assert 'id="secret-professionnel"' in page
    assert "Fondement juridique : Art. 226-13 C. pén." in page
    GlossaryTerm.objects.create(slug="equipe", term="Équipe de soins", definition_source="x")
    GlossaryTerm.objects.create(slug="zone", term="Zone", definition_source="x")
    page = client.get(reverse("modules:glossary")).content.decode()
    assert (
        page.index('id="equipe"')
        < page.index('id="secret-professionnel"')
        < page.index('id="zone"')
    )
    lesson = Lesson.objects.first()
    assert (
        'href="/glossaire/#secret-professionnel"'
        in client.get(lesson.get_absolute_url()).content.decode()
    )


def test_resources_page_cites_in_one_order_and_shows_the_notes_of_links(client, small_course):
    Resource.objects.filter(slug="livre").update(
        place="Paris", publisher="Dunod", details="140 pages", note="Édition à vérifier"
    )
    Resource.objects.filter(slug="site").update(note="Site non officiel")
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(reverse("modules:resource_list")).content.decode()
    assert "Auteur, <cite>Un livre</cite>, Paris, Dunod, 2013, 140 pages." in page
    assert "(Édition à vérifier)" in page
    assert "(Site non officiel)" in page


def test_resources_page_uses_french_spacing_and_keeps_escaping(client, small_course):
    Resource.objects.filter(slug="livre").update(details="collection « Guides » : n° 3")
    Resource.objects.filter(slug="site").update(description="<b>Le droit</b> : en ligne")
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(reverse("modules:resource_list")).content.decode()
    assert "collection «\u00a0Guides\u00a0»\u00a0: n°\u00a03" in page
    assert "&lt;b&gt;Le droit&lt;/b&gt;\u00a0: en ligne" in page
    assert "<b>Le droit" not in page


def _admin_client(client):
    admin = UserFactory(role="Administrateur", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_rejects_a_link_to_an_unknown_glossary_term_in_french(client, small_course):
    _admin_client(client)
    lesson = Lesson.objects.first()
    before = lesson.html
    response = client.post(
        reverse("admin:modules_lesson_change", args=[lesson.pk]),
        {
            "module": lesson.module_id,
            "slug": lesson.slug,
            "title": lesson.title,
            "order": 1,
            "minutes": 5,
            "source": "Le [[secret-inconnu]] et le [[secret-professionnel]].",
        },
    )
    assert response.status_code == 200
    assert "Terme du glossaire inconnu : secret-inconnu." in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.html == before


def test_admin_glossary_save_rerenders_the_definition(client, small_course):
    _admin_client(client)
    term = GlossaryTerm.objects.get(slug="secret-professionnel")
    response = client.post(
        reverse("admin:modules_glossaryterm_change", args=[term.pk]),
        {
            "slug": term.slug,
            "term": term.term,
            "definition_source": "Obligation **pénale** de se taire <script>x()</script>.",
            "legal_basis": term.legal_basis,
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert "<strong>pénale</strong>" in term.definition_html
    assert "<script" not in term.definition_html


# --- The glossary's way back to the lesson (issue 22) -------------------------------------------


def _a_lesson():
    from modules.models import Lesson

    return Lesson.objects.select_related("module").order_by("pk").first()


def test_the_glossary_links_back_to_the_lesson_the_reader_came_from(client, course_loaded):
    from django.utils.html import escape

    from tests.factories import UserFactory

    lesson = _a_lesson()
    client.force_login(UserFactory(role="Stagiaire"))
    url = reverse("modules:glossary")
    html = client.get(url, HTTP_REFERER=f"http://testserver{lesson.get_absolute_url()}")
    assert f'href="{lesson.get_absolute_url()}"' in html.content.decode()
    assert escape(lesson.title) in html.content.decode()
    by_parameter = client.get(url, {"depuis": f"{lesson.module.slug}/{lesson.slug}"})
    assert f'href="{lesson.get_absolute_url()}"' in by_parameter.content.decode()


@pytest.mark.parametrize(
    ("referer", "depuis"),
    [
        ("https://pirate.example/cours/{module}/{lesson}/", ""),
        ("http://testserver/tableau-de-bord/", ""),
        ("http://testserver/cours/{module}/inexistante/", ""),
        ("", "https://pirate.example/"),
        ("", "//pirate.example/x"),
        ("", "{module}/../../admin"),
        ("", "{module}/inexistante"),
    ],
)
def test_the_glossary_gives_no_way_back_to_anything_but_an_existing_lesson(
    client, course_loaded, referer, depuis
):
    from tests.factories import UserFactory

    lesson = _a_lesson()
    values = {"module": lesson.module.slug, "lesson": lesson.slug}
    client.force_login(UserFactory(role="Stagiaire"))
    extra = {"HTTP_REFERER": referer.format(**values)} if referer else {}
    query = {"depuis": depuis.format(**values)} if depuis else {}
    response = client.get(reverse("modules:glossary"), query, **extra)
    assert response.status_code == 200
    body = response.content.decode()
    assert "glossary-back" not in body
