"""Folder storage and the database-backed prior-document index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from models.internal import DocumentState, Fingerprint
from workers.db import Database, DatabaseUnavailable
from workers.prior import DbPriorIndex
from workers.settings import Settings
from workers.storage import FolderStorage, StorageMissing, open_storage


def test_folder_storage_round_trip_and_missing(tmp_path: Path) -> None:
    store = FolderStorage(tmp_path / "files")
    store.put("sha256/ab/abc", b"hello")
    store.put("sha256/ab/abc", b"hello")  # idempotent
    assert store.get("sha256/ab/abc") == b"hello"
    with pytest.raises(StorageMissing):
        store.get("sha256/ab/nope")
    with pytest.raises(StorageMissing):
        store.get("../../etc/passwd")


def test_storage_url_defaults_to_the_data_dir(tmp_path: Path) -> None:
    store = open_storage(Settings(data_dir=tmp_path))
    assert isinstance(store, FolderStorage)
    assert store.root == tmp_path / "files"
    with pytest.raises(ValueError):
        open_storage(Settings(data_dir=tmp_path, storage_url="ftp://x/y"))


def _doc(doc_id: str, fp: Fingerprint) -> DocumentState:
    return DocumentState(
        document_id=doc_id, role="identity", side="front", data=b"", fingerprint=fp
    )


def test_prior_index_finds_other_applications_only(db: Database) -> None:
    index = DbPriorIndex(db)
    same = Fingerprint(sha256="a" * 64, phash="ffff0000ffff0000")
    index.record("APP-1", [_doc("d1", same)])
    assert index.matches(same, "APP-1") == []
    found = index.matches(same, "APP-2")
    assert [(m.application_id, m.document_id, m.reason) for m in found] == [
        ("APP-1", "d1", "same_file")
    ]
    near = Fingerprint(sha256="b" * 64, phash="ffff0000ffff0001")
    assert [m.reason for m in index.matches(near, "APP-2")] == ["same_image"]
    far = Fingerprint(sha256="c" * 64, phash="0000ffff0000ffff")
    assert index.matches(far, "APP-2") == []


def test_prior_index_record_replaces_an_earlier_run(db: Database) -> None:
    index = DbPriorIndex(db)
    index.record("APP-1", [_doc("d1", Fingerprint(sha256="a" * 64))])
    index.record("APP-1", [_doc("d1", Fingerprint(sha256="d" * 64))])
    assert index.matches(Fingerprint(sha256="a" * 64), "APP-2") == []
    assert len(index.matches(Fingerprint(sha256="d" * 64), "APP-2")) == 1


def test_prior_index_fault_is_raised_after_examination(tmp_path: Path) -> None:
    broken = Database(f"sqlite:///{tmp_path}/no/such/dir/../x.sqlite3")
    broken.__dict__["engine"] = create_engine("sqlite:////proc/forbidden/x.sqlite3")
    index = DbPriorIndex(broken)
    assert index.matches(Fingerprint(sha256="a" * 64), "APP") == []
    with pytest.raises(DatabaseUnavailable):
        index.raise_if_failed()
    index.raise_if_failed()  # forgotten once raised
