"""A streamed file that fails midway never looks whole: served by gunicorn, as in production, and read by
a plain HTTP client, the transfer breaks (never a 200 with half a file), and the failure is logged once.

The fault is planted in the served process (`ascn_portal.testing.faults`): the files run as usual until
they reach the project titled with its marker, written after others so that the status and the first
bytes are already sent."""

import http.client
import urllib.error
import urllib.request

import pytest

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from ascn_portal.exports import StreamAborted, streamed
from ascn_portal.testing.faults import MARKER
from bench.serving import free_port, serve

# Each streamed file, and where its writing fails (`module:function` meets the marked project).
STREAMS = {
    "/data/iati/activities.xml": "opendata.iati:activity",
    "/data/iati/activities-TH.xml": "opendata.iati:activity",
    "/data/projects.csv": "ascn_portal.exports:neutralise",
    "/data/projects.geojson": "json:dumps",
    "/api/v1/projects/?format=csv": "ascn_portal.exports:neutralise",
    "/admin/action_plans/priorityproject/export/csv/": "ascn_portal.exports:neutralise",  # as the secretariat
}
FAULT = "faults.PlantedFault: "  # the last line of the failure's traceback: once in the log for each


@pytest.fixture
def server(transactional_db, csco_bangkok, secretariat, client, settings, tmp_path):
    """Gunicorn on the test database (committed rows: a transactional test), with the faults planted."""
    plan = draft_plan(state=PlanState.APPROVED)
    for n in range(40):
        project(plan, title=f"Project {n:02}", summary="Sensors along the canals", position=n)
    project(plan, title=f"{MARKER}: the last project", position=99)
    log = tmp_path / "server.log"
    port = free_port()
    faults = ",".join(sorted(set(STREAMS.values()) | {"ascn_portal.exports:_xlsx_cell"}))
    client.force_login(secretariat)  # a session the server reads, signed with the same key
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    with log.open("wb") as stderr:
        process = serve(port, app="ascn_portal.testing.faults", stderr=stderr, ASCN_PLANTED_FAULTS=faults,
                        DJANGO_SECRET_KEY=settings.SECRET_KEY)  # fmt: skip
        try:
            yield f"http://127.0.0.1:{port}", log, session
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_every_streamed_file_that_fails_midway_is_a_broken_transfer_logged_once(server):
    base, log, session = server
    for path in STREAMS:
        request = urllib.request.Request(base + path, headers={"Cookie": session})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200 and response.url == base + path  # sent with the first bytes
            with pytest.raises((http.client.IncompleteRead, ConnectionError)):
                response.read()
    text = log.read_text()
    assert text.count(FAULT) == len(STREAMS) and text.count("the transfer is aborted") == len(STREAMS)

    # A workbook is written whole before its first byte: its failure is a plain 500.
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(base + "/data/projects.xlsx", timeout=30)
    assert failed.value.code == 500 and not failed.value.read().startswith(b"PK")
    assert log.read_text().count(FAULT) == len(STREAMS) + 1

    # Without the marked row, the same server sends files whole.
    with urllib.request.urlopen(base + "/data/cities.csv", timeout=30) as response:
        assert response.status == 200 and response.read().count(b"\n") > 20


def test_the_writer_logs_a_failure_once_and_lets_it_through(caplog):
    def rows():
        yield "first line\n"
        raise ValueError("the database went away")

    chunks = streamed(rows(), "ascn-projects.csv")
    assert next(chunks) == b"first line\n"
    with pytest.raises(StreamAborted, match="ascn-projects.csv") as aborted:
        next(chunks)
    assert isinstance(aborted.value.__context__, ValueError)  # what failed, kept for the log
    failures = [r for r in caplog.records if r.name == "ascn_portal.exports"]
    assert len(failures) == 1 and "ascn-projects.csv" in failures[0].getMessage()
