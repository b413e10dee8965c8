"""No edit lost: an administrator's change in the admin survives ``load_course`` (which
``make run`` and every deployment run), is reported with its file and line, and is written
out as a patch that carries it into the files; ``--force`` overwrites it and says what it
discards; ``--strict`` refuses the load."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from modules.models import Course, GlossaryTerm, Lesson
from tests.factories import UserFactory
from training.content.loader import content_load
from training.content.models import AdminEdit

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ADDED = "Définition revue par l'administratrice : la CNIL contrôle aussi les traitements."


@pytest.fixture
def admin_client(client, course_loaded):
    client.force_login(UserFactory(role="Administrateur", is_staff=True))
    return client


def edit_glossary_in_the_admin(client, slug="cnil", text=ADDED) -> GlossaryTerm:
    term = GlossaryTerm.objects.get(slug=slug)
    response = client.post(
        reverse("admin:modules_glossaryterm_change", args=[term.pk]),
        {
            "slug": term.slug,
            "term": term.term,
            "definition_source": text,
            "legal_basis": term.legal_basis,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term.refresh_from_db()
    return term


def load(*args, patch):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_course", *args, "--patch-file", str(patch), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_glossary_edit_made_in_the_admin_survives_load_course(admin_client, tmp_path):
    term = edit_glossary_in_the_admin(admin_client)
    patch = tmp_path / "edits.patch"
    out, err = load(patch=patch)
    term.refresh_from_db()
    assert term.definition_source == ADDED
    assert "la CNIL contrôle aussi" in term.definition_html
    line = next(
        number
        for number, text in enumerate((FIXTURES / "glossary.yaml").read_text().split("\n"), 1)
        if text.strip() == "- slug: cnil"
    )
    assert "Kept the edit made in the admin" in err and "CNIL" in err
    assert f"fixtures/glossary.yaml:{line + 2}" in err  # the « definition: » line
    assert patch.exists() and f"Patch written to {patch}" in err
    assert "+    " + ADDED in patch.read_text()
    assert AdminEdit.objects.get().field == "definition_source"
    # Loaded again (the next deployment): still kept, still reported.
    load(patch=patch)
    term.refresh_from_db()
    assert term.definition_source == ADDED


def test_the_patch_carries_the_edit_into_the_files_and_the_warning_stops(admin_client, tmp_path):
    edit_glossary_in_the_admin(admin_client)
    patch = tmp_path / "edits.patch"
    load(patch=patch)
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project / "fixtures")
    result = subprocess.run(
        ["git", "apply", str(patch)], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    report = content_load(base=project / "fixtures")
    assert report.guard.kept == []
    assert GlossaryTerm.objects.get(slug="cnil").definition_source == ADDED
    assert ADDED in (project / "fixtures/glossary.yaml").read_text()


def test_a_lesson_edit_keeps_its_text_and_its_rendering(admin_client, tmp_path):
    lesson = Lesson.objects.order_by("pk").first()
    source = lesson.source.replace("## ", "## Révisé : ", 1)
    response = admin_client.post(
        reverse("admin:modules_lesson_change", args=[lesson.pk]),
        {
            "module": lesson.module_id,
            "slug": lesson.slug,
            "title": lesson.title,
            "order": lesson.order,
            "minutes": lesson.minutes,
            "source": source,
        },
    )
    assert response.status_code == 302
    load(patch=tmp_path / "p.patch")
    lesson.refresh_from_db()
    assert lesson.source.strip() == source.strip()
    assert "Révisé" in lesson.html
    assert "+## Révisé : " in (tmp_path / "p.patch").read_text()


def test_force_overwrites_the_edit_and_lists_what_it_discards(admin_client, tmp_path):
    edit_glossary_in_the_admin(admin_client)
    out, err = load("--force", patch=tmp_path / "p.patch")
    term = GlossaryTerm.objects.get(slug="cnil")
    assert term.definition_source != ADDED
    assert "Overwritten by --force" in err and "la CNIL contrôle aussi" in err
    assert AdminEdit.objects.get().discarded
    # The discarded text is still in the patch, as a copy.
    assert ADDED in (tmp_path / "p.patch").read_text()
    # Once overwritten, the next load has nothing to report.
    _out, err = load(patch=tmp_path / "q.patch")
    assert "admin" not in err


def test_strict_refuses_the_load_and_changes_nothing(admin_client, tmp_path):
    edit_glossary_in_the_admin(admin_client)
    lesson = Lesson.objects.order_by("pk").first()
    lesson.title = "Titre modifié ailleurs"  # an edit the files do not have either
    lesson.save()
    with pytest.raises(CommandError, match="--strict"):
        load("--strict", patch=tmp_path / "p.patch")
    assert GlossaryTerm.objects.get(slug="cnil").definition_source == ADDED
    assert (tmp_path / "p.patch").exists()


def test_a_row_created_in_the_admin_is_kept_and_force_deletes_it(admin_client, tmp_path):
    response = admin_client.post(
        reverse("admin:modules_glossaryterm_add"),
        {
            "slug": "ajout-admin",
            "term": "Ajout",
            "definition_source": "Terme ajouté.",
            "legal_basis": "",
        },
    )
    assert response.status_code == 302
    _out, err = load(patch=tmp_path / "p.patch")
    assert GlossaryTerm.objects.filter(slug="ajout-admin").exists()
    assert "created in the admin, not in the files" in err
    load("--force", patch=tmp_path / "p.patch")
    assert not GlossaryTerm.objects.filter(slug="ajout-admin").exists()


def test_the_programme_page_follows_the_same_rule(course_loaded, tmp_path):
    course = Course.objects.get()
    course.stakes = "Enjeux réécrits dans l'administration."
    course.save()
    _out, err = load(patch=tmp_path / "p.patch")
    course.refresh_from_db()
    assert course.stakes == "Enjeux réécrits dans l'administration."
    assert "field 'stakes'" in err and "fixtures/course.yaml:" in err
    assert "+stakes: Enjeux réécrits dans l'administration." in (tmp_path / "p.patch").read_text()


def test_a_change_in_the_files_still_reaches_an_unedited_row(course_loaded, tmp_path):
    base = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, base)
    glossary = base / "glossary.yaml"
    glossary.write_text(
        glossary.read_text().replace("Commission nationale", "La Commission nationale", 1)
    )
    report = content_load(base=base)
    assert report.guard.kept == []
    assert GlossaryTerm.objects.get(slug="cnil").definition_source.startswith("La Commission")


def test_the_watch_page_lists_the_kept_edits_and_serves_the_patch(admin_client, tmp_path):
    edit_glossary_in_the_admin(admin_client)
    load(patch=tmp_path / "p.patch")
    page = admin_client.get(reverse("training:legal_watch")).content.decode()
    assert "Modifications faites dans l" in page and "à reporter dans les fichiers" in page
    assert "glossary.yaml" in page
    response = admin_client.get(reverse("training:content_edits_patch"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert ADDED in response.content.decode()
