"""Every environment variable the settings read is listed in `.env.example` and in the README's table."""

import re

from django.conf import settings

READ = re.compile(r'env\.\w+\("([A-Z_]+)"')


def _variables() -> set[str]:
    return {name for path in (settings.BASE_DIR / "ascn_portal" / "settings").glob("*.py")
            for name in READ.findall(path.read_text())}  # fmt: skip


def test_every_variable_the_settings_read_is_in_the_env_example_and_the_readme():
    names = _variables()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_NOTIFICATIONS_REENQUEUE_AFTER_SECONDS"} <= names
    example = {line.split("=", 1)[0] for line in (settings.BASE_DIR / ".env.example").read_text().splitlines()}
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert sorted(names - example) == []
    assert sorted(name for name in names if f"`{name}`" not in readme) == []
