"""Demo data for a newcomer: known accounts, and (as features land) a complete session."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from training import roles
from training.models import User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    first_name: str
    last_name: str
    role: str
    profession: str = ""
    category: str = User.ProfessionCategory.OTHER
    organisation: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin@demo.example",
        "demo-admin-2026",
        "Agnès",
        "Martin",
        roles.ADMINISTRATOR,
        "Responsable pédagogique",
        User.ProfessionCategory.ADMINISTRATION,
        "Organisme de formation",
    ),
    DemoAccount(
        "formatrice@demo.example",
        "demo-formatrice-2026",
        "Claire",
        "Rousseau",
        roles.TRAINER,
        "Juriste, formatrice",
        User.ProfessionCategory.OTHER,
        "Organisme de formation",
    ),
    DemoAccount(
        "stagiaire@demo.example",
        "demo-stagiaire-2026",
        "Samir",
        "Benali",
        roles.TRAINEE,
        "Éducateur spécialisé",
        User.ProfessionCategory.SOCIAL,
        "MECS Les Tilleuls",
    ),
]

EXTRA_TRAINEES = [
    (
        "Léa",
        "Dubois",
        "Infirmière",
        User.ProfessionCategory.HEALTH,
        "Centre hospitalier de Villeneuve",
    ),
    (
        "Hugo",
        "Lefèvre",
        "Assistant de service social",
        User.ProfessionCategory.SOCIAL,
        "Conseil départemental",
    ),
    (
        "Inès",
        "Moreau",
        "Aide-soignante",
        User.ProfessionCategory.MEDICO_SOCIAL,
        "EHPAD Les Glycines",
    ),
    (
        "Thomas",
        "Girard",
        "Directeur d'établissement",
        User.ProfessionCategory.ADMINISTRATION,
        "Association Horizons",
    ),
    ("Chloé", "Fournier", "Psychologue", User.ProfessionCategory.HEALTH, "CMP de la Vallée"),
    (
        "Nicolas",
        "Mercier",
        "Moniteur-éducateur",
        User.ProfessionCategory.SOCIAL,
        "IME Les Peupliers",
    ),
    (
        "Camille",
        "Faure",
        "Infirmière scolaire",
        User.ProfessionCategory.EDUCATION,
        "Collège Jean-Moulin",
    ),
    (
        "Yanis",
        "Chevalier",
        "Conseiller en économie sociale et familiale",
        User.ProfessionCategory.SOCIAL,
        "CCAS",
    ),
    (
        "Manon",
        "Blanc",
        "Représentante des usagers",
        User.ProfessionCategory.USER_REPRESENTATIVE,
        "CVS du foyer Arc-en-ciel",
    ),
    ("Julien", "Guérin", "Cadre de santé", User.ProfessionCategory.HEALTH, "SSIAD du Val"),
    (
        "Sarah",
        "Roux",
        "Auxiliaire de vie sociale",
        User.ProfessionCategory.MEDICO_SOCIAL,
        "SAAD Bien chez soi",
    ),
    (
        "Antoine",
        "Perrin",
        "Éducateur de jeunes enfants",
        User.ProfessionCategory.SOCIAL,
        "Pouponnière départementale",
    ),
]
EXTRA_PASSWORD = "demo-stagiaire-2026"  # noqa: S105 - public demo password


def _account(email, password, first_name, last_name, role, profession, category, organisation):
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "profession": profession,
            "profession_category": category,
            "organisation": organisation,
            "is_active": True,
            "is_staff": role == roles.ADMINISTRATOR,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.groups.set([Group.objects.get(name=role)])
    return user


@transaction.atomic
def demo_seed() -> list[DemoAccount]:
    """Create or refresh the demo accounts (and demo sessions once they exist); idempotent."""
    for a in DEMO_ACCOUNTS:
        _account(
            a.email,
            a.password,
            a.first_name,
            a.last_name,
            a.role,
            a.profession,
            a.category,
            a.organisation,
        )
    for first, last, profession, category, organisation in EXTRA_TRAINEES:
        email = (
            f"{first}.{last}@demo.example".lower()
            .replace("è", "e")
            .replace("é", "e")
            .replace("ï", "i")
        )
        _account(
            email, EXTRA_PASSWORD, first, last, roles.TRAINEE, profession, category, organisation
        )
    return DEMO_ACCOUNTS
