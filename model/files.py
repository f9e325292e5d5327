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

import contextlib
import json
import os
import shutil
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
    return atomic_write_all([(path, write_fn)])[0]


def atomic_write_all(items: list[tuple[str | os.PathLike, Callable[[Path], None]]]) -> list[Path]:
    """Write several files as a set: on failure none of them changes.

    Every file is first written to its temporary file (see `atomic_write`);
    only when all are written are they renamed over their targets, in the
    order given. If a rename fails, the files renamed before it get their
    old content back (kept as a hard link until then) or, if they are new,
    are removed. So a data file never appears without its manifest, nor an
    old data file next to a new manifest. Give the file readers look for
    last (the data file after its manifest).

    Returns:
        The targets as Paths.
    """
    paths = [Path(p) for p, _ in items]
    temps: list[Path] = []
    backups: dict[Path, Path] = {}
    renamed: list[Path] = []
    try:
        for path, (_, write_fn) in zip(paths, items):
            path.parent.mkdir(parents=True, exist_ok=True)
            temps.append(temp_path(path))
            write_fn(temps[-1])
        for i, (path, tmp) in enumerate(zip(paths, temps)):
            if i < len(paths) - 1 and path.is_file():  # a later rename may fail: keep the old one
                backups[path] = temp_path(path)
                _keep_copy(path, backups[path])
            os.replace(tmp, path)
            renamed.append(path)
    except BaseException:
        for path in reversed(renamed):
            with contextlib.suppress(OSError):
                if path in backups:
                    os.replace(backups.pop(path), path)
                else:
                    path.unlink()
        raise
    finally:
        for leftover in (*temps, *backups.values()):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return paths


def _keep_copy(path: Path, backup: Path) -> None:
    """`backup` becomes the current content of `path` (a hard link; a copy where links fail)."""
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)


@contextlib.contextmanager
def writing_lock(lock: Path, busy: Exception, leftovers: Callable[[], list[Path]]):
    """Hold an exclusive lock on the file `lock` while one process writes a results folder.

    Why: two processes writing the same sweep or search would interleave their files. The lock
    is taken without waiting (another writer raises `busy`, a one-line UserError) and is released
    by the kernel however the holder dies, so a killed run never leaves the folder locked. Once
    held, the temporary files of writes killed before their rename (`leftovers()`) are removed.
    The lock file is opened for appending: taking the lock changes no file.
    """
    import fcntl

    fh = open(lock, "a")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise busy from None
    try:
        for tmp in leftovers():
            tmp.unlink(missing_ok=True)
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """`atomic_write` of raw bytes."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """`atomic_write` of UTF-8 text, written as is (no newline translation)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, data: Any, *, sort_keys: bool = False) -> Path:
    """`atomic_write` of `data` as indented JSON with a final newline."""
    return atomic_write_text(path, json.dumps(data, indent=2, sort_keys=sort_keys, default=str) + "\n")


def manifest_path(path: str | os.PathLike) -> Path | None:
    """Where `write_frame` puts the manifest of `path`: a sidecar `<file>.manifest.json` for
    CSV, None for Parquet (the manifest is in the file's metadata)."""
    path = Path(path)
    return None if path.suffix.lower() == ".parquet" else path.with_name(path.name + ".manifest.json")


def check_out_path(out: str | os.PathLike, suffixes: tuple[str, ...], *,
                   with_manifest: bool = False) -> Path:
    """Validate an output path before any work is done (one-line UserError).

    Beyond the name, it tries the place: a temporary file is created (with one
    byte, so a full disk shows) and removed in the output's folder, or in its
    nearest existing ancestor when the folder is still to be made. A folder
    that refuses files, a folder in the path that is a file, or a full disk is then
    reported before a run of hours, not after it. `with_manifest`: the output
    gets a sidecar manifest (`write_frame`), whose name must be free too.
    """
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise UserError(f"--out must end in {' or '.join(suffixes)}, got '{out}'")
    side = manifest_path(path) if with_manifest else None
    for target in (path, side):
        if target is not None and target.is_dir():
            raise UserError(f"cannot write '{target}': it is a directory; give another --out")
    folder = Path(os.path.abspath(path.parent))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise UserError(f"cannot write '{out}': '{folder}' is a file, not a directory")
    probe = temp_path(folder / path.name)
    try:
        with open(probe, "xb") as fh:
            fh.write(b"\0")
    except OSError as exc:
        raise UserError(f"cannot write '{out}': {exc.strerror or exc} (tried in '{folder}' "
                        "before running)") from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
    return path


def write_frame(frame: pd.DataFrame, out: str | os.PathLike, manifest_: dict[str, Any]) -> list[Path]:
    """Write a frame to CSV (with a sidecar `<file>.manifest.json`) or Parquet (manifest in metadata).

    The CSV and its manifest are written as a pair (`atomic_write_all`): if
    either cannot be written, neither appears and an existing pair is kept.
    Returns the paths written. Output is byte-identical for identical input.
    """
    path = Path(out)
    text = json.dumps(manifest_, indent=2, sort_keys=True, default=str) + "\n"
    side = manifest_path(path)
    if side is None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"fatal_remedies_manifest"] = text.encode()
        table = table.replace_schema_metadata(meta)
        atomic_write(path, lambda p: pq.write_table(table, p))
        return [path]
    atomic_write_all([(side, lambda p: p.write_bytes(text.encode("utf-8"))),
                      (path, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))])
    return [path, side]


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """The manifest of an output written by `write_frame`."""
    side = manifest_path(path)
    if side is None:
        import pyarrow.parquet as pq

        return json.loads(pq.read_schema(path).metadata[b"fatal_remedies_manifest"])
    return json.loads(side.read_text(encoding="utf-8"))
