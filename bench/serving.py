"""The portal served by gunicorn (two workers) on the test database, as the benches measure it."""

import os
import socket
import subprocess
import sys
import time
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if (db["HOST"] or "").startswith("/"):  # the embedded server: a socket directory, as django-environ reads it
        return f"postgres://{db['USER']}@/{db['HOST']}/{db['NAME']}"
    return f"postgres://{db['USER']}:{quote(db['PASSWORD'] or '')}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def serve(
    port: int, *, static: bool = False, app: str = "ascn_portal.wsgi", stderr=None, **extra_env
) -> subprocess.Popen:
    """Gunicorn on `port`, rate limits out of the way; `static`: collect the hashed static files first,
    as production does, for pages that name them; `app`: another WSGI module (a test's, with a fault
    planted); `stderr`: where the server's log goes (a file a test reads)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ascn_portal.settings.base",
        "DATABASE_URL": database_url(),
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_API_ANON_RATE": "10000000/min",
        "DJANGO_API_USER_RATE": "10000000/min",
        **extra_env,
    }
    if static:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env,
                       cwd=settings.BASE_DIR, check=True)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=settings.BASE_DIR, stderr=stderr,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server
