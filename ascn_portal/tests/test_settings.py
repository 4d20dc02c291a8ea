import os
import subprocess
import sys

from django.conf import settings
from django.db import connection

from ascn_portal.settings.base import BASE_DIR


def test_the_database_driver_is_psycopg2_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.Database.__name__ == "psycopg2"


def test_times_are_stored_in_utc_and_shown_in_singapore_time():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Asia/Singapore"


def _python(code, **env_overrides):
    """Run Python in a fresh process with none of the suite's DJANGO_ variables, nor a local .env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="ascn_portal.settings.base", DJANGO_ENV_FILE="", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_start_up_stops_with_a_clear_message_without_a_secret_key():
    result = _python("import django; django.setup()")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = _python(
        "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)",
        DJANGO_SECRET_KEY="x" * 50,
    )
    assert result.stdout.strip() == "False []", result.stderr
