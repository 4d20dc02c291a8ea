"""The monitoring emails that failed for want of their templates are sent once after the words
exist (migration notifications 0004): nothing lost, nothing twice, nothing else touched."""

import copy
import importlib
import shutil

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from django.test import override_settings

from ascn_portal.accounts.models import User
from ascn_portal.notifications import services
from ascn_portal.notifications.choices import EmailState
from ascn_portal.notifications.models import Notification
from ascn_portal.testing.outbox import deliver_pending

pytestmark = pytest.mark.django_db

resend = importlib.import_module(
    "ascn_portal.notifications.migrations.0004_resend_emails_that_failed_for_want_of_templates"
).resend_failed_for_want_of_templates


def _templates_without_monitoring(tmp_path):
    """The portal's templates as they were in production: the monitoring kinds had none."""
    copied = tmp_path / "templates"
    shutil.copytree(django_settings.BASE_DIR / "templates", copied, ignore=shutil.ignore_patterns("monitoring.*"))
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"] = [copied]
    return templates


def _opened(people, city="Bangkok"):
    context = {"year": 2025, "city": city, "deadline": "31 March 2026", "note": ""}
    return services.notify(recipients=people, kind="monitoring.opened", context=context, link="/monitoring/2025/")


def test_emails_that_failed_for_want_of_templates_are_sent_once_and_nothing_else_moves(settings, tmp_path):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    officers = [User.objects.create_user(f"officer{i}@example.org", full_name=f"Officer {i}") for i in range(3)]
    with override_settings(TEMPLATES=_templates_without_monitoring(tmp_path)):
        _opened(officers)
        assert deliver_pending() == {"failed": 3}
    failed = Notification.objects.filter(recipient__in=officers)
    assert all(n.last_error.startswith("TemplateDoesNotExist: notifications/kinds/monitoring.opened/") for n in failed)
    assert mail.outbox == []

    # Neighbours that must not move: an email that was sent, one the mail server refused.
    sent = _opened([User.objects.create_user("sent@example.org", full_name="Sent")], city="Cebu City")
    assert deliver_pending() == {"sent": 1}
    refused = _opened([User.objects.create_user("refused@example.org", full_name="Refused")], city="Da Nang")
    Notification.objects.filter(message=refused).update(
        state=EmailState.FAILED, attempts=5, last_error="SMTPRecipientsRefused: 550 No such user"
    )
    mail.outbox.clear()

    resend(apps, None)
    assert set(failed.filter(state=EmailState.PENDING).values_list("recipient__email", flat=True)) == {
        o.email for o in officers
    }
    assert services.sweep_pending() == 3  # enqueued for the worker, as the beat sweep does
    assert deliver_pending() == {"sent": 3}
    assert sorted(email.to[0] for email in mail.outbox) == sorted(o.email for o in officers)
    assert {email.subject for email in mail.outbox} == {
        "The 2025 monitoring round is open: Bangkok reports by 31 March 2026"
    }

    resend(apps, None)  # a second run, or a delivery asked again, sends nothing more
    assert deliver_pending() == {}
    assert services.deliver(list(failed.values_list("pk", flat=True))) == {"skipped": 3}
    assert len(mail.outbox) == 3
    assert Notification.objects.get(message=sent).state == EmailState.SENT
    assert Notification.objects.get(message=refused).state == EmailState.FAILED
