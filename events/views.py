import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cities.selectors import ascn_chair

from . import selectors, services
from .calendars import calendar_for
from .choices import RegistrationStatus
from .filtersets import EventFilterSet
from .forms import CheckInSearchForm, DelegateFormSet, DelegationForm
from .models import Registration


def _event_for(user, slug):
    return get_object_or_404(selectors.events_visible_to(user), slug=slug)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def event_list(request):
    visible = selectors.with_figures(selectors.events_visible_to(request.user))
    filterset = EventFilterSet(request.GET, queryset=visible)
    valid = filterset.is_valid()
    found = filterset.qs if valid else visible.none()
    past = Paginator(selectors.events_past(found), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "upcoming": selectors.events_upcoming(found), "past": past,
               "query": query.urlencode()}  # fmt: skip
    return render(request, "events/event_list.html", context, status=200 if valid else 400)


def _detail_context(request, event, delegation_form=None, delegates=None):
    user = request.user
    registrations = selectors.registrations_of(event)
    mine = list(registrations.filter(person=user)) if user.is_authenticated else []
    made = list(registrations.filter(registered_by=user).exclude(person=user)) if user.is_authenticated else []
    delegations = services.delegations_of(user) if user.has_perm("events.register_delegation", event) else []
    chairmanship, chair = ascn_chair(event.year)
    figures = selectors.with_figures(type(event).objects.filter(pk=event.pk)).get()
    return {
        "event": event,
        "when": event.when_text,
        "chairmanship": chairmanship,
        "chair": chair,
        "sessions": event.sessions.all(),
        "outcomes": event.outcomes.prefetch_related("strategic_outcomes", "focus_areas", "cities", "partners",
                                                    "action_plans__city"),  # fmt: skip
        "figures": figures,
        "seats_left": None if event.capacity is None else max(event.capacity - figures.confirmed_count, 0),
        "registration_problem": event.registration_problem(),
        "mine": next((r for r in mine if r.status != RegistrationStatus.CANCELLED), None),
        "made": [r for r in made if r.status != RegistrationStatus.CANCELLED],
        "may_register": user.has_perm("events.register_self", event),
        "delegations": delegations,
        "delegation_form": delegation_form or DelegationForm(delegations=delegations),
        "delegates": delegates or DelegateFormSet(prefix="delegates"),
        "attendees": registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("person__full_name")
        if user.has_perm("events.view_attendees") else None,
        "may_check_in": user.has_perm("events.check_in", event),
    }  # fmt: skip


def event_detail(request, slug):
    event = _event_for(request.user, slug)
    return render(request, "events/event_detail.html", _detail_context(request, event))


@login_required
@require_POST
def register(request, slug):
    event = _event_for(request.user, slug)
    try:
        registration = services.registration_self(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, "You are registered. A confirmation is on its way.")
        else:
            messages.warning(request, "The event is full: you are on the waitlist and will be told if a seat frees.")
    return redirect(event)


@login_required
@require_POST
def register_delegation(request, slug):
    event = _event_for(request.user, slug)
    if not request.user.has_perm("events.register_delegation", event):
        raise PermissionDenied
    delegations = services.delegations_of(request.user)
    form = DelegationForm(request.POST, delegations=delegations)
    delegates = DelegateFormSet(request.POST, prefix="delegates")
    if form.is_valid() and delegates.is_valid():
        members = [
            {"full_name": d["full_name"], "email": d["email"], "title": d["title"]} for d in delegates.cleaned_data if d
        ]
        try:
            registrations = services.delegation_register(
                event=event, by=request.user, delegation=form.cleaned_data["delegation"], members=members
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            waiting = [r.person.full_name for r in registrations if r.status == RegistrationStatus.WAITLISTED]
            messages.success(request, f"{len(registrations) - len(waiting)} of the delegation registered.")
            if waiting:
                messages.warning(request, f"On the waitlist, in this order: {', '.join(waiting)}.")
            return redirect(event)
    context = _detail_context(request, event, delegation_form=form, delegates=delegates)
    return render(request, "events/event_detail.html", context, status=400)


@login_required
@require_POST
def cancel(request, slug, pk):
    event = _event_for(request.user, slug)
    registration = get_object_or_404(Registration, pk=pk, event=event)
    if not request.user.has_perm("events.cancel_registration", registration):
        raise Http404
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        who = "Your" if registration.person_id == request.user.pk else f"{registration.person.full_name}'s"
        messages.success(request, f"{who} registration is cancelled.")
    return redirect(event)


@login_required
def check_in(request, slug):
    """The secretariat's check-in desk: find a delegate by name and mark them present."""
    event = _event_for(request.user, slug)
    if not request.user.has_perm("events.check_in", event):
        raise PermissionDenied
    search = CheckInSearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        "event": event,
        "search": search,
        "registrations": selectors.registrations_for_check_in(event, q)[:200],
        "figures": selectors.with_figures(type(event).objects.filter(pk=event.pk)).get(),
    }
    template = "events/_check_in_rows.html" if request.htmx and request.htmx.target == "check-in-rows" else None
    return render(request, template or "events/check_in.html", context)


@login_required
@require_POST
def check_in_mark(request, slug, pk):
    event = _event_for(request.user, slug)
    if not request.user.has_perm("events.check_in", event):
        raise PermissionDenied
    registration = get_object_or_404(Registration, pk=pk, event=event)
    present = request.POST.get("present", "1") == "1"
    status = 200
    error = ""
    try:
        registration = services.registration_check_in(registration=registration, by=request.user, present=present)
    except ValidationError as problem:
        error, status = _errors(problem), 400
    registration = selectors.registrations_of(event).get(pk=registration.pk)
    if request.htmx:
        figures = selectors.with_figures(type(event).objects.filter(pk=event.pk)).get()
        context = {"event": event, "registration": registration, "figures": figures, "error": error, "oob": True}
        return render(request, "events/_check_in_mark.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect("events:check_in", slug=event.slug)


def event_calendar(request, slug):
    event = _event_for(request.user, slug)
    if not event.starts_at:
        raise Http404
    body = calendar_for([event], base_url=request.build_absolute_uri("/").rstrip("/"), name=event.name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def calendar_feed(request):
    """Upcoming events (and those of the last 90 days), for calendar programs to subscribe to."""
    since = timezone.now() - datetime.timedelta(days=90)
    events = selectors.events_visible_to(request.user).filter(published=True, ends_at__gte=since).order_by("starts_at")
    body = calendar_for(events, base_url=request.build_absolute_uri("/").rstrip("/"), name="ASCN events")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ascn-events.ics"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
