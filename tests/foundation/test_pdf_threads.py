"""PDFium is not thread-safe: worker threads (dramatiq runs several per process) that load
PDFs at once must not crash the process. Run in a child process, so a crash is a failure."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import threading
    from pipeline.tools import pdf
    from tests.foundation.helpers import text_pdf

    data = text_pdf(["City Electric Company", "Statement date 10/02/2026", "12 Elm St"])
    failures = []

    def work():
        try:
            for _ in range(60):
                with pdf.open_pdf(data) as handle:
                    info = pdf.probe(handle, 10, 2)
                    pdf.words(data, info.text_pages, 150, handle)
                    pdf.render(handle, 0, 50, 1e7)
        except Exception as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(failures), failures[:1])
    """
)


def test_threads_loading_pdfs_at_once_do_not_crash_the_process():
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("0 "), done.stdout
