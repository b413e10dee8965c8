from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _

from core import uploads
from modules import services
from modules.models import (
    Course,
    CourseObjective,
    GlossaryTerm,
    Lesson,
    Module,
    Resource,
    Slide,
    TrainerNote,
)


class GlossaryLinksForm(forms.ModelForm):
    """Reject ``[[slug]]`` links to glossary terms that do not exist, as load_course does."""

    markdown_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        glossary = services.glossary_names()
        if isinstance(self.instance, GlossaryTerm) and cleaned.get("slug"):
            glossary[cleaned["slug"]] = cleaned.get("term") or ""
        for name in self.markdown_fields:
            unknown = services.glossary_unknown_slugs(cleaned.get(name) or "", glossary=glossary)
            if unknown:
                self.add_error(
                    name,
                    _("Unknown glossary term: %(slugs)s. Use the slug of an existing term.")
                    % {"slugs": ", ".join(unknown)},
                )
        return cleaned


class ModuleAdminForm(GlossaryLinksForm):
    markdown_fields = ("intro_source",)


class LessonAdminForm(GlossaryLinksForm):
    markdown_fields = ("source",)


class GlossaryTermAdminForm(GlossaryLinksForm):
    markdown_fields = ("definition_source",)


class TrainerNoteAdminForm(GlossaryLinksForm):
    markdown_fields = ("source",)


class ResourceAdminForm(forms.ModelForm):
    """Check an uploaded resource file by its content (type, size, pixels), not its name."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "content_type"):  # unchanged or cleared
            return upload
        if upload.size > uploads.RESOURCE_MAX_BYTES:
            raise uploads.resource_too_large()  # refused before reading it
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        uploads.resource_file_check(name=upload.name, data=data)
        return upload


class CourseObjectiveInline(admin.TabularInline):
    model = CourseObjective
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    inlines = [CourseObjectiveInline]


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["order", "title", "slug", "minutes"]
    extra = 0
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    form = ModuleAdminForm
    list_display = ["number", "title", "slug", "minutes"]
    inlines = [LessonInline]
    filter_horizontal = ["course_objectives"]

    def save_model(self, request, obj, form, change):
        services.module_render(module=obj)
        super().save_model(request, obj, form, change)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonAdminForm
    list_display = ["title", "module", "order", "minutes", "words"]
    list_filter = ["module"]
    search_fields = ["title", "source"]
    readonly_fields = ["words"]

    def save_model(self, request, obj, form, change):
        services.lesson_render(lesson=obj)
        super().save_model(request, obj, form, change)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    form = GlossaryTermAdminForm
    list_display = ["term", "slug", "legal_basis"]
    search_fields = ["term", "definition_source"]

    def save_model(self, request, obj, form, change):
        services.glossary_term_render(term=obj)
        super().save_model(request, obj, form, change)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    # Django 6 assumes https for a typed address without scheme; say so now (no warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "module", "is_session_specific"]
    list_filter = ["kind", "module", "is_session_specific"]
    search_fields = ["title", "authors", "url"]


@admin.register(TrainerNote)
class TrainerNoteAdmin(admin.ModelAdmin):
    form = TrainerNoteAdminForm
    list_display = ["module"]

    def save_model(self, request, obj, form, change):
        services.trainer_note_render(note=obj)
        super().save_model(request, obj, form, change)


@admin.register(Slide)
class SlideAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "order"]
    list_filter = ["module"]

    def save_model(self, request, obj, form, change):
        services.slide_render(slide=obj)
        super().save_model(request, obj, form, change)
