"""Fault cases of `sweep`, `analyze` and `discover` (issue 13).

No orphans: after kill -9 of a command, its local worker processes end too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXE = shutil.which("fatal-remedies", path=str(Path(sys.executable).parent)) or "fatal-remedies"
P2 = "hourly_cost_eur,share_carer"


# ----------------------------------------------------------------- no orphans after kill -9


def _children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(d.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent (now init) has not reaped it


def _kill_parent_and_check_workers_end(args: list, workers: int) -> None:
    proc = subprocess.Popen([EXE, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        t0 = time.time()
        kids: list[int] = []
        while time.time() - t0 < 60:
            kids = _children(proc.pid)
            spawned = [k for k in kids if b"multiprocessing" in _cmdline(k)]
            if len(spawned) >= workers:
                break
            assert proc.poll() is None, "the command ended before its workers were seen"
            time.sleep(0.1)
        else:
            pytest.fail("the workers did not start")
        time.sleep(1.0)  # let them import the model and start working
        kids = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        t_kill = time.time()
        while time.time() - t_kill < 5 and any(_alive(k) for k in kids):
            time.sleep(0.1)
        left = [k for k in kids if _alive(k)]
        assert not left, f"still running 5 s after kill -9 of their parent: {left}"
    finally:
        for k in _children(proc.pid) if proc.poll() is None else []:
            os.kill(k, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_kill_9_of_a_sweep_leaves_no_worker(tmp_path):
    _kill_parent_and_check_workers_end(
        ["sweep", "--scenario", "control", "--params", P2, "--method", "lhs", "--samples", "40",
         "--reps", "1", "--clients", "2000", "--months", "120", "--workers", "2",
         "--out", tmp_path / "s"], workers=2)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_kill_9_of_compare_leaves_no_worker(tmp_path):
    _kill_parent_and_check_workers_end(
        ["compare", "control", "service", "--reps", "20", "--clients", "2000", "--months", "120",
         "--workers", "2"], workers=2)


def test_worker_polls_its_parent_where_no_death_signal(tmp_path):
    """The fallback (other platforms, or a pool started by a thread): a worker whose parent
    is gone ends within PARENT_POLL_SECONDS."""
    code = ("import os, sys, time; from fatal_remedies.analysis import executors as e; "
            "e.worker_init(int(sys.argv[1]), death_signal=False); print('ready', flush=True); "
            "time.sleep(60)")
    # a short-lived parent starts the worker and dies at once
    starter = ("import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', sys.argv[1], "
               "str(__import__('os').getpid())], stdout=open(sys.argv[2], 'w')); "
               "print(p.pid, flush=True); import time; time.sleep(3)")
    flag = tmp_path / "ready"
    r = subprocess.run([sys.executable, "-c", starter, code, str(flag)], capture_output=True,
                       text=True, timeout=60)
    worker = int(r.stdout.split()[0])
    assert flag.read_text().startswith("ready"), "the worker did not start in time"
    t0 = time.time()
    while time.time() - t0 < 5 and _alive(worker):
        time.sleep(0.1)
    assert not _alive(worker)
