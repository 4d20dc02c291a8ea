from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .choices import Frequency
from .kinds import KINDS
from .models import Notification
from .services import ALL_KINDS


@login_required
def inbox(request):
    notifications = request.user.notifications.select_related("message", "recipient")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    for notification in page:
        notification.line = services.render_line(notification)
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification.objects.select_related("message"), pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, notification_id=notification.pk)
    if request.POST.get("open"):
        target = notification.get_absolute_url()
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        notification.line = services.render_line(notification)
        return render(request, "notifications/partials/_notification.html", {"notification": notification})
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    rows = services.preferences_for(request.user)
    status = 200
    if request.method == "POST":
        errors = []
        choices = []
        for row in rows:
            key = row["kind"].key
            frequency = request.POST.get(f"{key}-frequency", Frequency.IMMEDIATE)
            if frequency not in Frequency.values:
                errors.append(f"{row['kind'].label}: choose immediately, daily or weekly.")
            choices.append((key, request.POST.get(f"{key}-email") == "on", frequency))
        if errors:
            for error in errors:
                messages.error(request, error)
            status = 400
        else:
            for key, email, frequency in choices:
                services.preference_set(user=request.user, kind=key, email=email, frequency=frequency)
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "frequencies": Frequency.choices},
        status=status,
    )


@csrf_exempt  # the signed token is the credential; mail clients POST here for one-click unsubscribe
def unsubscribe(request, token):
    try:
        user, kind = services.unsubscribe_describe(token)
    except (signing.BadSignature, get_user_model().DoesNotExist, KeyError, TypeError):
        raise Http404("This unsubscribe link is not valid.") from None
    label = "all optional emails" if kind == ALL_KINDS else (KINDS[kind].label if kind in KINDS else None)
    if label is None:
        return HttpResponseBadRequest("This unsubscribe link names an unknown kind of notification.")
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/unsubscribed.html", {"label": label, "email": user.email})
    return render(request, "notifications/unsubscribe_confirm.html", {"label": label, "email": user.email})
