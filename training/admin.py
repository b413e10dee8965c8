from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from training.accounts.models import User
from training.sessions.models import CalendarToken, Enrolment, Slot, TrainingSession


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["groups", "profession_category", "is_active"]
    search_fields = ["email", "first_name", "last_name", "organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Identity"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "profession",
                    "profession_category",
                    "organisation",
                ]
            },
        ),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        """Keep superuser status out of reach of administrators who are not superusers."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def has_change_permission(self, request, obj=None):
        """Let only a superuser change a superuser's account (email, password, roles)."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    fields = ["date", "period", "start_time", "end_time", "modules"]
    filter_horizontal = ["modules"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    fields = ["trainee", "status", "enrolled_at", "cancelled_at", "convocation_sent_at"]
    raw_id_fields = ["trainee"]
    readonly_fields = ["convocation_sent_at"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "start_date", "end_date", "place_name", "status", "capacity"]
    list_filter = ["status", "trainers"]
    search_fields = ["code", "title", "place_name"]
    date_hierarchy = "start_date"
    filter_horizontal = ["trainers", "resources"]
    readonly_fields = ["start_date", "end_date", "created", "updated"]
    inlines = [SlotInline, EnrolmentInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["trainee", "session", "status", "enrolled_at", "convocation_sent_at"]
    list_filter = ["status"]
    search_fields = ["trainee__email", "trainee__last_name", "session__code"]
    raw_id_fields = ["trainee", "session"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created"]
    search_fields = ["user__email"]
    readonly_fields = ["token", "created"]


from training.documents.models import GeneratedDocument  # noqa: E402


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Cached PDFs: read-only (they are made again from their inputs when needed)."""

    list_display = ["session", "kind", "trainee", "created_at", "input_hash"]
    list_filter = ["kind"]
    search_fields = ["session__code", "trainee__email", "trainee__last_name"]
    readonly_fields = ["session", "kind", "trainee", "input_hash", "file", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Attendance: evidence is read-only in the admin (append-only; corrections in the app) ---

from training.attendance.models import (  # noqa: E402
    AttendanceCorrection,
    AttendanceSignature,
    SigningAttempt,
    SlotAttendance,
)


class ReadOnlyEvidenceAdmin(admin.ModelAdmin):
    """Shows attendance evidence without any add, change or delete permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttendanceCorrectionInline(admin.TabularInline):
    model = AttendanceCorrection
    extra = 0
    fields = ["created_at", "author", "previous_status", "new_status", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SlotAttendance)
class SlotAttendanceAdmin(ReadOnlyEvidenceAdmin):
    list_display = ["slot", "status", "opened_at", "closed_at", "attested_by"]
    list_filter = ["status"]
    search_fields = ["slot__session__code"]
    exclude = ["secret"]
    list_select_related = ["slot__session", "attested_by"]


@admin.register(AttendanceSignature)
class AttendanceSignatureAdmin(ReadOnlyEvidenceAdmin):
    list_display = ["trainee", "slot", "status", "method", "signed_at", "recorded_by"]
    list_filter = ["status", "method"]
    search_fields = ["trainee__email", "trainee__last_name", "slot__session__code"]
    date_hierarchy = "signed_at"
    list_select_related = ["trainee", "slot__session", "recorded_by"]
    inlines = [AttendanceCorrectionInline]


@admin.register(AttendanceCorrection)
class AttendanceCorrectionAdmin(ReadOnlyEvidenceAdmin):
    list_display = ["signature", "previous_status", "new_status", "author", "created_at"]
    list_filter = ["new_status"]
    search_fields = ["signature__trainee__email", "signature__slot__session__code"]
    list_select_related = ["signature__trainee", "signature__slot__session", "author"]


@admin.register(SigningAttempt)
class SigningAttemptAdmin(ReadOnlyEvidenceAdmin):
    list_display = ["trainee", "slot", "created_at", "ip_address"]
    search_fields = ["trainee__email", "slot__session__code"]
    list_select_related = ["trainee", "slot__session"]


# --- Privacy: audit trail (read-only), erasure requests, evidence seals ------------------------

from training.privacy.models import AuditEvent, ErasureRequest, SlotEvidenceSeal  # noqa: E402


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: administrators can read the trail, never add, change or delete."""

    list_display = ["created_at", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "created_at"]
    search_fields = ["summary", "object_id", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "requested_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["user", "status", "requested_at", "decided_at", "decided_by"]

    def has_add_permission(self, request):
        return False


@admin.register(SlotEvidenceSeal)
class SlotEvidenceSealAdmin(admin.ModelAdmin):
    list_display = ["slot", "chain_head", "links", "sealed_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
