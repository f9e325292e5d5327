"""Fault cases of `sweep`, `analyze` and `discover` (issue 13): a sweep knows its own design.

Each case is a fault a user can cause -- a deleted or edited manifest, a part
file of another design or cut short, a missing design, a design too large, a
kill -9 -- and the contract: exit 2 with one line on stderr saying what is
wrong and what to do, no traceback, nothing written; or, where the sweep can
go on safely, it does. Most cases run in-process through `main(argv)` on a
tiny toy sweep built with threads; the kill -9 cases start real processes.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from proctools import alive, children

from fatal_remedies.analysis import executors, runner, storage
from fatal_remedies.analysis.design import MAX_RUNS, SweepError, SweepSpec, resolve_factors
from fatal_remedies.analysis.sweep import read_parts, run_sweep
from fatal_remedies.cli import main

EXE = shutil.which("fatal-remedies", path=str(Path(sys.executable).parent)) or "fatal-remedies"
TOY = ["--evaluator", "fatal_remedies.analysis.toys:RegistryToy"]
P2 = "hourly_cost_eur,share_carer"


def toy(out: Path, params: str = P2, seed: int = 7, samples: int = 16) -> Path:
    """A finished toy LHS sweep (2 replicates), run on threads: no processes to start."""
    spec = SweepSpec(resolve_factors(params.split(",")), method="lhs", samples=samples, reps=2,
                     seed=seed, evaluator="fatal_remedies.analysis.toys:RegistryToy",
                     over_time=["y:sum"])
    with cf.ThreadPoolExecutor(2) as ex:
        run_sweep(out, spec, executor=ex, progress=False, batch_size=4)
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return toy(tmp_path_factory.mktemp("base") / "sw")


@pytest.fixture
def sw(base, tmp_path) -> Path:
    """A fresh copy of the base sweep to damage."""
    return Path(shutil.copytree(base, tmp_path / "sw"))


def cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    cap = capsys.readouterr()
    return exc.value.code or 0, cap.out, cap.err


def snapshot(d: Path) -> dict:
    return {str(p.relative_to(d)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(d.rglob("*")) if p.is_file()} if d.exists() else {}


def refused(capsys, fragment: str, *args, untouched: Path | None = None) -> str:
    """Run a command that must be refused: exit 2, one line with `fragment`, no file changed."""
    before = snapshot(untouched) if untouched is not None else None
    code, _, err = cli(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("fatal-remedies: error:"), err
    assert fragment in lines[0], lines[0]
    if untouched is not None:
        assert snapshot(untouched) == before
    return lines[0]


def three_readers(sw: Path) -> list[list]:
    """resume, analyze and discover of one sweep directory."""
    return [["sweep", "--out", sw, "--resume", "--workers", "1"],
            ["analyze", sw, "--no-plots"],
            ["discover", sw, "--outcome", "y", "--where", "> 0", "--no-plots"]]


# ----------------------------------------------------------------- a sweep knows its design


def test_deleted_manifest_and_other_params_is_refused_not_reused(sw, capsys):
    """The silent-science bug: the old runs were counted as the new design's."""
    (sw / "manifest.json").unlink()
    refused(capsys, "holds part files of another sweep design",
            "sweep", *TOY, "--params", "hourly_cost_eur,network_degree", "--method", "lhs",
            "--samples", "16", "--seed", "7", "--over-time", "y:sum", "--out", sw, untouched=sw)
    assert not (sw / "manifest.json").exists()


def test_deleted_manifest_is_rebuilt_from_parts_of_the_same_design(sw, base, capsys):
    (sw / "manifest.json").unlink()
    (sw / "design.parquet").unlink()
    code, out, err = cli(capsys, "sweep", *TOY, "--params", P2, "--method", "lhs", "--samples",
                         "16", "--seed", "7", "--over-time", "y:sum", "--out", sw)
    assert code == 0, err
    assert "ran 0 now" in out and "32 were done before" in out
    assert (json.loads((sw / "manifest.json").read_text())["fingerprint"]
            == json.loads((base / "manifest.json").read_text())["fingerprint"])
    assert (sw / "design.parquet").read_bytes() == (base / "design.parquet").read_bytes()


def test_every_part_and_the_manifest_carry_the_fingerprint(base):
    fp = json.loads((base / "manifest.json").read_text())["fingerprint"]
    parts = storage.part_files(base)
    assert parts and all(storage.part_fingerprint(p, base) == fp for p in parts)


def test_fingerprint_covers_the_design_and_the_code():
    m = {k: 1 for k in storage.DESIGN_KEYS}
    fps = {storage.fingerprint(m)}
    for k in storage.DESIGN_KEYS:
        fps.add(storage.fingerprint({**m, k: 2}))
    assert len(fps) == len(storage.DESIGN_KEYS) + 1
    assert storage.code_hash("model") != storage.code_hash(
        "fatal_remedies.analysis.toys:RegistryToy")


def test_part_of_another_design_is_refused_by_resume_analyze_discover(sw, tmp_path, capsys):
    other = toy(tmp_path / "other", seed=8)
    stray = storage.part_files(other)[0]
    shutil.copy(stray, sw / "parts" / stray.name)
    for args in three_readers(sw):
        refused(capsys, f"{stray.name} belongs to another sweep design", *args)


def test_truncated_part_names_the_file_and_what_to_do(sw, capsys):
    bad = storage.part_files(sw)[1]
    os.truncate(bad, 100)
    for args in three_readers(sw):
        line = refused(capsys, f"{bad} is damaged", *args)
        assert f"delete it and run `fatal-remedies sweep --out {sw} --resume`" in line
    bad.unlink()  # as the message says: then the resume runs its runs again
    code, out, err = cli(capsys, "sweep", "--out", sw, "--resume", "--workers", "1")
    assert code == 0 and "ran 4 now" in out, err


@pytest.mark.parametrize("key", ["reps", "factors"])
@pytest.mark.parametrize("command", ["sweep", "analyze", "discover"])
def test_manifest_without_a_key_is_one_line(sw, capsys, key, command):
    m = json.loads((sw / "manifest.json").read_text())
    del m[key]
    (sw / "manifest.json").write_text(json.dumps(m))
    args = {c[0]: c for c in three_readers(sw)}[command]
    refused(capsys, f"manifest.json is incomplete (no {key})", *args, untouched=sw)


def test_edited_manifest_is_refused(sw, capsys):
    m = json.loads((sw / "manifest.json").read_text())
    m["clients"] = 3000
    (sw / "manifest.json").write_text(json.dumps(m))
    for args in three_readers(sw):
        refused(capsys, "was changed after the sweep started", *args, untouched=sw)


def test_missing_design_says_what_is_missing_and_what_to_do(sw, capsys):
    (sw / "design.parquet").unlink()
    for args in three_readers(sw):
        line = refused(capsys, f"{sw / 'design.parquet'} is missing", *args, untouched=sw)
        assert "delete" in line and "manifest.json" in line


def test_resume_with_other_model_code_is_refused(sw, monkeypatch):
    monkeypatch.setattr(storage, "code_hash", lambda evaluator="model": "0" * 16)
    with pytest.raises(SweepError, match="changed since it started"):
        run_sweep(sw, resume=True, executor=cf.ThreadPoolExecutor(1), progress=False)


def _make_legacy(sw: Path) -> None:
    """What a sweep written before fingerprints looks like: none in manifest or parts."""
    m = json.loads((sw / "manifest.json").read_text())
    del m["fingerprint"], m["code_hash"]
    (sw / "manifest.json").write_text(json.dumps(m))
    for p in storage.part_files(sw):
        pq.write_table(pq.read_table(p).replace_schema_metadata(None), p)


def test_old_sweep_without_fingerprint_is_read_with_a_note(sw, capsys):
    _make_legacy(sw)
    code, out, err = cli(capsys, "analyze", sw, "--no-plots")
    assert code == 0, err
    assert "note: " in err and "before sweeps carried a design fingerprint" in err
    for p in storage.part_files(sw)[:2]:  # resume of an old sweep: parts like the old ones
        p.unlink()
    code, out, err = cli(capsys, "sweep", "--out", sw, "--resume", "--workers", "1")
    assert code == 0 and "ran 8 now" in out, err
    assert all(storage.part_fingerprint(p, sw) is None for p in storage.part_files(sw))
    assert len(read_parts(sw)) == 32


def test_old_sweep_whose_parts_do_not_fit_is_refused(sw, tmp_path, capsys):
    _make_legacy(sw)
    other = toy(tmp_path / "other", params="hourly_cost_eur,network_degree")
    _make_legacy(other)
    stray = storage.part_files(other)[0]
    shutil.copy(stray, sw / "parts" / "part-999999999-stray.parquet")
    for args in three_readers(sw):
        refused(capsys, "do not fit its manifest", *args)


# ----------------------------------------------------------------- limits before any work


@pytest.mark.parametrize("extra", [["--samples", "1099511627776"],
                                   ["--reps", "1000000000"],
                                   ["--method", "grid", "--samples", "1099511627776"]])
def test_too_large_a_design_is_refused_before_any_work(tmp_path, capsys, extra):
    out = tmp_path / "big"
    t0 = time.perf_counter()
    refused(capsys, f"the limit is {MAX_RUNS:,} runs per sweep",
            "sweep", *TOY, "--params", P2, *extra, "--out", out)
    assert time.perf_counter() - t0 < 5
    assert not out.exists()  # no directory, parts/ or .lock


def test_the_readme_cluster_sweep_fits_the_limit():
    spec = SweepSpec(resolve_factors(), method="sobol", samples=1024, reps=4)
    spec.check()
    # 1024 x (2 x 110 uncertainties + 2) x 4 (docs/SWEEPS.md)
    assert spec.n_points() * spec.reps == 909_312 <= MAX_RUNS


def test_too_many_workers_is_refused(tmp_path, capsys):
    refused(capsys, "--workers must be at most", "sweep", *TOY, "--params", P2, "--method",
            "lhs", "--samples", "2", "--reps", "2", "--workers", "1000", "--out", tmp_path / "s")
    assert not (tmp_path / "s").exists()


def test_never_more_local_workers_than_runs(tmp_path, monkeypatch):
    asked = []

    def fake_connect(scheduler=None, workers=None):
        asked.append(workers)
        return executors.Connection(cf.ThreadPoolExecutor(2), "threads", 2, lambda: None, False)

    monkeypatch.setattr(runner, "connect", fake_connect)
    spec = SweepSpec(resolve_factors(P2.split(",")), method="lhs", samples=2, reps=2,
                     evaluator="fatal_remedies.analysis.toys:RegistryToy", over_time=["y:sum"])
    run_sweep(tmp_path / "s", spec, workers=8, progress=False)
    assert asked == [4]


# ----------------------------------------------------------------- no orphans after kill -9


def _kill_parent_and_check_workers_end(args: list, workers: int) -> None:
    proc = subprocess.Popen([EXE, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    kids: list[int] = []
    try:
        t0 = time.time()
        while time.time() - t0 < 60:
            kids = children(proc.pid)
            spawned = [k for k in kids if b"multiprocessing" in _cmdline(k)]
            if len(spawned) >= workers:
                break
            assert proc.poll() is None, "the command ended before its workers were seen"
            time.sleep(0.1)
        else:
            pytest.fail("the workers did not start")
        time.sleep(1.0)  # let them import the model and start working
        kids = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        t_kill = time.time()
        while time.time() - t_kill < 5 and any(alive(k) for k in kids):
            time.sleep(0.1)
        left = [k for k in kids if alive(k)]
        assert not left, f"still running 5 s after kill -9 of their parent: {left}"
    finally:  # whatever happened, leave no process of this test behind
        for k in set(kids) | set(children(proc.pid) if proc.poll() is None else []):
            if alive(k):
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
    while time.time() - t0 < 5 and alive(worker):
        time.sleep(0.1)
    assert not alive(worker)
