"""Enrol a CSV list of trainees: parse the file (pure functions), then enrol every row at once.

The file comes from a spreadsheet: UTF-8 with or without BOM, or Windows-1252 (Excel's
« CSV (séparateur : point-virgule) »), separated by ``;`` or ``,``. Every problem is reported
with its line number so the trainer can fix the file; the parsing writes nothing, and
``enrolment_import_csv`` writes all the rows or none.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes.services import results_changed
from training.accounts.models import User
from training.sessions.emails import convocations_send, invitations_send
from training.sessions.models import Enrolment, TrainingSession
from training.sessions.services import check_open, check_room, trainee_group

MAX_ROWS = 10_000
MAX_LENGTH = {"last_name": 150, "first_name": 150, "profession": 150, "organisation": 200}
EXPECTED_COLUMNS = "nom, prénom, email, profession, organisation"

# Normalised header (lower case, no accents, no spaces) → field.
HEADERS = {
    "nom": "last_name",
    "nomdefamille": "last_name",
    "prenom": "first_name",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "courriel": "email",
    "adresseelectronique": "email",
    "profession": "profession",
    "metier": "profession",
    "fonction": "profession",
    "organisation": "organisation",
    "employeur": "organisation",
    "etablissement": "organisation",
    "structure": "organisation",
}
REQUIRED = {"last_name": "nom", "first_name": "prénom", "email": "email"}


@dataclass(frozen=True)
class TraineeRow:
    line: int
    last_name: str
    first_name: str
    email: str
    profession: str = ""
    organisation: str = ""


@dataclass
class ParsedImport:
    rows: list[TraineeRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class CsvDecodeError(ValueError):
    """The bytes are not a text file we can read."""


def csv_decode(data: bytes) -> str:
    """Return the text of a CSV file: UTF-8 (BOM or not), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvDecodeError(
            _(
                "This is a spreadsheet file, not a CSV file. In your spreadsheet, "
                "use « Save as » and choose CSV."
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CsvDecodeError(
            _("The file's encoding is not recognised: save it as CSV UTF-8.")
        ) from exc


def _normalise_header(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.strip().lstrip("\ufeff").lower())
    value = "".join(c for c in value if not unicodedata.combining(c))
    return value.replace(" ", "").replace("_", "")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(first_line, delimiters=";,\t").delimiter
        except csv.Error:
            return ";"
    return best


def trainee_rows_parse(text: str) -> ParsedImport:
    """Parse the decoded CSV text into trainee rows, with line-numbered errors and warnings."""
    result = ParsedImport(text=text)
    text = text.lstrip("\ufeff")
    if not text.strip():
        result.errors.append(_("The file is empty."))
        return result
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        result.errors.append(_("Line 1: unreadable line (%(error)s).") % {"error": exc})
        return result
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = HEADERS.get(_normalise_header(name))
        if key and key not in columns:
            columns[key] = index
    missing = [label for key, label in REQUIRED.items() if key not in columns]
    if missing:
        result.errors.append(
            _(
                "Line 1: missing columns: %(missing)s. Expected columns: %(expected)s "
                "(found: %(found)s)."
            )
            % {
                "missing": ", ".join(missing),
                "expected": EXPECTED_COLUMNS,
                "found": ", ".join(h.strip() for h in header if h.strip()) or "—",
            }
        )
        return result

    seen: dict[str, int] = {}
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(
                _("Line %(line)d: unreadable line (%(error)s).")
                % {"line": reader.line_num, "error": exc}
            )
            break
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append(
                _("The file has more than %(max)d lines: split it.") % {"max": MAX_ROWS}
            )
            break
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            result.errors.append(
                _(
                    "Line %(line)d: %(count)d values for %(expected)d columns "
                    "(is there a separator inside a value?)."
                )
                % {"line": line, "count": len(values), "expected": len(header)}
            )
            continue

        def cell(key, values=values):
            index = columns.get(key)
            if index is None or index >= len(values):
                return ""
            return " ".join(values[index].split())

        row = {key: cell(key) for key in ("last_name", "first_name", "email")}
        row["profession"] = cell("profession")
        row["organisation"] = cell("organisation")
        row["email"] = row["email"].lower()
        problems = []
        if not row["last_name"]:
            problems.append(_("Line %(line)d: the last name (nom) is missing.") % {"line": line})
        if not row["first_name"]:
            problems.append(
                _("Line %(line)d: the first name (prénom) is missing.") % {"line": line}
            )
        if not row["email"]:
            problems.append(_("Line %(line)d: the email address is missing.") % {"line": line})
        else:
            try:
                validate_email(row["email"])
            except ValidationError:
                problems.append(
                    _("Line %(line)d: « %(value)s » is not a valid email address.")
                    % {"line": line, "value": row["email"]}
                )
        for key, maximum in MAX_LENGTH.items():
            if len(row[key]) > maximum:
                problems.append(
                    _(
                        "Line %(line)d: the value « %(value)s… » is too long (%(max)d characters at most)."
                    )
                    % {"line": line, "value": row[key][:30], "max": maximum}
                )
        if problems:
            result.errors.extend(problems)
            continue
        if row["email"] in seen:
            result.warnings.append(
                _(
                    "Line %(line)d: %(email)s already appears on line %(first)d; this line is ignored."
                )
                % {"line": line, "email": row["email"], "first": seen[row["email"]]}
            )
            continue
        seen[row["email"]] = line
        result.rows.append(TraineeRow(line=line, **row))

    if not result.rows and not result.errors:
        result.errors.append(_("The file has a header line but no trainee."))
    return result


def trainee_csv_parse(data: bytes) -> ParsedImport:
    """Decode then parse an uploaded CSV file of trainees."""
    try:
        text = csv_decode(data)
    except CsvDecodeError as exc:
        return ParsedImport(errors=[str(exc)])
    return trainee_rows_parse(text)


# Above this many trainees enrolled at once, an import leaves the emails to
# ``convocations_send_pending`` (the ``send_pending_convocations`` command, run by cron):
# 5,000 convocations take minutes to build and send, far beyond a request's timeout.
IMPORT_EMAILS_INLINE_MAX = 50


@dataclass
class ImportReport:
    accounts_created: list[str] = field(default_factory=list)
    enrolled: list[str] = field(default_factory=list)
    already_enrolled: list[str] = field(default_factory=list)
    emails_deferred: bool = False


@transaction.atomic
def enrolment_import_csv(
    *, session: TrainingSession, rows: Sequence[TraineeRow], send_emails: bool = True
) -> ImportReport:
    """Enrol every row at once (all or nothing); existing accounts are reused, never doubled."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    check_open(session)
    unique: dict[str, TraineeRow] = {}
    for row in rows:
        unique.setdefault(row.email.lower(), row)
    rows = list(unique.values())
    emails = [row.email.lower() for row in rows]
    existing = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    new_rows = [row for row in rows if row.email.lower() not in existing]
    existing_ids = [u.pk for u in existing.values()]
    enrolments = {
        e.trainee_id: e
        for e in Enrolment.objects.filter(session=session, trainee_id__in=existing_ids)
    }
    report = ImportReport()
    to_reactivate = []
    for email, user in existing.items():
        enrolment = enrolments.get(user.pk)
        if enrolment is None:
            continue
        if enrolment.is_active:
            report.already_enrolled.append(email)
        else:
            to_reactivate.append(enrolment.pk)
    adding = len(rows) - len(report.already_enrolled)
    check_room(session=session, adding=adding)

    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=row.email.lower(),
                first_name=row.first_name,
                last_name=row.last_name,
                profession=row.profession,
                organisation=row.organisation,
                password=unusable,
            )
            for row in new_rows
        ],
        batch_size=500,
    )
    new_users = list(User.objects.filter(email__in=[row.email.lower() for row in new_rows]))
    group = trainee_group()
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in new_users],
        batch_size=1000,
        ignore_conflicts=True,
    )
    now = timezone.now()
    if to_reactivate:
        Enrolment.objects.filter(pk__in=to_reactivate).update(
            status=Enrolment.Status.ENROLLED, enrolled_at=now, cancelled_at=None
        )
    fresh = [u for u in existing.values() if u.pk not in enrolments] + new_users
    Enrolment.objects.bulk_create(
        [Enrolment(session=session, trainee=u, enrolled_at=now) for u in fresh], batch_size=1000
    )
    results_changed()  # bulk writes send no signal: the trainers' results scopes changed
    reactivated_ids = {
        enrolments[u.pk].trainee_id
        for u in existing.values()
        if u.pk in enrolments and enrolments[u.pk].pk in to_reactivate
    }
    report.accounts_created = [u.email for u in new_users]
    report.enrolled = [u.email for u in fresh] + [
        u.email for u in existing.values() if u.pk in reactivated_ids
    ]
    if send_emails and len(report.enrolled) > IMPORT_EMAILS_INLINE_MAX:
        report.emails_deferred = True  # convocation_sent_at stays empty: the task picks them up
    elif send_emails:
        new_ids = [u.pk for u in new_users]
        trainee_ids = [u.pk for u in fresh] + list(reactivated_ids)
        enrolled_ids = list(
            Enrolment.objects.filter(session=session, trainee_id__in=trainee_ids).values_list(
                "pk", flat=True
            )
        )
        transaction.on_commit(lambda: invitations_send(user_ids=new_ids))
        transaction.on_commit(lambda: convocations_send(enrolment_ids=enrolled_ids))
    return report
