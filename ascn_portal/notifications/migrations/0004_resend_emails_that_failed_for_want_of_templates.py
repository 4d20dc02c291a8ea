"""The monitoring round's emails failed for good before their kinds had templates
(``TemplateDoesNotExist`` after every attempt). Now that the words exist, those rows go back to
pending, as new: the sweep enqueues them and the worker sends each once (the row lock). Rows that
failed for another reason, and kinds still without their templates, are left as they are."""

from django.db import migrations
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

PARTS = ("subject.txt", "line.txt", "body.txt", "body.html")


def _has_templates(kind: str) -> bool:
    try:
        for part in PARTS:
            get_template(f"notifications/kinds/{kind}/{part}")
    except TemplateDoesNotExist:
        return False
    return True


def resend_failed_for_want_of_templates(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    failed = Notification.objects.filter(state="failed", last_error__startswith="TemplateDoesNotExist")
    kinds = [kind for kind in failed.values_list("message__kind", flat=True).distinct() if _has_templates(kind)]
    failed.filter(message__kind__in=kinds).update(
        state="pending", attempts=0, next_attempt_at=None, enqueued_at=None, last_error=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_notification_email_key"),
    ]

    operations = [
        migrations.RunPython(resend_failed_for_want_of_templates, migrations.RunPython.noop, elidable=True),
    ]
