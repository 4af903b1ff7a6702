"""Object storage for submitted files: a folder (`file:///abs/path`) or S3 (`s3://bucket/prefix`).

`open_storage(settings)` returns a `Storage` with `put(key, data)` and `get(key)`.
Failures become `StorageUnavailable` (transient: retry later) or `StorageMissing`
(permanent: the object is not there). Keys are content-addressed by the caller, so
writing the same object twice is harmless.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from workers.settings import Settings


class StorageError(Exception):
    """Base of storage failures (messages carry keys only, never contents)."""


class StorageUnavailable(StorageError):
    """The store cannot be reached right now: a transient fault, worth a retry."""


class StorageMissing(StorageError):
    """The object does not exist."""


class Storage(Protocol):
    """Where submitted files are kept."""

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` (overwriting is allowed: keys are content hashes)."""
        ...

    def delete(self, key: str) -> None:
        """Remove an object; deleting one that is already gone is not an error."""
        ...

    def get(self, key: str) -> bytes:
        """The object's bytes; `StorageMissing` or `StorageUnavailable`."""
        ...


class FolderStorage:
    """Files in a local folder; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise StorageMissing(f"key {key!r} leaves the storage folder")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)  # left only when writing failed (disk full)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise StorageUnavailable(f"cannot write {key}: {reason}") from None

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageUnavailable(f"cannot delete {key}: {type(exc).__name__}") from None

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise StorageMissing(f"no object {key}") from None
        except OSError as exc:
            raise StorageUnavailable(f"cannot read {key}: {type(exc).__name__}") from None


class S3Storage:
    """Objects in an S3 bucket (or an S3-compatible server), path-style addressing."""

    def __init__(self, bucket: str, prefix: str, settings: Settings) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.extra: dict[str, str] = {}
        if settings.s3_sse:
            self.extra["ServerSideEncryption"] = settings.s3_sse
        if settings.s3_sse_kms_key_id:
            self.extra["SSEKMSKeyId"] = settings.s3_sse_kms_key_id
        session = boto3.session.Session()  # its own: credentials read now, not cached globally
        self.client: Any = session.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region or os.environ.get("AWS_REGION") or "us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 2, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **self.extra)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"cannot write {key}: {_reason(exc)}") from None

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"cannot delete {key}: {_reason(exc)}") from None

    def get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            return bytes(response["Body"].read())
        except ClientError as exc:
            if _reason(exc) in ("NoSuchKey", "404", "NotFound"):
                raise StorageMissing(f"no object {key}") from None
            raise StorageUnavailable(f"cannot read {key}: {_reason(exc)}") from None
        except BotoCoreError as exc:
            raise StorageUnavailable(f"cannot read {key}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", type(exc).__name__))
    return type(exc).__name__


def open_storage(settings: Settings) -> Storage:
    """The storage the settings name."""
    url = urlparse(settings.resolved_storage_url())
    if url.scheme == "file":
        return FolderStorage(Path(unquote(url.path)))
    if url.scheme == "s3":
        if not url.netloc:
            raise ValueError("DOCVERIFY_STORAGE_URL s3:// needs a bucket name")
        return S3Storage(url.netloc, url.path, settings)
    raise ValueError(f"DOCVERIFY_STORAGE_URL: unsupported scheme {url.scheme!r} (file or s3)")
