"""Check that this checkout's model gives the same runs as a baseline checkout, bit for bit.

    .venv/bin/python benchmarks/check_same.py                      # baseline at /work/wt-base
    .venv/bin/python benchmarks/check_same.py /path/to/other/checkout --seeds 1 2 3 4

A speed-up of the model must not change what it computes (issue 11, item 5),
so this runs every built-in scenario for several seeds at sweep size (2,000
people x 120 months) twice: once with the baseline checkout's own Python
(its `.venv`, started in that checkout, so it imports that checkout's
model) and once here, and compares every monthly column exactly (values,
NaN positions and dtypes) and the per-run summary a sweep stores
(`analysis.summary.summarize`). It prints one line per run and exits 1 at the
first run that differs, naming the columns and months that moved.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SCENARIOS = ("baseline", "control", "service", "datameent", "reversal")
ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def dump(path: str, seeds: list[int], clients: int, months: int) -> None:
    """Run every scenario and seed with whatever model this interpreter imports; pickle the results."""
    from fatal_remedies.analysis.summary import summarize
    from fatal_remedies.model.run import simulate

    out = {}
    for name in SCENARIOS:
        for seed in seeds:
            frame = simulate(name, clients, months, seed)
            frame.attrs = {}
            out[(name, seed)] = (frame, summarize(frame))
    with open(path, "wb") as fh:
        pickle.dump(out, fh)


def _same_value(a: float, b: float) -> bool:
    return (a == b) or (np.isnan(a) and np.isnan(b))


def differences(base, new) -> list[str]:
    """What differs between two (frame, summary) pairs: empty when they are the same bit for bit."""
    (fb, sb), (fn, sn) = base, new
    out = []
    if list(fb.columns) != list(fn.columns):
        out.append(f"columns differ: {sorted(set(fb.columns) ^ set(fn.columns))}")
        return out
    if len(fb) != len(fn):
        return [f"rows differ: {len(fb)} vs {len(fn)}"]
    for col in fb.columns:
        a, b = fb[col].to_numpy(), fn[col].to_numpy()
        if a.dtype != b.dtype:
            out.append(f"{col}: dtype {a.dtype} vs {b.dtype}")
            continue
        same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b
        if not same.all():
            months = fb["month"].to_numpy()[~same]
            out.append(f"{col}: differs in {int((~same).sum())} months, first month {int(months[0])} "
                       f"({a[~same][0]!r} vs {b[~same][0]!r})")
    if list(sb) != list(sn):
        out.append("summary keys differ")
    else:
        out += [f"summary {k}: {sb[k]!r} vs {sn[k]!r}" for k in sb if not _same_value(sb[k], sn[k])]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", nargs="?", default="/work/wt-base", help="the baseline checkout (with its .venv)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--dump", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:
        dump(args.dump, args.seeds, args.clients, args.months)
        return 0
    base = Path(args.base).resolve()
    here = Path(__file__).resolve().parents[1]
    python = base / ".venv" / "bin" / "python"
    if not python.exists():
        print(f"error: no baseline interpreter at {python}", file=sys.stderr)
        return 2
    size = ["--seeds", *map(str, args.seeds), "--clients", str(args.clients), "--months", str(args.months)]
    env = {**os.environ, **ONE_THREAD}
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory() as td:
        results = {}
        for label, py, cwd in (("base", python, base), ("new", Path(sys.executable), here)):
            path = str(Path(td) / f"{label}.pkl")
            # Started in its own checkout, each interpreter imports that checkout's model.
            subprocess.run([str(py), str(Path(__file__).resolve()), "--dump", path, *size],
                           cwd=cwd, env=env, check=True)
            with open(path, "rb") as fh:
                results[label] = pickle.load(fh)
    print(f"baseline {base} vs {here}: {args.clients} people x {args.months} months")
    bad = 0
    for key in results["base"]:
        diff = differences(results["base"][key], results["new"][key])
        cols = len(results["base"][key][0].columns)
        print(f"  {key[0]:<10} seed {key[1]:>3}: " + ("same, bit for bit "
              f"({cols} monthly columns, {len(results['base'][key][1])} summary metrics)" if not diff
              else "DIFFERS"))
        for line in diff[:20]:
            print(f"      {line}")
        bad += bool(diff)
    print("all runs the same" if not bad else f"{bad} runs differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
