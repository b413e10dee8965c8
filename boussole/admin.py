from django.contrib import admin

from .models import Case, Guide


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    """Read-only: the guide comes from fixtures/boussole.yaml through ``load_course``."""

    list_display = ["title", "slug"]
    readonly_fields = ["slug", "title", "intro_source", "graph"]
    exclude = ["intro_html"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases come from fixtures/boussole.yaml through ``load_course``."""

    list_display = ["title", "module", "expected_verdict"]
    list_filter = ["module"]
    search_fields = ["title", "situation_source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
