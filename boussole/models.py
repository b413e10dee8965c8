"""The « Boussole du partage »: a decision graph (stored as JSON) and its practice cases."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Guide(models.Model):
    """The decision graph, as loaded from ``fixtures/boussole.yaml``.

    ``graph`` holds the validated graph with its help texts already rendered to HTML
    (``help_html``, ``text_html``), so that walking it never renders Markdown.
    """

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    intro_source = models.TextField(_("introduction (Markdown)"), blank=True)
    intro_html = models.TextField(_("introduction (HTML)"), blank=True, editable=False)
    graph = models.JSONField(_("decision graph"), default=dict)

    class Meta:
        verbose_name = _("sharing guide")
        verbose_name_plural = _("sharing guides")

    def __str__(self):
        return self.title

    @property
    def verdicts(self) -> dict:
        return self.graph.get("verdicts", {})


class CaseQuerySet(models.QuerySet):
    def in_course_order(self):
        """Cases grouped by module number, then in file order."""
        return self.select_related("module").order_by("module__number", "order", "slug")


class Case(models.Model):
    """A fictional practice case: the trainee answers first, then walks the guide."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="cases")
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    module = models.ForeignKey(
        "modules.Module",
        on_delete=models.SET_NULL,
        related_name="boussole_cases",
        null=True,
        blank=True,
        verbose_name=_("module"),
    )
    situation_source = models.TextField(_("situation (Markdown)"))
    situation_html = models.TextField(_("situation (HTML)"), blank=True, editable=False)
    expected_verdict = models.SlugField(_("expected verdict"), max_length=80)
    key_conditions = models.JSONField(_("key conditions"), default=list)
    answers = models.JSONField(_("answers leading to the verdict"), default=list)
    explanation_source = models.TextField(_("commentary (Markdown)"), blank=True)
    explanation_html = models.TextField(_("commentary (HTML)"), blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice case")
        verbose_name_plural = _("practice cases")
        ordering = ["order", "slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("boussole:case_detail", args=[self.slug])

    @property
    def expected(self) -> dict:
        """The expected verdict as stored in the guide's graph."""
        return self.guide.verdicts.get(self.expected_verdict, {})
