"""Processes seen through Linux's /proc, for the kill -9 tests (no process may be left)."""

from __future__ import annotations

from pathlib import Path

HAVE_PROC = Path("/proc/self/stat").exists()
"""The kill -9 tests skip where there is no /proc (they need Linux)."""


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    """Whether `pid` still runs: a zombie has ended, only its exit status waits for a reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def children_running(pid: int, marker: bytes) -> list[int]:
    """The living children of `pid` whose command line holds `marker` (e.g. a worker's entry point)."""
    out = []
    for child in children(pid):
        try:
            cmd = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmd and alive(child):
            out.append(child)
    return out
