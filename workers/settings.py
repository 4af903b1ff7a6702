"""Settings read once, at the edge, from `DOCVERIFY_*` environment variables.

With nothing set, everything runs on one machine: SQLite and stored files in
`DOCVERIFY_DATA_DIR` (default: the per-user data folder), work done in-process.
Set `DOCVERIFY_DATABASE_URL` (`postgresql+psycopg://...`), `DOCVERIFY_BROKER_URL`
(`redis://...` or `amqp://...`) and `DOCVERIFY_STORAGE_URL` (`file:///abs/path` or
`s3://bucket/prefix`, with the usual AWS variables) for a deployment.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.config import Limits, OcrConfig, PipelineConfig, QualityConfig


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("docverify", appauthor=False))


class Settings(BaseSettings):
    """Deployment settings."""

    model_config = SettingsConfigDict(env_prefix="DOCVERIFY_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    """SQLAlchemy URL; default SQLite at `<data_dir>/docverify.sqlite3`."""
    broker_url: str | None = None
    """redis://... or amqp://...; default: in-process."""
    storage_url: str | None = None
    """file:///abs/path or s3://bucket/prefix; default `<data_dir>/files`."""
    rules_dir: Path | None = None
    """A folder of rule-pack TOML files overriding the shipped ones."""
    tessdata: str | None = None
    ocr_timeout_seconds: float = 60.0

    # -- S3 storage (boto3 also reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION)
    s3_endpoint_url: str | None = None
    """An S3-compatible server (MinIO, SeaweedFS); path-style addressing is used."""
    s3_region: str | None = None
    s3_sse: str | None = None
    """Server-side encryption passed to PutObject (`AES256` or `aws:kms`); off when unset."""
    s3_sse_kms_key_id: str | None = None

    # -- queue
    queue_name: str = "docverify"
    """The dramatiq queue (a per-deployment or per-test prefix keeps queues apart)."""
    redis_namespace: str = "dramatiq"
    redis_heartbeat_seconds: float = 60.0
    """A Redis worker silent this long is dead: its unacknowledged messages are re-queued."""
    max_retries: int = 5
    """Retries of a transient fault (storage, database, broker down) before `failed`."""
    min_backoff_seconds: float = 2.0
    max_backoff_seconds: float = 120.0
    document_time_limit_seconds: float = 180.0
    """Per document; an application's processing may take this times its documents."""

    # -- observability
    log_level: str = "INFO"
    log_json: bool = True
    metrics_port: int | None = None
    """Serve Prometheus metrics on this port (off when unset)."""
    metrics_host: str = "127.0.0.1"

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'docverify.sqlite3'}"

    def resolved_storage_url(self) -> str:
        """The storage URL, defaulting to a folder in the data dir."""
        return self.storage_url or (self.data_dir / "files").resolve().as_uri()

    def pipeline_config(self) -> PipelineConfig:
        """The pipeline configuration these settings imply."""
        return PipelineConfig(
            limits=Limits(),
            ocr=OcrConfig(tessdata=self.tessdata, timeout_seconds=self.ocr_timeout_seconds),
            quality=QualityConfig(),
        )
