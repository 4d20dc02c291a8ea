from rest_framework import serializers


class OfficeHolderSerializer(serializers.Serializer):
    """A person in an office. Email and phone only for signed-in network members."""

    name = serializers.CharField(source="user.full_name")
    title = serializers.CharField()
    since = serializers.DateField(source="starts_on", help_text="First day in office.")
    until = serializers.DateField(
        source="ends_on", allow_null=True, help_text="Last day in office; null while serving."
    )
    email = serializers.EmailField(source="user.email", required=False)
    phone = serializers.CharField(source="user.phone", required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not may_see_contact_details(self.context):
            data.pop("email", None)
            data.pop("phone", None)
        return data


def may_see_contact_details(context) -> bool:
    """Asked once per request and remembered in the serializer context."""
    if "may_see_contact_details" not in context:
        request = context.get("request")
        user = getattr(request, "user", None)
        context["may_see_contact_details"] = bool(user and user.has_perm("accounts.view_contact_details"))
    return context["may_see_contact_details"]
