"""Writing and reading output files: the one atomic writer, output paths, frames with their manifest.

Every file the project writes (run outputs, comparison tables, validation
reports, a sweep's manifest, design and part files) goes through
`atomic_write`: the content is written to a temporary file in the same folder
and then renamed over the target. A rename within one folder is atomic, so a
reader, or a sweep resumed after SIGKILL, sees either the old file or the
complete new one, never half a file. This module is in `model` (the lowest
floor) because `run --out` writes frames; `analysis` uses it too.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .errors import UserError

TEMP_SUFFIX = ".tmp"
"""Temporary files are named `.<target name>.<random>.tmp` (hidden, recognisable, removable)."""


def temp_path(path: Path) -> Path:
    """A fresh temporary name next to `path` (see TEMP_SUFFIX)."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}{TEMP_SUFFIX}")


def atomic_write(path: str | os.PathLike, write_fn: Callable[[Path], None]) -> Path:
    """Write `path` through `write_fn(temporary_path)`, then rename the result over `path`.

    The folder is created if needed. If `write_fn` raises (or the process is
    interrupted in Python), the temporary file is removed and `path` is left
    as it was. No fsync: the guarantee is against a crash of this process
    (the usual case: Ctrl-C, kill -9, an exception), which is what resuming
    a sweep relies on, not against losing power.

    Returns:
        `path` as a Path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        write_fn(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """`atomic_write` of raw bytes."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """`atomic_write` of UTF-8 text, written as is (no newline translation)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, data: Any, *, sort_keys: bool = False) -> Path:
    """`atomic_write` of `data` as indented JSON with a final newline."""
    return atomic_write_text(path, json.dumps(data, indent=2, sort_keys=sort_keys, default=str) + "\n")


def check_out_path(out: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """Validate an output path before any work is done (one-line UserError)."""
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
        atomic_write(path, lambda p: pq.write_table(table, p))
        return [path]
    side = path.with_name(path.name + ".manifest.json")
    atomic_write(path, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))
    atomic_write_text(side, text)
    return [path, side]


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """The manifest of an output written by `write_frame`."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return json.loads(pq.read_schema(path).metadata[b"fatal_remedies_manifest"])
    return json.loads(path.with_name(path.name + ".manifest.json").read_text(encoding="utf-8"))
