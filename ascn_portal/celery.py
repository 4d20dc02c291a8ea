"""The Celery app: configured from Django settings (the CELERY_ block), tasks found per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings.base")

app = Celery("ascn_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
