"""Stage `locate_evidence`: express every evidence box in pixels of the page image as stored.

Reading happens on rectified images (flattened, rotated, rescaled); the contract wants
boxes in the stored page image, where a reviewer sees them. Each rectified `Page`
carries `to_stored`, the 3x3 matrix back to the stored image; this stage maps each
field's box corners through it and keeps their bounding box, clipped to the page.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.internal import Box, DocumentState, FieldValue
from pipeline.context import Context


def map_box(box: Box, matrix: tuple[float, ...]) -> Box:
    """The bounding box of `box`'s corners mapped through a 3x3 matrix (never negative)."""
    m = np.asarray(matrix, dtype=np.float64).reshape(3, 3)
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64)
    mapped = corners @ m.T
    xy = mapped[:, :2] / mapped[:, 2:3]
    lo, hi = np.maximum(xy.min(axis=0), 0), np.maximum(xy.max(axis=0), 0)
    return (round(lo[0]), round(lo[1]), round(hi[0]), round(hi[1]))


def stored_box(doc: DocumentState, page_index: int, box: Box) -> Box:
    """`box`, read on rectified page `page_index`, in pixels of that page as stored (for a
    check that builds its evidence from words read, after `locate_evidence` ran)."""
    page = next((p for p in doc.pages if p.index == page_index), None)
    return box if page is None or page.to_stored is None else map_box(box, page.to_stored)


def _mapped(fv: FieldValue, doc: DocumentState) -> FieldValue:
    if fv.box is None or fv.page is None:
        return fv
    return replace(fv, box=stored_box(doc, fv.page, fv.box))


def locate_evidence(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: map field boxes from the rectified images back to the stored pages."""
    if not any(p.to_stored is not None for p in doc.pages):
        return doc
    fields = {name: _mapped(fv, doc) for name, fv in doc.fields.items()}
    return replace(doc, fields=fields)
