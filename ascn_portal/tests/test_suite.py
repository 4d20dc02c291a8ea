"""The suite runs all of itself: pytest's own settings (``testpaths``, ``norecursedirs`` in
pytest.ini) lead to the tests of every installed app of the portal (the site's are in
``ascn_portal/tests``)."""

from fnmatch import fnmatch
from pathlib import Path

from django.apps import apps
from django.conf import settings


def _local_apps():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not any(part.startswith(".") for part in path.relative_to(base).parts):
            yield config.name, path


def _collected(tests: Path, rootdir: Path, testpaths: list[str], norecurse: list[str]) -> bool:
    """Whether pytest, started without arguments, walks into this directory."""
    for testpath in testpaths:
        start = (rootdir / testpath).resolve()
        if tests == start or tests.is_relative_to(start):
            walked = tests.relative_to(start).parts
            if not any(fnmatch(part, pattern) for part in walked for pattern in norecurse):
                return True
    return False


def test_a_bare_pytest_collects_the_tests_of_every_installed_app_of_the_portal(pytestconfig):
    rootdir = Path(pytestconfig.rootpath).resolve()
    testpaths = pytestconfig.getini("testpaths")
    norecurse = pytestconfig.getini("norecursedirs")
    local = dict(_local_apps())
    assert {"catalogue", "monitoring", "opendata", "ascn_portal.notifications"} <= set(local)
    with_tests = {name: path / "tests" for name, path in local.items() if (path / "tests").is_dir()}
    assert len(with_tests) >= 10
    forgotten = [name for name, tests in with_tests.items() if not _collected(tests, rootdir, testpaths, norecurse)]
    assert forgotten == [], f"pytest.ini's testpaths or norecursedirs leave out the tests of: {forgotten}"


def test_the_check_notices_an_app_left_out_of_testpaths(pytestconfig):
    rootdir = Path(pytestconfig.rootpath).resolve()
    catalogue = dict(_local_apps())["catalogue"] / "tests"
    old_list = ["ascn_portal", "cities", "partners", "action_plans", "events", "monitoring", "opendata"]
    assert not _collected(catalogue, rootdir, old_list, [])
    assert not _collected(catalogue, rootdir, ["."], ["catalogue"])
    assert _collected(catalogue, rootdir, ["."], pytestconfig.getini("norecursedirs"))
