"""Property tests: manifests and files from the outside only ever fail the documented way.

`parse_manifest` on arbitrary bytes and arbitrary JSON raises only `BundleInvalid`;
`decode_image` and the `load_file` stage on arbitrary bytes and on mutated valid files
(JPEG, PNG, TIFF, WebP, HEIC, PDF) raise only `FileUnreadable` or `ToolError`, and what
they return is well formed.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.contract import Application
from models.internal import DocumentState
from pipeline import rules
from pipeline.bundle import parse_manifest, safe_relative
from pipeline.config import Limits, PipelineConfig
from pipeline.context import Context
from pipeline.errors import BundleInvalid, FileUnreadable, ToolError
from pipeline.load import decode_image, load_file
from tests.hostile import corpus

FAST = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
SMALL_LIMITS = Limits(image_megapixels=4.0, decode_megapixels=2.0, decode_bytes=16_000_000)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


def _valid_manifest() -> dict:
    return corpus.manifest([{"document_id": "d1", "role": "identity", "file": "id.jpg"}])


@FAST
@given(st.binary(max_size=2000))
def test_manifest_from_arbitrary_bytes(raw: bytes):
    try:
        app = parse_manifest(raw)
    except BundleInvalid as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(app, Application)


@FAST
@given(json_values)
def test_manifest_from_arbitrary_json(value: object):
    with pytest.raises(BundleInvalid):
        parse_manifest(json.dumps(value).encode())


@FAST
@given(
    st.sampled_from(["application_id", "program", "kind", "submitted_on", "profile", "documents"]),
    json_values,
)
def test_manifest_with_one_field_replaced(key: str, value: object):
    data = _valid_manifest()
    data[key] = value
    try:
        app = parse_manifest(json.dumps(data).encode())
    except BundleInvalid:
        return
    assert app.application_id


@FAST
@given(st.text(max_size=60))
def test_document_paths_stay_inside_the_bundle(name: str):
    try:
        norm = safe_relative(name)
    except BundleInvalid:
        return
    assert not norm.startswith("/") and not norm.startswith("../") and norm != ".."


def _ctx() -> Context:
    app = Application.model_validate(_valid_manifest())
    return Context(
        application=app,
        rules=rules.load_pack(rules.builtin_pack_text("CT")),
        config=PipelineConfig(limits=SMALL_LIMITS),
    )


CTX = _ctx()


def _load(data: bytes) -> DocumentState | None:
    doc = DocumentState(document_id="d1", role="identity", side="front", data=data)
    try:
        out = load_file(doc, CTX)
    except (FileUnreadable, ToolError):
        return None
    assert out.pages or out.text, "a loaded file has pages or text"
    for page in out.pages:
        assert page.image.ndim == 3 and page.image.shape[2] == 3
        assert (
            page.image.shape[0] * page.image.shape[1] <= SMALL_LIMITS.decode_megapixels * 1e6 * 1.01
        )
    return out


@FAST
@given(st.binary(max_size=3000))
def test_load_file_on_arbitrary_bytes(data: bytes):
    _load(data)


@FAST
@given(st.binary(max_size=3000))
def test_decode_image_on_arbitrary_bytes(data: bytes):
    try:
        pages = decode_image(data, 4.0, 2.0, 16_000_000)
    except FileUnreadable:
        return
    assert pages


def _valid_files() -> dict[str, bytes]:
    files = {
        "jpeg": corpus.jpeg(),
        "png": corpus.png(),
        "tiff": corpus.tiff(),
        "webp": corpus.webp(),
        "pdf": corpus.good_bill_pdf(),
    }
    with contextlib.suppress(ImportError):  # pillow-heif missing
        files["heic"] = corpus.heic()
    return files


VALID = _valid_files()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID[draw(st.sampled_from(sorted(VALID)))])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "dims"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif action == "truncate":
            del data[pos:]
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif action == "dims" and len(data) > 24:  # huge numbers where headers keep sizes
            data[16:24] = draw(
                st.sampled_from([b"\xff" * 8, b"\x00\x01\x86\xa0" * 2, b"\x7f\xff\xff\xff" * 2])
            )
    return bytes(data)


@FAST
@given(mutated())
def test_load_file_on_mutated_valid_files(data: bytes):
    _load(data)


def test_valid_files_still_load():
    for name, data in VALID.items():
        assert _load(data) is not None, name


def test_large_image_is_reduced_while_decoding():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (3000, 2000), (90, 90, 90)).save(buf, "JPEG", dpi=(300, 300))
    (page,) = decode_image(buf.getvalue(), 150.0, 2.0)
    assert page.image.shape[:2] == (1000, 1500)  # libjpeg decoded at half scale
    assert page.dpi == pytest.approx(150.0)


def test_decode_memory_budget_refuses_before_decoding():
    png = corpus.raw_png(5000, 5000, colour_type=2, rows=1)  # 25 MP, 100 MB as RGB
    with pytest.raises(FileUnreadable, match="MB to decode"):
        decode_image(png, 150.0, 40.0, 50_000_000)
