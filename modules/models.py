from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    """The course and its public programme (editable by administrators)."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=250)
    stakes = models.TextField(_("stakes"), blank=True)
    audience = models.TextField(_("audience"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    duration = models.CharField(_("duration"), max_length=200, blank=True)
    methods = models.TextField(_("teaching methods"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    access_delays = models.TextField(_("access delays"), blank=True)
    price = models.CharField(_("price"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title


class CourseObjective(models.Model):
    """One of the course's learning objectives; quiz questions measure one each."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=300)

    class Meta:
        verbose_name = _("course objective")
        verbose_name_plural = _("course objectives")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="unique_objective_code"),
        ]

    def __str__(self):
        return self.text


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=250)
    minutes = models.PositiveIntegerField(_("duration in the room (minutes)"), default=0)
    objectives = models.JSONField(_("learning objectives"), default=list, blank=True)
    course_objectives = models.ManyToManyField(
        CourseObjective, related_name="modules", blank=True, verbose_name=_("course objectives")
    )
    intro_source = models.TextField(_("introduction (Markdown)"), blank=True)
    intro_html = models.TextField(_("introduction (HTML)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="unique_module_number"),
        ]

    def __str__(self):
        return _("Module %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("modules:module_detail", args=[self.slug])


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=250)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=0)
    source = models.TextField(_("text (Markdown)"))
    html = models.TextField(_("text (HTML)"), blank=True, editable=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    words = models.PositiveIntegerField(_("word count"), default=0, editable=False)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module__number", "order"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("modules:lesson_detail", args=[self.module.slug, self.slug])


class GlossaryTerm(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    term = models.CharField(_("term"), max_length=200)
    definition_source = models.TextField(_("definition (Markdown)"))
    definition_html = models.TextField(_("definition (HTML)"), blank=True, editable=False)
    legal_basis = models.CharField(_("legal basis"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term"]

    def __str__(self):
        return self.term


class ResourceQuerySet(models.QuerySet):
    def bibliography(self):
        return self.filter(kind=Resource.Kind.BIBLIOGRAPHY)

    def links(self):
        return self.filter(kind=Resource.Kind.LINK)

    def of_course(self):
        """Resources that belong to the course itself (not to one session)."""
        return self.filter(is_session_specific=False)


class Resource(models.Model):
    """A bibliography entry, a web link or a file, for the course, a module or a session."""

    class Kind(models.TextChoices):
        BIBLIOGRAPHY = "bibliography", _("Bibliography entry")
        LINK = "link", _("Web link")
        FILE = "file", _("File")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="resources", null=True, blank=True
    )
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, related_name="resources", null=True, blank=True
    )
    is_session_specific = models.BooleanField(_("specific to a session"), default=False)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=400)
    publisher = models.CharField(_("publisher"), max_length=250, blank=True)
    place = models.CharField(_("place of publication"), max_length=120, blank=True)
    year = models.CharField(_("year"), max_length=20, blank=True)
    details = models.CharField(_("details"), max_length=400, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    description = models.CharField(_("description"), max_length=400, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="resources/", blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "order", "title"]

    def __str__(self):
        return self.title


class TrainerNote(models.Model):
    """Guidance for trainers on one module; never shown to trainees."""

    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="trainer_note")
    source = models.TextField(_("text (Markdown)"))
    html = models.TextField(_("text (HTML)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("trainer note")
        verbose_name_plural = _("trainer notes")

    def __str__(self):
        return str(self.module)


class Slide(models.Model):
    """One slide of a module's deck, with its speaker notes."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="slides")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=250)
    source = models.TextField(_("slide (Markdown)"), blank=True)
    html = models.TextField(_("slide (HTML)"), blank=True, editable=False)
    notes_source = models.TextField(_("speaker notes (Markdown)"), blank=True)
    notes_html = models.TextField(_("speaker notes (HTML)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("slide")
        verbose_name_plural = _("slides")
        ordering = ["module__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="unique_slide_order"),
        ]

    def __str__(self):
        return self.title


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_progress"),
        ]

    def __str__(self):
        return f"{self.user} — {self.lesson}"
