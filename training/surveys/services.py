"""Survey writes: sending invitations and reminders (each once), answering, inviting an
employer or funder, a session's « à froid » delay, and publishing or hiding comments.

Sending is split in two so that it plugs into the task framework in one place:
``survey_sends_run(now=…)`` claims each due message by inserting its ``SurveyMessage`` row
(the unique (invitation, number) pair decides between concurrent runs), then hands it to
``survey_email_send(message_id=…)``, the one function that sends an email and records the
outcome. The periodic task calls ``survey_sends_run``; ``survey_email_send`` can become the
email task.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from training.privacy.audit import audit_record
from training.privacy.models import AuditEvent
from training.sessions.models import TrainingSession
from training.surveys import scheduling, selectors, tasks
from training.surveys.emails import survey_email
from training.surveys.models import (
    Questionnaire,
    SessionSurveySettings,
    SurveyAnswer,
    SurveyInvitation,
    SurveyMessage,
    SurveyQuestion,
    SurveyResponse,
)

logger = logging.getLogger(__name__)


# --- Sending ----------------------------------------------------------------------------------


@dataclass
class SendReport:
    invitations: int = 0
    reminders: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by a concurrent run, or answered meanwhile

    def count(self, status: str, *, reminder: bool) -> None:
        if status == SurveyMessage.Status.SENT:
            if reminder:
                self.reminders += 1
            else:
                self.invitations += 1
        elif status == SurveyMessage.Status.FAILED:
            self.failed += 1
        else:
            self.skipped += 1


def _invitation_for(due: selectors.DueInvitation) -> SurveyInvitation:
    """Return the invitation row of a due entry, created if needed (once, whatever the race)."""
    if due.invitation is not None:
        return due.invitation
    lookup = {
        "questionnaire": due.questionnaire,
        "session": due.session,
        "recipient": due.recipient,
    }
    existing = SurveyInvitation.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(**lookup, due_at=due.due_at)
    except IntegrityError:  # created meanwhile by a concurrent run or the trainee's dashboard
        return SurveyInvitation.objects.get(**lookup)


def _claim(
    invitation: SurveyInvitation, number: int, now: datetime.datetime
) -> SurveyMessage | None:
    """Insert the message row; None when another run already has it."""
    try:
        with transaction.atomic():
            message = SurveyMessage.objects.create(
                invitation=invitation, number=number, claimed_at=now
            )
            if number == 0:
                SurveyInvitation.objects.filter(pk=invitation.pk).update(
                    sent_at=now, expires_at=scheduling.link_expiry(now)
                )
            return message
    except IntegrityError:
        return None


def survey_email_send(*, message_id: int) -> str:
    """Send one claimed invitation or reminder email and record the outcome.

    The one place an email of this feature leaves: to move sending to the task worker,
    enqueue this function instead of calling it. A message already sent is not sent again.
    """
    message = (
        SurveyMessage.objects.select_related(
            "invitation__questionnaire", "invitation__session", "invitation__recipient"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return SurveyMessage.Status.FAILED
    if message.status == SurveyMessage.Status.SENT:
        return message.status
    if message.invitation.answered:
        # Answered between the claim and now (from the dashboard): nothing to send.
        SurveyMessage.objects.filter(pk=message.pk).update(status=SurveyMessage.Status.SKIPPED)
        return SurveyMessage.Status.SKIPPED
    try:
        survey_email(message=message).send()
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server is recorded
        logger.warning("survey email %s not sent: %s", message.pk, exc)
        SurveyMessage.objects.filter(pk=message.pk).update(
            status=SurveyMessage.Status.FAILED, error=str(exc)[:300]
        )
        return SurveyMessage.Status.FAILED
    SurveyMessage.objects.filter(pk=message.pk).update(
        status=SurveyMessage.Status.SENT, sent_at=timezone.now()
    )
    return SurveyMessage.Status.SENT


def survey_sends_run(*, now: datetime.datetime | None = None) -> SendReport:
    """Send every invitation and reminder due at ``now``, each exactly once.

    Safe to run often and from several processes at once: a message is claimed by inserting
    its row before it is sent, and the database's unique constraint lets only one run
    claim it.
    """
    now = now or timezone.now()
    report = SendReport()
    for due in selectors.survey_invitations_due(now=now):
        invitation = _invitation_for(due)
        if invitation.answered:
            continue
        message = _claim(invitation, 0, now)
        if message is None:
            report.skipped += 1
            continue
        report.count(survey_email_send(message_id=message.pk), reminder=False)
    for due in selectors.survey_reminders_due(now=now):
        message = _claim(due.invitation, due.number, now)
        if message is None:
            report.skipped += 1
            continue
        report.count(survey_email_send(message_id=message.pk), reminder=True)
    return report


# --- Inviting -----------------------------------------------------------------------------------


def invitation_open(
    *, user, questionnaire: Questionnaire, session: TrainingSession
) -> SurveyInvitation:
    """Return the user's invitation to a questionnaire (created when they open it from the
    dashboard before the email went; the email then goes only if they have not answered)."""
    lookup = {"questionnaire": questionnaire, "session": session, "recipient": user}
    existing = SurveyInvitation.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    session = TrainingSession.objects.prefetch_related("slots").get(pk=session.pk)
    due = scheduling.due_at(questionnaire.kind, session) or timezone.now()
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(
                **lookup, due_at=due, expires_at=scheduling.link_expiry(due)
            )
    except IntegrityError:
        return SurveyInvitation.objects.get(**lookup)


def sponsor_invite(
    *, session: TrainingSession, name: str, email: str, organisation: str = "", by=None
) -> SurveyInvitation:
    """Invite an employer or funder to answer about a session; the email goes with the next
    sending run (within minutes)."""
    questionnaire = selectors.questionnaire_active(kind=Questionnaire.Kind.SPONSOR)
    if questionnaire is None:
        raise ValidationError(_("No employer questionnaire is loaded."), code="missing")
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."), code="cancelled")
    email = email.strip().lower()
    if SurveyInvitation.objects.filter(
        questionnaire=questionnaire, session=session, recipient__isnull=True, email=email
    ).exists():
        raise ValidationError(
            _("This address has already been invited for this session."), code="duplicate"
        )
    try:
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(
                questionnaire=questionnaire,
                session=session,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                created_by=by if by is not None and by.is_authenticated else None,
                due_at=timezone.now(),
            )
            # The worker sends it now rather than at the next quarter of an hour.
            transaction.on_commit(lambda: tasks.survey_sends.enqueue(), robust=True)
            return invitation
    except IntegrityError as exc:
        raise ValidationError(
            _("This address has already been invited for this session."), code="duplicate"
        ) from exc


@transaction.atomic
def session_survey_settings_update(
    *, session: TrainingSession, cold_delay_days: int | None
) -> SessionSurveySettings:
    """Set a session's « à froid » delay (None: the default setting)."""
    if cold_delay_days is not None and not 1 <= cold_delay_days <= 365:
        raise ValidationError(_("Choose a delay between 1 and 365 days."), code="range")
    settings_row, _created = SessionSurveySettings.objects.update_or_create(
        session=session, defaults={"cold_delay_days": cold_delay_days}
    )
    return settings_row


# --- Answering ----------------------------------------------------------------------------------


class AlreadyAnswered(ValidationError):
    pass


class LinkExpired(ValidationError):
    pass


def response_submit(
    *,
    invitation: SurveyInvitation,
    answers: dict[int, int | str],
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """Record the answers of an invitation, once.

    ``answers`` maps question ids to a number (scales, choices, yes = 1 / no = 0) or a text;
    empty answers are left out. For an anonymous questionnaire the response keeps no trace
    of who answered or when: only the invitation learns that it was answered.
    """
    now = now or timezone.now()
    if invitation.is_expired(now):
        raise LinkExpired(_("This link has expired."), code="expired")
    questionnaire = invitation.questionnaire
    questions = {q.pk: q for q in questionnaire.questions.filter(is_active=True)}
    with transaction.atomic():
        # The conditional update decides between two submissions at once: one wins.
        won = SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(
            answered=True
        )
        if not won:
            raise AlreadyAnswered(
                _("You have already answered this questionnaire."), code="answered"
            )
        response = SurveyResponse.objects.create(
            questionnaire=questionnaire,
            session_id=invitation.session_id,
            anonymous=questionnaire.anonymous,
            respondent=None if questionnaire.anonymous else invitation.recipient,
            invitation=None if questionnaire.anonymous else invitation,
            submitted_at=None if questionnaire.anonymous else now,
        )
        rows = []
        for question_id, value in answers.items():
            question = questions.get(question_id)
            if question is None or value is None or value == "":
                continue
            if question.type == SurveyQuestion.Type.TEXT:
                rows.append(
                    SurveyAnswer(
                        response=response,
                        question=question,
                        text=str(value).strip(),
                        comment_status=SurveyAnswer.CommentStatus.PENDING,
                    )
                )
            else:
                rows.append(SurveyAnswer(response=response, question=question, value=int(value)))
        SurveyAnswer.objects.bulk_create(rows)
    invitation.answered = True
    return response


# --- Comments ---------------------------------------------------------------------------------


@transaction.atomic
def comment_moderate(*, answer: SurveyAnswer, publish: bool, by) -> SurveyAnswer:
    """Publish a comment to the trainers, or hide it."""
    status = SurveyAnswer.CommentStatus.PUBLISHED if publish else SurveyAnswer.CommentStatus.HIDDEN
    if not answer.text:
        raise ValidationError(_("Only comments can be published."), code="not_comment")
    if answer.comment_status != status:
        SurveyAnswer.objects.filter(pk=answer.pk).update(comment_status=status)
        answer.comment_status = status
        audit_record(
            actor=by,
            action=AuditEvent.Action.COMMENT_MODERATE,
            obj=answer,
            summary=(
                gettext_noop("Comment on « %(question)s » (%(code)s) published")
                if publish
                else gettext_noop("Comment on « %(question)s » (%(code)s) hidden")
            ),
            params={"question": answer.question.key, "code": answer.response.session.code},
        )
    return answer


# --- Personal data --------------------------------------------------------------------------------


def user_surveys_anonymise(*, user) -> dict:
    """Detach a person's named answers (trainer's questionnaire) from them; keep the answers.

    Anonymous answers never named them. Their invitations stay with the pseudonymous
    account (they count in response rates) and their unsent messages stop (the account is
    deactivated).
    """
    detached = SurveyResponse.objects.filter(respondent=user).update(
        respondent=None, invitation=None
    )
    return {"survey_responses_detached": detached}
