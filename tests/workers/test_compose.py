"""docker-compose.yml and the Dockerfile (no Docker engine here: the files are parsed)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from docverify import cli
from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_has_the_services_and_their_order() -> None:
    services = _compose()["services"]
    assert {"postgres", "redis", "minio", "migrate", "web", "worker"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["minio"]["image"].startswith("minio/minio")
    for name in ("postgres", "redis", "minio", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["migrate"]
    for name in ("web", "worker"):
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully"
        assert deps["redis"]["condition"] == "service_healthy"
    assert services["web"]["command"][:3] == ["serve", "--host", "0.0.0.0"]
    assert services["worker"]["command"][0] == "worker"


def test_the_worker_service_can_scale() -> None:
    worker = _compose()["services"]["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker


def test_every_docverify_variable_is_a_setting() -> None:
    used = set(re.findall(r"\bDOCVERIFY_([A-Z0-9_]+)", COMPOSE.read_text()))
    assert {"DATABASE_URL", "BROKER_URL", "STORAGE_URL", "S3_ENDPOINT_URL"} <= used
    fields = {name.upper() for name in Settings.model_fields}
    assert used - fields == set()
    env = _compose()["services"]["worker"]["environment"]
    assert env["DOCVERIFY_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["DOCVERIFY_BROKER_URL"].startswith("redis://")
    assert env["DOCVERIFY_STORAGE_URL"].startswith("s3://")


def test_compose_commands_exist_and_the_image_runs_docverify() -> None:
    if not any(c.name == "worker" for c in cli.app.registered_commands):
        cli._register_subcommands()
    names = {c.name or c.callback.__name__ for c in cli.app.registered_commands}
    assert {"migrate", "worker", "submit", "status", "verdict"} <= names
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["docverify"]' in dockerfile
    assert "tesseract-ocr" in dockerfile and "OMP_THREAD_LIMIT=1" in dockerfile
