from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ascn_portal.admin import InputFilter, PolicyAdmin

from . import services
from .choices import EmailState
from .kinds import KINDS
from .models import Announcement, Notification


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(key, kind.label) for key, kind in KINDS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(message__kind=self.value()) if self.value() else queryset


class RecipientFilter(InputFilter):
    title = _("recipient")
    parameter_name = "recipient"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(recipient__email__iexact=value) if value else queryset


@admin.register(Notification)
class NotificationAdmin(PolicyAdmin):
    list_display = ["created_at", "recipient", "kind", "state", "attempts", "sent_at", "read_at", "error"]
    list_filter = ["state", KindFilter, "digest", RecipientFilter]
    list_select_related = ["recipient", "message"]
    search_fields = ["recipient__email", "recipient__full_name", "message__kind", "last_error"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "message",
        "recipient",
        "state",
        "digest",
        "attempts",
        "last_error",
        "next_attempt_at",
        "enqueued_at",
        "sent_at",
        "read_at",
        "created_at",
    ]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(ordering="message__kind")
    def kind(self, notification):
        return notification.message.kind

    @admin.display(description=_("last error"))
    def error(self, notification):
        return Truncator(notification.last_error).chars(80)

    @admin.action(description=_("Resend the failed emails"))
    def resend(self, request, queryset):
        count = services.notifications_resend(queryset=queryset)
        skipped = queryset.exclude(state=EmailState.FAILED).count() if count < queryset.count() else 0
        self.message_user(request, _("%d failed email(s) queued again.") % count, messages.SUCCESS)
        if skipped:
            self.message_user(request, _("%d not failed, left as they are.") % skipped, messages.WARNING)


@admin.register(Announcement)
class AnnouncementAdmin(PolicyAdmin):
    list_display = ["title", "audience", "created_by", "created_at", "recipients"]
    list_filter = ["audience"]
    search_fields = ["title", "body"]
    fields = ["title", "body", "audience", "link"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by", "message")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # sent is sent

    @admin.display(description=_("recipients"))
    def recipients(self, announcement):
        return announcement.message.recipient_count if announcement.message else 0

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        services.announcement_publish(announcement=obj)
