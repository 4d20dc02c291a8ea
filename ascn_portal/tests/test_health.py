import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.worker]


def test_health_is_200_when_database_redis_and_a_worker_answer(client, celery_worker_thread):
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_is_503_naming_the_missing_worker(client, settings, celery_worker_thread):
    settings.CELERY_BROKER_URL = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/14"  # no worker listens there
    settings.HEALTH_CHECK_WORKER_TIMEOUT = 0.3
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]


def test_health_is_503_naming_redis_when_it_does_not_answer(client, settings):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 503
    assert "redis" in body["failed"] and body["checks"]["database"]["status"] == "ok"
    assert "ConnectionError" in body["checks"]["redis"]["detail"]
