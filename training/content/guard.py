"""Keep the edits administrators make in the admin to content that comes from the files.

``load_course`` runs at every ``make run`` and every deployment. Before this guard, an edit
made in the admin (a glossary definition, a lesson, a question) went back to the file's text
at the next load, without a word. Now:

- at each load, the loader records what it wrote to each row, field by field (a SHA-256 of
  each value, :class:`~training.content.models.SourceSnapshot`);
- at the next load, a field whose value no longer matches what the loader wrote was edited in
  the admin since. If the file says something else, the admin's version is **kept**, the load
  goes on (exit code 0, so ``make run`` and deployments keep working), the command names the
  object, the field, the file and the line, and writes a **patch** that carries the edit into
  ``fixtures/`` (``git apply`` / ``patch -p1`` from the project folder);
- ``load_course --force`` overwrites those edits with the files and lists what it discards
  (the patch is still written, as a copy of the discarded text); ``--strict`` refuses the
  whole load instead (nothing changes, exit code 1);
- a row created in the admin that the files do not hold is kept (``--force`` deletes it).

Once the patch is applied to the files, the next load finds the file and the database in
agreement and the edit is no longer reported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models

from modules.loader import Source

from .models import AdminEdit, SourceSnapshot

# The models administrators may edit in the admin (training.access.roles) whose rows come
# from the content files.
GUARDED_MODELS = {
    "modules.course",
    "modules.courseobjective",
    "modules.glossaryterm",
    "modules.module",
    "modules.lesson",
    "modules.trainernote",
    "modules.slide",
    "modules.resource",
    "quizzes.quiz",
    "quizzes.question",
    "quizzes.choice",
}
# What the admin shows of a related row, written back to the file (module slug, objective code).
NATURAL_KEYS = {"modules.module": "slug", "modules.courseobjective": "code"}


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def value_digest(value) -> str:
    """Return the SHA-256 of a field's value, blind to line endings and surrounding spaces."""
    text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def derived_fields(name: str) -> list[str]:
    """The fields rendered from a source field (kept along with it)."""
    if name == "source":
        return ["html", "toc", "words"]
    if name.endswith("_source"):
        return [name[: -len("source")] + "html"]
    return []


def field_value(obj, name: str):
    """Return a field's current value as the loader compares it (a related row's pk)."""
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        return getattr(obj, model_field.attname)
    return getattr(obj, name)


def file_value(obj, name: str):
    """Return a field's value as the content file writes it (a related row's natural key)."""
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(obj, name)
        if related is None:
            return None
        return getattr(related, NATURAL_KEYS.get(related._meta.label_lower, "pk"))
    return getattr(obj, name)


@dataclass
class Edit:
    """An admin's edit the load met: kept (default) or discarded (``--force``)."""

    model: str
    object_id: int
    label: str
    field: str
    path: str = ""
    place: str = ""
    node: tuple = ()
    line: int | None = None
    file_value: object = None
    admin_value: object = None
    created_in_admin: bool = False

    @classmethod
    def of(cls, obj, name: str, source: Source, *, label: str, file_value_) -> Edit:
        return cls(
            model=obj._meta.label_lower,
            object_id=obj.pk,
            label=label,
            field=name,
            path=project_path(source.path),
            place=source.fields[name],
            node=tuple(source.node),
            line=source.line or _line_of(source, name),
            file_value=file_value_,
            admin_value=file_value(obj, name),
        )


@dataclass
class AdminEditGuard:
    """The load guard of ``modules.loader`` (see the module docstring)."""

    force: bool = False
    snapshots: dict[tuple[str, int], dict] = field(default_factory=dict)
    written: dict[tuple[str, int], dict] = field(default_factory=dict)
    kept: list[Edit] = field(default_factory=list)
    discarded: list[Edit] = field(default_factory=list)

    @classmethod
    def start(cls, *, force: bool = False) -> AdminEditGuard:
        """Read what the previous loads wrote (snapshots of rows deleted since are dropped)."""
        from django.apps import apps

        guard = cls(force=force)
        rows = list(SourceSnapshot.objects.values_list("model", "object_id", "fields"))
        existing: dict[str, set[int]] = {}
        for label in {model for model, _id, _fields in rows}:
            if label in GUARDED_MODELS:
                model = apps.get_model(label)
                existing[label] = set(model.objects.values_list("pk", flat=True))
        stale = []
        for label, object_id, fields in rows:
            if object_id in existing.get(label, ()):
                guard.snapshots[(label, object_id)] = fields
            else:
                stale.append((label, object_id))
        for label in {label for label, _id in stale}:
            SourceSnapshot.objects.filter(
                model=label, object_id__in=[i for m, i in stale if m == label]
            ).delete()
        return guard

    # ---- the LoadGuard protocol

    def values_to_write(self, obj, values: dict, *, kind: str, source: Source | None) -> dict:
        label = obj._meta.label_lower
        if source is None or label not in GUARDED_MODELS:
            return values
        file_digests = {
            name: value_digest(values[name]) for name in source.fields if name in values
        }
        before = self.snapshots.get((label, obj.pk))
        if before is None:  # first load with the guard: nothing to compare with
            self.written[(label, obj.pk)] = file_digests
            return values
        keep = []
        for name, digest in file_digests.items():
            loaded = before.get(name)
            current = value_digest(field_value(obj, name))
            if loaded is None or current in (loaded, digest):
                continue  # not edited since the load, or the file already says the same
            edit = Edit.of(
                obj, name, source, label=_label(obj), file_value_=_as_file_value(values[name])
            )
            if self.force:
                self.discarded.append(edit)
            else:
                self.kept.append(edit)
                keep.append(name)
        written = dict(file_digests)
        for name in keep:
            written[name] = before[name]  # still « edited since the load » next time
        self.written[(label, obj.pk)] = written
        if not keep:
            return values
        dropped = set(keep) | {d for name in keep for d in derived_fields(name)}
        return {k: v for k, v in values.items() if k not in dropped}

    def row_created(self, obj, values: dict, *, kind: str, source: Source | None) -> None:
        label = obj._meta.label_lower
        if source is None or label not in GUARDED_MODELS:
            return
        self.written[(label, obj.pk)] = {
            name: value_digest(values[name]) for name in source.fields if name in values
        }

    def removable(self, queryset):
        label = queryset.model._meta.label_lower
        if label not in GUARDED_MODELS:
            return queryset
        loaded = {object_id for model, object_id in self.snapshots if model == label}
        for obj in queryset.exclude(pk__in=loaded):
            edit = Edit(
                model=label, object_id=obj.pk, label=_label(obj), field="", created_in_admin=True
            )
            (self.discarded if self.force else self.kept).append(edit)
        if self.force:
            return queryset
        return queryset.filter(pk__in=loaded)

    # ---- after the load

    def save(self) -> None:
        """Store the snapshots and the list of edits (inside the load's transaction)."""
        existing = {
            (s.model, s.object_id): s
            for s in SourceSnapshot.objects.filter(model__in={label for label, _id in self.written})
        }
        to_update, to_create = [], []
        for (label, object_id), fields in self.written.items():
            snapshot = existing.get((label, object_id))
            if snapshot is None:
                to_create.append(SourceSnapshot(model=label, object_id=object_id, fields=fields))
            elif snapshot.fields != fields:
                snapshot.fields = fields
                to_update.append(snapshot)
        SourceSnapshot.objects.bulk_create(to_create, batch_size=500)
        SourceSnapshot.objects.bulk_update(to_update, ["fields"], batch_size=500)
        AdminEdit.objects.all().delete()
        AdminEdit.objects.bulk_create(
            [
                AdminEdit(
                    model=edit.model,
                    object_id=edit.object_id,
                    label=edit.label[:300],
                    field=edit.field,
                    path=edit.path[:300],
                    place=edit.place,
                    node=list(edit.node),
                    line=edit.line,
                    file_value=_json(edit.file_value),
                    admin_value=_json(edit.admin_value),
                    created_in_admin=edit.created_in_admin,
                    discarded=discarded,
                )
                for edits, discarded in ((self.kept, False), (self.discarded, True))
                for edit in edits
            ]
        )


def _as_file_value(value):
    if isinstance(value, models.Model):
        return getattr(value, NATURAL_KEYS.get(value._meta.label_lower, "pk"))
    return value


def _json(value):
    """A value as JSON stores it (dates and other objects as text)."""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def _label(obj) -> str:
    name = str(obj._meta.verbose_name)
    text = str(getattr(obj, "title", "") or getattr(obj, "term", "") or obj)
    return f"{name[:1].upper()}{name[1:]} « {text[:150]} »"


def _line_of(source: Source, name: str) -> int | None:
    """The line of a field in its file (YAML key or front matter), read from the file."""
    from .patches import field_line

    try:
        return field_line(Path(source.path), source.fields[name], tuple(source.node))
    except (OSError, ValueError, KeyError):
        return None


def project_path(path) -> str:
    """Return a file's path relative to the project folder (as the patch names it)."""
    from django.conf import settings

    try:
        return str(Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(Path(path).resolve())
