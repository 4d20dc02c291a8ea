"""Who may do what: the one place that answers it.

Rules are small predicates from the `rules` package, registered as permissions. Views, templates
(`{% has_perm %}`), the admin (through the ObjectPermissionBackend), services and the API
permission class all ask `user.has_perm(name, obj)`.

A person's offices are read once per request, in one statement, and kept on the user object
(`ascn_portal.accounts.offices`); the directory's offices are `cities.offices.roles_of`, the
partners a person speaks for `partners.offices.partner_ids_of`. Who sees which record is the
record type's `Visibility`, defined beside its selector and asked here of one object.

This module stands above every app: it may import them all, and none imports it.
"""

from __future__ import annotations

import rules

from action_plans.selectors import PUBLISHED_CLAUSE, plan_visibility
from ascn_portal.accounts import offices
from ascn_portal.visibility import Visibility
from cities.choices import AppointmentRole
from cities.models import Appointment
from cities.offices import roles_of
from events.selectors import event_visibility
from partners.offices import partner_ids_of

# Predicates ---------------------------------------------------------------------------------


@rules.predicate
def is_secretariat(user) -> bool:
    return offices.is_secretariat(user)


@rules.predicate
def is_network_member(user) -> bool:
    """Signed in and holding an office today (or on the secretariat)."""
    return is_secretariat(user) or roles_of(user).any or bool(partner_ids_of(user))


@rules.predicate
def is_officer_of_city(user, city) -> bool:
    """The city's CSCO or a member of its team."""
    return city is not None and city.pk in roles_of(user).officer_of_cities


is_superuser = rules.is_superuser


# Permissions --------------------------------------------------------------------------------

# Personal data (email, phone) of officers and contacts: network members only.
rules.add_perm("accounts.view_contact_details", is_network_member)

# The network's directory: the secretariat keeps it; only a superuser deletes (retire instead).
for app_label, models in {
    "accounts": ["user"],
    "cities": [
        "memberstate",
        "chairmanship",
        "strategicoutcome",
        "focusarea",
        "citynetwork",
        "city",
        "citynetworkmembership",
        "appointment",
    ],
    "partners": ["partner", "partnercontact"],
    "notifications": ["notification", "announcement"],
}.items():
    rules.add_perm(app_label, is_secretariat)  # the app shows in the admin
    for model in models:
        rules.add_perm(f"{app_label}.view_{model}", is_secretariat)
        rules.add_perm(f"{app_label}.add_{model}", is_secretariat)
        rules.add_perm(f"{app_label}.change_{model}", is_secretariat)
        rules.add_perm(f"{app_label}.delete_{model}", is_superuser)

# Spreadsheet imports: the secretariat reads their record (nobody edits it), cancels a job or starts
# a failed one again.
rules.add_perm("spreadsheets", is_secretariat)
rules.add_perm("spreadsheets.view_importjob", is_secretariat)
rules.add_perm("spreadsheets.restart_importjob", is_secretariat)

# API tokens for programs: any active, signed-in account may hold its own.
rules.add_perm("accounts.hold_api_token", rules.is_authenticated & rules.is_active)
# The secretariat sees API tokens (never their keys) and revokes them.
rules.add_perm("knox", is_secretariat)
rules.add_perm("knox.view_authtoken", is_secretariat)
rules.add_perm("knox.delete_authtoken", is_secretariat)


# Action plans ------------------------------------------------------------------------------


@rules.predicate
def may_see_plan(user, plan) -> bool:
    return plan_visibility(user).admits(plan)


@rules.predicate
def plan_is_draft(user, plan) -> bool:
    return plan is not None and plan.state == "draft"


@rules.predicate
def plan_is_submitted(user, plan) -> bool:
    return plan is not None and plan.state == "submitted"


@rules.predicate
def plan_is_endorsed(user, plan) -> bool:
    return plan is not None and plan.state == "endorsed"


@rules.predicate
def plan_is_approved(user, plan) -> bool:
    return plan is not None and plan.state == "approved"


@rules.predicate
def is_officer_of_plan_city(user, plan) -> bool:
    return plan is not None and plan.city_id in roles_of(user).officer_of_cities


@rules.predicate
def is_csco_of_plan_city(user, plan) -> bool:
    return plan is not None and plan.city_id in roles_of(user).csco_of_cities


@rules.predicate
def is_nr_of_plan_city(user, plan) -> bool:
    return plan is not None and plan.city.member_state_id in roles_of(user).nr_of_states


def _states_with_an_nr(user) -> frozenset[int]:
    """Member states with a serving National Representative today, read once per request."""
    cached = getattr(user, "_offices_states_with_nr", None)
    if cached is None:
        serving = Appointment.objects.active().filter(role=AppointmentRole.NATIONAL_REPRESENTATIVE)
        cached = user._offices_states_with_nr = frozenset(serving.values_list("member_state_id", flat=True))
    return cached


@rules.predicate
def plan_state_has_no_nr(user, plan) -> bool:
    """The plan's member state has no serving National Representative today."""
    return plan is not None and plan.city.member_state_id not in _states_with_an_nr(user)


is_follower_of_plan = is_secretariat | is_officer_of_plan_city | is_nr_of_plan_city

rules.add_perm("action_plans.view_plan", may_see_plan)
rules.add_perm("action_plans.create_plan", is_officer_of_city)  # object: the city
rules.add_perm("action_plans.edit_plan", plan_is_draft & is_officer_of_plan_city)
rules.add_perm("action_plans.submit_plan", plan_is_draft & is_csco_of_plan_city)
rules.add_perm(
    "action_plans.endorse_plan",
    plan_is_submitted & (is_nr_of_plan_city | (is_secretariat & plan_state_has_no_nr)),
)
rules.add_perm(
    "action_plans.return_plan",
    (plan_is_submitted & (is_nr_of_plan_city | is_secretariat)) | (plan_is_endorsed & is_secretariat),
)
rules.add_perm("action_plans.approve_plan", plan_is_endorsed & is_secretariat)
rules.add_perm("action_plans.comment_plan", ~plan_is_approved & is_follower_of_plan)


@rules.predicate
def is_csco_of_approved_project(user, project) -> bool:
    return project is not None and project.plan.state == "approved" and is_csco_of_plan_city(user, project.plan)


rules.add_perm("action_plans.file_progress", is_csco_of_approved_project)  # object: the project


@rules.predicate
def is_a_csco(user) -> bool:
    return bool(roles_of(user).csco_of_cities)


# The API's POST names the project in its body: any CSCO may try; the project's rule decides next.
rules.add_perm("action_plans.file_any_progress", is_a_csco)
rules.add_perm("action_plans.view_progress", is_network_member)

# In the admin the secretariat reviews plans (approve, return) but edits nothing: plans change only
# through the city's drafts and the workflow.
rules.add_perm("action_plans", is_secretariat)
for model in ["actionplan", "priorityproject", "projectkpi", "progressreport", "plantransition", "reviewcomment"]:
    rules.add_perm(f"action_plans.view_{model}", is_secretariat)


# Events ------------------------------------------------------------------------------------


@rules.predicate
def may_see_event(user, event) -> bool:
    return event_visibility(user).admits(event)


@rules.predicate
def may_register_self(user, event) -> bool:
    """Who may take a seat for themselves, by the event's audience (delegations are registered by their leads)."""
    if event is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if event.audience == "public":
        return True
    if event.audience == "network":
        return is_network_member(user)
    return False


@rules.predicate
def is_delegation_lead(user) -> bool:
    """A CSCO, an NR or a partner's contact: they register the members of their delegation."""
    roles = roles_of(user)
    return bool(roles.csco_of_cities or roles.nr_of_states or partner_ids_of(user))


@rules.predicate
def is_registrant(user, registration) -> bool:
    return registration is not None and registration.person_id == getattr(user, "pk", None)


@rules.predicate
def registered_them(user, registration) -> bool:
    return registration is not None and registration.registered_by_id == getattr(user, "pk", None)


rules.add_perm("events.see_event", may_see_event)
rules.add_perm("events.register_self", may_see_event & may_register_self)
rules.add_perm("events.register_delegation", may_see_event & is_delegation_lead)
rules.add_perm("events.cancel_registration", is_registrant | registered_them | is_secretariat)
rules.add_perm("events.check_in", is_secretariat)
# Who is coming: names, titles and delegations for network members; email addresses for the secretariat.
rules.add_perm("events.view_attendees", is_network_member)
rules.add_perm("events.view_attendee_contacts", is_secretariat)
# The secretariat keeps events, their agenda and outcomes in the admin.
rules.add_perm("events", is_secretariat)
for model in ["event", "session", "outcome", "registration"]:
    rules.add_perm(f"events.view_{model}", is_secretariat)
    rules.add_perm(f"events.add_{model}", is_secretariat)
    rules.add_perm(f"events.change_{model}", is_secretariat)
    # Agenda items and outcomes are part of keeping an event true; events and registrations stay on record.
    rules.add_perm(f"events.delete_{model}", is_secretariat if model in ("session", "outcome") else is_superuser)


# Twinning and partnerships ------------------------------------------------------------------


PUBLISHED = Visibility.of(PUBLISHED_CLAUSE)


@rules.predicate
def is_partner_contact(user) -> bool:
    return bool(partner_ids_of(user))


@rules.predicate
def is_contact_of_partnership_partner(user, partnership) -> bool:
    return partnership is not None and partnership.partner_id in partner_ids_of(user)


@rules.predicate
def is_officer_of_partnership_city(user, partnership) -> bool:
    return partnership is not None and partnership.project.plan.city_id in roles_of(user).officer_of_cities


@rules.predicate
def project_is_published(user, project) -> bool:
    return PUBLISHED.admits(project)


@rules.predicate
def is_contact_of_partner(user, partner) -> bool:
    return partner is not None and partner.pk in partner_ids_of(user)


# Speaking for a partner (its public description, its interests): its contacts and the secretariat.
rules.add_perm("partners.act_for_partner", is_contact_of_partner | is_secretariat)
# A partner's contact proposes partnerships (no object: the API's create; the project is checked next).
rules.add_perm("partners.propose_partnership", is_partner_contact)
# A partner's contact expresses interest in a published project (object: the project).
rules.add_perm("partners.express_interest", is_partner_contact & project_is_published)
# The city side moves a partnership forward or declines it; the secretariat may too.
rules.add_perm("partners.advance_partnership", is_officer_of_partnership_city | is_secretariat)
# The partner withdraws its own interest.
rules.add_perm("partners.withdraw_partnership", is_contact_of_partnership_partner)
for model in ["twinning", "projectpartnership", "consortiummember", "partnershiptransition"]:
    rules.add_perm(f"partners.view_{model}", is_secretariat)
    rules.add_perm(f"partners.delete_{model}", is_secretariat if model == "consortiummember" else is_superuser)
# Twinnings are kept by the secretariat; partnerships change only through their moves.
rules.add_perm("partners.add_twinning", is_secretariat)
rules.add_perm("partners.change_twinning", is_secretariat)
# The secretariat corrects a partnership's terms and consortium in the admin; its stage moves only
# through `partnership_move` (the admin's actions), never as a field.
rules.add_perm("partners.change_projectpartnership", is_secretariat)
for action in ["add", "change"]:
    rules.add_perm(f"partners.{action}_consortiummember", is_secretariat)


# Monitoring --------------------------------------------------------------------------------


@rules.predicate
def is_csco_of_report_city(user, report) -> bool:
    return report is not None and report.city_id in roles_of(user).csco_of_cities


@rules.predicate
def follows_report_city(user, report) -> bool:
    """The city's officers and its member state's NR."""
    if report is None:
        return False
    roles = roles_of(user)
    return report.city_id in roles.officer_of_cities or report.city.member_state_id in roles.nr_of_states


# The secretariat opens a year's round and reviews the cities' reports; a city's CSCO submits its
# city's report (its progress reports are filed under action_plans.file_progress); network members
# see the round and every project's figures; the roll-up's summary and the year's report are public.
rules.add_perm("monitoring.open_round", is_secretariat)
rules.add_perm("monitoring.view_round", is_network_member)
rules.add_perm("monitoring.view_project_figures", is_network_member)
rules.add_perm("monitoring.view_city_report", is_secretariat | follows_report_city)
rules.add_perm("monitoring.submit_city_report", is_csco_of_report_city)
rules.add_perm("monitoring.review_city_report", is_secretariat)
rules.add_perm("monitoring", is_secretariat)
for model in ["monitoringround", "cityreport", "cityreporttransition"]:
    rules.add_perm(f"monitoring.view_{model}", is_secretariat)
rules.add_perm("monitoring.add_monitoringround", is_secretariat)
rules.add_perm("action_plans.view_progressevidence", is_secretariat)
