"""The pipeline's own errors. Each carries the exit code the command line uses.

Tool wrappers (`pipeline.tools.*`) turn their library's failures into these, so that no
third-party exception crosses a stage boundary. A document-level problem is reported
as a check (FILE_UNREADABLE...), never raised past `verify`.
"""

from __future__ import annotations


class DocverifyError(Exception):
    """Base of every error docverify raises on purpose."""

    exit_code = 1


class BundleInvalid(DocverifyError):
    """The application bundle cannot be used at all (manifest, paths, limits)."""

    exit_code = 2


class FileUnreadable(DocverifyError):
    """One document's file cannot be decoded: missing, empty, corrupt, encrypted, too big."""

    exit_code = 0  # a verdict is still produced

    def __init__(self, reason: str, applicant_reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.applicant_reason = applicant_reason or reason


class ToolError(DocverifyError):
    """An external tool (Tesseract, PDFium, OpenCV, zxing) failed on input it should handle."""

    exit_code = 3


class ToolMissing(DocverifyError):
    """An external tool is not installed or not configured (for example no tessdata)."""

    exit_code = 4


class ToolTimeout(ToolError):
    """An external tool did not finish within its time limit."""
