"""No orphans (issue 13): after kill -9 of `validate`, `calibrate` or `attribute`, none of their processes
runs 5 s later. (sweep, compare and ui have theirs in test_faults_sweep.py / test_faults_cli.py.)

A real command is started in its own session with two local workers; once both worker
processes are seen, the command is killed with SIGKILL (no cleanup of its own runs), and
every process it started (the workers, multiprocessing's helpers) must be gone within 5 s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proctools import HAVE_PROC, alive, children

EXE = str(Path(sys.executable).with_name("fatal-remedies"))
GRACE_SECONDS = 5.0
"""How long the processes of a killed command may take to end."""


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _kill_9_leaves_nothing(argv: list[str], workers: int = 2) -> None:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    kids: list[int] = []
    try:
        t0 = time.time()
        while time.time() - t0 < 90:
            kids = children(proc.pid)
            if sum(b"multiprocessing" in _cmdline(k) for k in kids) >= workers:
                break
            assert proc.poll() is None, "the command ended before its workers were seen"
            time.sleep(0.1)
        else:
            pytest.fail("the worker processes did not start")
        time.sleep(1.0)  # let them import the model and take up work
        kids = children(proc.pid)
        assert kids
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        t_kill = time.time()
        while time.time() - t_kill < GRACE_SECONDS and any(alive(k) for k in kids):
            time.sleep(0.1)
        left = [(k, _cmdline(k)[:80]) for k in kids if alive(k)]
        assert not left, f"still running {GRACE_SECONDS:g} s after kill -9 of their parent: {left}"
    finally:  # whatever happened, leave no process of this test behind
        for k in kids:
            if alive(k):
                os.kill(k, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not HAVE_PROC, reason="needs /proc (Linux)")
def test_kill_9_of_validate_leaves_no_process():
    _kill_9_leaves_nothing([EXE, "validate", "--reps", "3", "--clients", "3000", "--months", "120",
                            "--workers", "2"])


@pytest.mark.skipif(not HAVE_PROC, reason="needs /proc (Linux)")
def test_kill_9_of_calibrate_leaves_no_process(tmp_path):
    _kill_9_leaves_nothing([sys.executable, "-m", "fatal_remedies.analysis.calibrate", "--reps", "1",
                            "--clients", "2000", "--months", "120", "--lhs", "16", "--maxfev", "2",
                            "--workers", "2", "--out", str(tmp_path / "cal.json")])
    assert not (tmp_path / "cal.json").exists()


@pytest.mark.skipif(not HAVE_PROC, reason="needs /proc (Linux)")
def test_kill_9_of_attribute_leaves_no_process(tmp_path):
    _kill_9_leaves_nothing([EXE, "attribute", "control", "service", "--reps", "2", "--clients", "2000",
                            "--months", "120", "--workers", "2", "--out", str(tmp_path / "a.csv")])
    assert list(tmp_path.iterdir()) == []
