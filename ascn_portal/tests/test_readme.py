"""The README's commands and code run as printed: the first steps in order, `--help` in a fresh clone,
and the mirror's sync recipe against a server that answers 429."""

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

from ascn_portal.accounts.models import User
from ascn_portal.settings.base import BASE_DIR

README = (BASE_DIR / "README.md").read_text()


def _section(title: str) -> str:
    """The README's section under `title`, up to the next heading (lines in code blocks are not headings)."""
    lines, inside, fenced = [], False, False
    for line in README.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            if inside:
                break
            inside = line == title
        if inside:
            lines.append(line)
    assert lines, title
    return "\n".join(lines) + "\n"


def _block(section: str, language: str) -> str:
    return re.search(rf"```{language}\n(.*?)```", section, re.DOTALL).group(1)


def first_steps() -> list[list[str]]:
    lines = [line for line in _block(_section("## First steps"), "sh").splitlines() if line.strip()]
    return [shlex.split(line, comments=True) for line in lines]


@pytest.mark.django_db
def test_the_first_steps_run_in_order_as_printed(monkeypatch, capsys):
    steps = first_steps()
    assert len(steps) >= 3
    for argv in steps:
        assert argv[:2] == [".venv/bin/python", "manage.py"], argv
        command, *arguments = argv[2:]
        if "--password-stdin" in arguments:
            monkeypatch.setattr(sys, "stdin", io.StringIO("a-Long-passw0rd!\n"))
        call_command(command, *arguments)  # a CommandError would fail the test, naming the line
        out = capsys.readouterr().out
        if command == "create_account":
            assert User.objects.filter(email=arguments[0]).exists(), argv
        if command == "create_api_token":
            assert re.search(r"[0-9a-f]{40,}", out), out  # the token, printed once
    you = User.objects.get(email=steps[0][3])
    assert you.check_password("a-Long-passw0rd!")


def test_help_answers_in_a_fresh_clone_before_make_run(tmp_path):
    """No .env, no var/embedded.env, no DATABASE_URL, REDIS_URL or DJANGO_SECRET_KEY: only the files
    a clone has."""
    clone = tmp_path / "clone"
    shutil.copytree(BASE_DIR, clone, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", ".env", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "media",
        "staticfiles", "node_modules",
    ))  # fmt: skip
    assert not (clone / ".env").exists() and not (clone / "var").exists()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    for argv in (["create_account", "--help"], ["create_api_token", "--help"], ["help"]):
        result = subprocess.run([sys.executable, "manage.py", *argv], cwd=clone, env=env, capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, (argv, result.stderr[-2000:])
        assert "usage: manage.py" in result.stdout or "Available subcommands" in result.stdout, argv
    # Any other command still asks for the secret key, as before.
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=clone, env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is not set" in result.stderr


class _Mirror(dict):
    def put(self, key, item):
        self[key] = item

    def delete(self, key):
        self.pop(key, None)


@pytest.mark.django_db(transaction=True)
def test_the_sync_recipe_waits_out_a_429_and_finishes_its_walk(live_server, monkeypatch, caplog, partner_contact):
    """The README's code itself, against the portal served, whose rate limit refuses one request."""
    from knox.models import AuthToken

    from action_plans.choices import PlanState
    from action_plans.tests.factories import draft_plan, project
    from ascn_portal.api.throttling import RateThrottle

    plan = draft_plan(state=PlanState.APPROVED)
    ids = {project(plan, title=f"Project {n}").pk for n in range(3)}
    refused = []
    allow = RateThrottle.allow_request

    def refuse_once(self, request, view):
        if not refused and request.path.startswith("/api/v1/projects/"):
            refused.append(request.get_full_path())
            self.wait_seconds = 1  # Retry-After: 1
            return False
        return allow(self, request, view)

    monkeypatch.setattr(RateThrottle, "allow_request", refuse_once)
    recipe = _block(_section("### Keeping a mirror in step"), "python")
    namespace = {}
    exec(compile(recipe, "README.md", "exec"), namespace)  # noqa: S102  the README's own code
    namespace["BASE"], namespace["TOKEN"] = live_server.url, AuthToken.objects.create(partner_contact)[1]

    mirror = _Mirror()
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="django.request"):
        since = namespace["sync"](mirror)
    assert refused, "the rate limit was never asked"
    assert any(r.status_code == 429 for r in caplog.records if hasattr(r, "status_code")), caplog.text
    assert time.monotonic() - started >= 1  # it waited as Retry-After said
    assert set(mirror) == ids and since
    # The next sync, from the `since` kept, finds nothing new and keeps the mirror.
    assert namespace["sync"](mirror, since) and set(mirror) == ids
