"""PNG plots for sweep analyses (matplotlib, Agg backend, labelled axes with units)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def index_bars(t: pd.DataFrame, keys: list[str], path: Path, *, title: str, ylabel: str,
               conf: dict[str, str | None] | None = None) -> Path:
    """Grouped bars of one or more indices per parameter, with confidence intervals."""
    t = t.sort_values(keys[-1], ascending=False)
    x = np.arange(len(t))
    width = 0.8 / len(keys)
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(t) + 2), 4.5))
    for i, k in enumerate(keys):
        ck = (conf or {}).get(k, f"{k}_conf")
        err = t[ck].to_numpy() if ck and ck in t else None
        ax.bar(x + (i - (len(keys) - 1) / 2) * width, t[k].to_numpy(), width, yerr=err,
               capsize=3, label=k)
    ax.set_xticks(x, t["parameter"], rotation=60, ha="right", fontsize=8)
    ax.set_xlabel("parameter")
    ax.set_ylabel(ylabel)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_title(title, fontsize=10)
    if len(keys) > 1:
        ax.legend()
    return _save(fig, path)


def morris(t: pd.DataFrame, path: Path, *, title: str, unit: str) -> Path:
    """Morris mu* against sigma, one labelled point per parameter."""
    fig, ax = plt.subplots(figsize=(6.5, 5))
    ax.errorbar(t["mu_star"], t["sigma"], xerr=t["mu_star_conf"], fmt="o", capsize=3)
    for _, r in t.iterrows():
        ax.annotate(r["parameter"], (r["mu_star"], r["sigma"]), fontsize=7,
                    xytext=(3, 3), textcoords="offset points")
    lim = max(float(t["mu_star"].max()), float(t["sigma"].max()), 1e-12) * 1.05
    ax.plot([0, lim], [0, lim], linestyle=":", color="grey", label="sigma = mu*")
    ax.set_xlabel(f"mu*: mean |elementary effect| ({unit} per full-range step)")
    ax.set_ylabel(f"sigma: sd of elementary effects ({unit} per full-range step)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, path)


def convergence(t: pd.DataFrame, key: str, path: Path, *, title: str, ylabel: str,
                top: int = 8) -> Path:
    """Index against sample size N for the most influential parameters."""
    n_max = t["N"].max()
    order = (t[t["N"] == n_max].sort_values(key, ascending=False)["parameter"].head(top))
    conf = f"{key}_conf"
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    for p in order:
        g = t[t["parameter"] == p].sort_values("N")
        ax.errorbar(g["N"], g[key], yerr=g[conf] if conf in g else None, marker="o",
                    capsize=3, label=p)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("base sample size N (runs = N x design factor; log scale)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _save(fig, path)


def over_time(t: pd.DataFrame, path: Path, *, title: str, ylabel: str, top: int = 8) -> Path:
    """Index per simulated year for the most influential parameters."""
    avg = t.groupby("parameter")["value"].mean().sort_values(ascending=False)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for p in avg.index[:top]:
        g = t[t["parameter"] == p].sort_values("year")
        ax.plot(g["year"], g["value"], marker="o", label=p)
        if g["conf"].notna().any():
            ax.fill_between(g["year"], g["value"] - g["conf"], g["value"] + g["conf"], alpha=0.15)
    ax.set_xlabel("simulated year")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _save(fig, path)


def prim_tradeoff(traj: pd.DataFrame, selected: int, path: Path, *, title: str) -> Path:
    """PRIM peeling trajectory: coverage against density, coloured by restricted dimensions."""
    fig, ax = plt.subplots(figsize=(6.5, 5))
    sc = ax.scatter(traj["coverage"], traj["density"], c=traj["res_dim"], cmap="viridis", s=25)
    ax.scatter([traj["coverage"].iloc[selected]], [traj["density"].iloc[selected]], s=160,
               facecolors="none", edgecolors="red", linewidths=1.5, label="selected box")
    fig.colorbar(sc, ax=ax, label="restricted dimensions (count)",
                 ticks=range(int(traj["res_dim"].max()) + 1))
    ax.set_xlabel("coverage (share of all cases of interest inside the box, 0-1)")
    ax.set_ylabel("density (share of points in the box that are of interest, 0-1)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, path)
