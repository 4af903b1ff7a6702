"""Bundle loading: directories and zips, limits, and paths that escape the bundle."""

from __future__ import annotations

import json
import os
import zipfile

import pytest

from pipeline.bundle import load_bundle, parse_manifest
from pipeline.config import Limits
from pipeline.errors import BundleInvalid, FileUnreadable
from tests.foundation.helpers import jpeg, manifest, write_bundle

DOCS = [{"document_id": "d1", "role": "identity", "file": "id.jpg"}]


def test_directory_bundle_reads_its_files(tmp_path):
    bundle = load_bundle(write_bundle(tmp_path / "b", manifest(DOCS), {"id.jpg": jpeg()}))
    assert bundle.application.application_id == "T-0001"
    assert bundle.source.read("id.jpg", 10**7)[:3] == b"\xff\xd8\xff"


def test_missing_manifest_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(BundleInvalid, match=r"no application\.json"):
        load_bundle(tmp_path)


@pytest.mark.parametrize("bad", ["/etc/passwd", "../outside.jpg", "a/../../x.jpg", "C:/x.jpg"])
def test_paths_escaping_the_bundle_are_refused(tmp_path, bad):
    data = manifest([{"document_id": "d1", "role": "identity", "file": bad}])
    with pytest.raises(BundleInvalid, match="bundle"):
        load_bundle(write_bundle(tmp_path / "b", data, {}))


def test_symlink_pointing_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg())
    root = write_bundle(tmp_path / "b", manifest(DOCS), {})
    os.symlink(secret, root / "id.jpg")
    bundle = load_bundle(root)
    with pytest.raises(BundleInvalid, match="outside"):
        bundle.source.read("id.jpg", 10**7)


def test_missing_empty_and_oversized_files_are_file_problems(tmp_path):
    root = write_bundle(tmp_path / "b", manifest(DOCS), {"empty.jpg": b""})
    source = load_bundle(root).source
    with pytest.raises(FileUnreadable, match="missing"):
        source.read("id.jpg", 100)
    with pytest.raises(FileUnreadable, match="empty"):
        source.read("empty.jpg", 100)
    (root / "big.jpg").write_bytes(b"x" * 200)
    with pytest.raises(FileUnreadable, match="limit"):
        source.read("big.jpg", 100)


@pytest.mark.parametrize(
    "raw", [b"\xff\xfe not utf8", b"{not json", b"[]", b'{"application_id": 3}']
)
def test_bad_manifests_name_the_problem(raw):
    with pytest.raises(BundleInvalid, match=r"application\.json"):
        parse_manifest(raw)


def test_manifest_over_the_size_limit_is_refused():
    with pytest.raises(BundleInvalid, match="limit"):
        parse_manifest(b" " * 2000, Limits(manifest_bytes=1000))


def test_too_many_documents_are_refused():
    docs = [{"document_id": f"d{i}", "role": "identity", "file": f"{i}.jpg"} for i in range(21)]
    with pytest.raises(BundleInvalid, match="limit of 20"):
        parse_manifest(json.dumps(manifest(docs)).encode())


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_zip_with_manifest_at_root_or_in_one_folder(tmp_path):
    raw = json.dumps(manifest(DOCS))
    flat = _zip(tmp_path / "a.zip", {"application.json": raw, "id.jpg": jpeg()})
    nested = _zip(tmp_path / "b.zip", {"app/application.json": raw, "app/id.jpg": jpeg()})
    for path in (flat, nested):
        assert load_bundle(path).source.read("id.jpg", 10**7)[:2] == b"\xff\xd8"


def test_zip_with_climbing_entry_is_refused(tmp_path):
    path = _zip(
        tmp_path / "a.zip", {"application.json": json.dumps(manifest(DOCS)), "../evil": b"x"}
    )
    with pytest.raises(BundleInvalid, match="climbs out"):
        load_bundle(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("application.json", json.dumps(manifest(DOCS)))
        zf.writestr("id.jpg", b"\0" * 5_000_000)
    with pytest.raises(BundleInvalid, match="unpacks to"):
        load_bundle(path, Limits(zip_unpacked_bytes=1_000_000))


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(BundleInvalid, match="zip"):
        load_bundle(path)
