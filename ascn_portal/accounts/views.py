from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm
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


@login_required
def api_tokens(request):
    """A person's API tokens: create one with a name and a lifetime (its key shown once), see use, revoke."""
    from knox.models import AuthToken

    if not request.user.has_perm("accounts.hold_api_token"):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                           days=form.cleaned_data["days"])  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                form = ApiTokenForm()
        else:
            status = 400
    tokens = AuthToken.objects.filter(user=request.user).select_related("info").order_by("-created")
    context = {"form": form, "tokens": tokens, "new_key": new_key, "now": timezone.now()}
    response = render(request, "accounts/api_tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # a new key is on this page once; keep it out of caches
    return response


@login_required
@require_POST
def api_token_revoke(request, digest):
    if not services.api_token_revoke(user=request.user, digest=digest):
        raise Http404
    messages.success(request, "Token revoked: programs using it are refused from now on.")
    return redirect("api_tokens")
