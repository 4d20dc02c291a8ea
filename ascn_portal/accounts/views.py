from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .tokens import invitation_token_generator


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The one-time link in an invitation: set a first password, then sign in."""

    token_generator = invitation_token_generator
    template_name = "accounts/invitation_accept.html"
    success_url = reverse_lazy("home")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    reset_url_token = "set-password"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set and you are signed in. Welcome to the ASCN Portal.")
        return response
