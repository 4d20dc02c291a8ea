"""WSGI entry point: `gunicorn ascn_portal.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings.base")
application = get_wsgi_application()

# Load the Celery tasks at start-up rather than on the first request that enqueues one.
from ascn_portal.celery import app as celery_app  # noqa: E402

celery_app.finalize(auto=True)
