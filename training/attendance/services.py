"""Writes for attendance: open and close half-days, record signatures, marks and corrections.

Every function is keyword-only and raises ``ValidationError`` with a translated message and a
``code`` when a rule is broken; nothing is recorded then. Signatures are append-only: a
change is an ``AttendanceCorrection``. The database's unique (slot, trainee) constraint is
the last word on duplicates: concurrent or repeated submissions end in a clear refusal.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import hashlib
import io
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from core.storage import StorageFull, file_save
from core.uploads import IMAGE_ERRORS, image_verify, pdf_verify
from training.access import permissions
from training.accounts.models import User
from training.attendance.codes import code_is_valid, rehearsal_secret
from training.attendance.models import (
    AttendanceCorrection,
    AttendanceSignature,
    SigningAttempt,
    SlotAttendance,
)
from training.sessions.models import Enrolment, Slot, TrainingSession

SIGNATURE_MAX_BYTES = 200 * 1024
SIGNATURE_MIN_SIZE = (60, 30)
SIGNATURE_MAX_SIZE = (2400, 1200)
SCAN_MAX_BYTES = 5 * 1024 * 1024
SCAN_MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million pixels
WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = datetime.timedelta(minutes=10)
PNG_END = b"IEND\xaeB`\x82"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCAN_KINDS = {b"%PDF-": "pdf", PNG_MAGIC: "png", b"\xff\xd8\xff": "jpg"}
MARKABLE = (
    AttendanceSignature.Status.ABSENT,
    AttendanceSignature.Status.LATE,
    AttendanceSignature.Status.EXCUSED,
)
DATA_URL = re.compile(r"^data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)$")

Status = AttendanceSignature.Status
Method = AttendanceSignature.Method


# --- Checks (pure) --------------------------------------------------------------------------


def signature_data_url_decode(*, value: str) -> bytes:
    """Return the PNG bytes of a ``data:image/png;base64,…`` URL sent by the signature pad."""
    value = (value or "").strip()
    if len(value) > SIGNATURE_MAX_BYTES * 4 // 3 + 100:
        raise ValidationError(_("The signature image is too large (200 KB at most)."), "too_large")
    match = DATA_URL.match(value)
    if not match:
        raise ValidationError(_("The signature must be a PNG image."), code="invalid_image")
    try:
        return base64.b64decode(match["data"], validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(
            _("The signature must be a PNG image."), code="invalid_image"
        ) from exc


def signature_image_check(*, data: bytes) -> None:
    """Accept only a real, non-blank PNG of at most 200 KB with bounded dimensions."""
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ValidationError(_("The signature image is too large (200 KB at most)."), "too_large")
    # WeasyPrint sets PIL's LOAD_TRUNCATED_IMAGES globally when imported, so a truncated file
    # would otherwise load as a partial image: require the end chunk and verify every CRC.
    if not data.startswith(PNG_MAGIC) or not data.endswith(PNG_END):
        raise ValidationError(_("The signature must be a PNG image."), code="invalid_image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
    except Exception as exc:  # noqa: BLE001 - any decoding failure means "not a valid PNG"
        raise ValidationError(_("The signature must be a PNG image."), "invalid_image") from exc
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValidationError(_("The signature must be a PNG image."), "invalid_image")
            width, height = image.size
            if not (
                SIGNATURE_MIN_SIZE[0] <= width <= SIGNATURE_MAX_SIZE[0]
                and SIGNATURE_MIN_SIZE[1] <= height <= SIGNATURE_MAX_SIZE[1]
            ):
                raise ValidationError(
                    _("The signature image has unexpected dimensions."), code="invalid_image"
                )
            image.load()
            rgba = image.convert("RGBA")
    except IMAGE_ERRORS as exc:
        raise ValidationError(_("The signature must be a PNG image."), "invalid_image") from exc
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    ink = (
        Image.alpha_composite(background, rgba).convert("L").point(lambda v: 255 if v < 200 else 0)
    )
    if ink.getbbox() is None:
        raise ValidationError(_("Draw your signature before sending it."), code="blank_image")


def scan_kind(*, data: bytes) -> str:
    """Return ``pdf``, ``png`` or ``jpg`` for a scanned sheet, or refuse it.

    The magic bytes pick the kind; then the PDF is parsed and the image decoded in full.
    """
    if not data:
        raise ValidationError(_("The scanned sheet is empty."), code="invalid_scan")
    if len(data) > SCAN_MAX_BYTES:
        raise ValidationError(_("The scanned sheet is too large (5 MB at most)."), "too_large")
    kind = next((kind for magic, kind in SCAN_KINDS.items() if data.startswith(magic)), None)
    refusal = ValidationError(
        _("The scanned sheet must be a PDF, PNG or JPEG file."), code="invalid_scan"
    )
    if kind is None:
        raise refusal
    if kind == "pdf":
        pdf_verify(data, error=refusal)
    else:
        image_verify(data, max_pixels=SCAN_MAX_PIXELS, error=refusal)
    return kind


def _name_key(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-'’.]", " ", plain).casefold().split())


def typed_name_matches(*, user: User, typed: str) -> bool:
    """Return whether the typed name is the account's full name (either order, any accents)."""
    typed_key = _name_key(typed)
    return bool(typed_key) and typed_key in {
        _name_key(f"{user.first_name} {user.last_name}"),
        _name_key(f"{user.last_name} {user.first_name}"),
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _today(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def _evidence(
    *, user: User, image_data: bytes | None, typed_name: str, certified: bool
) -> tuple[str, bytes | None, str]:
    """Check a drawn or typed signature; return (method, png bytes, typed name)."""
    if image_data:
        signature_image_check(data=image_data)
        return Method.DRAWN, image_data, ""
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise ValidationError(
            _("Draw your signature, or type your full name and tick the certification."),
            code="no_signature",
        )
    if not typed_name_matches(user=user, typed=typed_name):
        raise ValidationError(
            _("The typed name must be your full name as on your account: %(name)s.")
            % {"name": user.get_full_name()},
            code="name_mismatch",
        )
    if not certified:
        raise ValidationError(
            _("Tick the box certifying that you are present, to sign with your typed name."),
            code="not_certified",
        )
    return Method.TYPED, None, typed_name


# --- Slot life cycle ---------------------------------------------------------------------------


def slot_attendance_ensure(*, slot: Slot) -> SlotAttendance:
    """Return the slot's attendance state, creating it (upcoming) on first use."""
    state, _created = SlotAttendance.objects.get_or_create(slot=slot)
    return state


def _locked_state(slot: Slot) -> SlotAttendance:
    slot_attendance_ensure(slot=slot)
    return SlotAttendance.objects.select_for_update().select_related("slot__session").get(slot=slot)


def _check_runs(*, user: User, session: TrainingSession) -> None:
    if not permissions.can_manage_session(user, session):
        raise ValidationError(
            _("Only the session's trainers or an administrator can do this."), code="forbidden"
        )


@transaction.atomic
def slot_open(*, slot: Slot, user: User, now: datetime.datetime | None = None) -> SlotAttendance:
    """Open a half-day for signatures: on its own day only, one open half-day per session."""
    now = now or timezone.now()
    state = _locked_state(slot)
    session = state.slot.session
    _check_runs(user=user, session=session)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."), code="cancelled")
    if state.is_open:
        return state
    if state.is_closed:
        raise ValidationError(
            _("This half-day is closed and attested; it cannot be reopened."), code="closed"
        )
    if _today(now) != slot.date:
        raise ValidationError(
            _("A half-day can only be opened on its own day (%(date)s).")
            % {"date": slot.date.strftime("%d/%m/%Y")},
            code="wrong_day",
        )
    other = (
        SlotAttendance.objects.filter(slot__session=session, status=SlotAttendance.Status.OPEN)
        .exclude(pk=state.pk)
        .select_related("slot")
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("Close and attest the half-day of %(slot)s before opening another one.")
            % {"slot": other.slot},
            code="other_open",
        )
    state.status = SlotAttendance.Status.OPEN
    state.opened_at = now
    state.opened_by = user
    state.secret = secrets.token_hex(32)
    state.save(update_fields=["status", "opened_at", "opened_by", "secret"])
    return state


def slot_close_and_attest(
    *,
    slot: Slot,
    trainer: User,
    image_data: bytes | None = None,
    typed_name: str = "",
    certified: bool = False,
    now: datetime.datetime | None = None,
) -> SlotAttendance:
    """Close an open half-day: record the absents, then the trainer's signed attestation.

    All or nothing: when the drawn signature cannot be stored (disk full) or anything fails
    after it was, the half-day stays open, no absent is recorded and no file is left.
    """
    stored: list = []
    try:
        return _slot_close_and_attest(
            slot=slot,
            trainer=trainer,
            image_data=image_data,
            typed_name=typed_name,
            certified=certified,
            now=now,
            stored=stored,
        )
    except BaseException:
        _files_remove(stored)
        raise


def _files_remove(stored: list) -> None:
    """Remove files written for rows that were not recorded after all."""
    for storage, name in stored:
        with contextlib.suppress(OSError):
            storage.delete(name)


@transaction.atomic
def _slot_close_and_attest(
    *, slot, trainer, image_data, typed_name, certified, now, stored: list
) -> SlotAttendance:
    now = now or timezone.now()
    state = _locked_state(slot)
    session = state.slot.session
    if not session.trainers.filter(pk=trainer.pk).exists():
        raise ValidationError(
            _("Only a trainer of this session can attest its attendance."), code="forbidden"
        )
    if not (state.is_open or state.is_auto_closed):
        raise ValidationError(_("Only an open half-day can be closed."), code="not_open")
    method, png, typed = _evidence(
        user=trainer, image_data=image_data, typed_name=typed_name, certified=certified
    )
    signed = set(slot.signatures.values_list("trainee_id", flat=True))
    missing = Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).exclude(
        trainee_id__in=signed
    )
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("No signature when the half-day was closed.")
    AttendanceSignature.objects.bulk_create(
        [
            AttendanceSignature(
                slot=slot,
                trainee_id=enrolment.trainee_id,
                status=Status.ABSENT,
                method=Method.TRAINER,
                signed_at=now,
                reason=reason,
                recorded_by=trainer,
            )
            for enrolment in missing
        ]
    )
    state.status = SlotAttendance.Status.CLOSED
    state.closed_at = now
    state.attested_by = trainer
    state.attested_at = now
    state.attestation_method = method
    if png is not None:
        try:
            name = file_save(
                state.attestation_image, f"attestation-{trainer.pk}-{secrets.token_hex(8)}.png", png
            )
        except StorageFull as exc:
            raise ValidationError(
                _(
                    "The server has no space left to store your drawn signature: the half-day "
                    "is still open and nothing was recorded. Attest with your typed name "
                    "instead (tick the certification), or try again later."
                ),
                code="no_space",
            ) from exc
        stored.append((state.attestation_image.storage, name))
        state.attestation_sha256 = _sha256(png)
    else:
        state.attestation_name = typed
        state.attestation_sha256 = _sha256(typed.encode())
    state.save()
    return state


# --- Signatures --------------------------------------------------------------------------------


def _check_signable(*, slot: Slot, trainee: User, now: datetime.datetime) -> SlotAttendance:
    state = SlotAttendance.objects.filter(slot=slot).first()
    if not Enrolment.objects.filter(
        session_id=slot.session_id, trainee=trainee, status=Enrolment.Status.ENROLLED
    ).exists():
        raise ValidationError(
            _("You are not enrolled in this session: you cannot sign for it."),
            code="not_enrolled",
        )
    if state is None or not state.is_open:
        raise ValidationError(
            _("This half-day is not open for signatures. Wait for the trainer to open it."),
            code="not_open",
        )
    if _today(now) != slot.date:
        raise ValidationError(
            _("Signatures for this half-day are only accepted on its own day."),
            code="wrong_day",
        )
    return state


def _already(trainee_is_self: bool = True) -> ValidationError:
    if trainee_is_self:
        return ValidationError(
            _("Your attendance for this half-day is already recorded."), code="already_signed"
        )
    return ValidationError(
        _("This trainee's attendance for this half-day is already recorded: correct it instead."),
        code="already_signed",
    )


def _no_space(method: str) -> ValidationError:
    if method == Method.DRAWN:
        message = _(
            "The server has no space left to store your drawn signature: nothing was recorded. "
            "Sign with your typed name instead (type your full name and tick the "
            "certification), or try again later."
        )
    else:
        message = _(
            "The server has no space left to store the scanned sheet: nothing was recorded. "
            "Keep the paper sheet, try again later and tell the platform's administrator."
        )
    return ValidationError(message, code="no_space")


def _insert(record: AttendanceSignature, file_name: str = "", data: bytes | None = None) -> None:
    """Insert a record (with its file); a duplicate ends in ``already_signed``, never a 500.

    All or nothing: if the file cannot be written (``no_space`` when the disk is full) or the
    row cannot be saved, no file is left behind.
    """
    stored: list = []
    try:
        with transaction.atomic():
            locked = SlotAttendance.objects.select_for_update().get(slot_id=record.slot_id)
            if not locked.is_open:
                raise ValidationError(
                    _("This half-day is not open for signatures. Wait for the trainer to open it."),
                    code="not_open",
                )
            if data is not None:
                try:
                    name = file_save(record.evidence_file, file_name, data)
                except StorageFull as exc:
                    raise _no_space(record.method) from exc
                stored.append((record.evidence_file.storage, name))
            record.save()
    except IntegrityError as exc:
        _files_remove(stored)
        raise _already(record.trainee_id == record.recorded_by_id) from exc
    except BaseException:
        _files_remove(stored)
        raise


def signature_record(
    *,
    slot: Slot,
    trainee: User,
    code: str,
    image_data: bytes | None = None,
    typed_name: str = "",
    certified: bool = False,
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime.datetime | None = None,
) -> AttendanceSignature:
    """Record a trainee's own signature for an open half-day, after checking the room code.

    Refused (``ValidationError`` with a code, nothing recorded) when the trainee is not
    enrolled, the half-day is not open or not today, the code is neither the current nor the
    previous one, too many wrong codes were typed, the image is not a bounded PNG of at most
    200 KB, the typed name does not match the account, or the trainee already has a record.
    """
    now = now or timezone.now()
    state = _check_signable(slot=slot, trainee=trainee, now=now)
    if AttendanceSignature.objects.filter(slot=slot, trainee=trainee).exists():
        raise _already()
    recent = SigningAttempt.objects.filter(
        slot=slot, trainee=trainee, created_at__gte=now - WRONG_CODES_WINDOW
    ).count()
    if recent >= WRONG_CODES_ALLOWED:
        raise ValidationError(
            _("Too many wrong codes: wait a few minutes, or ask the trainer to record you."),
            code="throttled",
        )
    if not code_is_valid(secret=state.secret, code=code, now=now):
        SigningAttempt.objects.create(
            slot=slot, trainee=trainee, created_at=now, ip_address=ip_address or None
        )
        raise ValidationError(
            _("This code is not the one shown on the screen in the room. Type the current code."),
            code="bad_code",
        )
    method, png, typed = _evidence(
        user=trainee, image_data=image_data, typed_name=typed_name, certified=certified
    )
    record = AttendanceSignature(
        slot=slot,
        trainee=trainee,
        status=Status.PRESENT,
        method=method,
        signed_at=now,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
        typed_name=typed,
        evidence_sha256=_sha256(png if png is not None else typed.encode()),
        recorded_by=trainee,
    )
    _insert(record, f"signature-{trainee.pk}-{secrets.token_hex(8)}.png", png)
    return record


def signature_rehearse(
    *,
    slot: Slot,
    user: User,
    code: str,
    image_data: bytes | None = None,
    typed_name: str = "",
    certified: bool = False,
    now: datetime.datetime | None = None,
) -> str:
    """Check a test signature made during a rehearsal; record nothing; return its method.

    A rehearsal lets a trainer try the signing with the room's equipment (projector, wifi,
    phones) before the half-day's own day. What an auditor needs is that a rehearsal can never
    produce attendance evidence, so:

    - only the session's trainers (or an administrator) may test-sign, never a trainee;
    - the half-day must still be upcoming: once opened, only real signatures exist;
    - the code is drawn from a rehearsal secret (``codes.rehearsal_secret``), so a rehearsal
      code is never accepted by ``signature_record``, and opening the half-day draws a new
      slot secret anyway;
    - the signature is checked exactly like a real one (code, drawing or typed name) and then
      discarded: no ``AttendanceSignature``, no file, no wrong-code record is written.
    """
    now = now or timezone.now()
    session = slot.session
    _check_runs(user=user, session=session)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."), code="cancelled")
    state = slot_attendance_ensure(slot=slot)
    if state.status != SlotAttendance.Status.UPCOMING:
        raise ValidationError(
            _("This half-day is no longer upcoming: a rehearsal is only possible before it opens."),
            code="not_upcoming",
        )
    if not code_is_valid(secret=rehearsal_secret(secret=state.secret), code=code, now=now):
        raise ValidationError(
            _("This code is not the one shown on the rehearsal screen. Type the current code."),
            code="bad_code",
        )
    method, _png, _typed = _evidence(
        user=user, image_data=image_data, typed_name=typed_name, certified=certified
    )
    return method


def paper_signature_record(
    *,
    slot: Slot,
    trainee: User,
    scan: bytes,
    recorded_by: User,
    reason: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime.datetime | None = None,
) -> AttendanceSignature:
    """Record a trainee's signature on paper: the trainer uploads the scanned sheet."""
    now = now or timezone.now()
    _check_runs(user=recorded_by, session=slot.session)
    state = SlotAttendance.objects.filter(slot=slot).first()
    if state is None or not state.is_open:
        raise ValidationError(
            _("Paper signatures are recorded while the half-day is open."), code="not_open"
        )
    if not Enrolment.objects.filter(
        session_id=slot.session_id, trainee=trainee, status=Enrolment.Status.ENROLLED
    ).exists():
        raise ValidationError(_("This person is not enrolled in the session."), "not_enrolled")
    if AttendanceSignature.objects.filter(slot=slot, trainee=trainee).exists():
        raise _already(False)
    kind = scan_kind(data=scan)
    record = AttendanceSignature(
        slot=slot,
        trainee=trainee,
        status=Status.PRESENT,
        method=Method.PAPER,
        signed_at=now,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
        evidence_sha256=_sha256(scan),
        reason=(reason or "").strip(),
        recorded_by=recorded_by,
    )
    _insert(record, f"papier-{trainee.pk}-{secrets.token_hex(8)}.{kind}", scan)
    return record


@transaction.atomic
def signature_correct(
    *,
    signature: AttendanceSignature,
    author: User,
    new_status: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> AttendanceCorrection:
    """Change a record's status by appending a correction; the original stays as it was."""
    reason = (reason or "").strip()
    if new_status not in Status.values:
        raise ValidationError(_("Choose a valid status."), code="invalid_status")
    if not reason:
        raise ValidationError(_("Give the reason for the correction."), code="no_reason")
    signature = AttendanceSignature.objects.select_related("slot__session").get(pk=signature.pk)
    _check_runs(user=author, session=signature.slot.session)
    SlotAttendance.objects.select_for_update().filter(slot_id=signature.slot_id).first()
    current = (
        AttendanceSignature.objects.with_effective_status()
        .values_list("effective_status", flat=True)
        .get(pk=signature.pk)
    )
    if current == new_status:
        raise ValidationError(
            _("This record already has the status « %(status)s ».")
            % {"status": Status(new_status).label},
            code="same_status",
        )
    return AttendanceCorrection.objects.create(
        signature=signature,
        author=author,
        previous_status=current,
        new_status=new_status,
        reason=reason,
        created_at=now or timezone.now(),
    )


def status_mark(
    *,
    slot: Slot,
    trainee: User,
    status: str,
    reason: str,
    author: User,
    now: datetime.datetime | None = None,
) -> AttendanceSignature | AttendanceCorrection:
    """Mark a trainee absent, late or excused, with a reason.

    Without a record yet (open half-day), this creates the trainer's record; when the trainee
    already has one, it appends a correction instead (the original is kept).
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if status not in MARKABLE:
        raise ValidationError(_("Choose absent, late or excused."), code="invalid_status")
    if not reason:
        raise ValidationError(_("Give the reason."), code="no_reason")
    _check_runs(user=author, session=slot.session)
    existing = AttendanceSignature.objects.filter(slot=slot, trainee=trainee).first()
    if existing is not None:
        return signature_correct(
            signature=existing, author=author, new_status=status, reason=reason, now=now
        )
    if not Enrolment.objects.filter(
        session_id=slot.session_id, trainee=trainee, status=Enrolment.Status.ENROLLED
    ).exists():
        raise ValidationError(_("This person is not enrolled in the session."), "not_enrolled")
    state = SlotAttendance.objects.filter(slot=slot).first()
    if state is None or not state.is_open:
        raise ValidationError(_("Open the half-day before recording attendance."), code="not_open")
    record = AttendanceSignature(
        slot=slot,
        trainee=trainee,
        status=status,
        method=Method.TRAINER,
        signed_at=now,
        reason=reason,
        recorded_by=author,
    )
    _insert(record)
    return record


# --- Half-days left open ---------------------------------------------------------------------


def slots_close_overdue(*, now: datetime.datetime | None = None) -> int:
    """Close the half-days still open after their day (run hourly by the worker).

    No signature is accepted after the day; the trainer still attests the half-day (the
    absents are recorded then). Each closure is in the audit trail, by the system.
    """
    from django.utils.translation import gettext_noop

    from training.privacy.audit import audit_record
    from training.privacy.models import AuditEvent

    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = 0
    overdue = SlotAttendance.objects.filter(
        status=SlotAttendance.Status.OPEN, slot__date__lt=today
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        with transaction.atomic():
            state = (
                SlotAttendance.objects.select_for_update()
                .select_related("slot__session")
                .filter(pk=pk, status=SlotAttendance.Status.OPEN)
                .first()
            )
            if state is None:
                continue
            state.status = SlotAttendance.Status.AUTO_CLOSED
            state.closed_at = now
            state.save(update_fields=["status", "closed_at"])
            audit_record(
                actor=None,
                action=AuditEvent.Action.SLOT_AUTO_CLOSE,
                obj=state.slot,
                summary=gettext_noop(
                    "Half-day %(slot)s of session %(code)s closed automatically: it was still "
                    "open after its day."
                ),
                params={"slot": str(state.slot), "code": state.slot.session.code},
            )
            closed += 1
    return closed
