"""A sweep directory on disk: manifest, design, part files and the lock.

::

    manifest.json     what was run: method, N, R, seeds, bounds, scenario, versions
    design.parquet    the sample matrix (one row per sample point, SALib's raw values)
    parts/*.parquet   results, one file per finished batch of runs
    .lock             held (flock) by the one process that writes the directory

Every file is written with `model.files.atomic_write` (temporary name, then
rename), so a file is complete or absent: a sweep killed at any moment, even
by SIGKILL, leaves only whole part files and at most some temporary files,
which the next run removes. The manifest is written after the design, so a
manifest means the design exists. Only the process that holds the lock
writes, so the workers need no shared disk.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import platform
import uuid
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

import numpy as np

from fatal_remedies.model.files import TEMP_SUFFIX, atomic_write, write_json
from fatal_remedies.model.seeds import replicate_seeds

from .design import MORRIS_LEVELS, Factor, SweepError, SweepSpec

FORMAT = "fatal-remedies-sweep/1"
BASE_COLUMNS = ("run_id", "sample", "rep", "seed", "error", "seconds")
"""The columns of every run row, besides the swept parameters and the outcomes."""


# --------------------------------------------------------------------------- manifest


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("fatal-remedies", "mesa", "SALib", "numpy", "pandas"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def new_manifest(spec: SweepSpec, scenario_obj=None) -> dict:
    """The manifest of a new sweep: everything needed to run, resume or reproduce it.

    `seeds` are the replicate seeds of `model.seeds` (replicate r of master
    seed `seed`), so `fatal-remedies run --seed <seeds[r]>` with a point's
    values reproduces that point's replicate r.
    """
    spec.check()
    vers = _package_versions()
    m = {
        "format": FORMAT,
        "package_version": vers["fatal-remedies"],
        "versions": vers,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "method": spec.method,
        "samples": spec.samples,
        "reps": spec.reps,
        "seed": spec.seed,
        "seeds": replicate_seeds(spec.seed, spec.reps),
        "n_points": spec.n_points(),
        "n_runs": spec.n_points() * spec.reps,
        "calc_second_order": spec.method == "sobol",
        "num_levels": MORRIS_LEVELS if spec.method == "morris" else None,
        "factors": [asdict(f) for f in spec.factors],
        "scenario_name": spec.scenario,
        "scenario": scenario_obj.to_dict() if scenario_obj is not None else None,
        "clients": spec.clients,
        "months": spec.months,
        "over_time": list(spec.over_time),
        "evaluator": spec.evaluator,
        "evaluator_kwargs": dict(spec.evaluator_kwargs),
    }
    return m


def write_manifest(out: Path, manifest: dict) -> None:
    write_json(Path(out) / "manifest.json", manifest)


def load_manifest(out: Path) -> dict:
    path = Path(out) / "manifest.json"
    if not path.is_file():
        raise SweepError(f"'{out}' holds no sweep (no manifest.json); run `fatal-remedies sweep "
                         f"--out {out}` first")
    try:
        m = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SweepError(f"cannot read {path}: {exc}") from None
    if m.get("format") != FORMAT:
        raise SweepError(f"{path} is not a sweep manifest of format {FORMAT}")
    return m


def factors_of(manifest: dict) -> list[Factor]:
    return [Factor(**f) for f in manifest["factors"]]


# --------------------------------------------------------------------------- design


def write_design(out: Path, design: np.ndarray, factors: list[Factor]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {"sample": pa.array(np.arange(len(design), dtype=np.int64))}
    for j, f in enumerate(factors):
        cols[f.name] = pa.array(design[:, j])
    table = pa.table(cols)
    atomic_write(Path(out) / "design.parquet", lambda p: pq.write_table(table, p))


def load_design(out: Path) -> np.ndarray:
    import pyarrow.parquet as pq

    t = pq.read_table(Path(out) / "design.parquet").to_pandas()
    return t.drop(columns=["sample"]).to_numpy(dtype=float)


# --------------------------------------------------------------------------- parts


def write_part(parts_dir: Path, rows: list[dict]) -> Path:
    """One batch's rows as a new part file (named after its first run id)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows)
    first = min(r["run_id"] for r in rows)
    path = Path(parts_dir) / f"part-{first:09d}-{uuid.uuid4().hex[:8]}.parquet"
    return atomic_write(path, lambda p: pq.write_table(table, p))


def read_parts(out: Path):
    """All run rows written so far (one per run id; a successful row wins over an error)."""
    import pandas as pd
    import pyarrow.parquet as pq

    parts_dir = Path(out) / "parts"
    frames = []
    for p in sorted(parts_dir.glob("part-*.parquet")) if parts_dir.is_dir() else []:
        frames.append(pq.read_table(p).to_pandas())
    if not frames:
        return pd.DataFrame(columns=list(BASE_COLUMNS))
    frames = [f for f in frames if len(f)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=list(BASE_COLUMNS))
    if df["run_id"].duplicated().any():  # only after --retry-failed
        df = (df.assign(_ok=df["error"].isna()).sort_values(["run_id", "_ok"], kind="stable")
              .drop_duplicates("run_id", keep="last").drop(columns="_ok"))
    return df.sort_values("run_id").reset_index(drop=True)


def status(out: str | Path) -> dict:
    """Counts of a sweep directory: runs expected, done, failed, missing."""
    m = load_manifest(Path(out))
    df = read_parts(Path(out))
    done = len(df)
    failed = int(df["error"].notna().sum()) if done else 0
    return {"n_runs": m["n_runs"], "done": done, "failed": failed,
            "missing": m["n_runs"] - done}


# --------------------------------------------------------------------------- directory and lock


def make_dirs(out: Path) -> None:
    """The sweep directory and its parts folder (one-line SweepError if impossible)."""
    try:
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / "parts").mkdir(exist_ok=True)
    except OSError as exc:
        raise SweepError(f"cannot create sweep directory '{out}': {exc.strerror}") from None


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """Hold the directory's lock while writing to it; remove leftovers of killed writes first.

    Raises:
        SweepError: another process holds the lock (is writing this sweep now).
    """
    out = Path(out)
    lock = open(out / ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise SweepError(f"another sweep is writing to '{out}' right now") from None
    try:
        pattern = f".*{TEMP_SUFFIX}"
        for tmp in list((out / "parts").glob(pattern)) + list(out.glob(pattern)):
            tmp.unlink(missing_ok=True)  # a write killed before its rename
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
