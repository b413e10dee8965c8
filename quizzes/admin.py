from django.contrib import admin

from quizzes import services
from quizzes.models import Answer, Attempt, Choice, Question, Quiz


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "key", "type", "objective", "legal_basis"]
    extra = 0
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "module", "pass_mark", "max_attempts", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [QuestionInline]

    def save_model(self, request, obj, form, change):
        services.quiz_render(quiz=obj)
        super().save_model(request, obj, form, change)


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["order", "key", "text", "is_correct", "feedback_source"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "type", "objective", "legal_basis"]
    list_filter = ["quiz", "type", "objective"]
    search_fields = ["key", "text_source", "explanation_source"]
    inlines = [ChoiceInline]

    def save_model(self, request, obj, form, change):
        services.question_render(question=obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for choice in formset.save(commit=False):
            services.choice_render(choice=choice)
            choice.save()
        for choice in formset.deleted_objects:
            choice.delete()
        formset.save_m2m()


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["order", "question_key", "is_correct", "points", "max_points"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are evidence: readable here, never edited."""

    list_display = ["user", "quiz", "status", "started_at", "submitted_at", "score_percent"]
    list_filter = ["quiz", "status"]
    search_fields = ["user__email", "user__last_name"]
    inlines = [AnswerInline]
    readonly_fields = [
        "user",
        "quiz",
        "session",
        "status",
        "started_at",
        "submitted_at",
        "score_points",
        "max_points",
        "score_percent",
        "passed",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
