"""Compare: two to four scenarios run with the same seeds and replications.

Runs go through `analysis.compare.run_replications` (common random numbers);
every number and band comes from `analysis.summary`. This page only lays
them out.
"""

from __future__ import annotations

import dataclasses
import html
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import solara
import solara.lab

from fatal_remedies.model.errors import UserError
from fatal_remedies.model.metrics import HIGHER

from .. import backend, charts, i18n, session
from ..backend import CUM, compute  # noqa: F401 - compute: the report's and the tests' door
from ..i18n import t
from ..urlstate import LIMITS, MAX_COMPARE, check_int
from ..widgets import FigureEcharts, Heading, Html, Para, Progress

MAX_UPLOAD = 64_000
MAIN_CHARTS = ("cum_wrongful_sanctions", "cum_fraud_detected", "mean_trust", "non_take_up")
TABLE_METRICS = ("false_fraud_flags_total", "wrongful_sanctions_total", "fraud_detected_total",
                 "wrongful_per_fraud_found", "reintegrated_total", "final_mean_trust", "final_trust_carer",
                 "final_non_take_up", "flag_ratio_language", "flag_ratio_single_parent", "flag_ratio_carer",
                 "admin_cost_eur_total", "net_cost_eur_total")


def metric_label(key: str) -> str:
    """Label of a registry metric, or of a cumulative monthly column ("cum_" + name)."""
    if key.startswith(CUM):
        return i18n.cumulative_label(key[len(CUM):])
    return i18n.metric_label(key)


def metric_unit(key: str) -> str:
    """Unit of a registry metric or of a cumulative monthly column, in the session's language."""
    return i18n.metric_unit(key[len(CUM):] if key.startswith(CUM) else key)


def explore_scenario():
    """The Explore page's scenario with its changes, as a Scenario of its own name."""
    v = session.view.value
    sc = backend.resolve(v.scenario, v.overrides)
    if v.overrides:
        sc = dataclasses.replace(sc, name=f"{v.scenario}+{len(v.overrides)}")
    return sc


def norms_table_html(res: dict) -> str:
    nt = res.get("norms")
    if nt is None or nt.empty:
        return ""
    names = res["names"]
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    rows = []
    first = nt[nt.scenario == names[0]]
    for _, r in first.iterrows():
        arrow = "↑" if r["better"] == HIGHER else "↓"
        key = r["key"]
        cells = []
        for n in names:
            x = nt[(nt.scenario == n) & (nt.indicator == r["indicator"]) & (nt.norm == r["norm"])].iloc[0]
            cells.append(_cell(x["mean"], x["ci_low"], x["ci_high"]))
        rows.append(f"<tr><td title='{html.escape(i18n.metric_help(key), quote=True)}'><b>{html.escape(r['norm'])}</b> "
                    f"{html.escape(i18n.metric_label(key))} {arrow}</td>{''.join(cells)}</tr>")
    return (f"<table class='fr-table norms-table'><tr><th>{html.escape(t('norm'))}</th>{head}</tr>"
            + "".join(rows) + "</table>")


@solara.lab.task(prefer_threaded=True)
def run_comparison(settings: tuple) -> dict:
    """Run in a worker process of its own (`backend.ComparisonJob`), not in the server: the server's
    threads share one interpreter lock, so a comparison run here would stall every other session.
    This thread only waits; the job ends when the session closes (`session.release`)."""
    scenarios, reps, clients, months, seed = settings
    total = len(scenarios) * reps

    def tick(done: int):
        run_comparison.progress = 100.0 * done / total

    run_comparison.progress = 0.0
    job = backend.ComparisonJob()
    old = session.compare_job.value
    if old is not None:
        old.cancel()  # a comparison nobody waits for any more
    session.compare_job.set(job)
    try:
        return job.run((list(scenarios), reps, clients, months, seed), on_progress=tick)
    except backend.JobCancelled:
        raise solara.util.CancelledError() from None


def current_comparison():
    r = run_comparison.value
    return r if isinstance(r, dict) else None


def chosen_scenarios(names: tuple[str, ...]) -> list:
    out = []
    for n in names:
        if n == "explore":
            out.append(explore_scenario())
        elif n == "uploaded" and session.uploaded.value is not None:
            out.append(session.uploaded.value)
        else:
            out.append(backend.resolve(n))
    return out


SIZE_FIELDS = ("reps", "clients", "months", "seed")


def invalid_fields() -> list[str]:
    """Run-size fields whose value on screen failed its check (the view still holds the last valid one)."""
    errs = session.param_errors.value
    return [k for k in SIZE_FIELDS if errs.get(f"cmp_{k}")]


def start(names: tuple[str, ...] | None = None):
    """Run the comparison, unless a field on screen holds a value that was refused:
    running with the last valid one instead would show results for settings nobody sees."""
    if invalid_fields():
        return
    v = session.view.value
    names = names or v.compare
    scs = chosen_scenarios(names)
    run_comparison((tuple(scs), v.reps, v.clients, v.months, v.seed))


def on_upload(info):
    data = info.get("data") or b""
    if len(data) > MAX_UPLOAD:
        session.param_errors.set({**session.param_errors.value, "_upload": t("cmp_too_large", n=i18n.num(MAX_UPLOAD, decimals=0))})
        return
    name = Path(str(info.get("name", "uploaded.toml"))).name
    if not name.endswith(".toml"):
        name += ".toml"
    try:
        with tempfile.TemporaryDirectory(prefix="fr-upload-") as d:
            path = Path(d) / name
            path.write_bytes(data)
            # extends/use may name only built-in scenarios: an upload reads no file of the server
            sc = backend.load_scenario(str(path), builtin_refs_only=True)
    except UserError as exc:
        session.param_errors.set({**session.param_errors.value, "_upload": str(exc).replace(str(path), name)})
        return
    sc = dataclasses.replace(sc, name=f"{sc.name} (upload)", source=name)
    errs = dict(session.param_errors.value)
    errs.pop("_upload", None)
    session.param_errors.set(errs)
    session.uploaded.set(sc)
    v = session.view.value
    if "uploaded" not in v.compare and len(v.compare) < MAX_COMPARE:
        session.view.set(v.with_(compare=v.compare + ("uploaded",)))


MONTHS_AFTER_CHANGE = 60
"""Months a comparison should run past a scenario's last timed change, suggested when it is not reached."""


def unreached_changes(names, months: int) -> list[tuple[str, int]]:
    """(scenario, month) of each chosen scenario's timed change that a run of `months` never reaches."""
    out = []
    for sc in chosen_scenarios(tuple(names)):
        out += [(sc.name, c.month) for c in sc.changes if c.month > months]
    return out


@solara.component
def UnreachedChanges(names, months: int):
    """A warning, with a one-click fix, when a scenario's change lies beyond the run (reversal at month 61
    in a 60-month run is control throughout)."""
    try:
        missed = unreached_changes(names, months)
    except UserError:
        return
    if not missed:
        return
    need = max(m for _, m in missed) - 1 + MONTHS_AFTER_CHANGE
    need = min(need, LIMITS["months"][1])
    what = "; ".join(t("cmp_change_at", name=n, month=m) for n, m in missed)
    with solara.Column(classes=["cmp-unreached"], gap="0px"):
        solara.Warning(t("cmp_unreached", what=what, months=months), dense=True)
        solara.Button(t("cmp_use_months", months=need), text=True, small=True, classes=["btn-cmp-months"],
                      on_click=lambda: session.view.set(session.view.value.with_(months=need)))


@solara.component
def Settings():
    v = session.view.value
    errs = session.param_errors.value
    Heading(t("cmp_scenarios"), 4)
    options = [(n, f"{n}: {i18n.scenario_description(n, d)}") for n, d in backend.list_scenarios()]
    ex = explore_scenario()
    options.append(("explore", t("cmp_explore_option", label=t("cmp_edited"), name=ex.name)))
    if session.uploaded.value is not None:
        options.append(("uploaded", f"{t('cmp_uploaded')}: {session.uploaded.value.name}"))
    chosen = list(v.compare)

    def toggle(name, on):
        cur = [n for n in session.view.value.compare if n != name]
        if on:
            cur.append(name)
        session.view.set(session.view.value.with_(compare=tuple(cur)))

    for name, label in options:
        with solara.Column(classes=[f"cmp-{name}"], gap="0px"):
            solara.Checkbox(label=label, value=name in chosen, on_value=lambda on, n=name: toggle(n, on),
                            style="margin: 0;")
    solara.FileDrop(label=t("cmp_upload"), on_file=on_upload, lazy=False)
    if errs.get("_upload"):
        solara.Error(errs["_upload"], dense=True, classes=["error-upload"])

    def typed(key):
        def handler(text):
            try:
                val = check_int(key, text, i18n.lang.value)
            except UserError as exc:
                session.param_errors.set({**session.param_errors.value, f"cmp_{key}": str(exc)})
                return
            errs2 = dict(session.param_errors.value)
            errs2.pop(f"cmp_{key}", None)
            session.param_errors.set(errs2)
            session.view.set(session.view.value.with_(**{key: val}))
        return handler

    with solara.Row(gap="8px", style="flex-wrap: wrap;"):
        for key, label in (("reps", t("cmp_reps")), ("clients", t("clients")), ("months", t("cmp_months")),
                           ("seed", t("seed"))):
            solara.InputText(label, value=str(getattr(v, key)), on_value=typed(key), continuous_update=False,
                             classes=[f"typed-cmp-{key}"], style="max-width: 200px;")
    labels = {"reps": t("cmp_reps"), "clients": t("clients"), "months": t("cmp_months"), "seed": t("seed")}
    for key in SIZE_FIELDS:
        if errs.get(f"cmp_{key}"):
            solara.Error(f"{labels[key]}: {errs[f'cmp_{key}']}", dense=True, classes=[f"error-cmp-{key}"])
    bad = invalid_fields()
    if bad:
        solara.Error(t("cmp_fix_fields", fields=", ".join(labels[k] for k in bad)), dense=True,
                     classes=["error-cmp-fields"])
    ok = 2 <= len(chosen) <= MAX_COMPARE
    if not ok:
        solara.Warning(t("cmp_need"), dense=True)
    UnreachedChanges(chosen, v.months)
    solara.Button(t("cmp_run"), color="primary", on_click=lambda: start(),
                  disabled=not ok or bool(bad) or run_comparison.pending, classes=["btn-compare"])
    if run_comparison.pending:
        total = len(chosen) * v.reps
        done = int(round((run_comparison.progress or 0) * total / 100))
        Progress(run_comparison.progress)
        Para(t("cmp_progress", done=done, total=total))
    if run_comparison.error:
        solara.Error(str(run_comparison.exception), classes=["error-compare"])


def _cell(mean: float, lo: float, hi: float, *, signed: bool = False, bold: bool = True) -> str:
    """A table cell: the value and, under it, its interval (none where it is undefined: one replication)."""
    style = "font-weight:700" if bold else ""
    if np.isfinite(lo) and np.isfinite(hi):
        ci = f"[{html.escape(i18n.num(lo))}, {html.escape(i18n.num(hi))}]"
    else:
        ci = html.escape(t("cmp_no_interval"))
    return (f"<td><span style='{style}'>{html.escape(i18n.num(mean, signed=signed))}</span><br>"
            f"<span style='color:#777;font-size:11px'>{ci}</span></td>")


def _row_head(metric: str) -> str:
    return (f"<td title='{html.escape(i18n.metric_help(metric), quote=True)}'>{html.escape(metric_label(metric))}"
            f" <span style='color:#777;font-size:11px'>({html.escape(metric_unit(metric))})</span></td>")


def _metric_table(tab: pd.DataFrame, columns: list[str], value: str, css: str,
                  signed: bool = False) -> str:
    """One row per table metric, one cell per scenario: `value` with its interval, in bold;
    a difference (signed) only where its interval excludes 0."""
    head = "".join(f"<th>{html.escape(n)}</th>" for n in columns)
    rows = []
    for metric in TABLE_METRICS:
        sub = tab[tab.metric == metric].set_index("scenario")
        if sub.empty:
            continue
        cells = []
        for n in columns:
            r = sub.loc[n]
            bold = not signed or bool(np.isfinite(r["ci_low"]) and (r["ci_low"] > 0 or r["ci_high"] < 0))
            cells.append(_cell(r[value], r["ci_low"], r["ci_high"], signed=signed, bold=bold))
        rows.append(f"<tr>{_row_head(metric)}{''.join(cells)}</tr>")
    return (f"<table class='fr-table {css}'><tr><th>{html.escape(t('metric'))}</th>{head}</tr>"
            + "".join(rows) + "</table>")


def summary_table_html(res: dict) -> str:
    return _metric_table(res["table"], res["names"], "mean", "cmp-table")


def diff_table_html(res: dict) -> str:
    d = res["diffs"]
    if d is None or d.empty:
        return ""
    others = [n for n in res["names"] if n != d["reference"].iloc[0]]
    return _metric_table(d, others, "difference", "diff-table", signed=True)


def band_option(res: dict, metric: str) -> dict:
    b = res["bands"]
    sub = b[b.metric == metric]
    stats = {n: sub[sub.scenario == n].rename(columns={"ci_low": "lo", "ci_high": "hi"}) for n in res["names"]}
    opt = charts.bands(stats, metric_label(metric), y_name=metric_unit(metric))
    opt["xAxis"]["name"] = t("month")
    return opt


@solara.component
def Results(res: dict):
    chosen, set_chosen = solara.use_state("cum_net_cost_eur")
    Para(t("cmp_band"))
    metrics = list(dict.fromkeys(res["bands"]["metric"]))
    style = "height: 300px; width: 100%;"
    main = [m for m in MAIN_CHARTS if m in metrics]
    for i in range(0, len(main), 2):
        with solara.Columns([1, 1]):
            for m in main[i:i + 2]:
                FigureEcharts(option=band_option(res, m), attributes={"style": style, "class": f"cmp-chart-{m}"})
    others = [m for m in metrics if m not in main]
    if others:
        shown = chosen if chosen in others else others[0]
        by_label = {metric_label(m): m for m in others}
        solara.Select(t("cmp_metric"), value=metric_label(shown), values=list(by_label),
                      on_value=lambda lab: set_chosen(by_label.get(lab, shown)))
        FigureEcharts(option=band_option(res, shown), attributes={"style": style, "class": "cmp-chart-extra"})
    Heading(t("cmp_table"), 4)
    Html(summary_table_html(res))
    Para(t("cmp_method"), cls="font-size: 12px; color: #555;")
    if res["diffs"] is not None and not res["diffs"].empty:
        Heading(t("cmp_diff", ref=res["diffs"]["reference"].iloc[0]), 4)
        Html(diff_table_html(res))
        Para(t("cmp_method_diff"), cls="font-size: 12px; color: #555;")
    if res.get("norms") is not None:
        Heading(t("cmp_norms"), 4)
        Html(i18n.norms_explained_html(), classes=["cmp-norms-note"])
        Html(norms_table_html(res))
        Para(t("cmp_method"), cls="font-size: 12px; color: #555;")
    Html(f"<p style='font-size:12px;color:#555'>{html.escape(t('seeds'))}: "
         f"{', '.join(str(s) for s in res['seeds'])} · {i18n.num(res['clients'], decimals=0)} "
         f"{html.escape(t('clients').lower())} · "
         f"{res['months']} {html.escape(t('cmp_months').lower())}</p>")


@solara.component
def Compare():
    with solara.Row(gap="0px", style="align-items: flex-start;"):
        with solara.Column(style="width: 380px; flex: none; padding: 8px 12px; border-right: 1px solid #ddd;",
                           classes=["compare-controls"]):
            Settings()
        with solara.Column(style="flex: 1; min-width: 0; padding: 8px 12px;", classes=["compare-main"]):
            res = current_comparison()
            if res is None:
                Para(t("cmp_none"))
            else:
                Results(res)
