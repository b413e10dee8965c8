"""Signal receivers: audit events for enrolments, corrections, attestations, documents and
role changes, and the evidence seal kept current. Connected by ``TrainingConfig.ready()``
through ``receivers_connect``, once every model is loaded.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_noop

from training.accounts.models import User
from training.attendance.models import SlotAttendance
from training.privacy.audit import audit_record, current_actor
from training.privacy.evidence import seal_update
from training.privacy.models import AuditEvent, SlotEvidenceSeal
from training.sessions.models import Enrolment


def _enrolment_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):

    if raw:
        return
    if not created and update_fields is not None and "status" not in update_fields:
        return
    data = {"session": instance.session.code, "trainee_id": instance.trainee_id}
    if instance.status == Enrolment.Status.CANCELLED:
        if created:
            return
        action = AuditEvent.Action.ENROLMENT_REMOVE
        summary = gettext_noop("User #%(trainee)s removed from %(code)s")
    else:
        action = AuditEvent.Action.ENROLMENT_CREATE
        summary = gettext_noop("User #%(trainee)s enrolled in %(code)s")
    audit_record(
        actor=current_actor(),
        action=action,
        obj=instance,
        summary=summary,
        params={"trainee": instance.trainee_id, "code": instance.session.code},
        data=data,
    )


def _correction_saved(sender, instance, created, raw=False, **kwargs):

    if raw or not created:
        return
    signature = instance.signature
    audit_record(
        actor=instance.author,
        action=AuditEvent.Action.ATTENDANCE_CORRECT,
        obj=instance,
        summary=gettext_noop(
            "Attendance of user #%(trainee)s on %(slot)s corrected: %(previous)s → %(new)s"
        ),
        params={
            "trainee": signature.trainee_id,
            "slot": signature.slot,
            "previous": instance.previous_status,
            "new": instance.new_status,
        },
        data={
            "session": signature.slot.session.code,
            "slot_id": signature.slot_id,
            "signature_id": signature.pk,
            "previous_status": instance.previous_status,
            "new_status": instance.new_status,
            "reason": instance.reason,
        },
    )
    if SlotEvidenceSeal.objects.filter(slot_id=signature.slot_id).exists():
        seal_update(slot=signature.slot)


def _signature_saved(sender, instance, created, raw=False, **kwargs):
    """A record added to a sealed half-day (trainer's late entry) moves the seal forward."""

    if raw or not created:
        return
    if SlotEvidenceSeal.objects.filter(slot_id=instance.slot_id).exists():
        seal_update(slot=instance.slot)


def _slot_attendance_saved(sender, instance, created, raw=False, **kwargs):

    if raw or instance.status != SlotAttendance.Status.CLOSED or not instance.attested_by_id:
        return
    first_time = not SlotEvidenceSeal.objects.filter(slot_id=instance.slot_id).exists()
    seal = seal_update(slot=instance.slot)
    if first_time:
        audit_record(
            actor=instance.attested_by,
            action=AuditEvent.Action.SLOT_ATTEST,
            obj=instance.slot,
            summary=gettext_noop("Half-day %(slot)s of %(code)s closed and attested"),
            params={"slot": instance.slot, "code": instance.slot.session.code},
            data={
                "session": instance.slot.session.code,
                "slot_id": instance.slot_id,
                "chain_head": seal.chain_head,
                "links": seal.links,
            },
        )


def _document_saved(sender, instance, created, raw=False, **kwargs):

    if raw or not created:
        return
    audit_record(
        actor=current_actor(),
        action=AuditEvent.Action.DOCUMENT_GENERATE,
        obj=instance,
        summary=(
            gettext_noop("%(kind)s of %(code)s for user #%(trainee)s generated")
            if instance.trainee_id
            else gettext_noop("%(kind)s of %(code)s generated")
        ),
        params={
            "kind": instance.get_kind_display(),
            "code": instance.session.code,
            "trainee": instance.trainee_id,
        },
        data={
            "session": instance.session.code,
            "kind": instance.kind,
            "trainee_id": instance.trainee_id,
            "input_hash": instance.input_hash,
        },
    )


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        users = list(User.objects.filter(pk__in=pk_set or ()))
        groups = [instance.name]
    else:
        users = [instance]
        groups = list(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    if action == "post_add":
        summary = gettext_noop("User #%(user)s added to %(groups)s")
    elif groups:
        summary = gettext_noop("User #%(user)s removed from %(groups)s")
    else:
        summary = gettext_noop("User #%(user)s removed from every group")
    for user in users:
        audit_record(
            actor=current_actor(),
            action=AuditEvent.Action.ROLE_CHANGE,
            obj=user,
            summary=summary,
            params={"user": user.pk, "groups": ", ".join(groups)},
            data={
                "change": action.removeprefix("post_"),
                "groups": groups,
                "now": list(user.groups.values_list("name", flat=True)),
            },
        )


def receivers_connect() -> None:
    """Connect the audit and seal receivers (idempotent: each has a dispatch uid)."""
    post_save.connect(_enrolment_saved, sender="training.Enrolment", dispatch_uid="audit_enrolment")
    post_save.connect(
        _correction_saved, sender="training.AttendanceCorrection", dispatch_uid="audit_correction"
    )
    post_save.connect(
        _signature_saved, sender="training.AttendanceSignature", dispatch_uid="seal_signature"
    )
    post_save.connect(
        _slot_attendance_saved, sender="training.SlotAttendance", dispatch_uid="audit_attest"
    )
    post_save.connect(
        _document_saved, sender="training.GeneratedDocument", dispatch_uid="audit_doc"
    )
    m2m_changed.connect(_groups_changed, sender="training.User_groups", dispatch_uid="audit_groups")
