"""The README's commands and code run as printed: the first steps in order, `--help` in a fresh clone,
and the mirror's sync recipe against a server that answers 429."""

import io
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from django.core.management import call_command

from ascn_portal.accounts.models import User
from ascn_portal.settings.base import BASE_DIR

README = (BASE_DIR / "README.md").read_text()


def _section(title: str) -> str:
    start = README.index(f"\n{title}\n")
    following = re.search(r"\n#{1,3} ", README[start + len(title) + 2 :])
    return README[start : start + len(title) + 2 + (following.start() if following else len(README))]


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
    files = subprocess.run(["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True).stdout
    clone = tmp_path / "clone"
    for name in filter(None, files.decode().split("\0")):
        if (BASE_DIR / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(BASE_DIR / name, clone / name)
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
