"""Sensitivity: read what a sweep, a scenario discovery or a robust policy search found, and ask "how sure
are we?" with a small screening.

The page lists result directories it finds itself under the known results roots
(``results/`` of the project and of the working directory, and the directories named in
``FATAL_REMEDIES_RESULTS``, set by whoever starts the server), plus the screenings this
session ran; the app never opens a path a user types. For a sweep it shows the verdict per
outcome (`analysis/verdict.csv` of a paired sweep), the indices as sorted bars with their
intervals, and the flip boxes of `fatal-remedies discover`; for an `optimize` result the
Pareto front, whose points open their lever settings in Explore. Everything drawn comes
from the files analysis/ wrote (`viz.charts_sensitivity` reads and words them).

A screening runs `backend.screen` (analysis/'s `run_sweep` and `analyze`) in a worker
process (`backend.ScreeningJob`), never in the server, into a temporary directory of this
session that is removed when the session closes.
"""

from __future__ import annotations

import dataclasses
import html
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import solara
import solara.lab

from fatal_remedies.analysis.design import SweepSpec

from .. import backend, i18n, session, urlstate
from .. import charts_sensitivity as cs
from ..i18n import t
from ..widgets import FigureEcharts, Heading, Html, Para

MAX_DEPTH = 3
MAX_ROWS = 40

PAIRED = any(f.name == "versus" for f in dataclasses.fields(SweepSpec))
"""Whether analysis/ can run a paired sweep (`SweepSpec(versus=...)`); without it a screening varies
the first scenario only."""

SCREEN_UNCERTAINTIES = ("report_skill", "fraud_base_rate", "deterrence", "giveup_rate", "initial_trust")
"""The uncertain assumptions a screening varies unless the user chooses others: the behaviour the seed
paper's argument turns on (reporting a change, intentional fraud and its deterrence, giving up the benefit)
and the trust people start with."""
SCREEN_DEFAULTS = {"trajectories": 8, "reps": 2, "clients": 500, "months": 60}
"""A screening of a few hundred runs (8 trajectories x 6 points x 2 replications x 2 scenarios = 192),
about 25 s of one core with its analysis (measured 23.7 CPU s). The verdict's interval rests on the
trajectories' independent starting points (8 here), so it is wide: the page says how many."""
SCREEN_LIMITS = {"trajectories": (2, 20), "reps": (1, 3)}
SCREEN_CLIENTS = (200, 500, 1000, 2000)
SCREEN_MONTHS = (12, 24, 36, 60, 120)
MAX_SCREEN_RUNS = 1200
"""Model runs a screening from the page may ask for: minutes of one core at most. Larger sweeps belong
on the command line (`fatal-remedies sweep`), which can resume and use a cluster."""
MIN_FACTORS = 2


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
    """Label -> directory, for every result directory (with a manifest.json) under the roots."""
    found: dict[str, Path] = {}
    for root in roots():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("manifest.json")):
            d = path.parent
            rel = d.relative_to(root)
            if len(rel.parts) > MAX_DEPTH or "parts" in rel.parts or "state" in rel.parts:
                continue
            found.setdefault(f"{root.name}/{rel.as_posix()}".rstrip("/."), d)
    return found


# ---- per-session state (each browser page has its own value) -------------------------------------------

screen_root = solara.reactive(None)
"""This session's temporary directory for screenings (made with the first one, removed on close)."""
screen_dirs = solara.reactive(())
"""(label, directory) of each screening this session finished."""
screen_status = solara.reactive(None)
"""(stage, runs done, runs in total) of the running screening."""
screen_job = solara.reactive(None)
"""The running screening's worker process (`backend.ScreeningJob`)."""
screen_note = solara.reactive(None)
"""What happened to the last screening that did not finish (cancelled)."""


@dataclasses.dataclass(frozen=True)
class ScreenSettings:
    scenario: str = "control"
    versus: str = "service"
    uncertainties: tuple[str, ...] = SCREEN_UNCERTAINTIES
    trajectories: int = SCREEN_DEFAULTS["trajectories"]
    reps: int = SCREEN_DEFAULTS["reps"]
    clients: int = SCREEN_DEFAULTS["clients"]
    months: int = SCREEN_DEFAULTS["months"]


screen_settings = solara.reactive(ScreenSettings())


def _release(root: Path, job_holder) -> None:
    """On the session's close: end its screening and remove its screenings' directory."""
    job = job_holder.value
    if job is not None:
        job.cancel()
    shutil.rmtree(root, ignore_errors=True)


def session_root() -> Path:
    """This session's screenings directory, made (and its removal on close arranged) on first use."""
    root = screen_root.value
    if root is None:
        root = Path(tempfile.mkdtemp(prefix="fr-screen-"))
        screen_root.set(root)
        from solara.server import kernel_context

        if kernel_context.has_current_context():
            kernel_context.get_current_context().on_close(lambda: _release(root, screen_job))
    return root


def screen_spec(s: ScreenSettings) -> SweepSpec:
    """The sweep a screening asks for (its size and checks are analysis/'s)."""
    from fatal_remedies.analysis.design import resolve_factors

    kw = {"versus": s.versus} if PAIRED else {}
    return SweepSpec(factors=resolve_factors(list(s.uncertainties)), method="morris", samples=s.trajectories,
                     reps=s.reps, scenario=s.scenario, clients=s.clients, months=s.months, over_time=[], **kw)


def screen_runs(s: ScreenSettings) -> int:
    """Model runs of a screening: every (point, replication), under both scenarios when paired."""
    if len(s.uncertainties) < MIN_FACTORS:
        return 0
    spec = screen_spec(s)
    return spec.n_points() * s.reps * getattr(spec, "runs_per_row", 1)


def screen_problem(s: ScreenSettings) -> str | None:
    """Why these settings cannot run (a sentence), or None."""
    if len(s.uncertainties) < MIN_FACTORS:
        return t("sv_too_few", n=MIN_FACTORS)
    if PAIRED and s.scenario == s.versus:
        return t("sv_same")
    n = screen_runs(s)
    if n > MAX_SCREEN_RUNS:
        return t("sv_too_many", n=i18n.num(n, decimals=0), max=i18n.num(MAX_SCREEN_RUNS, decimals=0))
    return None


@solara.lab.task(prefer_threaded=True)
def run_screening(s: ScreenSettings, out: str, seed: int) -> str:
    """Wait, in a thread of this session, for the screening's worker process; progress as it reports."""
    screen_status.set(("starting", 0, screen_runs(s)))
    job = backend.ScreeningJob()
    old = screen_job.value
    if old is not None:
        old.cancel()
    screen_job.set(job)

    def tick(value):
        stage, done, total = value
        screen_status.set((stage, int(done), int(total)))
        run_screening.progress = 100.0 * done / max(1, total)

    versus = s.versus if PAIRED else None
    try:
        job.run((out, s.scenario, versus, list(s.uncertainties), s.trajectories, s.reps, s.clients, s.months,
                 seed), on_progress=tick)
    except backend.JobCancelled:
        shutil.rmtree(out, ignore_errors=True)
        screen_note.set("cancelled")
        raise solara.util.CancelledError() from None
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        screen_job.set(None)
    label = t("sv_session_dir", time=time.strftime("%H:%M:%S"))
    screen_dirs.set(((label, out),) + tuple(screen_dirs.value))
    session.sweep_dir.set(label)
    return out


def start_screening() -> None:
    s = screen_settings.value
    if screen_problem(s) or run_screening.pending:
        return
    root = session_root()
    n = 1
    while (root / f"screen-{n}").exists():
        n += 1
    out = root / f"screen-{n}"
    screen_note.set(None)
    run_screening(s, str(out), session.view.value.seed)


def cancel_screening() -> None:
    """Kill the screening's worker process and mark the task cancelled (its thread then ends at once)."""
    job = screen_job.value
    if run_screening.pending:
        run_screening.cancel()
    if job is not None:
        job.cancel()


# ---- the screening panel ----------------------------------------------------------------------------------


@solara.component
def ScreeningPanel():
    s = screen_settings.value
    names = backend.scenario_names()
    from fatal_remedies.model.params import numeric_uncertainties

    label_of = {p.name: i18n.param_label(p) for p in numeric_uncertainties()}
    by_label = {v: k for k, v in label_of.items()}

    def set_(**kw):
        screen_settings.set(dataclasses.replace(screen_settings.value, **kw))

    running = run_screening.pending
    with solara.Card(style="margin: 8px 0; padding: 8px 12px;", classes=["sens-screen"]):
        Heading(t("sv_screen_head"), 4)
        Para(t("sv_screen_note") if PAIRED else t("sv_screen_single"))
        with solara.Row(style="flex-wrap: wrap; align-items: flex-end;", gap="12px"):
            solara.Select(t("sv_scenario"), value=s.scenario, values=names, on_value=lambda v: set_(scenario=v),
                          classes=["screen-scenario"], disabled=running)
            if PAIRED:
                solara.Select(t("sv_versus"), value=s.versus, values=names, on_value=lambda v: set_(versus=v),
                              classes=["screen-versus"], disabled=running)
            people = {i18n.num(n, decimals=0): n for n in SCREEN_CLIENTS}  # 2,000 / 2.000, as everywhere
            solara.Select(t("sv_people"), value=i18n.num(s.clients, decimals=0), values=list(people),
                          on_value=lambda v: set_(clients=people.get(v, s.clients)), classes=["screen-clients"],
                          disabled=running)
            solara.Select(t("sv_months"), value=s.months, values=list(SCREEN_MONTHS),
                          on_value=lambda v: set_(months=int(v)), classes=["screen-months"], disabled=running)
        chosen = [label_of[n] for n in s.uncertainties if n in label_of]
        solara.SelectMultiple(t("sv_uncertainties"), values=chosen, all_values=sorted(by_label),
                              on_value=lambda labels: set_(uncertainties=tuple(by_label[x] for x in labels
                                                                               if x in by_label)),
                              classes=["screen-uncertainties"], disabled=running)
        with solara.Row(style="flex-wrap: wrap; align-items: center;", gap="24px"):
            for key, field in (("sv_trajectories", "trajectories"), ("sv_reps", "reps")):
                lo, hi = SCREEN_LIMITS[field]
                with solara.Column(gap="0px", style="min-width: 200px;", classes=[f"screen-{field}"]):
                    solara.SliderInt(f"{t(key)}: {i18n.num(getattr(s, field), decimals=0)}",
                                     value=getattr(s, field), min=lo, max=hi, step=1,
                                     on_value=lambda v, f=field: set_(**{f: int(v)}), disabled=running)
            problem = screen_problem(s)
            Html(html.escape(problem or t("sv_runs", n=i18n.num(screen_runs(s), decimals=0))),
                 classes=["screen-size"], style="font-size: 13px;" + ("color: #b00020;" if problem else ""))
            solara.Button(t("sv_start"), on_click=start_screening, disabled=bool(problem) or running,
                          color="primary", classes=["btn-screen"])
        if running:
            stage, done, total = screen_status.value or ("starting", 0, screen_runs(s))
            text = (t("sv_starting") if stage == "starting" else t("sv_analysing") if stage == "analysing"
                    else t("sv_progress", done=i18n.num(done, decimals=0), total=i18n.num(total, decimals=0)))
            with solara.Row(style="align-items: center;", gap="12px", classes=["screen-running"]):
                with solara.Column(style="flex: 1;"):
                    solara.ProgressLinear(100.0 * done / max(1, total) if stage == "runs" else True)
                Html(html.escape(text), classes=["screen-progress"], style="font-size: 13px; min-width: 140px;")
                solara.Button(t("sv_cancel"), on_click=cancel_screening, classes=["btn-screen-cancel"],
                              outlined=True)
        elif screen_note.value == "cancelled":
            solara.Info(t("sv_cancelled"), dense=True, classes=["screen-cancelled"])
        elif run_screening.error:
            solara.Error(t("sv_failed", error=str(run_screening.exception)), classes=["screen-error"])


# ---- a sweep ---------------------------------------------------------------------------------------------


def _manifest_html(man: dict) -> str:
    keys = ("method", "samples", "N", "reps", "clients", "months", "seed", "n_points")

    def item(key, text):
        return f"<li><b>{html.escape(i18n.sens_column(key))}</b>: {html.escape(text)}</li>"

    items = [item(k, i18n.num(man[k], decimals=0) if isinstance(man[k], int) else str(man[k]))
             for k in keys if k in man]
    scenario, versus = cs.scenario_names(man)
    if scenario:
        items.append(item("scenario", f"{scenario} – {versus}" if versus else scenario))
    factors = man.get("factors") or []
    if factors:
        fl = "; ".join(f"{i18n.name_text(f.get('name'))} [{i18n.num(f.get('lo'), style='general')}, "
                       f"{i18n.num(f.get('hi'), style='general')}]" for f in factors if isinstance(f, dict))
        items.append(item("factors", fl))
    return "<ul>" + "".join(items) + "</ul>"


NAME_COLUMNS = ("outcome", "parameter", "parameter_1", "parameter_2")
"""Columns that hold a parameter's or a metric's identifier, shown by its label."""


def _table_html(df: pd.DataFrame, scenario: str = "", versus: str | None = None,
                cls: str = "sens-more-table") -> str:
    """A further sweep table in words: headings and names by their labels, numbers in the session's format."""
    df = df.head(MAX_ROWS).copy()
    for c in NAME_COLUMNS:
        if c in df:
            df[c] = df[c].map(lambda x: cs.outcome_label(x, scenario, versus))
    df.columns = [i18n.sens_column(c) for c in df.columns]
    return df.to_html(index=False, classes=f"fr-table {cls}", border=0, na_rep="–",
                      float_format=lambda x: i18n.num(x, sig=4))


def default_outcome(outcomes: list[str], verdict: pd.DataFrame | None) -> str:
    """The outcome shown first: the paired difference in wrongful sanctions, else wrongful sanctions, else
    the first verdict's, else the first."""
    for o in ("diff_wrongful_sanctions_total", "wrongful_sanctions_total"):
        if o in outcomes:
            return o
    if verdict is not None and len(verdict) and str(verdict["outcome"].iloc[0]) in outcomes:
        return str(verdict["outcome"].iloc[0])
    return outcomes[0]


@solara.component
def IndexCharts(d: Path, outcome: str, tables: dict):
    """The indices of one outcome, one sorted bar chart per index the analysis wrote, its numbers beside it."""
    unit = cs.outcome_unit(outcome)
    for spec in cs.INDEX_SPECS:
        df = tables.get(spec.file)
        if df is None:
            continue
        items = cs.bars(df, spec, outcome)
        if not items:
            continue
        title = t(spec.title)
        axis = t(spec.axis, unit=unit or "–")
        value_name, interval_name = t("sv_value"), t(spec.interval)
        with solara.Row(style="flex-wrap: wrap; align-items: flex-start;", gap="12px",
                        classes=[f"sens-index sens-index-{spec.key}"]):
            with solara.Column(style="flex: 3; min-width: 420px;"):
                FigureEcharts(option=cs.bar_chart(items, title, axis, interval_name, value_name),
                              attributes={"class": f"sens-bars sens-bars-{spec.key}",
                                          "style": f"height: {cs.chart_height(len(items))}px; width: 100%;"})
            with solara.Column(style="flex: 2; min-width: 280px; overflow-x: auto;"):
                Html(cs.bars_table_html(items, value_name, interval_name))


@solara.component
def SweepView(d: Path, man: dict):
    chosen, set_chosen = solara.use_state(None)
    scenario, versus = cs.scenario_names(man)
    Heading(t("sens_manifest"), 4)
    Html(_manifest_html(man), style="font-size: 13px;")

    verdict = cs.read_csv(d / "analysis" / "verdict.csv")
    lines = cs.verdict_lines(verdict)
    if lines:
        Heading(t("sv_verdict_head"), 4)
        first = [(o, s) for o, s in lines if cs.outcome_metric(o) in backend.HEADLINE_METRICS]
        first.sort(key=lambda x: backend.HEADLINE_METRICS.index(cs.outcome_metric(x[0])))
        others = [(o, s) for o, s in lines if (o, s) not in first]

        def lis(rows):
            return "".join(f"<li data-outcome='{html.escape(o, quote=True)}'>{html.escape(s)}</li>" for o, s in rows)

        more = (f"<details class='sens-verdict-more'><summary>{html.escape(t('sv_more_verdicts', n=len(others)))}"
                f"</summary><ul class='sens-verdict'>{lis(others)}</ul></details>") if first and others else ""
        Html(f"<ul class='sens-verdict'>{lis(first or others)}</ul>{more}", style="font-size: 14px;")
        n = verdict["n_points"].max() if "n_points" in verdict else None
        Html(html.escape(t("sv_verdict_note", n=i18n.num(n, decimals=0))),
             style="font-size: 12px; color: #555; margin-bottom: 8px;")

    tables = cs.index_tables(d)
    outcomes = sorted({o for df in tables.values() for o in df["outcome"].astype(str)},
                      key=lambda o: (not o.startswith(cs.DIFF), o.startswith(cs.VERSUS), o))
    files = [p for p in d.rglob("*") if p.is_file() and not {"parts", "state"} & set(p.relative_to(d).parts)]
    plots = sorted(f for f in files if f.suffix == ".png")
    if not tables and not plots and not lines:
        Para(t("sens_not_analysed"))
        return
    outcome = None
    if outcomes:
        outcome = chosen if chosen in outcomes else default_outcome(outcomes, verdict)
        by_label = {cs.outcome_label(o, scenario, versus): o for o in outcomes}
        Heading(t("sv_indices_head"), 4)
        solara.Select(t("sv_outcome"), value=cs.outcome_label(outcome, scenario, versus), values=list(by_label),
                      on_value=lambda lab: set_chosen(by_label.get(lab, outcome)), classes=["sens-outcome"])
        metric = cs.outcome_metric(outcome)
        if metric in cs.metrics.REGISTRY:
            Html(html.escape(f"{i18n.metric_label(metric)} ({i18n.metric_unit(metric)}): {i18n.metric_help(metric)}"),
                 style="font-size: 12px; color: #555; margin-bottom: 6px;")
        Html(html.escape(t("sv_bars_note")), style="font-size: 12px; color: #555; margin-bottom: 6px;")
        IndexCharts(d, outcome, tables)

    boxes = cs.flip_boxes(d)
    if boxes:
        Heading(t("sv_boxes_head"), 4)
        Html(html.escape(t("sv_boxes_note")), style="font-size: 12px; color: #555;")
        items = []
        for b in boxes:
            what, quality = cs.box_sentence(b, scenario, versus)
            items.append(f"<li data-outcome='{html.escape(b.outcome, quote=True)}'>{html.escape(what)}"
                         + (f"<br><span style='color:#555;font-size:12px'>{html.escape(quality)}</span>"
                            if quality else "") + "</li>")
        Html(f"<ul class='sens-boxes'>{''.join(items)}</ul>", style="font-size: 14px;")

    mine = [p for p in plots if outcome and (p.stem.endswith("_" + outcome) or p.stem == outcome)] if outcome \
        else plots[:8]
    rest = {}
    for p in sorted(f for f in files if f.suffix == ".csv" and f.parent.name in ("analysis", "discovery")):
        if p.name in tables or p.name == "verdict.csv" or p.name.startswith(("prim_boxes_", "prim_trajectory_")):
            continue
        df = cs.read_csv(p)
        if df is not None:
            if outcome is not None and "outcome" in df:
                df = df[df["outcome"].astype(str) == outcome]
            if len(df):
                rest[p] = df
    if mine or rest:
        Heading(t("sv_more"), 4)
    if mine:
        with solara.Row(style="flex-wrap: wrap;", gap="8px"):
            for p in mine[:8]:
                with solara.Column(gap="0px", style="width: 480px;", classes=["sens-plot"]):
                    Html(f"<span style='font-size:12px'>{html.escape(i18n.sens_file(p.stem, outcome))}</span>")
                    solara.Image(p.read_bytes(), width="100%")
    for p, df in rest.items():
        Html(f"<b style='font-size:13px'>{html.escape(i18n.sens_file(p.stem))}</b>"
             + _table_html(df, scenario, versus), style="overflow-x: auto; margin-bottom: 12px;")


# ---- an optimize result --------------------------------------------------------------------------------


def open_in_explore(query: str, router) -> None:
    """Show Explore with a link's settings: the view is read as the link would be, and Explore starts a
    new run with it (the running one, if any, is stopped)."""
    st, _ = urlstate.parse(query, backend.scenario_names())
    if session.playing.value:
        session.playing.set(False)
    session.view.set(st)
    session.model.set(None)
    session.model_settings.set(None)
    router.push(f"/?{query}")


@solara.component
def ParetoView(d: Path, man: dict):
    router = solara.use_router()
    axes, set_axes = solara.use_state((None, None))
    selected, set_selected = solara.use_state(None)
    df = cs.read_csv(d / "pareto.csv")
    objs = [str(o["metric"]) for o in cs.objectives(man)]
    if df is None or df.empty or len(objs) < 2 or not all(o in df for o in objs):
        Para(t("sens_not_analysed"))
        return
    x, y = axes if axes[0] in objs and axes[1] in objs else (objs[0], objs[1])
    df = df.reset_index(drop=True)
    scenarios = backend.scenario_names()
    lang = i18n.lang.value
    queries = [cs.explore_query(man, r, lang, scenarios) for _, r in df.iterrows()]
    policies = [int(p) for p in df["policy"]] if "policy" in df else list(range(len(df)))

    Heading(t("sv_pareto_head"), 4)
    Html(_manifest_html(man), style="font-size: 13px;")
    rob = {"mean": "sv_rob_mean", "p90": "sv_rob_p90", "regret": "sv_rob_regret"}.get(str(man.get("robustness")))
    Para(t("sv_pareto_note", robustness=t(rob) if rob else str(man.get("robustness", "")),
           k=i18n.num(man.get("uncertainty_samples"), decimals=0)))
    label_of = {o: cs.objective_axis(ob) for o, ob in zip(objs, cs.objectives(man))}
    by_label = {v: k for k, v in label_of.items()}
    with solara.Row(style="flex-wrap: wrap;", gap="12px"):
        solara.Select(t("sv_x"), value=label_of[x], values=list(by_label),
                      on_value=lambda v: set_axes((by_label.get(v, x), y)), classes=["pareto-x"])
        solara.Select(t("sv_y"), value=label_of[y], values=list(by_label),
                      on_value=lambda v: set_axes((x, by_label.get(v, y))), classes=["pareto-y"])

    def click(data):
        try:
            i = int(data.get("dataIndex"))
        except (TypeError, ValueError, AttributeError):
            return
        if 0 <= i < len(df):
            set_selected(policies[i])
            if queries[i] is not None:
                open_in_explore(queries[i], router)

    with solara.Row(style="flex-wrap: wrap; align-items: flex-start;", gap="12px"):
        with solara.Column(style="flex: 3; min-width: 420px;"):
            FigureEcharts(option=cs.pareto_chart(df, man, x, y, selected), on_click=click,
                          attributes={"class": "sens-pareto", "style": "height: 420px; width: 100%;"})
        with solara.Column(style="flex: 2; min-width: 320px; overflow-x: auto;"):
            lv = [str(v["name"]) for v in cs.levers(man)]
            head = "".join(f"<th>{html.escape(h)}</th>" for h in
                           [t("sv_policy", n="")] + [i18n.name_text(n) for n in lv]
                           + [cs.outcome_label(o) for o in objs] + [""])
            rows = []
            for i, r in df.iterrows():
                link = (f"<a class='pareto-open' href='/?{html.escape(queries[i], quote=True)}' target='_blank' "
                        f"rel='noopener'>{html.escape(t('sv_open'))}</a>" if queries[i] else "")
                cells = [str(policies[i])] + [cs.lever_text(n, r[n]) if n in r else "–" for n in lv] \
                    + [cs.fmt(r[o]) for o in objs]
                rows.append(f"<tr data-policy='{policies[i]}'>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                            + f"<td>{link}</td></tr>")
            Html(f"<table class='fr-table sens-table pareto-table'><tr>{head}</tr>{''.join(rows)}</table>")


# ---- the page -----------------------------------------------------------------------------------------


@solara.component
def ResultView(d: Path):
    man = cs.read_manifest(d)
    if man is None:
        solara.Error(f"manifest.json: {t('sens_not_analysed')}")
        return
    if cs.is_optimize(man):
        ParetoView(d, man)
    else:
        SweepView(d, man)


@solara.component
def Sensitivity():
    found = solara.use_memo(known_result_dirs, [])
    dirs = {label: Path(p) for label, p in screen_dirs.value}
    dirs.update({k: v for k, v in found.items() if k not in dirs})
    with solara.Column(style="padding: 8px 16px;", classes=["sensitivity"]):
        Heading(t("nav_sensitivity"), 2)
        Para(t("sv_intro"))
        ScreeningPanel()
        if not dirs:
            Para(t("sens_none"))
            Html(f"<span style='font-size:12px;color:#666'>{html.escape(t('sens_where'))}: "
                 + html.escape(", ".join(str(r) for r in roots())) + "</span>")
            return
        chosen = session.sweep_dir.value if session.sweep_dir.value in dirs else next(iter(dirs))
        solara.Select(t("sv_pick"), value=chosen, values=list(dirs), on_value=session.sweep_dir.set,
                      classes=["sens-select"])
        ResultView(dirs[chosen])
