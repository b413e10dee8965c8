"""The three roles of the platform, as Django groups with their permissions."""

from django.utils.translation import gettext_lazy as _

TRAINEE = "Stagiaire"
TRAINER = "Formateur"
ADMINISTRATOR = "Administrateur"

ROLE_PERMISSIONS = {
    TRAINEE: ["follow_course"],
    TRAINER: ["follow_course", "run_sessions"],
    ADMINISTRATOR: ["follow_course", "run_sessions", "administer_platform"],
}

ROLE_LABELS = {
    TRAINEE: _("Trainee"),
    TRAINER: _("Trainer"),
    ADMINISTRATOR: _("Administrator"),
}


def roles_ensure(**kwargs) -> None:
    """Create the three role groups with their permissions if missing (idempotent).

    The data migration creates them; this also runs after every ``migrate`` and ``flush``
    (post_migrate), so a database emptied by a transactional test gets its roles back.
    """
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.filter(
            content_type__app_label="training", codename__in=codenames
        )
        if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in wanted}:
            group.permissions.set(wanted)
