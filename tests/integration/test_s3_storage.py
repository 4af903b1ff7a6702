"""`workers.storage.S3Storage` against a real S3 server (SeaweedFS, signatures enforced)."""

from __future__ import annotations

import pytest
from integration_services import S3Server

from workers.settings import Settings
from workers.storage import S3Storage, StorageMissing, StorageUnavailable, open_storage

pytestmark = pytest.mark.integration


def _settings(server: S3Server, monkeypatch: pytest.MonkeyPatch, secret: str) -> Settings:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    return Settings(
        storage_url=f"s3://{server.bucket}/unit",
        s3_endpoint_url=server.endpoint,
        s3_region="us-east-1",
    )


def test_s3_round_trip_and_missing(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_storage(_settings(s3_server, monkeypatch, s3_server.secret_key))
    assert isinstance(store, S3Storage)
    store.put("sha256/aa/object", b"\x00\x01payload")
    assert store.get("sha256/aa/object") == b"\x00\x01payload"
    with pytest.raises(StorageMissing):
        store.get("sha256/aa/absent")


def test_s3_wrong_secret_is_refused(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_storage(_settings(s3_server, monkeypatch, "not-the-secret"))
    with pytest.raises(StorageUnavailable):
        store.put("sha256/bb/object", b"x")
