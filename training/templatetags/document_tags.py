"""Template helpers for session documents: French typography and the trainee's panel."""

from django import template

from core.typography import french, french_html
from training.documents import selectors
from training.documents.typography import citation_punctuation

register = template.Library()


@register.filter(name="fr")
def fr_filter(value):
    """Escape a plain value and put French no-break spaces in it."""
    return french(value)


@register.filter(name="fr_html")
def fr_html_filter(value):
    """Put French no-break spaces in trusted, already sanitised HTML (rendered Markdown)."""
    return french_html(str(value or ""))


@register.filter(name="oneline")
def oneline_filter(value):
    """Join the lines of an address with commas (« 12 rue X\n69002 Lyon » → one line)."""
    lines = [line.strip(" ,") for line in str(value or "").splitlines()]
    return ", ".join(line for line in lines if line)


@register.filter(name="citation")
def citation_filter(value):
    """Tidy a rendered citation: French spacing, no « ., » where two fields meet."""
    return citation_punctuation(french_html(str(value or "")))


@register.inclusion_tag("training/includes/_documents_dashboard.html", takes_context=True)
def documents_dashboard_panel(context):
    """Render the trainee's documents (convocation, certificate, attestation) per session."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "user": user,
        "document_sessions": selectors.trainee_documents(
            user=user, sessions=context.get("trainee_sessions")
        )
        if user
        else [],
    }
