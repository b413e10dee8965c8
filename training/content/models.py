"""What the loads of the content did: the revisions of the course, and what the loader last
wrote to each row an administrator may edit (to keep their edits, see ``guard.py``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AdminEdit", "ContentRevision", "SourceSnapshot"]


class ContentRevision(models.Model):
    """One ``load_course`` that changed something: what, per module, and from which files."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    # {"course": {kind: {outcome: [labels]}}, "modules": {slug: {kind: {outcome: [labels]}}}}
    changes = models.JSONField(_("changes"), default=dict)
    # {path relative to the content folder: SHA-256 of the file}
    fingerprints = models.JSONField(_("source files"), default=dict)
    totals = models.JSONField(_("totals"), default=dict)

    class Meta:
        verbose_name = _("content revision")
        verbose_name_plural = _("content revisions")
        ordering = ["-number"]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}

    def module_changes(self, slug: str) -> dict:
        return (self.changes.get("modules") or {}).get(slug) or {}

    @property
    def fingerprint(self) -> str:
        """A short digest of all the source files (printed on documents)."""
        import hashlib

        digest = hashlib.sha256()
        for path in sorted(self.fingerprints):
            digest.update(f"{path}\x00{self.fingerprints[path]}\x00".encode())
        short = digest.hexdigest()[:12].upper()
        return "-".join(short[i : i + 4] for i in range(0, 12, 4))


class SourceSnapshot(models.Model):
    """What the loader last wrote to one row, field by field (SHA-256 of each value).

    A row whose value no longer matches was edited in the admin since: the next load keeps it.
    """

    model = models.CharField(_("model"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object"))
    fields = models.JSONField(_("fields"), default=dict)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("loaded content snapshot")
        verbose_name_plural = _("loaded content snapshots")
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="unique_source_snapshot"),
        ]

    def __str__(self):
        return f"{self.model}#{self.object_id}"


class AdminEdit(models.Model):
    """An edit made in the admin that the last load kept (or discarded with ``--force``).

    Rebuilt at each load: what still has to be carried into the files. ``place`` and ``node``
    locate the field in its file (``modules.loader.Source``), so that the patch can be made
    again from these rows.
    """

    model = models.CharField(_("model"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object"))
    label = models.CharField(_("content"), max_length=300)
    field = models.CharField(_("field"), max_length=100, blank=True)
    path = models.CharField(_("file"), max_length=300, blank=True)
    place = models.CharField(_("place in the file"), max_length=100, blank=True)
    node = models.JSONField(_("place in the file (YAML)"), default=list, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    file_value = models.JSONField(_("value in the file"), null=True, blank=True)
    admin_value = models.JSONField(_("value edited in the admin"), null=True, blank=True)
    created_in_admin = models.BooleanField(_("created in the admin"), default=False)
    discarded = models.BooleanField(_("overwritten by --force"), default=False)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)

    class Meta:
        verbose_name = _("edit made in the admin")
        verbose_name_plural = _("edits made in the admin")
        ordering = ["path", "line", "pk"]

    def __str__(self):
        return f"{self.label} ({self.field})"
