"""Export the figures of the BPF of a calendar year (CSV, XLSX or PDF), the same as the
administrators' page. Refused, with the list, when enrolments of that year lack their data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.spreadsheets import csv_stream, xlsx_write
from training.bpf import exports, selectors


class Command(BaseCommand):
    help = "Export the BPF figures of a calendar year: bpf_export 2026 --format csv --out FILE."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, year, format, out, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("The year must be between 2000 and 2100.")
        with translation.override("fr"):
            try:
                report = selectors.bpf_compute(year=year)
            except selectors.BpfIncomplete as incomplete:
                lines = [
                    f"  {item.enrolment.session.code} — "
                    f"{item.enrolment.trainee.get_full_name() or item.enrolment.trainee.email}: "
                    f"{', '.join(item.missing)}"
                    for item in incomplete.missing
                ]
                raise CommandError(
                    f"Le BPF {year} ne peut pas être exporté : {len(lines)} inscription(s) "
                    "sans leurs données (catégorie, financement, prix). Complétez-les sur "
                    "/administration/bpf/ :\n" + "\n".join(lines)
                ) from incomplete
            target = Path(out)
            if format == "csv":
                target.write_text("".join(csv_stream(exports.bpf_rows(report))), encoding="utf-8")
            elif format == "xlsx":
                with open(target, "wb") as handle:
                    xlsx_write(exports.bpf_sheets(report), handle=handle)
            else:
                target.write_bytes(exports.bpf_pdf(report))
        self.stdout.write(
            self.style.SUCCESS(
                f"{target}: BPF {year}, {report.trainees} trainee(s), {report.hours} hours-trainee, "
                f"{report.income} € income."
            )
        )
