import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from modules.content import ContentError
from modules.models import GlossaryTerm, Lesson, Module, Resource, Slide, TrainerNote
from tests.modules.content_tree import replace_in, write_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Lesson.objects.values_list("slug", "title", "html")),
        Module.objects.count(),
        Resource.objects.count(),
    )


def test_load_creates_everything_and_second_run_reports_unchanged(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    report = content_load(base=base)
    assert report.counts["lessons"]["created"] == 4
    assert report.counts["modules"]["created"] == 2
    assert Slide.objects.count() == 4
    assert TrainerNote.objects.count() == 2
    assert GlossaryTerm.objects.get().definition_html
    lesson = Lesson.objects.get(slug="lecon-1-1")
    assert 'href="/glossaire/#secret-professionnel"' in lesson.html
    assert [t["id"] for t in lesson.toc] == ["partie-un", "partie-deux"]

    again = content_load(base=base)
    assert again.total("created") == again.total("updated") == again.total("removed") == 0
    assert again.total("unchanged") == report.total("created")
    assert Lesson.objects.count() == 4


def test_an_edited_lesson_is_updated_and_a_deleted_one_removed(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    content_load(base=base)
    replace_in(base / "course/01-module/01-lecon.md", "Texte.", "Texte modifié.")
    (base / "course/02-module/02-lecon.md").unlink()
    report = content_load(base=base)
    assert report.counts["lessons"]["updated"] == 1
    assert report.counts["lessons"]["removed"] == 1
    assert "Texte modifié." in Lesson.objects.get(slug="lecon-1-1").html


def test_dry_run_changes_nothing(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    report = content_load(base=base, dry_run=True)
    assert report.counts["lessons"]["created"] == 4
    assert Lesson.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "line"),
    [
        ("course/01-module/01-lecon.md", "order: 1", "order: [", "invalid YAML", 4),
        (
            "course/01-module/01-lecon.md",
            "slug: lecon-1-1\n",
            "",
            "missing required field 'slug'",
            2,
        ),
        (
            "course/01-module/01-lecon.md",
            "[[secret-professionnel]]",
            "[[inconnu]]",
            "unknown glossary term 'inconnu'",
            9,
        ),
        (
            "course/02-module/module.md",
            "course_objectives: [distinguer]",
            "course_objectives: [voler]",
            "unknown course objective 'voler'",
            8,
        ),
        (
            "resources.yaml",
            "url: https://www.legifrance.gouv.fr/",
            "url: ftp://x",
            "invalid URL",
            11,
        ),
        ("glossary.yaml", "slug: secret-professionnel", "slug: Secret Pro", "invalid slug", 1),
        (
            "course/02-module/02-lecon.md",
            "slug: lecon-2-2",
            "slug: lecon-2-1",
            "duplicate slug 'lecon-2-1'",
            None,
        ),
    ],
)
def test_a_malformed_file_gives_file_line_and_reason_and_changes_nothing(
    tmp_path, file, old, new, message, line
):
    base = write_tree(tmp_path / "fixtures")
    content_load(base=base)
    before = snapshot()
    replace_in(base / "course/01-module/02-lecon.md", "Texte.", "Texte qui aurait changé.")
    replace_in(base / file, old, new)
    with pytest.raises(ContentError) as error:
        content_load(base=base)
    assert message in str(error.value)
    if line is not None:
        assert error.value.line == line
        assert str(error.value).startswith(f"{base / file}:{line}:")
    assert snapshot() == before


def test_command_reports_counts_and_exits_non_zero_on_error(tmp_path, capsys):
    base = write_tree(tmp_path / "fixtures")
    call_command("load_course", "--path", str(base))
    out = capsys.readouterr().out
    assert "lessons: 4 created" in out
    replace_in(base / "glossary.yaml", "term: Secret professionnel", "term: [")
    with pytest.raises(CommandError, match=r"glossary.yaml:\d+: invalid YAML"):
        call_command("load_course", "--path", str(base))


def test_slides_are_split_with_their_notes(tmp_path):
    base = write_tree(tmp_path / "fixtures", modules=1, lessons=1)
    content_load(base=base)
    first, second = Slide.objects.order_by("order")
    assert first.title == "Première diapositive"
    assert "Notes de l" in first.notes_html
    assert second.notes_html == ""
