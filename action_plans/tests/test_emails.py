import pytest
from django.core import mail

from action_plans import services
from action_plans.tests.factories import draft_plan, project
from ascn_portal.testing.outbox import deliver_pending

pytestmark = pytest.mark.django_db


def test_a_returned_plan_emails_the_city_the_reviewers_comment(csco_bangkok, nr_thailand):
    plan = draft_plan()
    project(plan)
    services.action_plan_transition(plan=plan, action="submit", by=csco_bangkok)
    services.action_plan_transition(plan=plan, action="return", by=nr_thailand, comment="Add phase 2 costs.")
    deliver_pending()
    (email,) = [m for m in mail.outbox if m.subject == "Bangkok's action plan was returned to draft"]
    assert email.to == ["csco@bangkok.example"]
    assert "Niran Representative returned" in email.body and "Add phase 2 costs." in email.body
    assert f"/action-plans/{plan.pk}/" in email.body
    html = email.alternatives[0][0]
    assert "Add phase 2 costs." in html and "<blockquote>" in html
