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

A sweep knows its own design: the manifest and every part file (in its
Parquet schema metadata, key `PART_FINGERPRINT_KEY`) carry the design's
*fingerprint*, a hash of what decides a run's result -- factors and bounds,
method, N, replicates, seed, scenario (and a paired sweep's versus scenario), size,
kept yearly columns, evaluator --
and of the code that computes it (`code_hash`: the model's source and the
registry's defaults, or a test evaluator's module; the version number alone
never changes). Resume, analyze and discover read only parts whose
fingerprint is the manifest's, and resume only with the code the manifest
names. Sweeps written before fingerprints (no `fingerprint` in the manifest)
are read with a note when their manifest, design and parts agree, and
refused otherwise.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
import uuid
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

import numpy as np

from fatal_remedies.model.files import TEMP_SUFFIX, atomic_write, write_json, writing_lock
from fatal_remedies.model.seeds import replicate_seeds

from .design import MAX_RUNS, MORRIS_LEVELS, Factor, SweepError, SweepSpec

FORMAT = "fatal-remedies-sweep/1"
BASE_COLUMNS = ("run_id", "sample", "rep", "seed", "error", "seconds")
"""The columns of every run row, besides the swept parameters and the outcomes."""

DESIGN_KEYS = ("method", "samples", "reps", "seed", "factors", "scenario_name", "scenario",
               "clients", "months", "over_time", "evaluator", "evaluator_kwargs", "code_hash")
"""The manifest entries the fingerprint covers: everything that decides a run's result."""
PAIRED_KEYS = ("versus", "versus_scenario")
"""Manifest entries of a paired sweep (absent from a single-scenario sweep's manifest); the
fingerprint covers them when present, so single-scenario fingerprints stay what they were."""
VERSUS_PREFIX = "vs__"
"""Prefix of the versus scenario's outcome columns in a paired sweep's part rows."""
REQUIRED_KEYS = DESIGN_KEYS[:-1] + ("seeds", "n_points", "n_runs")
"""Manifest entries every sweep has (old sweeps lack only `code_hash` and `fingerprint`)."""
PART_FINGERPRINT_KEY = b"fatal_remedies_sweep_fingerprint"
"""Schema-metadata key of a part file that holds its sweep's fingerprint."""
RESUME_HINT = "delete it and run `fatal-remedies sweep --out {out} --resume` to run its runs again"


# --------------------------------------------------------------------------- fingerprint


def code_hash(evaluator: str = "model") -> str:
    """Hash of the code that computes a run: for the model, every source file of
    `fatal_remedies.model` (sorted by path, as bytes) plus the registry's defaults; for a
    ``module:factory`` evaluator, its module's source. Computed once per sweep."""
    h = hashlib.sha256()
    if evaluator == "model":
        import fatal_remedies.model as model_pkg
        from fatal_remedies.model import params as P

        root = Path(model_pkg.__file__).parent
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
        h.update(json.dumps(P.defaults(include_run=True), sort_keys=True, default=str).encode())
    else:
        import importlib
        import inspect

        mod = evaluator.partition(":")[0]
        try:
            h.update(inspect.getsource(importlib.import_module(mod)).encode())
        except (ImportError, OSError, TypeError) as exc:
            raise SweepError(f"cannot read the source of evaluator {evaluator!r}: {exc}") from None
    return h.hexdigest()[:16]


def fingerprint(manifest: dict) -> str:
    """The design's fingerprint: a hash of the manifest's `DESIGN_KEYS` (as JSON, so that a
    manifest read back from disk gives the same value)."""
    keys = DESIGN_KEYS + tuple(k for k in PAIRED_KEYS if manifest.get(k) is not None)
    design = json.loads(json.dumps({k: manifest.get(k) for k in keys}, default=str))
    return hashlib.sha256(json.dumps(design, sort_keys=True).encode()).hexdigest()[:16]


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


def versus_of(manifest: dict) -> str | None:
    """The versus scenario's name of a paired sweep (None: a single-scenario sweep)."""
    return manifest.get("versus")


def runs_per_row(manifest: dict) -> int:
    """Model runs behind one run row: 2 in a paired sweep, else 1."""
    return 2 if versus_of(manifest) else 1


def new_manifest(spec: SweepSpec, scenario_obj=None, versus_obj=None) -> dict:
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
        "code_hash": code_hash(spec.evaluator),
    }
    if spec.versus is not None:  # a paired sweep (see analysis/sweep.py)
        m["versus"] = spec.versus
        m["versus_scenario"] = versus_obj.to_dict() if versus_obj is not None else None
        m["n_model_runs"] = 2 * m["n_runs"]
    return m


def seal(manifest: dict) -> dict:
    """The manifest with its fingerprint (call once its design entries are final)."""
    manifest["fingerprint"] = fingerprint(manifest)
    return manifest


def write_manifest(out: Path, manifest: dict) -> None:
    write_json(Path(out) / "manifest.json", manifest)


def load_manifest(out: Path) -> dict:
    """The manifest of the sweep in `out`, checked: complete, untouched since it was written.

    Raises:
        SweepError: no manifest, or one that is unreadable, incomplete, inconsistent or
            edited after the sweep started (one line saying what to do).
    """
    path = Path(out) / "manifest.json"
    if not path.is_file():
        raise SweepError(f"'{out}' holds no sweep (no manifest.json); run `fatal-remedies sweep "
                         f"--out {out}` with the sweep's options (without --resume) to start it, "
                         "or to rebuild the manifest from part files of the same design")
    try:
        m = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SweepError(f"cannot read {path}: {' '.join(str(exc).split())}") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise SweepError(f"{path} is not a sweep manifest of format {FORMAT}")
    rebuild = (f"delete it and run the sweep's `fatal-remedies sweep --out {out} ...` command "
               "again (without --resume) to rebuild it from the part files that agree")
    lacking = [k for k in REQUIRED_KEYS if k not in m]
    if lacking:
        raise SweepError(f"{path} is incomplete (no {', '.join(lacking)}); {rebuild}")
    try:
        factors = factors_of(m)
        reps, n_points = int(m["reps"]), int(m["n_points"])
        ok = (len(factors) >= 2 and 1 <= reps <= MAX_RUNS and m["n_runs"] == n_points * reps
              and list(m["seeds"]) == replicate_seeds(int(m["seed"]), reps))
    except (TypeError, ValueError, KeyError, AttributeError):
        ok = False
    if not ok:
        raise SweepError(f"{path} is inconsistent (its factors, replicates, seeds and run count "
                         f"do not fit together); {rebuild}")
    if "fingerprint" in m and m["fingerprint"] != fingerprint(m):
        raise SweepError(f"{path} was changed after the sweep started (its contents do not "
                         f"match its fingerprint {m['fingerprint']}); {rebuild}")
    return m


def legacy_note(manifest: dict, out: Path) -> str | None:
    """A note for a sweep written before fingerprints (read only when it is consistent)."""
    if "fingerprint" in manifest:
        return None
    return (f"'{out}' was written before sweeps carried a design fingerprint; its manifest, "
            "design and part files agree, so they are used as they are")


def check_code(manifest: dict, out: Path) -> None:
    """Refuse to add runs made by other code than the sweep's (resume)."""
    if "fingerprint" not in manifest:
        return  # an old sweep: no record of its code (see legacy_note)
    now = code_hash(manifest["evaluator"])
    if now != manifest["code_hash"]:
        what = "the model's source or the registry's defaults" if manifest["evaluator"] == \
            "model" else f"the source of evaluator {manifest['evaluator']}"
        raise SweepError(f"cannot resume '{out}': {what} changed since it started (code "
                         f"{manifest['code_hash']}, now {now}), so new runs would not match its "
                         "earlier ones; start a new sweep with another --out")


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


def load_design(out: Path, manifest: dict | None = None) -> np.ndarray:
    """The sample matrix; with `manifest`, checked to be the manifest's (points, factors)."""
    import pyarrow.parquet as pq

    path = Path(out) / "design.parquet"
    again = (f"restore it, or delete {Path(out) / 'manifest.json'} and run the sweep's "
             f"`fatal-remedies sweep --out {out} ...` command again (without --resume): it "
             "rebuilds the design and manifest and keeps the part files of the same design")
    if not path.is_file():
        raise SweepError(f"{path} is missing: without the sweep's sample matrix its runs cannot "
                         f"be matched to parameter values; {again}")
    try:
        t = pq.read_table(path).to_pandas()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
        raise SweepError(f"{path} is damaged ({_first_line(exc)}); {again}") from None
    if manifest is not None:
        names = [f["name"] for f in manifest["factors"]]
        if list(t.columns) != ["sample", *names] or len(t) != manifest["n_points"]:
            raise SweepError(f"{path} is not the design of {Path(out) / 'manifest.json'} "
                             f"({len(t)} points of {', '.join(map(str, t.columns[1:]))}; the "
                             f"manifest has {manifest['n_points']} of {', '.join(names)}); {again}")
    return t.drop(columns=["sample"]).to_numpy(dtype=float)


def _first_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:200]


# --------------------------------------------------------------------------- parts


def write_part(parts_dir: Path, rows: list[dict], fingerprint: str | None) -> Path:
    """One batch's rows as a new part file (named after its first run id), carrying the
    sweep's `fingerprint` in its schema metadata (None: an old sweep without one, whose
    parts all have none)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    # every row's columns: pyarrow takes a table's columns from its first row alone, so a
    # batch led by a failed run (no outcome columns) would drop the outcomes of the others
    columns = list(dict.fromkeys(k for r in rows for k in r))
    table = pa.Table.from_pylist([{k: r.get(k) for k in columns} for r in rows])
    if fingerprint is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               PART_FINGERPRINT_KEY: fingerprint.encode()})
    first = min(r["run_id"] for r in rows)
    path = Path(parts_dir) / f"part-{first:09d}-{uuid.uuid4().hex[:8]}.parquet"
    return atomic_write(path, lambda p: pq.write_table(table, p))


def part_files(out: Path) -> list[Path]:
    parts_dir = Path(out) / "parts"
    return sorted(parts_dir.glob("part-*.parquet")) if parts_dir.is_dir() else []


def part_fingerprint(path: Path, out: Path) -> str | None:
    """The fingerprint a part file carries (None: written before fingerprints)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
        raise SweepError(f"{path} is damaged ({_first_line(exc)}); "
                         + RESUME_HINT.format(out=out)) from None
    fp = meta.get(PART_FINGERPRINT_KEY)
    return fp.decode() if fp is not None else None


def read_parts(out: Path, manifest: dict | None = None, design: np.ndarray | None = None):
    """All run rows written so far (one per run id; a successful row wins over an error).

    Every part must be readable and carry the manifest's fingerprint (read without a
    manifest, they must at least agree with each other). A sweep from before fingerprints
    is read only when its parts fit its manifest and `design` (run ids, seeds, parameter
    values).

    Raises:
        SweepError: a damaged part, or one of another design (one line naming the file).
    """
    import pandas as pd
    import pyarrow.parquet as pq

    out = Path(out)
    want = manifest.get("fingerprint") if manifest is not None else None
    frames = []
    for p in part_files(out):
        try:
            table = pq.read_table(p)  # one read: the rows and the fingerprint
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
            raise SweepError(f"{p} is damaged ({_first_line(exc)}); "
                             + RESUME_HINT.format(out=out)) from None
        have = (table.schema.metadata or {}).get(PART_FINGERPRINT_KEY)
        have = have.decode() if have is not None else None
        if manifest is None:
            want = have if not frames else want
        if have != want:
            what = (f"fingerprint {have}" if have else "no fingerprint, from an older version")
            raise SweepError(f"{p} belongs to another sweep design ({what}; this sweep's is "
                             f"{want or 'none'}); move it away (or choose another --out)")
        frames.append(table.to_pandas())
    if not frames:
        return pd.DataFrame(columns=list(BASE_COLUMNS))
    frames = [f for f in frames if len(f)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=list(BASE_COLUMNS))
    if manifest is not None and "fingerprint" not in manifest and len(df):
        _check_legacy_rows(df, manifest, design, out)
    if df["run_id"].duplicated().any():  # only after --retry-failed
        df = (df.assign(_ok=df["error"].isna()).sort_values(["run_id", "_ok"], kind="stable")
              .drop_duplicates("run_id", keep="last").drop(columns="_ok"))
    return df.sort_values("run_id").reset_index(drop=True)


def _check_legacy_rows(df, manifest: dict, design: np.ndarray | None, out: Path) -> None:
    """Parts without fingerprints must be this manifest's runs: ids in range, each run's
    sample, replicate and seed as the manifest says, and its parameters the design's."""
    reps, seeds = manifest["reps"], np.asarray(manifest["seeds"], dtype=np.int64)
    factors = factors_of(manifest)
    bad = f"part files in {Path(out) / 'parts'} do not fit its manifest"
    advice = ("; they may come from another sweep, so they are not used: start a new sweep "
              "with another --out")
    if not set(BASE_COLUMNS[:4]) <= set(df.columns) or not {f.name for f in factors} <= set(
            df.columns):
        raise SweepError(f"{bad} (other columns or parameters){advice}")
    rid = df["run_id"].to_numpy(dtype=np.int64)
    if rid.min() < 0 or rid.max() >= manifest["n_runs"]:
        raise SweepError(f"{bad} (run ids beyond its {manifest['n_runs']} runs){advice}")
    sample, rep = rid // reps, rid % reps
    if not (np.array_equal(df["sample"].to_numpy(dtype=np.int64), sample)
            and np.array_equal(df["rep"].to_numpy(dtype=np.int64), rep)
            and np.array_equal(df["seed"].to_numpy(dtype=np.int64), seeds[rep])):
        raise SweepError(f"{bad} (samples, replicates or seeds){advice}")
    if design is not None:
        for j, f in enumerate(factors):
            raw = design[sample, j]
            want = np.minimum(np.floor(raw), f.hi) if f.integer else np.clip(raw, f.lo, f.hi)
            if not np.allclose(df[f.name].to_numpy(dtype=float), want, rtol=0, atol=1e-12):
                raise SweepError(f"{bad} (values of '{f.name}' are not the design's){advice}")


def status(out: str | Path) -> dict:
    """Counts of a sweep directory: runs expected, done, failed, missing."""
    m = load_manifest(Path(out))
    df = read_parts(Path(out), m, load_design(Path(out), m))
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
    pattern = f".*{TEMP_SUFFIX}"
    with writing_lock(out / ".lock", SweepError(f"another sweep is writing to '{out}' right now"),
                      lambda: list((out / "parts").glob(pattern)) + list(out.glob(pattern))):
        yield
