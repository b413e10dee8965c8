from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training organisation")

    def ready(self):
        # Imported here, not at module level: they use the models, loaded only now.
        import training.operations.checks  # noqa: F401  (registers the deploy checks)
        from core.tasks import task_finished
        from training.access.roles import roles_ensure
        from training.background.services import on_task_finished
        from training.privacy.receivers import receivers_connect

        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="training_roles_ensure")
        receivers_connect()
        # A task that raised: listed for the administrators (training/background/).
        task_finished.connect(on_task_finished, dispatch_uid="training_task_failures")
