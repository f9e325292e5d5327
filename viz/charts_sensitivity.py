"""What the Sensitivity page draws, read from the files analysis/ wrote: verdicts, sorted index bars with
their intervals, flip boxes in words, and the Pareto front of a robust policy search.

Every number comes from a CSV or a manifest of a result directory (`analysis/verdict.csv`,
`analysis/*_indices.csv`, `discovery/prim_*.csv`, `pareto.csv`); this module only reads, sorts,
words and lays them out (ECharts options as plain dicts). Texts are in the session's language
(`viz.i18n`), numbers by the one formatter (`i18n.num`).
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fatal_remedies.model import metrics

from . import i18n
from .charts import PALETTE
from .i18n import t

DIFF = "diff_"
"""Prefix of a paired sweep's outcome: versus minus scenario, per run (the paired-sweep contract)."""
VERSUS = "vs__"
"""Prefix of a paired sweep's outcome of the versus scenario."""


def read_csv(path: Path) -> pd.DataFrame | None:
    """A CSV that analysis/ wrote, or None when it is missing or unreadable (the page then leaves it out)."""
    try:
        return pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def read_manifest(d: Path) -> dict | None:
    try:
        man = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return man if isinstance(man, dict) else None


def scenario_names(man: dict) -> tuple[str, str | None]:
    """(scenario, versus) of a sweep's manifest; versus is None for a single-scenario sweep."""
    sc = man.get("scenario")
    name = str(sc.get("name", "")) if isinstance(sc, dict) else str(sc or "")
    versus = man.get("versus")
    return name, (str(versus) if versus else None)


# ---- outcome names ------------------------------------------------------------------------------------


def outcome_label(name: str, scenario: str = "", versus: str | None = None) -> str:
    """An outcome as a person reads it: a paired difference as "difference service − control in wrongful
    sanctions", the versus scenario's own outcome as "wrongful sanctions under service", a registry
    metric by its label."""
    name = str(name)
    if name.startswith(DIFF):
        return t("sv_difference", versus=versus or "?", scenario=scenario or "?",
                 label=i18n.name_text(name[len(DIFF):]))
    if name.startswith(VERSUS):
        return t("sv_under", label=i18n.name_text(name[len(VERSUS):]), versus=versus or "?")
    return i18n.name_text(name)


def outcome_metric(name: str) -> str:
    """The registry metric behind an outcome (`diff_X`, `vs__X` -> X)."""
    for prefix in (DIFF, VERSUS):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def outcome_unit(name: str) -> str:
    m = outcome_metric(name)
    return i18n.metric_unit(m) if m in metrics.REGISTRY else ""


# ---- the verdict --------------------------------------------------------------------------------------


def verdict_lines(df: pd.DataFrame | None) -> list[tuple[str, str]]:
    """(outcome, sentence) per row of `analysis/verdict.csv`: "service better than control on wrongful
    sanctions in 87% of the uncertainty space (95% interval 80%–92%); on average −12.3 count"."""
    if df is None or df.empty:
        return []
    out = []
    for r in df.itertuples(index=False):
        metric = str(r.metric)
        label = i18n.metric_label(metric) if metric in metrics.REGISTRY else i18n.name_text(metric)

        def pct(x):
            return i18n.num(x, percent=True, decimals=0)

        text = t("sv_verdict", versus=r.versus, scenario=r.scenario, label=label, pct=pct(r.share_better),
                 lo=pct(r.ci_low), hi=pct(r.ci_high))
        diff = getattr(r, "mean_diff", math.nan)
        if isinstance(diff, (int, float)) and math.isfinite(diff):
            unit = i18n.metric_unit(metric) if metric in metrics.REGISTRY else i18n.unit(str(r.unit))
            text += t("sv_verdict_mean", diff=("+" if diff > 0 else "") + fmt(diff), unit=unit)
        tied = getattr(r, "n_tied", 0)
        if isinstance(tied, (int, float)) and math.isfinite(tied) and tied > 0:
            text += t("sv_verdict_ties", n=i18n.num(int(tied), decimals=0))
        out.append((str(r.outcome), text))
    return out


# ---- index bars ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSpec:
    """One bar chart: the file, the column drawn, and the columns of its interval."""

    key: str
    file: str
    value: str
    conf: str | None = None
    """Column of the interval's half-width (value ± conf)."""
    lo: str | None = None
    hi: str | None = None
    """Columns of the interval's ends (PAWN: its range over the slices), when not value ± conf."""
    title: str = ""
    axis: str = "sv_axis_index"
    interval: str = "sv_interval"


INDEX_SPECS = (
    IndexSpec("morris", "morris_indices.csv", "mu_star", conf="mu_star_conf", title="sv_idx_mu_star",
              axis="sv_axis_mu"),
    IndexSpec("sobol_st", "sobol_indices.csv", "ST", conf="ST_conf", title="sv_idx_ST", axis="sv_axis_share"),
    IndexSpec("sobol_s1", "sobol_indices.csv", "S1", conf="S1_conf", title="sv_idx_S1", axis="sv_axis_share"),
    IndexSpec("pawn", "pawn_indices.csv", "median", lo="minimum", hi="maximum", title="sv_idx_pawn",
              interval="sv_range"),
    IndexSpec("delta", "delta_indices.csv", "delta", conf="delta_conf", title="sv_idx_delta"),
)


def index_tables(d: Path) -> dict[str, pd.DataFrame]:
    """File name -> table, for the index files of `INDEX_SPECS` that `d/analysis` holds."""
    out = {}
    for spec in INDEX_SPECS:
        if spec.file not in out:
            df = read_csv(d / "analysis" / spec.file)
            if df is not None and "outcome" in df and "parameter" in df:
                out[spec.file] = df
    return out


@dataclass(frozen=True)
class Bar:
    parameter: str
    value: float
    lo: float
    hi: float


def _f(x) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return math.nan
    return v


def bars(df: pd.DataFrame, spec: IndexSpec, outcome: str) -> list[Bar]:
    """The outcome's rows of one index, largest first (an index the analysis could not compute, NaN, last)."""
    if spec.value not in df:
        return []
    rows = df[df["outcome"].astype(str) == outcome]
    out = []
    for _, r in rows.iterrows():
        v = _f(r[spec.value])
        if spec.conf and spec.conf in r:
            c = _f(r[spec.conf])
            lo, hi = v - c, v + c
        elif spec.lo and spec.hi and spec.lo in r and spec.hi in r:
            lo, hi = _f(r[spec.lo]), _f(r[spec.hi])
        else:
            lo = hi = math.nan
        out.append(Bar(str(r["parameter"]), v, lo, hi))
    return sorted(out, key=lambda b: (math.isnan(b.value), -b.value if not math.isnan(b.value) else 0.0))


def fmt(x) -> str:
    """A figure of a sweep or a search in the session's format: whole and grouped from 1,000 (9,100,000 EUR,
    not 9.1e+06), else four significant digits."""
    v = _f(x)
    return i18n.num(v, decimals=0) if math.isfinite(v) and abs(v) >= 1000 else i18n.num(v, sig=4)


def _n(x: float) -> float | None:
    return round(x, 6) if math.isfinite(x) else None


def bar_chart(items: list[Bar], title: str, axis: str, interval_name: str, value_name: str) -> dict:
    """Horizontal bars, largest at the top, each with its interval drawn as a whisker.

    The whisker is an ECharts boxplot whose box has no width (its quartiles and median are the
    value): a line from the interval's low to its high end, with end caps, centred on the bar.
    Each bar's tooltip is written here, in the session's language.
    """
    labels = [i18n.name_text(b.parameter) for b in items]
    bar_data, whiskers = [], []
    for label, b in zip(labels, items):
        has_interval = math.isfinite(b.lo) and math.isfinite(b.hi) and math.isfinite(b.value)
        tip = f"<b>{html.escape(label)}</b><br>{html.escape(value_name)}: {html.escape(fmt(b.value))}"
        if has_interval:
            tip += (f"<br>{html.escape(interval_name)}: {html.escape(fmt(b.lo))} – "
                    f"{html.escape(fmt(b.hi))}")
        bar_data.append({"value": _n(b.value), "tooltip": {"formatter": tip}})
        if has_interval:
            lo, hi = min(b.lo, b.value), max(b.hi, b.value)
            whiskers.append([_n(lo), _n(b.value), _n(b.value), _n(b.value), _n(hi)])
        else:
            whiskers.append([_n(b.value)] * 5 if math.isfinite(b.value) else [])
    return {
        "animation": False,
        "title": {"text": title, "left": 8, "top": 4, "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "item"},
        "grid": {"left": 12, "right": 24, "top": 34, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "name": axis, "nameLocation": "middle", "nameGap": 26},
        "yAxis": {"type": "category", "data": labels, "inverse": True,
                  "axisLabel": {"width": 220, "overflow": "truncate"}},
        "series": [
            {"name": value_name, "type": "bar", "data": bar_data, "color": PALETTE[0], "barMaxWidth": 18},
            {"name": interval_name, "type": "boxplot", "data": whiskers, "boxWidth": [8, 8], "silent": True,
             "tooltip": {"show": False}, "itemStyle": {"color": "rgba(0,0,0,0)", "borderColor": "#222",
                                                       "borderWidth": 1.5}},
        ],
    }


def chart_height(n: int) -> int:
    return 84 + 26 * max(1, n)


def bars_table_html(items: list[Bar], value_name: str, interval_name: str) -> str:
    """The numbers of one chart, in its order, for reading and for screen readers."""
    rows = "".join(
        f"<tr><td>{html.escape(i18n.name_text(b.parameter))}</td><td>{html.escape(fmt(b.value))}</td>"
        f"<td>{html.escape(fmt(b.lo))} – {html.escape(fmt(b.hi))}</td></tr>"
        if math.isfinite(b.lo) else
        f"<tr><td>{html.escape(i18n.name_text(b.parameter))}</td><td>{html.escape(fmt(b.value))}</td>"
        "<td>–</td></tr>"
        for b in items)
    return (f"<table class='fr-table sens-table'><tr><th>{html.escape(i18n.sens_column('parameter'))}</th>"
            f"<th>{html.escape(value_name)}</th><th>{html.escape(interval_name)}</th></tr>{rows}</table>")


# ---- flip boxes ---------------------------------------------------------------------------------------

_TAG = re.compile(r"^(.+)_(gt|ge|lt|le|eq|ne)_(.+)$")


@dataclass
class FlipBox:
    outcome: str
    op: str
    rhs: str
    box: int
    coverage: float
    density: float
    limits: list[dict]


def flip_boxes(d: Path) -> list[FlipBox]:
    """The boxes `fatal-remedies discover` wrote (`discovery/prim_boxes_<tag>.csv`), with the coverage and
    density of each box's selected step (`prim_trajectory_<tag>.csv`). The condition is read back from the
    tag (`<outcome>_<op>_<value>`), as discover writes it."""
    out = []
    for path in sorted((d / "discovery").glob("prim_boxes_*.csv")):
        tag = path.stem[len("prim_boxes_"):]
        m = _TAG.match(tag)
        limits = read_csv(path)
        traj = read_csv(path.with_name(f"prim_trajectory_{tag}.csv"))
        if m is None or limits is None:
            continue
        sel = None
        if traj is not None and {"box", "selected", "coverage", "density"} <= set(traj.columns):
            sel = traj[traj["selected"].astype(str).str.lower() == "true"]
        boxes = sorted(set(limits["box"].astype(int))) if "box" in limits and len(limits) else []
        if sel is not None:
            boxes = sorted(set(boxes) | set(sel["box"].astype(int)))
        for b in boxes:
            row = sel[sel["box"].astype(int) == b] if sel is not None else None
            cov = _f(row["coverage"].iloc[0]) if row is not None and len(row) else math.nan
            den = _f(row["density"].iloc[0]) if row is not None and len(row) else math.nan
            lims = limits[limits["box"].astype(int) == b].to_dict("records") if "box" in limits else []
            out.append(FlipBox(m.group(1), m.group(2), m.group(3), b, cov, den, lims))
    return out


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0.0
    except ValueError:
        return False


def box_condition(b: FlipBox, scenario: str, versus: str | None) -> str:
    """What holds in the box, in words: for a paired difference against 0, whether versus beats the
    scenario there (by the metric's direction in the registry); otherwise the condition itself."""
    metric = outcome_metric(b.outcome)
    m = metrics.REGISTRY.get(metric)
    if b.outcome.startswith(DIFF) and versus and m is not None and _is_zero(b.rhs) and b.op in ("gt", "ge", "lt", "le"):
        if m.better in (metrics.LOWER, metrics.HIGHER):
            versus_better = (b.op in ("lt", "le")) == (m.better == metrics.LOWER)
            return t("sv_beats" if versus_better else "sv_stops", versus=versus, scenario=scenario,
                     label=i18n.metric_label(metric))
    try:
        value = i18n.num(float(b.rhs), style="general")
    except ValueError:
        value = outcome_label(b.rhs, scenario, versus)
    return t("sv_cond", label=outcome_label(b.outcome, scenario, versus), op=t(f"sv_op_{b.op}"), value=value)


def box_sentence(b: FlipBox, scenario: str, versus: str | None) -> tuple[str, str]:
    """(what happens where, how good the box is) for one box."""
    what = box_condition(b, scenario, versus)
    if not b.limits:
        return t("sv_box_none", what=what), ""
    where = t("sv_and").join(
        t("sv_between", param=_lower_first(i18n.name_text(r.get("parameter"))), lo=fmt(r.get("lo")),
          hi=fmt(r.get("hi")), unit=i18n.unit(str(r.get("unit") or "")))
        .rstrip() for r in b.limits)
    quality = t("sv_box_quality", coverage=i18n.num(b.coverage, percent=True, decimals=0),
                density=i18n.num(b.density, percent=True, decimals=0))
    return t("sv_box", what=what, where=where), quality


# ---- the Pareto front ---------------------------------------------------------------------------------


def is_optimize(man: dict | None) -> bool:
    return isinstance(man, dict) and man.get("kind") == "optimize"


def objectives(man: dict) -> list[dict]:
    return [o for o in man.get("objectives") or [] if isinstance(o, dict) and o.get("metric")]


def levers(man: dict) -> list[dict]:
    return [v for v in man.get("levers") or [] if isinstance(v, dict) and v.get("name")]


def objective_axis(o: dict) -> str:
    """An objective's axis title: label, unit and which way is better."""
    metric = str(o["metric"])
    label = i18n.metric_label(metric) if metric in metrics.REGISTRY else i18n.name_text(metric)
    unit = i18n.metric_unit(metric) if metric in metrics.REGISTRY else i18n.unit(str(o.get("unit") or ""))
    better = t("sv_lower") if o.get("sense") == "min" else t("sv_higher")
    return f"{label} ({unit}; {better})"


def lever_overrides(man: dict, row: pd.Series) -> tuple[dict, list[str]]:
    """A Pareto row's lever values as checked parameter overrides (the registry's checks, as a link's), and
    the levers refused."""
    from fatal_remedies.model.params import ParamError

    from .urlstate import check_override

    out, bad = {}, []
    for lv in levers(man):
        name = str(lv["name"])
        if name not in row:
            bad.append(name)
            continue
        value = row[name]
        if lv.get("integer") and isinstance(value, float) and math.isfinite(value):
            value = int(round(value))
        try:
            out[name] = check_override(name, value.item() if hasattr(value, "item") else value)
        except ParamError:
            bad.append(name)
    return out, bad


def lever_text(name: str, value) -> str:
    """A lever's value as a person reads it: a choice by its label, on/off in words, a number formatted
    (pareto.csv writes a choice lever by its value's name and an on/off lever as True/False)."""
    from fatal_remedies.model.params import REGISTRY, ParamError

    p = REGISTRY.get(name)
    if p is not None and p.type in ("choice", "bool"):
        try:
            return i18n.param_value(p, p.coerce(value.item() if hasattr(value, "item") else value))
        except ParamError:
            return str(value)
    return fmt(value)


def explore_query(man: dict, row: pd.Series, lang: str, scenarios: list[str]) -> str | None:
    """The query string of a link that opens Explore with the policy's scenario and lever settings (as
    `viz.urlstate` writes links); None when the scenario is not one the app knows by name."""
    from .urlstate import LIMITS, ViewState, encode

    scenario = str(row.get("scenario") or man.get("scenario") or "")
    if scenario not in scenarios:
        return None
    overrides, _ = lever_overrides(man, row)
    kw = {}
    clients = man.get("clients")
    if isinstance(clients, int) and LIMITS["clients"][0] <= clients <= LIMITS["clients"][1]:
        kw["clients"] = clients
    return encode(ViewState(lang=lang, scenario=scenario, overrides=overrides, **kw))


def pareto_chart(df: pd.DataFrame, man: dict, x: str, y: str, selected: int | None = None) -> dict:
    """The front as a scatter of two objectives; a point's value is [x, y, policy id] and its tooltip names
    the policy and its lever settings."""
    obj = {str(o["metric"]): o for o in objectives(man)}
    pts = []
    lv = levers(man)
    for i, r in df.reset_index(drop=True).iterrows():
        pid = int(r["policy"]) if "policy" in r and math.isfinite(_f(r["policy"])) else i
        tip = [f"<b>{html.escape(t('sv_policy', n=pid))}</b>"]
        for v in lv:
            name = str(v["name"])
            if name in r:
                tip.append(f"{html.escape(i18n.name_text(name))}: {html.escape(lever_text(name, r[name]))}")
        tip.append(f"{html.escape(outcome_label(x))}: {html.escape(fmt(r[x]))}")
        tip.append(f"{html.escape(outcome_label(y))}: {html.escape(fmt(r[y]))}")
        pts.append({"value": [_n(_f(r[x])), _n(_f(r[y])), pid], "tooltip": {"formatter": "<br>".join(tip)},
                    **({"itemStyle": {"color": PALETTE[1], "borderColor": "#000", "borderWidth": 2}}
                       if selected == pid else {})})
    return {
        "animation": False,
        "title": {"text": t("sv_pareto_title", n=i18n.num(len(pts), decimals=0)), "left": 8, "top": 4,
                  "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "item"},
        "grid": {"left": 44, "right": 24, "top": 40, "bottom": 46, "containLabel": True},
        "xAxis": {"type": "value", "scale": True, "boundaryGap": ["8%", "8%"], "name": objective_axis(obj[x])
                  if x in obj else x, "nameLocation": "middle", "nameGap": 28},
        "yAxis": {"type": "value", "scale": True, "boundaryGap": ["8%", "8%"], "name": objective_axis(obj[y])
                  if y in obj else y, "nameLocation": "middle", "nameGap": 52},
        "series": [{"type": "scatter", "data": pts, "symbolSize": 13, "color": PALETTE[0],
                    "emphasis": {"scale": 1.5}}],
    }


def _lower_first(label: str) -> str:
    """A parameter's label inside a sentence ("when skill at reporting is between ...")."""
    return label[:1].lower() + label[1:]
