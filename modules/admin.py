from django.contrib import admin

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
    list_display = ["number", "title", "slug", "minutes"]
    inlines = [LessonInline]
    filter_horizontal = ["course_objectives"]

    def save_model(self, request, obj, form, change):
        services.module_render(module=obj)
        super().save_model(request, obj, form, change)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "order", "minutes", "words"]
    list_filter = ["module"]
    search_fields = ["title", "source"]
    readonly_fields = ["words"]

    def save_model(self, request, obj, form, change):
        services.lesson_render(lesson=obj)
        super().save_model(request, obj, form, change)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "slug", "legal_basis"]
    search_fields = ["term", "definition_source"]

    def save_model(self, request, obj, form, change):
        services.glossary_term_render(term=obj)
        super().save_model(request, obj, form, change)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "module", "is_session_specific"]
    list_filter = ["kind", "module", "is_session_specific"]
    search_fields = ["title", "authors", "url"]


@admin.register(TrainerNote)
class TrainerNoteAdmin(admin.ModelAdmin):
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
