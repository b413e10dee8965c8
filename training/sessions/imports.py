"""Enrol a CSV list of trainees: parse the file (pure functions), then enrol every row at once.

The file comes from a spreadsheet: UTF-8 with or without BOM, or Windows-1252 (Excel's
« CSV (séparateur : point-virgule) »), separated by ``;`` or ``,``. Every problem is reported
with its line number so the trainer can fix the file; the parsing writes nothing, and
``enrolment_import_csv`` writes all the rows or none.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes.services import results_changed
from training.accounts.models import User
from training.bpf import categories
from training.sessions.emails import convocations_queue, invitations_queue
from training.sessions.models import Enrolment, TrainingSession
from training.sessions.services import check_open, check_room, trainee_group

MAX_ROWS = 10_000
MAX_LINES_REPORTED = 10
LINES = re.compile(r"\r\n|\r|\n")  # the physical lines, numbered as csv counts them
MAX_LENGTH = {"last_name": 150, "first_name": 150, "profession": 150, "organisation": 200}
EXPECTED_COLUMNS = (
    "nom, prénom, email, profession, organisation (BPF: categorie, financement, prix)"
)

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
    # Optional, for the annual BPF (training.bpf; values: fixtures/bpf.yaml, code or label).
    "categorie": "trainee_category",
    "categoriebpf": "trainee_category",
    "categoriestagiaire": "trainee_category",
    "typedestagiaire": "trainee_category",
    "statut": "trainee_category",
    "financement": "funding_source",
    "financeur": "funding_source",
    "sourcedefinancement": "funding_source",
    "prix": "price",
    "tarif": "price",
    "montant": "price",
}
MAX_PRICE = Decimal("99999999.99")
REQUIRED = {"last_name": "nom", "first_name": "prénom", "email": "email"}


@dataclass(frozen=True)
class TraineeRow:
    line: int
    last_name: str
    first_name: str
    email: str
    profession: str = ""
    organisation: str = ""
    trainee_category: str = ""  # a code of fixtures/bpf.yaml
    funding_source: str = ""
    price: Decimal | None = None

    @property
    def bpf_labels(self) -> list[str]:
        """What the preview shows of the BPF columns (labels, not codes)."""
        return [
            label
            for label in (
                categories.category_label(self.trainee_category, kind=categories.TRAINEE),
                categories.category_label(self.funding_source, kind=categories.FUNDING),
            )
            if label
        ]


def price_parse(value: str) -> Decimal | None:
    """Read a price typed the French way (« 1 200,50 », « 450 € ») or with a dot; None if empty.

    Raises ValueError when it is not a non-negative amount with at most two decimals.
    """
    text = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    if not text:
        return None
    text = text.replace(",", ".")
    try:
        price = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if (
        not price.is_finite()
        or price < 0
        or price > MAX_PRICE
        or price != price.quantize(Decimal("0.01"))
    ):
        raise ValueError(value)
    return price.quantize(Decimal("0.01"))


def _bpf_cells(row: dict, cell, line: int, problems: list[str]) -> None:
    """Check the optional BPF columns of one line, adding French errors to ``problems``."""
    for key, kind, message in (
        (
            "trainee_category",
            categories.TRAINEE,
            _(
                "Line %(line)d: « %(value)s » is not a trainee category of the BPF. "
                "Accepted values: %(accepted)s."
            ),
        ),
        (
            "funding_source",
            categories.FUNDING,
            _(
                "Line %(line)d: « %(value)s » is not a funding source of the BPF. "
                "Accepted values: %(accepted)s."
            ),
        ),
    ):
        value = cell(key)
        row[key] = ""
        if not value:
            continue
        found = categories.category_find(value, kind=kind)
        if found is None:
            accepted = ", ".join(f"{c.code} ({c.label})" for c in categories.categories_of(kind))
            problems.append(message % {"line": line, "value": value[:60], "accepted": accepted})
        else:
            row[key] = found.code
    try:
        row["price"] = price_parse(cell("price"))
    except ValueError:
        row["price"] = None
        problems.append(
            _(
                "Line %(line)d: « %(value)s » is not a price: write an amount in euros such "
                "as 450 or 1 200,50."
            )
            % {"line": line, "value": cell("price")[:30]}
        )


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
    damaged = [n for n, line in enumerate(LINES.split(text), start=1) if "\x00" in line]
    if damaged:
        # No text file holds a NUL byte; the confirmation form would refuse it anyway, so the
        # file is refused here, at the preview, with the lines to look at.
        for number in damaged[:MAX_LINES_REPORTED]:
            result.errors.append(
                _(
                    "Line %(line)d: the line contains a NUL character (byte 0): the file is "
                    "damaged or is not a CSV text file. Open it in your spreadsheet and save "
                    "it again as « CSV UTF-8 »."
                )
                % {"line": number}
            )
        if len(damaged) > MAX_LINES_REPORTED:
            result.errors.append(
                ngettext(
                    "%(count)d more line contains a NUL character.",
                    "%(count)d more lines contain a NUL character.",
                    len(damaged) - MAX_LINES_REPORTED,
                )
                % {"count": len(damaged) - MAX_LINES_REPORTED}
            )
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
                ngettext(
                    "Line %(line)d: %(count)d values for %(expected)d column "
                    "(is there a separator inside a value?).",
                    "Line %(line)d: %(count)d values for %(expected)d columns "
                    "(is there a separator inside a value?).",
                    len(header),
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
        _bpf_cells(row, cell, line, problems)
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


@dataclass
class ImportReport:
    accounts_created: list[str] = field(default_factory=list)
    enrolled: list[str] = field(default_factory=list)
    already_enrolled: list[str] = field(default_factory=list)


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
    by_email = {row.email.lower(): row for row in rows}
    for email, user in existing.items():  # reactivated: the file's BPF data, when it has some
        enrolment = enrolments.get(user.pk)
        if enrolment is not None and enrolment.pk in to_reactivate:
            _bpf_update(enrolment, by_email[email])
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                trainee=u,
                enrolled_at=now,
                trainee_category=by_email[u.email.lower()].trainee_category,
                funding_source=by_email[u.email.lower()].funding_source,
                price=by_email[u.email.lower()].price,
            )
            for u in fresh
        ],
        batch_size=1000,
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
    if send_emails:
        # Queued with the enrolments (all or nothing too), sent by the worker in batches.
        invitations_queue(user_ids=[u.pk for u in new_users])
        convocations_queue(
            session=session, trainee_ids=[u.pk for u in fresh] + list(reactivated_ids)
        )
    return report


def _bpf_update(enrolment: Enrolment, row: TraineeRow) -> None:
    changes = {
        key: value
        for key, value in (
            ("trainee_category", row.trainee_category),
            ("funding_source", row.funding_source),
            ("price", row.price),
        )
        if value not in ("", None)
    }
    if changes:
        Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
