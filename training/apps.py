from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training organisation")

    def ready(self):
        # Imported here, not at module level: they use the models, loaded only now.
        import training.operations.checks  # noqa: F401  (registers the deploy checks)
        from core.cache import shared_cache_prepare
        from core.tasks import task_finished
        from training.access.roles import roles_ensure
        from training.background.services import on_task_finished
        from training.privacy.receivers import receivers_connect
        from training.sessions.receivers import receivers_connect as results_receivers_connect

        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="training_roles_ensure")
        post_migrate.connect(
            shared_cache_prepare, sender=self, dispatch_uid="training_shared_cache_prepare"
        )
        receivers_connect()
        results_receivers_connect()
        # A task that raised: listed for the administrators (training/background/).
        task_finished.connect(on_task_finished, dispatch_uid="training_task_failures")
