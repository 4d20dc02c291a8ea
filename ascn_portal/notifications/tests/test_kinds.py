"""Every kind of notification can be shown: its inbox line, its email (subject, text and HTML) and
its digest entry, for each audience it tells, with the context its sender stores (the kind's
examples). The walk is over the registry, so a new kind is rendered the day it is registered."""

import copy
import re

import pytest
from django.core import mail
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils.html import escape

from ascn_portal.notifications import services
from ascn_portal.notifications.checks import kinds_have_their_templates
from ascn_portal.notifications.choices import EmailState, Frequency
from ascn_portal.notifications.kinds import KINDS, Kind
from ascn_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Who hears a kind, as the examples name them (`Audience` values and the secretariat): one of the
# cast of people for each.
CAST = {
    "city_officers": "csco_bangkok",
    "nr": "nr_thailand",
    "partner_contacts": "partner_contact",
    "secretariat": "secretariat",
}
INVALID = "«missing: %s»"
ENTITY = re.compile(r"&(#x?[0-9a-f]+|[a-z]+);", re.IGNORECASE)


@pytest.fixture
def strict_templates(settings):
    """A variable a template prints that the context lacks shows up instead of printing nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = INVALID
    settings.TEMPLATES = templates


def test_every_kind_gives_an_example_for_each_audience_it_tells():
    without = [key for key, kind in KINDS.items() if kind.examples is None or not kind.examples()]
    assert without == [], f"Kinds without examples (Kind(examples=...)): {without}"
    for key, kind in KINDS.items():
        unknown = set(kind.examples()) - set(CAST)
        assert not unknown, f"{key} names audiences {unknown}; tell this test who stands for them (CAST)"


# The names the workflows give to those a move tells (`tells`), as the kinds' examples name them.
TOLD = {
    "officers": {"city_officers"},
    "city_officers": {"city_officers"},
    "nrs": {"nr"},
    "nrs_or_secretariat": {"nr", "secretariat"},
    "secretariat": {"secretariat"},
    "partner_contacts": {"partner_contacts"},
}


def _workflow_moves():
    from action_plans.choices import MOVES
    from monitoring.choices import REPORT_MOVES
    from partners.choices import PARTNERSHIP_MOVES

    for move in MOVES.values():
        yield move.kind, move.tells
    for move in PARTNERSHIP_MOVES.values():
        yield "partnership.moved", move.tells
    for move in REPORT_MOVES.values():
        yield move.kind, (move.tells,)


def test_each_kind_a_workflow_move_sends_has_an_example_for_everyone_the_move_tells():
    for key, tells in _workflow_moves():
        audiences = set().union(*(TOLD[name] for name in tells))
        missing = audiences - set(KINDS[key].examples())
        assert not missing, f"{key} is sent to {sorted(missing)} ({tells}) but gives no example for them"


@pytest.mark.parametrize("key", sorted(KINDS))
def test_every_kind_renders_its_line_email_and_digest_entry_for_each_audience(
    key, request, client, strict_templates, settings
):
    kind = KINDS[key]
    assert kind.examples is not None, f"{key} gives no examples"
    for audience, context in kind.examples().items():
        person = request.getfixturevalue(CAST[audience])
        mail.outbox.clear()
        # Stored as the sender stores it (JSON in the outbox), read back as the worker reads it.
        message = services.notify(recipients=[person], kind=key, context=context, link="/dashboard/")
        notification = Notification.objects.select_related("message", "recipient").get(message=message)
        where = f"{key} for {audience}"

        line = services.render_line(notification)
        assert line and "«missing" not in line, where
        assert not ENTITY.search(line), f"{where}: the line is plain text, not HTML: {line!r}"
        client.force_login(person)
        inbox = client.get("/notifications/")
        assert inbox.status_code == 200, where
        assert escape(line) in inbox.content.decode(), where

        Notification.objects.filter(pk=notification.pk).update(state=EmailState.PENDING, digest="")
        assert services.deliver([notification.pk]) == {"sent": 1}, where
        (email,) = mail.outbox
        html = email.alternatives[0][0]
        for part, text in (("subject", email.subject), ("text body", email.body), ("HTML body", html)):
            assert "«missing" not in text, f"{where}: the {part} needs what the sender does not give: {text}"
        assert email.subject.strip() and not ENTITY.search(email.subject), f"{where}: {email.subject!r}"
        assert not ENTITY.search(email.body), f"{where}: the text body is not HTML: {email.body}"
        assert html.lstrip().startswith("<!doctype html>") and "</html>" in html, where
        assert email.to == [person.email] and person.full_name in email.body, where

        mail.outbox.clear()
        Notification.objects.filter(pk=notification.pk).update(state=EmailState.DIGEST, digest=Frequency.WEEKLY)
        assert services.send_digests(frequency=Frequency.WEEKLY) == 1, where
        (digest,) = mail.outbox
        assert digest.subject == "Your weekly digest from the ASCN Portal: 1 update", where
        assert line in digest.body and str(kind.label) in digest.body, where
        assert "«missing" not in digest.body + digest.alternatives[0][0], where
        Notification.objects.filter(pk=notification.pk).delete()


def test_a_kind_without_its_templates_stops_start_up(monkeypatch):
    monkeypatch.setitem(KINDS, "test.unwritten", Kind("test.unwritten", "A kind nobody wrote words for"))
    errors = [error for error in kinds_have_their_templates() if error.obj == "test.unwritten"]
    assert [(type(error), error.id) for error in errors] == [(Error, "notifications.E001")] * 4
    assert {error.msg.rsplit("/", 1)[-1] for error in errors} == {
        "subject.txt.",
        "line.txt.",
        "body.txt.",
        "body.html.",
    }
    with pytest.raises(SystemCheckError, match="test.unwritten"):
        call_command("check")


def test_the_kinds_registered_today_have_all_their_templates():
    assert kinds_have_their_templates() == []
