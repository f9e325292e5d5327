"""Sensitivity indices from a sweep directory, without new runs.

`analyze(out)` reads ``manifest.json``, ``design.parquet`` and the result
parts, averages the replicates of each sample point, and computes, with
SALib's ``ProblemSpec``:

* Sobol S1, ST, S2 with confidence intervals (Sobol sweeps; every point needed),
* Morris mu*, sigma (Morris sweeps; every trajectory needed),
* PAWN and delta (LHS and grid sweeps, and the A/B base points of a Sobol
  sweep); these use every point that has at least one successful run.

It also reports the share of each outcome's variance that is model noise
(replicate-to-replicate), convergence (indices at N/4, N/2, N) and indices
per simulated year for a chosen monthly metric. Tables go to
``DIR/analysis/*.csv``, plots to ``DIR/analysis/plots/*.png``.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .storage import VERSUS_PREFIX, legacy_note
from .sweep import BASE_COLUMNS, Factor, SweepError, factors_of, load_design, load_manifest, parse_over_time, read_parts

ANALYSIS_METHODS = ("sobol", "morris", "pawn", "delta")
DEFAULT_FOR = {"sobol": ["sobol"], "morris": ["morris"], "lhs": ["pawn", "delta"],
               "grid": ["pawn", "delta"]}
DIFF_PREFIX = "diff_"
"""Prefix of a paired sweep's difference outcomes (versus minus scenario)."""
ALLOWED_FOR = {"sobol": {"sobol", "pawn", "delta"}, "morris": {"morris"},
               "lhs": {"pawn", "delta"}, "grid": {"pawn", "delta"}}


# --------------------------------------------------------------------------- loading


@dataclass
class Sweep:
    """A sweep's manifest, design and run rows, with replicate means per point."""

    out: Path
    manifest: dict
    factors: list[Factor]
    design: np.ndarray
    runs: pd.DataFrame
    outcomes: list[str] = field(default_factory=list)
    yearly: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Things to tell the user when reading it (an old sweep without a fingerprint)."""

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]

    @property
    def versus(self) -> str | None:
        """The versus scenario of a paired sweep (None: a single-scenario sweep)."""
        return self.manifest.get("versus")

    @property
    def scenario(self) -> str:
        return self.manifest["scenario_name"]

    @property
    def ok(self) -> pd.DataFrame:
        return self.runs[self.runs["error"].isna()] if len(self.runs) else self.runs

    def rep_counts(self) -> np.ndarray:
        """Successful replicates per sample point."""
        n = np.zeros(self.manifest["n_points"], dtype=int)
        if len(self.ok):
            c = self.ok.groupby("sample").size()
            n[c.index.to_numpy(dtype=int)] = c.to_numpy()
        return n

    def means(self, columns: list[str]) -> pd.DataFrame:
        """Replicate mean of each column per sample point (NaN where no run succeeded)."""
        idx = pd.RangeIndex(self.manifest["n_points"], name="sample")
        if not len(self.ok):
            return pd.DataFrame(np.nan, index=idx, columns=columns)
        cols = [c for c in columns if c in self.ok.columns]
        m = self.ok.groupby("sample")[cols].mean().reindex(idx)
        for c in columns:
            if c not in m:
                m[c] = np.nan
        return m[columns]

    def missing(self) -> pd.DataFrame:
        """Runs without a successful row: status 'failed' (with error) or 'missing'."""
        reps, seeds = self.manifest["reps"], self.manifest["seeds"]
        have = self.runs.set_index("run_id") if len(self.runs) else None
        rows = []
        done_ids = set() if have is None else set(have.index)
        for rid in range(self.manifest["n_runs"]):
            s, r = divmod(rid, reps)
            if rid not in done_ids:
                rows.append((rid, s, r, seeds[r], "missing", ""))
            elif isinstance(have.at[rid, "error"], str):
                rows.append((rid, s, r, seeds[r], "failed", have.at[rid, "error"]))
        return pd.DataFrame(rows, columns=["run_id", "sample", "rep", "seed", "status", "error"])


def load_sweep(out: str | Path) -> Sweep:
    out = Path(out)
    manifest = load_manifest(out)
    factors = factors_of(manifest)
    design = load_design(out, manifest)
    runs = read_parts(out, manifest, design)  # only parts of this design
    if "error" not in runs:
        runs["error"] = None
    names = {f.name for f in factors}
    yearly_cols: dict[str, list[tuple[int, str]]] = {}
    claimed = set()
    for spec in manifest.get("over_time", []):
        col, agg = parse_over_time(spec)
        pat = re.compile(re.escape(f"{col}_{agg}_y") + r"(\d+)$")
        found = sorted((int(m.group(1)), c) for c in runs.columns if (m := pat.match(c)))
        if found:
            yearly_cols[f"{col}:{agg}"] = found
            claimed.update(c for _, c in found)
    claimed.update(VERSUS_PREFIX + c for c in list(claimed))  # the versus scenario's years
    outcomes = [c for c in runs.columns
                if c not in BASE_COLUMNS and c not in names and c not in claimed
                and pd.api.types.is_numeric_dtype(runs[c])]
    if manifest.get("versus"):
        runs, outcomes = _with_differences(runs, outcomes)
    note = legacy_note(manifest, out)
    return Sweep(out, manifest, factors, design, runs, outcomes, yearly_cols,
                 [note] if note else [])


def _with_differences(runs: pd.DataFrame, outcomes: list[str]):
    """A paired sweep's runs with ``diff_<metric>`` = versus minus scenario, per run.

    Per run, then averaged over replicates like every outcome: both runs of a pair
    share their seed, so the difference of a run is the scenarios' difference under
    the same luck, and its replicate-to-replicate spread is the noise of that
    difference (`noise.csv`). Outcomes: the scenario's, the versus scenario's
    (``vs__<metric>``), then the differences.
    """
    base = [c for c in outcomes if not c.startswith(VERSUS_PREFIX)]
    paired = [c for c in base if VERSUS_PREFIX + c in outcomes]
    diffs = pd.DataFrame({DIFF_PREFIX + c: runs[VERSUS_PREFIX + c] - runs[c] for c in paired},
                         index=runs.index)
    runs = pd.concat([runs, diffs], axis=1)
    return runs, base + [VERSUS_PREFIX + c for c in paired] + list(diffs.columns)


# --------------------------------------------------------------------------- helpers


def _problem(sw: Sweep) -> dict:
    return {"names": sw.names, "bounds": [f.problem_bounds for f in sw.factors]}


def _spec(sw: Sweep, outcome: str):
    from SALib import ProblemSpec

    return ProblemSpec({**_problem(sw), "outputs": [outcome]})


def _outcome_label(name: str) -> str:
    """Outcome name with its unit from the metric registry ("net_cost_eur_total, EUR").

    A per-year outcome (``COLUMN_AGG_yNN`` from ``--over-time``) takes the unit
    of its monthly column; a name the registry does not know is shown as is.
    """
    from fatal_remedies.model import metrics

    for prefix in (VERSUS_PREFIX, DIFF_PREFIX):  # a paired sweep's versus / difference outcome
        if name.startswith(prefix) and _outcome_label(name[len(prefix):]) != name[len(prefix):]:
            return f"{name}, {_outcome_label(name[len(prefix):]).rpartition(', ')[2]}"
    m = metrics.REGISTRY.get(name)
    if m is None:
        yearly = re.match(r"^(.*)_([a-z]+)_y\d+$", name)
        m = metrics.REGISTRY.get(yearly.group(1)) if yearly else None
    return f"{name}, {m.unit}" if m is not None else name


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def _incomplete_message(sw: Sweep, method: str, counts: np.ndarray) -> str:
    bad = np.flatnonzero(counts < sw.manifest["reps"])
    first = ", ".join(str(i) for i in bad[:8]) + (", ..." if len(bad) > 8 else "")
    return (f"refusing {method} indices: {len(bad)} of {len(counts)} sample points lack some of "
            f"their {sw.manifest['reps']} replicates (failed or not yet run; samples {first}; see "
            f"analysis/missing.csv); finish the sweep with `fatal-remedies sweep --out "
            f"{sw.out} --resume` or use --method pawn/delta, which use the points present")


# --------------------------------------------------------------------------- index methods


def sobol_indices(sw: Sweep, y: np.ndarray, n: int | None = None, *, num_resamples=100,
                  conf_level=0.95, seed=1) -> dict:
    """Sobol indices of the first n base samples (prefix of the Saltelli design)."""
    d = len(sw.factors)
    n = n or sw.manifest["samples"]
    rows = n * (2 * d + 2)
    sp = _spec(sw, "y")
    sp.set_samples(sw.design[:rows])
    sp.set_results(np.asarray(y[:rows], dtype=float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sp.analyze_sobol(calc_second_order=True, num_resamples=num_resamples,
                         conf_level=conf_level, seed=seed)
    return dict(sp.analysis)


def morris_indices(sw: Sweep, y: np.ndarray, n: int | None = None, *, num_resamples=100,
                   conf_level=0.95, seed=1) -> dict:
    d = len(sw.factors)
    n = n or sw.manifest["samples"]
    rows = n * (d + 1)
    sp = _spec(sw, "y")
    sp.set_samples(sw.design[:rows])
    sp.set_results(np.asarray(y[:rows], dtype=float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sp.analyze_morris(num_levels=sw.manifest.get("num_levels") or 4,
                          num_resamples=num_resamples, conf_level=conf_level, seed=seed)
    return dict(sp.analysis)


def mc_rows(sw: Sweep) -> np.ndarray:
    """Rows usable as a Monte-Carlo sample for PAWN/delta (all, or Sobol's A and B rows)."""
    p = sw.manifest["n_points"]
    if sw.manifest["method"] == "sobol":
        step = 2 * len(sw.factors) + 2
        base = np.arange(0, p, step)
        return np.sort(np.concatenate([base, base + step - 1]))
    return np.arange(p)


def pawn_indices(sw: Sweep, x: np.ndarray, y: np.ndarray, *, seed=1) -> dict:
    sp = _spec(sw, "y")
    sp.set_samples(x)
    sp.set_results(np.asarray(y, dtype=float))
    slices = int(min(10, max(2, len(y) // 10)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sp.analyze_pawn(S=slices, seed=seed)
    return dict(sp.analysis)


def delta_indices(sw: Sweep, x: np.ndarray, y: np.ndarray, *, num_resamples=100,
                  conf_level=0.95, seed=1) -> dict:
    sp = _spec(sw, "y")
    sp.set_samples(x)
    sp.set_results(np.asarray(y, dtype=float))
    # SALib's delta turns warnings on again ("once") and emits bin-merging notices, one per
    # parameter and outcome, which would bury analyze's own output: record, do not show them
    with warnings.catch_warnings(record=True), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        sp.analyze_delta(num_resamples=num_resamples, conf_level=conf_level, seed=seed)
    return dict(sp.analysis)


def noise_table(sw: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """How much of each outcome's run-to-run variance is model noise.

    noise_share: pooled within-point (replicate) variance / variance of all
    runs. noise_share_of_means: the noise left in replicate means
    (within / R) / variance of the means. NaN with fewer than 2 replicates.
    """
    reps = sw.manifest["reps"]
    rows = []
    ok = sw.ok
    for o in outcomes:
        if reps < 2 or o not in ok:
            rows.append((o, np.nan, np.nan, np.nan, np.nan, reps))
            continue
        v = ok[["sample", o]].dropna()
        total = float(v[o].var(ddof=1)) if len(v) > 1 else np.nan
        g = v.groupby("sample")[o]
        within = g.var(ddof=1).dropna()
        noise = float(within.mean()) if len(within) else np.nan
        means = g.mean()
        var_means = float(means.var(ddof=1)) if len(means) > 1 else np.nan
        share = noise / total if total and total > 0 else np.nan
        share_m = (noise / reps) / var_means if var_means and var_means > 0 else np.nan
        rows.append((o, total, noise, min(share, 1.0) if share == share else share,
                     min(share_m, 1.0) if share_m == share_m else share_m, reps))
    return pd.DataFrame(rows, columns=["outcome", "total_variance", "noise_variance",
                                       "noise_share", "noise_share_of_means", "reps"])


def default_outcomes(sw: Sweep) -> list[str]:
    """What `analyze` covers without --outcome.

    A single-scenario sweep: every outcome (the 46 summary metrics). A paired sweep has
    three times as many (scenario, ``vs__``, ``diff_``, 138 in all); measured on a
    128-point LHS paired sweep of the model, the default PAWN and delta with plots took
    399 CPU-seconds for two outcomes (with the yearly indices), so all 138 would take
    hours. Its default is therefore the differences of the metrics
    that have a verdict (a better direction: 28 of 46), the question a paired sweep is
    for; any other outcome, a scenario's own or ``vs__<metric>``, by --outcome.
    """
    if not sw.versus:
        return list(sw.outcomes)
    from fatal_remedies.model import metrics as M

    return [o for o in sw.outcomes if o.startswith(DIFF_PREFIX)
            and getattr(M.REGISTRY.get(o[len(DIFF_PREFIX):]), "better", None)
            in (M.HIGHER, M.LOWER)]


def independent_rows(sw: Sweep) -> np.ndarray:
    """Sample points none of whose coordinates another counted point reuses.

    A share of the uncertainty space and its binomial interval assume points drawn
    independently. Saltelli's design builds each AB_i / BA_i row from the A and B
    rows' coordinates, and a Morris trajectory moves one coordinate at a time from
    its first point; counting those rows would count the same draws again and
    shrink the interval without new information. So: Sobol, the A and B rows;
    Morris, the first point of each trajectory; LHS and grid, every point.
    """
    p = sw.manifest["n_points"]
    if sw.manifest["method"] == "sobol":
        return mc_rows(sw)
    if sw.manifest["method"] == "morris":
        return np.arange(0, p, len(sw.factors) + 1)
    return np.arange(p)


VERDICT_COLUMNS = ["outcome", "metric", "better", "scenario", "versus", "n_points", "n_tied",
                   "share_better", "ci_low", "ci_high", "mean_diff", "unit"]


def verdict_table(sw: Sweep, level: float = 0.95) -> pd.DataFrame:
    """Where the versus scenario beats the scenario: one row per ``diff_<metric>``.

    At each independent sample point (`independent_rows`) the replicate mean of the
    paired difference counts as *better* when it points the registry's ``better``
    way (below 0 for "lower", above 0 for "higher"); a tie (difference exactly 0)
    counts as not better, and ``n_tied`` says how many there were. The share's
    interval is Wilson's score interval for a binomial proportion
    (``scipy.stats.binomtest(...).proportion_ci(method="wilson")``), which stays
    inside 0-1 and keeps its coverage near 0 and 1 where the plain one does not.
    Metrics without a better direction (none, closer to 1) get no row.

    Returns:
        A table with `VERDICT_COLUMNS`, one row per outcome with a better direction.
    """
    from scipy.stats import binomtest

    from fatal_remedies.model import metrics as M

    rows = []
    idx = independent_rows(sw)
    diffs = [o for o in sw.outcomes if o.startswith(DIFF_PREFIX)]
    means = sw.means(diffs)
    for o in diffs:
        metric = o[len(DIFF_PREFIX):]
        m = M.REGISTRY.get(metric)
        if m is None or m.better not in (M.HIGHER, M.LOWER):
            continue
        d = means[o].to_numpy(dtype=float)[idx]
        d = d[~np.isnan(d)]
        if not len(d):
            continue
        better = d < 0 if m.better == M.LOWER else d > 0
        k, n = int(better.sum()), len(d)
        ci = binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
        rows.append((o, metric, m.better, sw.scenario, sw.versus, n, int((d == 0).sum()), k / n,
                     float(ci.low), float(ci.high), float(d.mean()), m.unit))
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def verdict_lines(t: pd.DataFrame) -> list[str]:
    """One sentence per outcome, e.g. "service better than control on wrongful sanctions in
    87% of the uncertainty space (95% CI 80–92%)"."""
    from fatal_remedies.model import metrics as M

    lines = []
    for r in t.itertuples():
        tie = int(r.n_tied)
        tie_txt = (f"; {tie} tied point{'s' if tie != 1 else ''} (no difference) counted as not "
                   "better" if tie else "")
        lines.append(f"{r.versus} better than {r.scenario} on {M.get(r.metric).label()} in "
                     f"{r.share_better:.0%} of the uncertainty space (95% CI "
                     f"{100 * r.ci_low:.0f}–{100 * r.ci_high:.0f}%; {r.better} is better; "
                     f"{r.n_points} independent points; mean difference {r.mean_diff:.4g} "
                     f"{r.unit}{tie_txt})")
    return lines


# --------------------------------------------------------------------------- driver


@dataclass
class Report:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    summary_lines: list[str] = field(default_factory=list)


def analyze(out: str | Path, methods: list[str] | None = None, outcomes: list[str] | None = None,
            over_time: list[str] | None = None, *, plots: bool = True, num_resamples: int = 100,
            conf_level: float = 0.95, seed: int = 1) -> Report:
    """Compute indices for a sweep directory and write tables and plots into DIR/analysis.

    Raises:
        SweepError: unknown method/outcome, a method that does not fit the
            sweep's design, or Sobol/Morris with missing points.
    """
    sw = load_sweep(out)
    kind = sw.manifest["method"]
    methods = list(methods) if methods else list(DEFAULT_FOR[kind])
    for m in methods:
        if m not in ANALYSIS_METHODS:
            raise SweepError(f"unknown analysis method '{m}': use one of "
                             f"{', '.join(ANALYSIS_METHODS)}")
        if m not in ALLOWED_FOR[kind]:
            raise SweepError(f"--method {m} does not fit a {kind} sweep: use one of "
                             f"{', '.join(sorted(ALLOWED_FOR[kind]))}")
    if not sw.outcomes:
        raise SweepError(f"'{sw.out}' has no successful runs yet: nothing to analyse")
    if outcomes:
        for o in outcomes:
            if o not in sw.outcomes:
                raise SweepError(f"unknown outcome '{o}': the sweep has "
                                 f"{', '.join(sw.outcomes)}")
    else:
        outcomes = default_outcomes(sw)
    over = []
    for spec in (over_time if over_time is not None else list(sw.yearly)[:1]):
        col, agg = parse_over_time(spec)
        key = f"{col}:{agg}"
        if key not in sw.yearly:
            raise SweepError(f"--over-time {spec}: the sweep has no yearly values of it (it has "
                             f"{', '.join(sw.yearly) or 'none'}; choose them with `sweep "
                             "--over-time`)")
        over.append(key)

    adir = sw.out / "analysis"
    (adir / "plots").mkdir(parents=True, exist_ok=True)
    rep = Report(notes=list(sw.notes))
    counts = sw.rep_counts()
    miss = sw.missing()
    miss.to_csv(adir / "missing.csv", index=False)
    rep.files.append(adir / "missing.csv")
    n_pts = len(counts)
    if len(miss):
        nf = int((miss["status"] == "failed").sum())
        rep.notes.append(
            f"{len(miss)} of {sw.manifest['n_runs']} runs have no result ({nf} failed, "
            f"{len(miss) - nf} not run yet); {int((counts == 0).sum())} of {n_pts} sample points "
            "have no successful run (listed in analysis/missing.csv)")
    means = sw.means(outcomes)
    noise = noise_table(sw, outcomes)
    _write(rep, adir / "noise.csv", noise, "noise")

    complete = counts == sw.manifest["reps"]
    N = sw.manifest["samples"]
    fractions = [n for n in (N // 4, N // 2, N) if n >= 2]
    common = dict(num_resamples=num_resamples, conf_level=conf_level, seed=seed)

    for m in methods:
        if m in ("sobol", "morris") and not complete.all():
            raise SweepError(_incomplete_message(sw, m.capitalize(), counts))
        if m == "sobol":
            _do_sobol(sw, rep, adir, means, outcomes, fractions, common, plots)
        elif m == "morris":
            _do_morris(sw, rep, adir, means, outcomes, fractions, common, plots)
        else:
            _do_mc(sw, rep, adir, m, means, outcomes, common, plots)

    for key in over:
        _do_over_time(sw, rep, adir, key, methods[0], counts, common, plots)
    rep.summary_lines.extend(_noise_lines(noise))
    if sw.versus:
        verdict = verdict_table(sw, conf_level)
        _write(rep, adir / "verdict.csv", verdict, "verdict")
        rep.summary_lines.extend(verdict_lines(verdict))
    return rep


def _write(rep: Report, path: Path, df: pd.DataFrame, name: str):
    df.to_csv(path, index=False)
    rep.tables[name] = df
    rep.files.append(path)


def _usable(sw: Sweep, rep: Report, y: np.ndarray, outcome: str, method: str) -> bool:
    if np.isnan(y).any():
        rep.notes.append(f"{method}: skipped '{outcome}': it is undefined (NaN) at "
                         f"{int(np.isnan(y).sum())} sample points")
        return False
    if np.nanvar(y) == 0:
        rep.notes.append(f"{method}: skipped '{outcome}': it does not vary across the sweep")
        return False
    return True


def _do_sobol(sw, rep, adir, means, outcomes, fractions, common, plots):
    names = sw.names
    rows, s2rows, conv = [], [], []
    N = sw.manifest["samples"]
    for o in outcomes:
        y = means[o].to_numpy(dtype=float)
        if not _usable(sw, rep, y, o, "sobol"):
            continue
        for n in fractions:
            si = sobol_indices(sw, y, n, **common)
            for j, p in enumerate(names):
                conv.append((o, n, p, si["S1"][j], si["S1_conf"][j], si["ST"][j],
                             si["ST_conf"][j]))
            if n == N:
                for j, p in enumerate(names):
                    rows.append((o, p, si["S1"][j], si["S1_conf"][j], si["ST"][j],
                                 si["ST_conf"][j]))
                for a in range(len(names)):
                    for b in range(a + 1, len(names)):
                        s2rows.append((o, names[a], names[b], si["S2"][a, b],
                                       si["S2_conf"][a, b]))
    t = pd.DataFrame(rows, columns=["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
    _write(rep, adir / "sobol_indices.csv", t, "sobol")
    _write(rep, adir / "sobol_s2.csv",
           pd.DataFrame(s2rows, columns=["outcome", "parameter_1", "parameter_2", "S2",
                                         "S2_conf"]), "sobol_s2")
    c = pd.DataFrame(conv, columns=["outcome", "N", "parameter", "S1", "S1_conf", "ST",
                                    "ST_conf"])
    _write(rep, adir / "sobol_convergence.csv", c, "sobol_convergence")
    rep.summary_lines.extend(_rank_lines(t, "ST", "ST_conf", "Sobol total index ST"))
    if plots:
        from . import plots as PL

        for o, g in t.groupby("outcome", sort=False):
            rep.files.append(PL.index_bars(
                g, ["S1", "ST"], adir / "plots" / f"sobol_{_safe(o)}.png",
                title=f"Sobol indices of {o} (N={N}, R={sw.manifest['reps']})",
                ylabel="Sobol index (share of output variance, dimensionless)"))
        for o, g in c.groupby("outcome", sort=False):
            rep.files.append(PL.convergence(
                g, "ST", adir / "plots" / f"sobol_convergence_{_safe(o)}.png",
                title=f"Convergence of ST for {o}",
                ylabel="Sobol total index ST (dimensionless)"))


def _do_morris(sw, rep, adir, means, outcomes, fractions, common, plots):
    names = sw.names
    rows, conv = [], []
    N = sw.manifest["samples"]
    for o in outcomes:
        y = means[o].to_numpy(dtype=float)
        if not _usable(sw, rep, y, o, "morris"):
            continue
        for n in fractions:
            si = morris_indices(sw, y, n, **common)
            for j, p in enumerate(names):
                r = (o, p, si["mu"][j], si["mu_star"][j], si["mu_star_conf"][j], si["sigma"][j])
                conv.append((o, n) + r[1:])
                if n == N:
                    rows.append(r)
    t = pd.DataFrame(rows, columns=["outcome", "parameter", "mu", "mu_star", "mu_star_conf",
                                    "sigma"])
    _write(rep, adir / "morris_indices.csv", t, "morris")
    c = pd.DataFrame(conv, columns=["outcome", "N", "parameter", "mu", "mu_star",
                                    "mu_star_conf", "sigma"])
    _write(rep, adir / "morris_convergence.csv", c, "morris_convergence")
    rep.summary_lines.extend(_rank_lines(t, "mu_star", "mu_star_conf", "Morris mu*"))
    if plots:
        from . import plots as PL

        for o, g in t.groupby("outcome", sort=False):
            label = _outcome_label(o)
            rep.files.append(PL.morris(g, adir / "plots" / f"morris_{_safe(o)}.png",
                                       title=f"Morris screening of {o} (r={N} trajectories)",
                                       unit=label))
        for o, g in c.groupby("outcome", sort=False):
            rep.files.append(PL.convergence(
                g.rename(columns={"mu_star_conf": "mu_star_conf"}), "mu_star",
                adir / "plots" / f"morris_convergence_{_safe(o)}.png",
                title=f"Convergence of mu* for {o}", ylabel=f"mu* ({_outcome_label(o)})"))


def _do_mc(sw, rep, adir, m, means, outcomes, common, plots):
    names = sw.names
    rows = mc_rows(sw)
    x_all = sw.design[rows]
    rows_out, conv = [], []
    for o in outcomes:
        y_all = means[o].to_numpy(dtype=float)[rows]
        keep = ~np.isnan(y_all)
        x, y = x_all[keep], y_all[keep]
        if len(y) < 20:
            rep.notes.append(f"{m}: skipped '{o}': only {len(y)} usable sample points (need 20)")
            continue
        if np.var(y) == 0:
            rep.notes.append(f"{m}: skipped '{o}': it does not vary across the sweep")
            continue
        try:
            if m == "pawn":
                si = pawn_indices(sw, x, y, seed=common["seed"])
                for j, p in enumerate(names):
                    rows_out.append((o, p, si["minimum"][j], si["mean"][j], si["median"][j],
                                     si["maximum"][j], si["CV"][j], len(y)))
            else:
                sizes = [len(y)] if sw.manifest["method"] == "grid" else sorted(
                    {max(20, len(y) // 4), max(20, len(y) // 2), len(y)})
                for n in sizes:
                    # SALib's delta bootstraps three variants: keep the smaller prefixes
                    # (convergence only) cheaper than the full sample
                    kw = dict(common) if n == len(y) else dict(
                        common, num_resamples=min(common["num_resamples"], 30))
                    si = delta_indices(sw, x[:n], y[:n], **kw)
                    for j, p in enumerate(names):
                        r = (o, p, si["delta_raw"][j], si["delta_raw_conf"][j],
                             si["delta_balanced"][j], si["S1"][j], si["S1_conf"][j], n)
                        conv.append(r)
                        if n == len(y):
                            rows_out.append(r)
        except Exception as exc:  # noqa: BLE001 - SALib refuses e.g. too few points
            rep.notes.append(f"{m}: skipped '{o}': {type(exc).__name__}: {exc}")
    if m == "pawn":
        t = pd.DataFrame(rows_out, columns=["outcome", "parameter", "minimum", "mean", "median",
                                            "maximum", "CV", "points"])
        _write(rep, adir / "pawn_indices.csv", t, "pawn")
        rep.summary_lines.extend(_rank_lines(t, "median", None, "PAWN index (median KS)"))
        key, conf, ylabel = "median", None, "PAWN index (median KS distance, 0-1)"
    else:
        cols = ["outcome", "parameter", "delta", "delta_conf", "delta_balanced", "S1", "S1_conf",
                "points"]
        t = pd.DataFrame(rows_out, columns=cols)
        _write(rep, adir / "delta_indices.csv", t, "delta")
        _write(rep, adir / "delta_convergence.csv",
               pd.DataFrame(conv, columns=cols).rename(columns={"points": "N"}),
               "delta_convergence")
        rep.summary_lines.extend(_rank_lines(t, "delta", "delta_conf", "delta index"))
        key, conf, ylabel = "delta", "delta_conf", "delta index (moment-independent, 0-1)"
    if plots and len(t):
        from . import plots as PL

        for o, g in t.groupby("outcome", sort=False):
            rep.files.append(PL.index_bars(
                g, [key], adir / "plots" / f"{m}_{_safe(o)}.png",
                title=f"{m.upper() if m == 'pawn' else 'Delta'} indices of {o} "
                      f"({int(g['points'].iloc[0])} points)", ylabel=ylabel,
                conf={key: conf} if conf else {key: None}))
        if m == "delta" and sw.manifest["method"] != "grid":
            c = rep.tables["delta_convergence"]
            for o, g in c.groupby("outcome", sort=False):
                rep.files.append(PL.convergence(
                    g, "delta", adir / "plots" / f"delta_convergence_{_safe(o)}.png",
                    title=f"Convergence of delta for {o}", ylabel=ylabel))


def _do_over_time(sw, rep, adir, key, method, counts, common, plots):
    col, agg = parse_over_time(key)
    years = sw.yearly[key]
    cols = [c for _, c in years]
    means = sw.means(cols)
    rows = []
    for year, c in years:
        y = means[c].to_numpy(dtype=float)
        try:
            if method == "sobol":
                if np.isnan(y).any() or np.nanvar(y) == 0:
                    continue
                si = sobol_indices(sw, y, **common)
                vals = [(si["ST"][j], si["ST_conf"][j], si["S1"][j], si["S1_conf"][j])
                        for j in range(len(sw.names))]
                idx_name = "ST"
            elif method == "morris":
                if np.isnan(y).any() or np.nanvar(y) == 0:
                    continue
                si = morris_indices(sw, y, **common)
                vals = [(si["mu_star"][j], si["mu_star_conf"][j], np.nan, np.nan)
                        for j in range(len(sw.names))]
                idx_name = "mu_star"
            else:
                r = mc_rows(sw)
                yy, xx = y[r], sw.design[r]
                keep = ~np.isnan(yy)
                if keep.sum() < 20 or np.var(yy[keep]) == 0:
                    continue
                si = delta_indices(sw, xx[keep], yy[keep], **common)
                vals = [(si["delta_raw"][j], si["delta_raw_conf"][j], si["S1"][j], si["S1_conf"][j])
                        for j in range(len(sw.names))]
                idx_name = "delta"
        except Exception as exc:  # noqa: BLE001
            rep.notes.append(f"over time {key}, year {year}: {type(exc).__name__}: {exc}")
            continue
        for j, p in enumerate(sw.names):
            rows.append((year, p, idx_name) + tuple(float(v) for v in vals[j]))
    t = pd.DataFrame(rows, columns=["year", "parameter", "index", "value", "conf", "S1",
                                    "S1_conf"])
    name = f"over_time_{_safe(col)}_{agg}"
    _write(rep, adir / f"{name}.csv", t, name)
    if not len(t):
        rep.notes.append(f"over time {key}: no year could be analysed (constant or missing)")
    elif plots:
        from . import plots as PL

        label = {"ST": "Sobol total index ST (dimensionless)",
                 "mu_star": f"Morris mu* ({col}, {agg} per year)",
                 "delta": "delta index (0-1)"}[t["index"].iloc[0]]
        rep.files.append(PL.over_time(t, adir / "plots" / f"{name}.png",
                                      title=f"Sensitivity of yearly {col} ({agg}) over time",
                                      ylabel=label))


def _rank_lines(t: pd.DataFrame, key: str, conf: str | None, label: str, top: int = 5):
    lines = []
    for o, g in t.groupby("outcome", sort=False):
        g = g.sort_values(key, ascending=False).head(top)
        parts = []
        for _, r in g.iterrows():
            c = f" ±{r[conf]:.2f}" if conf and not math.isnan(r[conf]) else ""
            parts.append(f"{r['parameter']} {r[key]:.3g}{c}")
        lines.append(f"{o}: {label}: " + ", ".join(parts))
    return lines


def _noise_lines(noise: pd.DataFrame) -> list[str]:
    n = noise.dropna(subset=["noise_share"])
    if not len(n):
        return ["model noise: not estimated (needs --reps 2 or more); with one replicate a run's noise "
                "shows as an effect of every parameter (e.g. Sobol ST near 1 for several at once): "
                "read S1 there, or run again with --reps 2"]
    worst = n.sort_values("noise_share", ascending=False).head(3)
    parts = [f"{r.outcome} {r.noise_share:.0%} of run variance, "
             f"{r.noise_share_of_means:.0%} of replicate-mean variance"
             for r in worst.itertuples()]
    return ["model noise (largest shares): " + "; ".join(parts) + " (all in analysis/noise.csv)"]
