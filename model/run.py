"""Running the model: one run to a metrics frame, and writing outputs with their manifest."""

from __future__ import annotations

import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import __version__
from . import params as P
from .errors import UserError
from .scenario import Scenario, load_scenario


def resolve(scenario: Scenario | str, overrides: dict[str, Any] | None = None) -> Scenario:
    """A Scenario from a name, path or Scenario, with whole-run overrides applied."""
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    return scenario.with_overrides(overrides or {})


def check_size(clients: int, months: int) -> tuple[int, int]:
    """Validate run size against the registry (one-line errors)."""
    return int(P.get("n_clients").coerce(clients)), int(P.get("months").coerce(months))


def manifest(scenario: Scenario, clients: int, months: int, seed: int, **extra: Any) -> dict[str, Any]:
    """What produced an output: enough to reproduce it exactly."""
    import mesa
    import sklearn

    out = {
        "package": "fatal-remedies",
        "version": __version__,
        "scenario": scenario.to_dict(),
        "clients": int(clients),
        "months": int(months),
        "seed": int(seed) if seed is not None else None,
        "software": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "mesa": mesa.__version__,
            "scikit-learn": sklearn.__version__,
        },
    }
    out.update(extra)
    return out


def simulate(
    scenario: Scenario | str,
    clients: int = 10_000,
    months: int = 120,
    seed: int = 0,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Run one scenario and return one row of metrics per month (months 1..M).

    Args:
        scenario: Built-in name, TOML path or Scenario.
        clients: Population size.
        months: Months to simulate.
        seed: Seed; the same seed gives the same frame, bit for bit.
        overrides: Parameter values that hold for the whole run.
        progress: Called with the month number after each month.

    Returns:
        The metrics frame; `frame.attrs["manifest"]` says what produced it.
    """
    from .model import BenefitModel

    sc = resolve(scenario, overrides)
    clients, months = check_size(clients, months)
    model = BenefitModel(sc, n_clients=clients, seed=seed)
    for _ in range(months):
        model.step()
        if progress is not None:
            progress(model.month)
    frame = model.metrics_frame()
    frame.attrs["manifest"] = manifest(sc, clients, months, seed)
    return frame


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write via a temporary file in the same folder, so a failure leaves no partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_out_path(out: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """Validate an output path before any work is done."""
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise UserError(f"--out must end in {' or '.join(suffixes)}, got '{out}'")
    if path.exists() and path.is_dir():
        raise UserError(f"--out '{out}' is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise UserError(f"cannot write '{out}': '{parent}' is not a directory")
    return path


def write_frame(frame: pd.DataFrame, out: str | os.PathLike, manifest_: dict[str, Any]) -> list[Path]:
    """Write a frame to CSV (with a sidecar `<file>.manifest.json`) or Parquet (manifest in metadata).

    Returns the paths written. Output is byte-identical for identical input.
    """
    path = Path(out)
    text = json.dumps(manifest_, indent=2, sort_keys=True, default=str) + "\n"
    if path.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"fatal_remedies_manifest"] = text.encode()
        table = table.replace_schema_metadata(meta)
        _atomic_write(path, lambda p: pq.write_table(table, p))
        return [path]
    side = path.with_name(path.name + ".manifest.json")
    _atomic_write(path, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))
    _atomic_write(side, lambda p: p.write_text(text, encoding="utf-8"))
    return [path, side]


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """The manifest of an output written by `write_frame`."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return json.loads(pq.read_schema(path).metadata[b"fatal_remedies_manifest"])
    return json.loads(path.with_name(path.name + ".manifest.json").read_text(encoding="utf-8"))
