"""Export attendance for funders and audits, without the web server.

Why a command: administrators script the yearly reporting (cron, a shell on the server) and
large exports should not hold a web worker. It calls the same row builders as the web page.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.dates import DATE_MAX, DATE_MIN
from training.attendance.exports import (
    attendance_csv_stream,
    attendance_xlsx_write,
    summary_csv_stream,
)
from training.sessions.models import TrainingSession


def _date(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Invalid date {value!r}: use YYYY-MM-DD.") from exc
    if not DATE_MIN <= day <= DATE_MAX:
        raise CommandError(f"Invalid date {value!r}: between {DATE_MIN} and {DATE_MAX}.")
    return day


class Command(BaseCommand):
    help = (
        "Export attendance: one row per trainee and half-day (CSV), or the rows plus the "
        "hours summary (XLSX, two sheets)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
        parser.add_argument("--session", help="Session reference code (all sessions if absent).")
        parser.add_argument("--since", help="First date included (YYYY-MM-DD).")
        parser.add_argument("--until", help="Last date included (YYYY-MM-DD).")
        parser.add_argument("--out", required=True, help="File to write.")
        parser.add_argument(
            "--summary",
            action="store_true",
            help="CSV only: write the hours planned/attended per trainee instead of the rows.",
        )

    def handle(self, *args, **options):
        session = None
        if options["session"]:
            session = TrainingSession.objects.filter(code=options["session"]).first()
            if session is None:
                raise CommandError(f"No session with the reference {options['session']!r}.")
        since = _date(options["since"]) if options["since"] else None
        until = _date(options["until"]) if options["until"] else None
        if since and until and since > until:
            raise CommandError("--since must not be after --until.")
        filters = {"session": session, "since": since, "until": until}
        with translation.override(settings.LANGUAGE_CODE):
            if options["format"] == "xlsx":
                with open(options["out"], "wb") as handle:
                    attendance_xlsx_write(handle=handle, **filters)
            else:
                stream = summary_csv_stream if options["summary"] else attendance_csv_stream
                with open(options["out"], "w", encoding="utf-8", newline="") as handle:
                    for chunk in stream(**filters):
                        handle.write(chunk)
        self.stdout.write(f"Attendance written to {options['out']}.")
