"""Application bundles: a directory or a `.zip` holding `application.json` and its files.

`load_bundle(path)` validates the manifest and the bundle's shape and raises
`BundleInvalid` (exit 2) with a one-line reason when the bundle cannot be used at all.
A file that is merely missing, empty or too large is not a bundle problem: reading it
raises `FileUnreadable`, which `verify` turns into that document's FILE_UNREADABLE.
"""

from __future__ import annotations

import json
import posixpath
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from models.contract import Application
from pipeline.config import Limits
from pipeline.errors import BundleInvalid, FileUnreadable

MANIFEST = "application.json"


class FileSource(Protocol):
    """Where a bundle's files are read from."""

    def read(self, name: str, max_bytes: int) -> bytes:
        """The file's bytes; `FileUnreadable` when missing, empty or larger than max_bytes."""
        ...


@dataclass(frozen=True)
class Bundle:
    """A validated manifest and the source of its files."""

    application: Application
    source: FileSource


def parse_manifest(raw: bytes, limits: Limits = Limits()) -> Application:
    """Validate `application.json` bytes into an `Application`, or raise `BundleInvalid`."""
    if len(raw) > limits.manifest_bytes:
        raise BundleInvalid(
            f"{MANIFEST} is {len(raw)} bytes, over the {limits.manifest_bytes} limit"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BundleInvalid(f"{MANIFEST} is not valid UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BundleInvalid(
            f"{MANIFEST} is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    except RecursionError:
        raise BundleInvalid(f"{MANIFEST} is nested too deeply") from None
    except ValueError:  # for example an integer of more than 4300 digits
        raise BundleInvalid(f"{MANIFEST} holds a number too large to read") from None
    if not isinstance(data, dict):
        raise BundleInvalid(f"{MANIFEST} must hold a JSON object, not {type(data).__name__}")
    try:
        app = Application.model_validate(data)
    except ValidationError as exc:
        raise BundleInvalid(
            f"{MANIFEST} does not match the contract: {_first_error(exc)}"
        ) from None
    if len(app.documents) > limits.documents_per_application:
        raise BundleInvalid(
            f"{MANIFEST} names {len(app.documents)} documents, over the limit of "
            f"{limits.documents_per_application}"
        )
    for doc in app.documents:
        safe_relative(doc.file)
    return app


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(root)"
    return f"{where}: {err['msg']}".replace("\n", " ")[:300]


def safe_relative(name: str) -> str:
    """The normalised relative path, or `BundleInvalid` if it is absolute or climbs out."""
    if "\x00" in name or "\\" in name:
        raise BundleInvalid(f"file path {name[:80]!r} has a forbidden character")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise BundleInvalid(
            f"file path {name[:80]!r} is absolute; paths must stay inside the bundle"
        )
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../") or norm == ".":
        raise BundleInvalid(f"file path {name[:80]!r} climbs out of the bundle")
    return norm


class DirectorySource:
    """Files of a bundle directory; links leading outside the directory are refused."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def read(self, name: str, max_bytes: int) -> bytes:
        path = self.root / safe_relative(name)
        if not path.resolve().is_relative_to(self.root):
            raise BundleInvalid(f"file {name[:80]!r} is a link pointing outside the bundle")
        try:
            st = path.stat()
        except OSError:
            raise FileUnreadable(f"file {name!r} is missing", "the file was not received") from None
        if not stat.S_ISREG(st.st_mode):
            raise FileUnreadable(f"{name!r} is not a regular file", "the file was not received")
        _check_size(name, st.st_size, max_bytes)
        return path.read_bytes()


class ZipSource:
    """Files of a zipped bundle, read member by member with size limits enforced."""

    def __init__(self, archive: zipfile.ZipFile, prefix: str) -> None:
        self.archive = archive
        self.prefix = prefix

    def read(self, name: str, max_bytes: int) -> bytes:
        member = self.prefix + safe_relative(name)
        try:
            info = self.archive.getinfo(member)
        except KeyError:
            raise FileUnreadable(f"file {name!r} is missing", "the file was not received") from None
        _check_size(name, info.file_size, max_bytes)
        try:
            with self.archive.open(info) as fh:
                data = fh.read(max_bytes + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise FileUnreadable(f"file {name!r} cannot be unzipped: {exc}") from None
        _check_size(name, len(data), max_bytes)
        return data


class MemorySource:
    """Files held in memory (tests, and workers that fetched them from storage)."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = dict(files)

    def read(self, name: str, max_bytes: int) -> bytes:
        data = self.files.get(safe_relative(name))
        if data is None:
            raise FileUnreadable(f"file {name!r} is missing", "the file was not received")
        _check_size(name, len(data), max_bytes)
        return data


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size == 0:
        raise FileUnreadable(f"file {name!r} is empty", "the uploaded file is empty")
    if size > max_bytes:
        raise FileUnreadable(
            f"file {name!r} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
            f"the file is larger than {max_bytes / 1e6:.0f} MB",
        )


def load_bundle(path: Path, limits: Limits = Limits()) -> Bundle:
    """Open a bundle directory or `.zip`; `BundleInvalid` when it cannot be used."""
    if path.is_dir():
        manifest = path / MANIFEST
        if not manifest.is_file():
            raise BundleInvalid(f"no {MANIFEST} in this directory")
        if manifest.stat().st_size > limits.manifest_bytes:
            raise BundleInvalid(f"{MANIFEST} is over the {limits.manifest_bytes} byte limit")
        app = parse_manifest(manifest.read_bytes(), limits)
        return Bundle(app, DirectorySource(path))
    if path.is_file():
        return _load_zip(path, limits)
    raise BundleInvalid("no such bundle (expected a directory or a .zip)")


def _load_zip(path: Path, limits: Limits) -> Bundle:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleInvalid(f"not a readable zip archive ({exc})") from None
    infos = archive.infolist()
    _check_zip_entries(infos, limits)
    prefix = _zip_root(archive)
    try:
        info = archive.getinfo(prefix + MANIFEST)
        if info.file_size > limits.manifest_bytes:
            raise BundleInvalid(f"{MANIFEST} is over the {limits.manifest_bytes} byte limit")
        raw = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise BundleInvalid(f"{MANIFEST} cannot be unzipped ({exc})") from None
    return Bundle(parse_manifest(raw, limits), ZipSource(archive, prefix))


def _check_zip_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.zip_entries:
        raise BundleInvalid(
            f"zip holds {len(infos)} entries, over the limit of {limits.zip_entries}"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.zip_unpacked_bytes:
        raise BundleInvalid(
            f"zip unpacks to {total / 1e6:.0f} MB, "
            f"over the {limits.zip_unpacked_bytes / 1e6:.0f} MB limit"
        )
    for info in infos:
        safe_relative(info.filename.rstrip("/") or ".") if info.filename not in ("", "/") else None
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BundleInvalid(f"zip entry {info.filename[:80]!r} is a symbolic link")


def _zip_root(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if MANIFEST in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1:
        top = next(iter(tops))
        if f"{top}/{MANIFEST}" in names:
            return f"{top}/"
    raise BundleInvalid(f"zip has no {MANIFEST} at its root or in a single top folder")
