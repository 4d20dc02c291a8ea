"""The monitoring round's notices, found the way the defect was: the secretariat opens a round
through its page, and everyone told opens their inbox and gets the email; the same for a city's
report submitted, returned and accepted."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from ascn_portal.notifications import services
from ascn_portal.notifications.choices import EmailState
from ascn_portal.notifications.kinds import KINDS
from ascn_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

YEAR = 2025


def _each_told_reads_it_and_gets_the_email(client, kind, line, subject):
    """Every person told opens /notifications/ (200, with the line about their city); the outbox
    delivers one email each, once."""
    told = list(Notification.objects.filter(message__kind=kind).select_related("recipient", "message"))
    assert told, f"nobody was told of {kind}"
    for notification in told:
        # The sender stores what the kind's examples say it does (the render test walks those).
        assert set(notification.message.context) == set(next(iter(KINDS[kind].examples().values())))
        client.force_login(notification.recipient)
        inbox = client.get("/notifications/")
        assert inbox.status_code == 200
        assert escape(line.format(city=notification.message.context["city"])) in inbox.content.decode()
    mail.outbox.clear()
    pending = [n.pk for n in told if n.state == EmailState.PENDING]
    assert len(pending) == len(told)
    assert services.deliver(pending) == {"sent": len(told)}
    assert sorted(email.to[0] for email in mail.outbox) == sorted(n.recipient.email for n in told)
    cities = {n.recipient.email: n.message.context["city"] for n in told}
    for email in mail.outbox:
        city = cities[email.to[0]]
        assert email.subject == subject.format(city=city)
        assert line.format(city=city) in email.body and escape(line.format(city=city)) in email.alternatives[0][0]
    assert services.deliver(pending) == {"skipped": len(told)}  # once
    return {n.recipient.email for n in told}


def test_everyone_a_round_tells_reads_it_in_the_inbox_and_by_email(
    client, network, secretariat, csco_bangkok, team_bangkok, csco_cebu
):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    client.force_login(secretariat)
    response = client.post("/monitoring/open/", {"year": YEAR, "deadline": deadline.isoformat(), "note": "Be brief."})
    assert response.status_code == 302
    told = _each_told_reads_it_and_gets_the_email(
        client,
        "monitoring.opened",
        f"The {YEAR} monitoring round is open: report on the projects of {{city}} by {deadline:%d %B %Y}.",
        f"The {YEAR} monitoring round is open: {{city}} reports by {deadline:%d %B %Y}",
    )
    assert {"csco@bangkok.example", "team@bangkok.example", "csco@cebu.example"} <= told
    assert any("Be brief." in email.body for email in mail.outbox)

    client.force_login(csco_bangkok)
    report_url = f"/monitoring/{YEAR}/cities/bangkok/"
    p2 = network["p2"]
    filed = client.post(
        f"{report_url}projects/{p2.pk}/",
        {"status": "delayed", "percent_complete": 10, "narrative": "Land acquisition stalled.", "version": 0},
    )
    assert filed.status_code == 302
    assert client.post(f"{report_url}submit/", {"version": 1}).status_code == 302
    told = _each_told_reads_it_and_gets_the_email(
        client,
        "monitoring.submitted",
        f"Busaba Officer submitted the {YEAR} monitoring report of Bangkok for review.",
        f"Bangkok submitted its {YEAR} monitoring report for review",
    )
    assert "sec@asean.example" in told

    client.force_login(secretariat)
    assert client.post(f"{report_url}return/", {"comment": "Add P2's 2025 funding & its source."}).status_code == 302
    told = _each_told_reads_it_and_gets_the_email(
        client,
        "monitoring.returned",
        f"Siti Secretariat returned the {YEAR} monitoring report of Bangkok for changes.",
        f"The {YEAR} monitoring report of Bangkok is returned for changes",
    )
    assert told == {"csco@bangkok.example", "team@bangkok.example"}
    assert all("Add P2's 2025 funding & its source." in email.body for email in mail.outbox)

    client.force_login(csco_bangkok)
    assert client.post(f"{report_url}submit/").status_code == 302
    client.force_login(secretariat)
    assert client.post(f"{report_url}accept/").status_code == 302
    told = _each_told_reads_it_and_gets_the_email(
        client,
        "monitoring.accepted",
        f"Siti Secretariat accepted the {YEAR} monitoring report of Bangkok.",
        f"The {YEAR} monitoring report of Bangkok is accepted",
    )
    assert told == {"csco@bangkok.example", "team@bangkok.example"}
