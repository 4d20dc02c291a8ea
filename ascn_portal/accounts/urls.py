from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import EmailAuthenticationForm
from .views import AcceptInvitationView, api_token_revoke, api_tokens

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path("invitation/<uidb64>/<token>/", AcceptInvitationView.as_view(), name="accept_invitation"),
    path("tokens/", api_tokens, name="api_tokens"),
    path("tokens/<str:digest>/revoke/", api_token_revoke, name="api_token_revoke"),
    path("", include("django.contrib.auth.urls")),
]
