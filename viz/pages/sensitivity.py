"""Sensitivity: show what a sweep made by `fatal-remedies sweep` / `analyze` computed.

The page lists result directories it finds itself under the known results
roots (``results/`` of the project and of the working directory, and the
directories named in ``FATAL_REMEDIES_RESULTS``, set by whoever starts the
server). A user picks one from that list; the app never opens a path a user
types. It draws the tables (CSV) and plots (PNG) that analysis/ wrote and
computes nothing of its own.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pandas as pd
import solara

from fatal_remedies.model import metrics

from .. import i18n, session
from ..i18n import t
from ..widgets import Heading, Html, Para

MAX_DEPTH = 3
MAX_ROWS = 40


def roots() -> list[Path]:
    here = Path(__file__).resolve().parents[2]
    out = [here / "results", Path.cwd() / "results"]
    for extra in os.environ.get("FATAL_REMEDIES_RESULTS", "").split(os.pathsep):
        if extra:
            out.append(Path(extra))
    seen, uniq = set(), []
    for r in out:
        r = r.resolve()
        if r not in seen:
            seen.add(r)
            uniq.append(r)
    return uniq


def known_result_dirs() -> dict[str, Path]:
    """Label -> directory, for every sweep directory (with a manifest.json) under the roots."""
    found: dict[str, Path] = {}
    for root in roots():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("manifest.json")):
            d = path.parent
            rel = d.relative_to(root)
            if len(rel.parts) > MAX_DEPTH or "parts" in rel.parts:
                continue
            found.setdefault(f"{root.name}/{rel.as_posix()}".rstrip("/."), d)
    return found


def _manifest_html(man: dict) -> str:
    keys = ("method", "samples", "N", "reps", "clients", "months", "seed", "n_points")

    def item(key, text):
        return f"<li><b>{html.escape(i18n.sens_column(key))}</b>: {html.escape(text)}</li>"

    items = [item(k, i18n.num(man[k], decimals=0) if isinstance(man[k], int) else str(man[k]))
             for k in keys if k in man]
    sc = man.get("scenario")
    if isinstance(sc, dict):
        items.append(item("scenario", str(sc.get("name", ""))))
    elif sc:
        items.append(item("scenario", str(sc)))
    factors = man.get("factors") or []
    if factors:
        fl = "; ".join(f"{i18n.name_text(f.get('name'))} [{i18n.num(f.get('lo'), style='general')}, "
                       f"{i18n.num(f.get('hi'), style='general')}]" for f in factors if isinstance(f, dict))
        items.append(item("factors", fl))
    return "<ul>" + "".join(items) + "</ul>"


NAME_COLUMNS = ("outcome", "parameter", "parameter_1", "parameter_2")
"""Columns that hold a parameter's or a metric's identifier, shown by its label."""


def _table_html(df: pd.DataFrame, cls: str = "sens-table") -> str:
    """A sweep table in words: headings and parameter/metric names by their labels, numbers in the session's format."""
    df = df.head(MAX_ROWS).copy()
    for c in NAME_COLUMNS:
        if c in df:
            df[c] = df[c].map(i18n.name_text)
    df.columns = [i18n.sens_column(c) for c in df.columns]
    return df.to_html(index=False, classes=f"fr-table {cls}", border=0,
                      float_format=lambda x: i18n.num(x, sig=4))


def _read(p: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(p)
    except (OSError, ValueError, pd.errors.ParserError):
        return None


@solara.component
def SweepView(d: Path):
    chosen, set_chosen = solara.use_state(None)
    try:
        man = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        solara.Error(f"manifest.json: {exc}")
        return
    Heading(t("sens_manifest"), 4)
    Html(_manifest_html(man), style="font-size: 13px;")
    files = [p for p in d.rglob("*") if p.is_file() and "parts" not in p.relative_to(d).parts]
    tables = {p: _read(p) for p in sorted(f for f in files if f.suffix == ".csv")}
    tables = {p: df for p, df in tables.items() if df is not None}
    plots = sorted(f for f in files if f.suffix == ".png")
    indices = {p: df for p, df in tables.items() if p.name.endswith("_indices.csv") and "outcome" in df}
    outcomes = sorted({o for df in indices.values() for o in df["outcome"].astype(str)})
    if not tables and not plots:
        Para(t("sens_not_analysed"))
        return
    if outcomes:
        default = "wrongful_sanctions_total" if "wrongful_sanctions_total" in outcomes else outcomes[0]
        outcome = chosen if chosen in outcomes else default
        by_label = {i18n.name_text(o): o for o in outcomes}
        solara.Select(t("metric"), value=i18n.name_text(outcome), values=list(by_label),
                      on_value=lambda lab: set_chosen(by_label.get(lab, outcome)), classes=["sens-outcome"])
        if outcome in metrics.REGISTRY:
            Html(html.escape(f"{i18n.metric_label(outcome)} ({i18n.metric_unit(outcome)}): "
                             f"{i18n.metric_help(outcome)}"),
                 style="font-size: 12px; color: #555; margin-bottom: 6px;")
        for p, df in indices.items():
            sub = df[df["outcome"].astype(str) == outcome]
            Html(f"<b style='font-size:13px'>{html.escape(i18n.sens_file(p.stem))}</b>" + _table_html(sub),
                 style="overflow-x: auto; margin-bottom: 12px;")
        mine = [p for p in plots if p.stem.endswith("_" + outcome) or p.stem == outcome]
    else:
        outcome = None
        mine = plots[:8]
    if mine:
        Heading(t("sens_plots"), 4)
        with solara.Row(style="flex-wrap: wrap;", gap="8px"):
            for p in mine[:8]:
                with solara.Column(gap="0px", style="width: 480px;", classes=["sens-plot"]):
                    Html(f"<span style='font-size:12px'>{html.escape(i18n.sens_file(p.stem, outcome))}</span>")
                    solara.Image(p.read_bytes(), width="100%")
    rest = {p: df for p, df in tables.items() if p not in indices}
    if rest:
        Heading(t("sens_tables"), 4)
        for p, df in rest.items():
            if outcome is not None and "outcome" in df:
                df = df[df["outcome"].astype(str) == outcome]
            Html(f"<b style='font-size:13px'>{html.escape(i18n.sens_file(p.stem))}</b>" + _table_html(df),
                 style="overflow-x: auto; margin-bottom: 12px;")


@solara.component
def Sensitivity():
    dirs = solara.use_memo(known_result_dirs, [])
    with solara.Column(style="padding: 8px 16px;", classes=["sensitivity"]):
        Heading(t("nav_sensitivity"), 2)
        Para(t("sens_intro"))
        if not dirs:
            Para(t("sens_none"))
            Html(f"<span style='font-size:12px;color:#666'>{html.escape(t('sens_where'))}: "
                 + html.escape(", ".join(str(r) for r in roots())) + "</span>")
            return
        chosen = session.sweep_dir.value if session.sweep_dir.value in dirs else next(iter(dirs))
        solara.Select(t("sens_pick"), value=chosen, values=list(dirs), on_value=session.sweep_dir.set,
                      classes=["sens-select"])
        SweepView(dirs[chosen])
