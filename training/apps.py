from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training organisation")

    def ready(self):
        from training.roles import roles_ensure

        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="training_roles_ensure")
