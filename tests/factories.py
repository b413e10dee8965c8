import factory
from django.contrib.auth.models import Group

from training.models import User

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass ``role="Stagiaire" | "Formateur" | "Administrateur"`` to give a group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    profession = "Infirmier"
    organisation = "Centre hospitalier"

    @classmethod
    def _create(cls, model_class, *args, role=None, password=DEFAULT_PASSWORD, **kwargs):
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user
