"""Run `docverify verify` in a child process, measuring its time and peak memory.

`run_cli(bundles)` returns the exit code, output, wall time and the child's own peak
resident memory. The peak comes from GNU `time -f %M` when installed: Linux carries
`ru_maxrss` across fork and exec, so `os.wait4` on a child forked from a big test process
reports the parent's size, not the child's (it is the fallback, an over-estimate). The
child also runs under an address-space limit (`prlimit --as`) as a safety net for the
machine; the test asserts on the measured peak, which is the real bound.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCVERIFY = ROOT / ".venv" / "bin" / "docverify"
GNU_TIME = Path("/usr/bin/time")
AS_LIMIT_BYTES = 6 * 1024**3
"""Virtual-memory ceiling of the child (loaded libraries reserve far more than they touch)."""


@dataclass(frozen=True)
class CliRun:
    """One finished `docverify verify` run."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    timed_out: bool


def _command(bundles: list[Path], time_file: Path) -> list[str]:
    exe = str(DOCVERIFY) if DOCVERIFY.exists() else shutil.which("docverify")
    names = [str(b) for b in bundles]
    base = (
        [exe, "verify", *names]
        if exe
        else [sys.executable, "-m", "docverify.cli", "verify", *names]
    )
    prlimit = shutil.which("prlimit")
    cmd = [prlimit, f"--as={AS_LIMIT_BYTES}", "--", *base] if prlimit else base
    return [str(GNU_TIME), "-f", "%M", "-o", str(time_file), *cmd] if GNU_TIME.exists() else cmd


def run_cli(bundles: list[Path], timeout: float = 90.0, data_dir: Path | None = None) -> CliRun:
    """Verify `bundles` with the real command line in one child process."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    env["DOCVERIFY_DATA_DIR"] = str(data_dir or tempfile.mkdtemp(prefix="dv-hostile-data-"))
    fd, name = tempfile.mkstemp(prefix="dv-hostile-time-")
    os.close(fd)
    time_file = Path(name)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            _command(bundles, time_file),
            stdout=out,
            stderr=err,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        killed = threading.Event()

        def _kill() -> None:
            killed.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, _kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CliRun(
            exit_code=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            peak_mb=_peak_kb(time_file, usage.ru_maxrss) / 1024,
            timed_out=killed.is_set(),
        )


def _peak_kb(time_file: Path, fallback_kb: int) -> int:
    try:
        words = time_file.read_text().split()
    finally:
        time_file.unlink(missing_ok=True)
    return int(words[-1]) if words and words[-1].isdigit() else fallback_kb
