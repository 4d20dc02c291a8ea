"""New projects for partners: each newly published project, once, to the partners it fits, best first.

Run hourly by Celery beat (notifications.run_reminders). A project counts as new for two weeks
after its plan's approval; each partner whose interests it meets gets one message listing the new
projects that fit, best first, with the reasons. The kind goes to a weekly digest by default, so a
partner's contacts read the week's new projects in one email, unless they chose otherwise.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from action_plans.choices import PlanState
from action_plans.models import PlanTransition
from action_plans.selectors import project_list_values, projects_published
from ascn_portal.accounts.models import User
from ascn_portal.notifications.reminders import once, reminder
from ascn_portal.notifications.services import notify
from cities.models import City
from partners.models import Partner, PartnerContact

from .matchmaking import Interests, match_row

NEW_FOR = datetime.timedelta(days=14)


@reminder("hourly")
def announce_new_projects(now=None) -> int:
    """Tell each partner which newly published projects fit it; returns the messages written."""
    now = now or timezone.now()
    approved = PlanTransition.objects.filter(to_state=PlanState.APPROVED, at__gte=now - NEW_FOR).values("plan_id")
    rows = list(project_list_values(projects_published().filter(plan__in=approved), focus_area_ids=True).order_by("pk"))
    if not rows:
        return 0
    cities = dict(City.objects.filter(slug__in={row["city_slug"] for row in rows}).values_list("slug", "name"))
    sent = 0
    with transaction.atomic():
        fresh = [row for row in rows if once(f"project-announced:{row['id']}")]
        if not fresh:
            return 0
        contacts = PartnerContact.objects.active()
        partners = (
            Partner.objects.filter(is_active=True, contacts__in=contacts)
            .distinct()
            .prefetch_related("focus_areas", "member_states")
        )
        for partner in partners:
            interests = Interests.of(partner)
            fits = []
            for row in fresh:
                found = match_row(interests, row)
                if found.score:
                    fits.append((found, row))
            if not fits:
                continue
            fits.sort(key=lambda fit: (-fit[0].score, fit[1]["title"]))
            projects = [
                {"id": row["id"], "title": row["title"], "city": cities.get(row["city_slug"], ""),
                 "score": found.score, "reasons": "; ".join(found.reasons), "link": f"/projects/{row['id']}/"}
                for found, row in fits
            ]  # fmt: skip
            notify(
                recipients=User.objects.filter(partner_contacts__in=contacts.filter(partner=partner)),
                kind="project.recommended",
                context={"partner": partner.name, "count": len(projects), "projects": projects},
                link="/partners/recommended/",
            )
            sent += 1
    return sent
