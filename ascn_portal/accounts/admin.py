from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ascn_portal.admin import AuditedAdmin

from .models import User
from .services import user_invite


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "is_active", "is_staff", "invited_at", "last_login"]
    list_filter = ["is_active", "is_staff", "groups", "appointments__role"]
    search_fields = ["full_name", "email", "organisation"]
    readonly_fields = ["last_login", "date_joined", "invited_at"]
    # The offices a person holds are added by the apps that keep them (cities, partners).
    inlines = []
    actions = ["invite"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "organisation", "phone", "time_zone"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "invited_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "usable_password", "password1", "password2"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.action(description=_("Send an invitation (one-time link to set a password)"))
    def invite(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            user_invite(user=user)
            sent += 1
        skipped = queryset.count() - sent
        self.message_user(
            request, ngettext("%d invitation sent.", "%d invitations sent.", sent) % sent, messages.SUCCESS
        )
        if skipped:
            self.message_user(request, _("%d inactive account(s) skipped.") % skipped, messages.WARNING)
