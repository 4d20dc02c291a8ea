"""Who may do what: the one place that answers it.

Rules are small predicates from the `rules` package, registered as permissions. Views, templates
(`{% has_perm %}`), the admin (through the ObjectPermissionBackend), services and the API
permission class all ask `user.has_perm(name, obj)`.

A person's offices are read once per request and kept on the user object (`roles_of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules
from django.utils import timezone


@dataclass(frozen=True)
class Roles:
    """The offices a person holds today."""

    nr_of_states: frozenset[int] = field(default_factory=frozenset)
    csco_of_cities: frozenset[int] = field(default_factory=frozenset)
    team_of_cities: frozenset[int] = field(default_factory=frozenset)
    contact_of_partners: frozenset[int] = field(default_factory=frozenset)

    @property
    def officer_of_cities(self) -> frozenset[int]:
        return self.csco_of_cities | self.team_of_cities

    @property
    def any(self) -> bool:
        return bool(self.nr_of_states or self.officer_of_cities or self.contact_of_partners)


NO_ROLES = Roles()


def roles_of(user) -> Roles:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_policy_roles", None)
    if cached is not None:
        return cached
    from cities.choices import AppointmentRole
    from cities.models import Appointment
    from partners.models import PartnerContact

    today = timezone.localdate()
    nr, csco, team = set(), set(), set()
    for role, state_id, city_id in (
        Appointment.objects.active(today).filter(user=user).values_list("role", "member_state_id", "city_id")
    ):
        if role == AppointmentRole.NATIONAL_REPRESENTATIVE:
            nr.add(state_id)
        elif role == AppointmentRole.CSCO:
            csco.add(city_id)
        else:
            team.add(city_id)
    partners = set(PartnerContact.objects.active(today).filter(user=user).values_list("partner_id", flat=True))
    user._policy_roles = Roles(frozenset(nr), frozenset(csco), frozenset(team), frozenset(partners))
    return user._policy_roles


def forget_roles(user) -> None:
    """Drop the cached offices, after an appointment of this user changed."""
    for attr in ("_policy_roles", "_is_secretariat"):
        if hasattr(user, attr):
            delattr(user, attr)


# Predicates ---------------------------------------------------------------------------------


@rules.predicate
def is_secretariat(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_secretariat)


@rules.predicate
def is_network_member(user) -> bool:
    """Signed in and holding an office today (or on the secretariat)."""
    return is_secretariat(user) or roles_of(user).any


@rules.predicate
def is_national_representative(user) -> bool:
    return bool(roles_of(user).nr_of_states)


@rules.predicate
def is_csco_of_city(user, city) -> bool:
    return city is not None and city.pk in roles_of(user).csco_of_cities


@rules.predicate
def is_officer_of_city(user, city) -> bool:
    """The city's CSCO or a member of its team."""
    return city is not None and city.pk in roles_of(user).officer_of_cities


@rules.predicate
def is_nr_of_city(user, city) -> bool:
    return city is not None and city.member_state_id in roles_of(user).nr_of_states


@rules.predicate
def is_contact_of_partner(user, partner) -> bool:
    return partner is not None and partner.pk in roles_of(user).contact_of_partners


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

# The city's team: its CSCO appoints and ends team members; the secretariat may too.
rules.add_perm("cities.manage_city_team", is_secretariat | is_csco_of_city)
# Following a city's work closely (drafts, team): its officers, its NR, the secretariat.
rules.add_perm("cities.follow_city", is_secretariat | is_officer_of_city | is_nr_of_city)
# Speaking for a partner (its profile, its interests): its contacts and the secretariat.
rules.add_perm("partners.act_for_partner", is_secretariat | is_contact_of_partner)
# API tokens for programs: any active, signed-in account may hold its own.
rules.add_perm("accounts.hold_api_token", rules.is_authenticated & rules.is_active)
# The secretariat sees API tokens (never their keys) and revokes them.
rules.add_perm("knox", is_secretariat)
rules.add_perm("knox.view_authtoken", is_secretariat)
rules.add_perm("knox.delete_authtoken", is_secretariat)
