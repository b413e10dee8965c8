"""« Mes données »: every piece of personal data about one user, found by introspection.

Every model with a foreign key or one-to-one field to the user model is looked up (so a model
added later is exported without touching this file); each row comes with its one-to-many
children one level down (an attempt's answers, a signature's corrections). Secrets (password,
tokens, signing secrets) are never exported: their value is replaced by « [redacted] ».
Files are given by name and SHA-256. Login records (django-axes, kept by the email typed)
are added as their own sections.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import uuid

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

REDACTED = "[redacted]"
SECRET_WORDS = ("password", "token", "secret", "session_key", "session_hash", "post_data")


def user_links() -> list[tuple[type[models.Model], models.Field]]:
    """Return every (model, field) whose foreign key or one-to-one points to the user model."""
    User = get_user_model()
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and isinstance(field, models.ForeignKey)  # OneToOneField is a ForeignKey
                and field.related_model is User
            ):
                found.append((model, field))
    return found


def link_key(model: type[models.Model], field: models.Field) -> str:
    """Return the export's section name of a link: ``app_label.model.field``."""
    return f"{model._meta.label_lower}.{field.name}"


def _is_secret(name: str) -> bool:
    return any(word in name.lower() for word in SECRET_WORDS)


def _file(value) -> dict | None:
    if not value:
        return None
    digest = None
    try:
        with value.storage.open(value.name, "rb") as handle:
            sha = hashlib.sha256()
            for chunk in iter(lambda: handle.read(65536), b""):
                sha.update(chunk)
            digest = sha.hexdigest()
    except (OSError, ValueError):
        digest = None
    return {"name": value.name, "sha256": digest}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def row_serialise(obj: models.Model) -> dict:
    """Return a row as plain JSON values: files as name + sha256, secrets redacted."""
    User = get_user_model()
    row: dict = {}
    for field in obj._meta.concrete_fields:
        name = field.name
        if _is_secret(name):
            row[name] = REDACTED
        elif isinstance(field, models.FileField):
            row[name] = _file(getattr(obj, name))
        elif isinstance(field, models.ForeignKey):
            pk = getattr(obj, field.attname)
            if pk is None or field.related_model is User:
                row[name] = pk
            else:
                row[name] = {"id": pk, "label": str(getattr(obj, name))}
        else:
            row[name] = _plain(field.value_from_object(obj))
    return row


def _children(obj: models.Model) -> dict:
    result = {}
    for relation in obj._meta.related_objects:
        if relation.one_to_many and not relation.related_model._meta.auto_created:
            accessor = relation.get_accessor_name()
            rows = [row_serialise(child) for child in getattr(obj, accessor).all()]
            if rows:
                result[relation.related_model._meta.label_lower] = rows
    return result


def user_export(*, user) -> dict:
    """Return every personal datum of the user as a JSON-ready dict."""
    profile = row_serialise(user)
    profile["groups"] = list(user.groups.values_list("name", flat=True))
    profile["user_permissions"] = [
        f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.all()
    ]
    sections = []
    for model, field in user_links():
        rows = []
        for obj in model._default_manager.filter(**{field.name: user}).order_by("pk"):
            row = row_serialise(obj)
            children = _children(obj)
            if children:
                row["_children"] = children
            rows.append(row)
        sections.append(
            {
                "key": link_key(model, field),
                "model": str(model._meta.verbose_name_plural),
                "field": str(field.verbose_name),
                "rows": rows,
            }
        )
    # Many-to-many links to the user (e.g. sessions run as a trainer).
    User = get_user_model()
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            if field.related_model is User:
                rows = [
                    row_serialise(obj)
                    for obj in model._default_manager.filter(**{field.name: user}).order_by("pk")
                ]
                sections.append(
                    {
                        "key": link_key(model, field),
                        "model": str(model._meta.verbose_name_plural),
                        "field": str(field.verbose_name),
                        "rows": rows,
                    }
                )
    sections.extend(_login_record_sections(user))
    return {
        "generated_at": timezone.localtime().isoformat(),
        "user": profile,
        "sections": sections,
    }


def _login_record_sections(user) -> list[dict]:
    """django-axes keeps login records by the email typed (no link to the account)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    sections = []
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        queryset = model.objects.filter(username__iexact=user.email).order_by("pk")
        sections.append(
            {
                "key": f"{model._meta.label_lower}.username",
                "model": str(model._meta.verbose_name_plural),
                "field": str(model._meta.get_field("username").verbose_name),
                "rows": [row_serialise(obj) for obj in queryset],
            }
        )
    return sections
