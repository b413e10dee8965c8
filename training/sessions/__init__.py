"""Training sessions: scheduling (rules in ``scheduling``), half-days, enrolment and the CSV
import, the emails (invitations, convocations, cancellations) and the calendars."""
