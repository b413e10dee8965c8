import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory, course_for_tests
from training.access import permissions
from training.models import User

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_with_their_permissions():
    perms = {
        g.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in g.permissions.select_related("content_type")
        }
        for g in Group.objects.all()
    }
    assert perms["Stagiaire"] == {"training.follow_course"}
    assert perms["Formateur"] == {"training.follow_course", "training.run_sessions"}
    admin = perms["Administrateur"]
    assert {p for p in admin if p.startswith("training.")} == {
        "training.follow_course",
        "training.run_sessions",
        "training.administer_platform",
        "training.view_user",
        "training.add_user",
        "training.change_user",
    }
    # The programme and the course content are edited in the Django admin; the structure
    # (course, modules, quizzes) comes from fixtures/ and cannot be added or deleted there.
    assert {"modules.change_course", "modules.add_courseobjective"} <= admin
    assert {"modules.change_lesson", "quizzes.change_question", "boussole.view_case"} <= admin
    assert not {"modules.delete_course", "modules.add_module", "quizzes.delete_quiz"} & admin
    assert not {p for p in admin if p.startswith(("auth.", "quizzes.change_attempt"))}


def test_an_administrator_edits_the_programme_in_the_admin_and_the_home_page_shows_it(client):
    course = course_for_tests()
    admin = UserFactory(role="Administrateur", is_staff=True)
    client.force_login(admin)
    url = reverse("admin:modules_course_change", args=[course.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "slug": course.slug,
        "title": course.title,
        "duration": "3 jours (21 heures)",
        "access_delays": "Inscription au plus tard quinze jours avant la session.",
        "objectives-TOTAL_FORMS": "1",
        "objectives-INITIAL_FORMS": "0",
        # A code of its own: the real course (loaded by other tests of the worker) has the others.
        "objectives-0-code": "objectif-ajoute-en-admin",
        "objectives-0-order": "1",
        "objectives-0-text": "Distinguer secret professionnel et discrétion",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("home")).content.decode()
    assert "3 jours (21 heures)" in html
    assert "Inscription au plus tard quinze jours avant la session." in html
    assert "Distinguer secret professionnel et discrétion" in html


@pytest.mark.parametrize("role", ["Stagiaire", "Formateur"])
def test_trainees_and_trainers_cannot_edit_the_programme(client, role):
    course = course_for_tests()
    client.force_login(UserFactory(role=role, is_staff=True))
    url = reverse("admin:modules_course_change", args=[course.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"slug": course.slug, "title": "Piraté"}).status_code == 403
    course.refresh_from_db()
    assert course.title != "Piraté"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Stagiaire", (True, False, False, "trainee")),
        ("Formateur", (True, True, False, "trainer")),
        ("Administrateur", (True, True, True, "admin")),
        (None, (False, False, False, "")),
    ],
)
def test_predicates_follow_the_role(role, expected):
    user = UserFactory(role=role)
    user = User.objects.get(pk=user.pk)  # fresh permission cache
    got = (
        permissions.can_follow_course(user),
        permissions.can_run_sessions(user),
        permissions.can_administer(user),
        permissions.role_of(user),
    )
    assert got == expected


def test_inactive_user_has_no_role():
    user = UserFactory(role="Administrateur", is_active=False)
    assert permissions.role_of(User.objects.get(pk=user.pk)) == ""


def test_email_is_the_login_and_is_normalised():
    user = User.objects.create_user(
        "  Marie.Curie@Exemple.FR ", "x" * 12, first_name="Marie", last_name="Curie"
    )
    assert user.email == "marie.curie@exemple.fr"
    assert User.objects.get_by_natural_key("MARIE.CURIE@exemple.fr") == user
    assert str(user) == "Marie Curie"


def test_an_administrator_manages_accounts_but_cannot_make_a_superuser(client):
    admin = UserFactory(role="Administrateur", is_staff=True)
    trainee = UserFactory(role="Stagiaire", organisation="EHPAD")
    client.force_login(admin)
    assert client.get(reverse("admin:training_user_changelist")).status_code == 200
    url = reverse("admin:training_user_change", args=[trainee.pk])
    data = {
        "email": trainee.email,
        "first_name": trainee.first_name,
        "last_name": trainee.last_name,
        "profession_category": "sante",
        "organisation": "Centre hospitalier",
        "is_active": "on",
        "is_superuser": "on",  # ignored: read-only for a non-superuser
        "groups": [Group.objects.get(name="Formateur").pk],
        "date_joined_0": "01/01/2026",
        "date_joined_1": "09:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    trainee = User.objects.get(pk=trainee.pk)
    assert trainee.organisation == "Centre hospitalier"
    assert permissions.role_of(trainee) == "trainer"
    assert trainee.is_superuser is False


def test_an_administrator_cannot_change_a_superuser_account(client):
    admin = UserFactory(role="Administrateur", is_staff=True)
    root = UserFactory(is_staff=True, is_superuser=True, organisation="Siège")
    client.force_login(admin)
    url = reverse("admin:training_user_change", args=[root.pk])
    assert client.post(url, {"email": "pirate@exemple.fr"}).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password_url).status_code == 403
    root.refresh_from_db()
    assert root.email != "pirate@exemple.fr"
