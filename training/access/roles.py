"""The three roles of the platform, as Django groups with their permissions."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TRAINEE = "Stagiaire"
TRAINER = "Formateur"
ADMINISTRATOR = "Administrateur"

ROLE_PERMISSIONS = {
    TRAINEE: ["follow_course"],
    TRAINER: ["follow_course", "run_sessions"],
    ADMINISTRATOR: ["follow_course", "run_sessions", "administer_platform"],
}

# What administrators edit in the Django admin (/admin/): the programme shown on the home
# page, the course content and the accounts. The structure (the course, its five modules,
# the quizzes) comes from fixtures/ through load_course, so it can be changed but not added
# or deleted there; the guide (« boussole ») is read-only in the admin; accounts are never
# deleted there (erasure goes through the privacy flow, which keeps the legal evidence).
_EDIT = ["view", "change"]
_CRUD = ["view", "add", "change", "delete"]
ADMIN_MODEL_PERMISSIONS = {
    "training": {"user": ["view", "add", "change"]},
    "modules": {
        "course": _EDIT,
        "module": _EDIT,
        "courseobjective": _CRUD,
        "lesson": _CRUD,
        "slide": _CRUD,
        "glossaryterm": _CRUD,
        "resource": _CRUD,
        "trainernote": _CRUD,
    },
    "quizzes": {"quiz": _EDIT, "question": _CRUD, "choice": _CRUD},
    "boussole": {"guide": ["view"], "case": ["view"]},
}

ROLE_LABELS = {
    TRAINEE: _("Trainee"),
    TRAINER: _("Trainer"),
    ADMINISTRATOR: _("Administrator"),
}


def _admin_permission_filter():
    """Return a filter matching the administrators' Django admin permissions."""
    query = Q(pk__in=[])
    for app_label, models in ADMIN_MODEL_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return query


def roles_ensure(**kwargs) -> None:
    """Create the three role groups with their permissions if missing (idempotent).

    The data migration creates them; this also runs after every ``migrate`` and ``flush``
    (post_migrate), so a database emptied by a transactional test gets its roles back.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # post_migrate reaches "training" before the content apps listed after it: create their
    # permissions now so that a fresh database gives administrators their content rights.
    for app_label in ADMIN_MODEL_PERMISSIONS:
        create_permissions(
            global_apps.get_app_config(app_label),
            verbosity=0,
            using=kwargs.get("using", "default"),
        )
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        query = Q(content_type__app_label="training", codename__in=codenames)
        if name == ADMINISTRATOR:
            query |= _admin_permission_filter()
        wanted = Permission.objects.filter(query)
        if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in wanted}:
            group.permissions.set(wanted)
