from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import EmailAuthenticationForm
from .views import AcceptInvitationView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path("invitation/<uidb64>/<token>/", AcceptInvitationView.as_view(), name="accept_invitation"),
    path("", include("django.contrib.auth.urls")),
]
