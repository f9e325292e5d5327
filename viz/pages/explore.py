"""Explore: one live run, in the manner of Mesa's SolaraViz (model in a reactive,
step / play / reset, charts redrawn after each step), with the app's own
controls so that every label is translated and every typed value is checked.

Mesa's ready-made `SolaraViz` is not used as is: its reset rebuilds the model
from `model.scenario` (Mesa's own Scenario class, which clashes with this
model's `scenario` argument), its buttons are English only and its parameter
inputs do no range checks. The parts it is made of (a reactive model, a
threaded play loop, an update counter that redraws the components) are the
same here.
"""

from __future__ import annotations

import html
import threading
import time

import solara

from fatal_remedies.model.params import LEVER, UNCERTAINTY, ParamError, by_kind

from .. import backend, charts, i18n, session, together
from ..i18n import t
from ..urlstate import check_int
from ..widgets import DrawnReport, FigureEcharts, Heading, Html, Para, ParamInput, StoryList
from .dashboard_view import DashboardView

together.install()

POP_SHOWN = 500
MAX_MONTHS = 600
FIRST_SCREEN_MONTHS = 12
"""Months already run when the page first opens, so that no chart is empty (Reset starts at month 0)."""
PLAY_TICK_S = 0.1
"""Shortest time between two months while playing (longer when the page takes longer to show one)."""
PAGE_WAIT_S = 1.0
"""Longest the play loop waits for the page to report a month shown (`widgets.DrawnReport`) before it
steps on: a tab in the background paints nothing and so reports nothing, and plays on at this pace."""


class Player:
    """A session's play loop: at most one thread steps the model, and no two steps overlap.

    Solara's `use_thread` started a thread per Play/Pause and cancelled the old
    one by raising inside it, which could stop `model.step()` half-way (a
    metrics frame one row short: "Length of values (155) does not match length
    of index (156)") or leave it running beside the new one (double speed,
    Pause ignored). Here the loop is an ordinary thread that ends itself when
    it sees `playing` False; Play starts one only when none runs. `loops` and
    `most_loops` count the running loops (shown, hidden, for the browser
    tests).

    The loop steps only when the page has shown the last month (back-pressure):
    the page reports each redraw it has painted (`widgets.DrawnReport`, to
    `page_drew`), and the loop waits for the report of its own step, at most
    `PAGE_WAIT_S`, and at least `PLAY_TICK_S` from one step to the next. Before,
    it waited the longer of the tick and the server's step time, which a page
    slower than the server (ten pages on two cores) could not keep up with: the
    server made months the page then skipped, with CPU the pages needed.
    """

    def __init__(self):
        self.lock = threading.Lock()
        """Guards `thread` and the loop's decision to end."""
        self.step_lock = threading.Lock()
        """Held during a step: Step clicks and the loop never step the model at the same time."""
        self.thread: threading.Thread | None = None
        self.step_ms = 0.0
        """Time the last step took on the server (ms), shown for the benchmark. A plain attribute, not a
        reactive: setting a reactive redraws the page, and the step's `tick` redraws it anyway."""
        self.loops = 0
        self.most_loops = 0
        self.drawn = threading.Condition()
        self.drawn_tick = -1
        """The last redraw (`session.tick`) the page reported painted."""

    def play(self):
        with self.lock:
            if self.thread is not None:  # the running loop sees `playing` again and goes on
                return
            self.loops += 1
            self.most_loops = max(self.most_loops, self.loops)
            self.thread = threading.Thread(target=self._loop, name="fatal-remedies-play", daemon=True)
            self.thread.start()

    def _loop(self):
        while True:
            with self.lock:
                if not session.playing.value:
                    self.thread = None
                    self.loops -= 1
                    break
            t0 = time.perf_counter()
            tick = do_step(only_if_playing=True)
            if tick is not None:
                self.wait_drawn(tick, PAGE_WAIT_S)
            time.sleep(max(0.0, PLAY_TICK_S - (time.perf_counter() - t0)))
        session.tick.set(session.tick.value + 1)  # redraw: the page shows the loop count

    def page_drew(self, tick: int) -> None:
        """The page has painted redraw `tick` (called from the page, through `widgets.DrawnReport`)."""
        with self.drawn:
            if tick > self.drawn_tick:
                self.drawn_tick = tick
            self.drawn.notify_all()

    def wait_drawn(self, tick: int, timeout: float) -> None:
        """Wait until the page has painted redraw `tick`, or Pause, or `timeout` s."""
        with self.drawn:
            self.drawn.wait_for(lambda: self.drawn_tick >= tick or not session.playing.value, timeout)

    def wake(self) -> None:
        """End a wait for the page (Pause, Reset): the loop then sees `playing` False at once."""
        with self.drawn:
            self.drawn.notify_all()


def player() -> Player:
    """This session's Player (made on first use, in an event handler, never while rendering)."""
    p = session.player.value
    if p is None:
        p = Player()
        session.player.set(p)
    return p


def stop_playing():
    """Pause: the loop ends at once, also while it waits for the page."""
    session.playing.set(False)
    if session.player.value is not None:
        session.player.value.wake()


def toggle_play():
    if session.playing.value:
        stop_playing()
        return
    session.playing.set(True)
    player().play()


def current_settings():
    v = session.view.value
    return (v.scenario, tuple(sorted(v.overrides.items())), v.clients, v.seed)


def do_reset(months: int = 0):
    """A new model with the view's settings, run for `months` months before it is shown."""
    stop_playing()
    v = session.view.value
    try:
        m = backend.make_model(v.scenario, v.clients, v.seed, v.overrides, record_events=True)
    except (ParamError, backend.ScenarioError) as exc:
        session.param_errors.set({**session.param_errors.value, "_reset": str(exc)})
        return
    session.param_errors.set({k: e for k, e in session.param_errors.value.items() if k != "_reset"})
    session.selected_client.set(None)
    for _ in range(months):
        m.step()
        backend.after_step(m)
    session.model.set(m)
    session.model_settings.set(current_settings())
    session.tick.set(session.tick.value + 1)


def do_step(only_if_playing: bool = False) -> int | None:
    """One month of the session's model; the redraw's number (`session.tick`), None if no step.

    The play loop passes `only_if_playing`: a Pause or Reset that came after the loop's last check
    must not be followed by a step."""
    with player().step_lock:
        if only_if_playing and not session.playing.value:
            return None
        m = session.model.value
        if m is None or backend.month(m) >= MAX_MONTHS:
            session.playing.set(False)
            return None
        t0 = time.perf_counter()
        m.step()
        backend.after_step(m)
        player().step_ms = (time.perf_counter() - t0) * 1000
    tick = session.tick.value + 1
    with together.together():  # the redraw's messages go to the page at once, in order (viz/together.py)
        session.tick.set(tick)  # the step's only redraw
    return tick


def click_step():
    """Step, unless playing (the button is disabled then, but a fast click may arrive before that)."""
    if not session.playing.value:
        do_step()


def set_override(name, value):
    v = session.view.value
    scen_value = backend.resolve(v.scenario).params.get(name)
    ov = dict(v.overrides)
    if value == scen_value:
        ov.pop(name, None)
    else:
        ov[name] = value
    session.view.set(v.with_(overrides=ov))


def set_error(name, msg):
    errs = dict(session.param_errors.value)
    if msg:
        errs[name] = msg
    else:
        errs.pop(name, None)
    session.param_errors.set(errs)


@solara.component
def RunControls():
    v = session.view.value
    names = backend.scenario_names()
    errs = session.param_errors.value

    def pick(name):
        session.view.set(session.view.value.with_(scenario=name, overrides={}))

    def typed(key):
        def handler(text):
            try:
                val = check_int(key, text, i18n.lang.value)
            except ParamError as exc:
                set_error(key, str(exc))
                return
            set_error(key, None)
            session.view.set(session.view.value.with_(**{key: val}))
        return handler

    solara.Select(t("scenario"), value=v.scenario, values=names, on_value=pick, classes=["scenario-select"])
    desc = i18n.scenario_description(v.scenario, dict(backend.list_scenarios()).get(v.scenario, ""))
    Html(html.escape(desc), style="font-size: 12px; color: #555; margin-bottom: 6px;")
    with solara.Row(gap="8px"):
        solara.InputText(t("clients"), value=str(v.clients), on_value=typed("clients"),
                         continuous_update=False, classes=["typed-clients"])
        solara.InputText(t("seed"), value=str(v.seed), on_value=typed("seed"), continuous_update=False,
                         classes=["typed-seed"])
    labels = {"clients": t("clients") + ": ", "seed": t("seed") + ": ", "_reset": ""}
    for key in ("clients", "seed", "_reset"):
        if errs.get(key):
            solara.Error(labels[key] + errs[key], dense=True, classes=[f"error-{key}"])
    playing = session.playing.value
    with solara.Row(gap="6px", style="margin: 6px 0;"):
        solara.Button(t("reset"), color="primary", on_click=do_reset, classes=["btn-reset"])
        solara.Button(t("pause") if playing else t("play"), color="primary",
                      on_click=toggle_play, classes=["btn-play"])
        solara.Button(t("step"), color="primary", on_click=click_step, disabled=playing, classes=["btn-step"])
    if session.model_settings.value is not None and session.model_settings.value != current_settings():
        solara.Warning(t("pending"), dense=True, classes=["pending-note"])


def changes_text(values: dict, sep: str = "\n") -> str:
    """Parameter changes as a person reads them ("Information burden = 0.3"), by label, not by identifier."""
    from fatal_remedies.model.params import REGISTRY

    out = []
    for name in sorted(values, key=lambda n: i18n.param_label(REGISTRY[n]) if n in REGISTRY else n):
        p = REGISTRY.get(name)
        out.append(f"{i18n.param_label(p)} = {i18n.param_value(p, values[name])}" if p is not None
                   else f"{name} = {values[name]}")
    return sep.join(out)


@solara.component
def ParamPanel():
    v = session.view.value
    try:
        scen = backend.resolve(v.scenario)
    except backend.ScenarioError as exc:
        solara.Error(str(exc))
        return
    errs = session.param_errors.value
    ov = v.overrides
    Heading(t("overrides"), 4)
    if ov:
        Html(html.escape(changes_text(ov)).replace("\n", "<br>"), style="font-size: 12px;",
             classes=["overrides-list"])
        solara.Button(t("clear_overrides"), text=True, small=True,
                      on_click=lambda: session.view.set(session.view.value.with_(overrides={})))
    else:
        Html(f"<i>{html.escape(t('no_overrides'))}</i>", style="font-size: 12px;")
    open_group = session.open_group.value
    for kind, title in ((LEVER, t("levers")), (UNCERTAINTY, t("uncertainties"))):
        Heading(title, 4)
        groups: dict[str, list] = {}
        for p in by_kind(kind):
            groups.setdefault(p.group, []).append(p)
        for g, params in groups.items():
            key = f"{kind}:{g}"
            is_open = open_group == key
            solara.Button(("▾ " if is_open else "▸ ") + i18n.group(g), text=True, small=True,
                          on_click=lambda key=key, is_open=is_open: session.open_group.set(None if is_open else key),
                          classes=[f"group-{g.replace(' ', '-').lower()}"],
                          style="justify-content: flex-start; width: 100%; text-transform: none;")
            if is_open:
                for p in params:
                    value = ov.get(p.name, scen.params.get(p.name, p.default))
                    # keyed: a widget must never be reused for another parameter (it would send
                    # its old value to the new parameter's callback)
                    ParamInput(p, value, on_value=lambda val, n=p.name: set_override(n, val),
                               error=errs.get(p.name), on_error=lambda msg, n=p.name: set_error(n, msg),
                               changed=p.name in ov).key(f"param-{p.name}")


@solara.component
def Kpis(m, df):
    if df is None or df.empty:
        last = {}
    else:
        last = df.iloc[-1].to_dict()
    cum = {c: float(df[c].sum()) for c in ("wrongful_sanctions", "fraud_detected") if df is not None and c in df}

    def chip(label, value, cls):
        return (f"<div style='padding: 4px 12px; border-left: 3px solid #1976d2; min-width: 90px;'>"
                f"<div style='font-size:11px;color:#555'>{html.escape(label)}</div>"
                f"<div class='{cls}' style='font-size:18px;font-weight:600'>{html.escape(value)}</div></div>")

    work = float(df["reintegrated"].sum()) if df is not None and "reintegrated" in df else 0.0
    L, num = i18n.metric_label, i18n.num
    # one element for the seven figures: one message and one update of the page per step, not seven
    Html("".join((
        chip(t("month"), str(backend.month(m)), "kpi-month"),
        chip(L("receiving"), num(last.get("receiving", 0), decimals=0), "kpi-receiving"),
        chip(L("mean_trust"), num(last.get("mean_trust"), decimals=3), "kpi-trust"),
        chip(L("non_take_up"), num(last.get("non_take_up"), percent=True), "kpi-ntu"),
        chip(L("wrongful_sanctions"), num(cum.get("wrongful_sanctions", 0), decimals=0), "kpi-wrongful"),
        chip(L("fraud_detected"), num(cum.get("fraud_detected", 0), decimals=0), "kpi-fraud"),
        chip(L("reintegrated"), num(work, decimals=0), "kpi-work"),
    )), style="display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px;", classes=["kpis"])


def chart_options(df):
    """The live charts of the Explore page (also used by the Lesson)."""
    mo = t("month")
    L = i18n.metric_label
    opts = {
        "flags": charts.lines(df, [("fraud_flags", L("fraud_flags")), ("false_fraud_flags", L("false_fraud_flags"))],
                              t("ch_flags"), x_name=mo),
        "sanctions": charts.lines(df, [("wrongful_sanctions", L("wrongful_sanctions")),
                                       ("fraud_detected", L("fraud_detected"))],
                                  t("ch_sanctions"), x_name=mo,
                                  cumulative=("wrongful_sanctions", "fraud_detected"),
                                  colors=(charts.PALETTE[1], charts.PALETTE[2])),
    }
    trust_series = [("mean_trust", t("s_trust"))]
    for c in backend.trust_columns(df):
        trust_series.append((c, i18n.group_label(c.replace("mean_trust_", "").replace("trust_", ""))))
    opts["trust"] = charts.lines(df, trust_series, t("ch_trust"), x_name=mo)
    opts["trust"]["yAxis"].update({"min": 0, "max": 1})
    opts["work"] = charts.lines_two_axes(df, ("reintegrated", L("reintegrated")),
                                         ("non_take_up", L("non_take_up")), t("ch_work"),
                                         left_cumulative=True)
    costs = backend.cost_columns(df)
    opts["cost"] = charts.lines(df, [(c, L(c)) for c in costs], t("ch_cost"), x_name=mo)
    return opts


@solara.component
def Charts(df):
    opts = chart_options(df)
    style = {"style": "height: 280px; width: 100%;"}
    with solara.Columns([1, 1]):
        FigureEcharts(option=opts["flags"], attributes={**style, "class": "chart-flags"})
        FigureEcharts(option=opts["sanctions"], attributes={**style, "class": "chart-sanctions"})
    with solara.Columns([1, 1]):
        FigureEcharts(option=opts["trust"], attributes={**style, "class": "chart-trust"})
        FigureEcharts(option=opts["work"], attributes={**style, "class": "chart-work"})
    with solara.Columns([1, 1]):
        FigureEcharts(option=opts["cost"], attributes={**style, "class": "chart-cost"})
        HoursPanel(session.model.value, session.tick.value)


@solara.component
def HoursPanel(m, tick):
    parts = backend.hours(m) if m is not None else {}
    labels = {k: i18n.metric_label(f"{k}_hours") for k in ("support", "investigation", "paperwork")}
    FigureEcharts(option=charts.stacked_hours(parts, labels, t("hours")),
                         attributes={"style": "height: 280px; width: 100%;", "class": "chart-hours"})


def at_month(m) -> str:
    return f" <span class='panel-month'>· {html.escape(t('month'))} {backend.month(m)}</span>"


@solara.component
def PopulationPanel(m, tick: int = 0):
    cats, slots = backend.population(m, POP_SHOWN)
    names = [t(c) for c in backend.POP_CATEGORIES]
    sel = session.selected_client.value
    sel_slot = getattr(sel, "slot", None)

    def click(data):
        try:
            slot = int(data["value"][2])
        except (KeyError, TypeError, IndexError, ValueError):
            return
        session.selected_client.set(backend.client(session.model.value, slot))

    Html(html.escape(t("population")) + at_month(m), tag="h4", style="margin: 8px 0 4px 0;")
    Para(t("population_note", n=len(slots)))
    with solara.Columns([3, 2]):
        FigureEcharts(option=charts.population_grid(cats, names, backend.POP_COLORS, sel_slot),
                             on_click=click, attributes={"style": "height: 360px; width: 100%;",
                                                         "class": "chart-population"})
        with solara.Column(classes=["story-panel"]):
            if sel is None:
                Para(t("story_pick"))
            else:
                StoryPanel(sel)


@solara.component
def StoryPanel(view):
    pid = getattr(view, "pid", getattr(view, "slot", "?"))
    Heading(t("story_of", pid=pid), 4)
    try:
        traits = dict(view.traits)
    except Exception:  # noqa: BLE001
        traits = {}
    if traits:
        shown = [i18n.group_label(k) for k, val in traits.items() if val is True]
        extra = [i18n.trait_text(k, val) for k, val in traits.items() if not isinstance(val, bool)]
        Html(f"<b>{html.escape(t('traits'))}:</b> " + html.escape(", ".join(shown + extra)),
             style="font-size: 12px; margin-bottom: 4px;")
    try:
        lines = view.story()
    except Exception:  # noqa: BLE001
        lines = []
    StoryList(lines, cls="story-lines", limit=40, height=320)


@solara.component
def AlgorithmPanel(m, df):
    Heading(t("algorithm"), 4)
    imp = backend.feature_importance(m)
    if imp is None or len(imp) == 0:
        Para(t("algo_untrained"))
    else:
        top = imp.head(8)
        FigureEcharts(option=charts.hbar([i18n.feature(n) for n in top.index], top.values,
                                                t("algo_weights"), color=charts.PALETTE[3]),
                             attributes={"style": "height: 240px; width: 100%;", "class": "chart-features"})
    ratio_cols = [c for c in df.columns if c.startswith("flag_ratio_")] if df is not None else []
    if ratio_cols and not df.empty:
        last = df.iloc[-1]
        FigureEcharts(option=charts.hbar([i18n.group_label(c[len("flag_ratio_"):]) for c in ratio_cols],
                                                [last[c] for c in ratio_cols], t("algo_ratios"),
                                                color=charts.PALETTE[4], ref_line=1.0),
                             attributes={"style": "height: 180px; width: 100%;", "class": "chart-ratios"})


@solara.component
def CouncilPanel(m, tick: int = 0):
    Html(html.escape(t("council")) + at_month(m), tag="h4", style="margin: 8px 0 4px 0;")
    issues = backend.council_issues(m)
    if not issues:
        Para(t("council_none"))
        return
    rows = []
    for it in issues[-10:][::-1]:
        ok = bool(it.get("adopted"))
        badge = (f"<span style='color:{'#2e7d32' if ok else '#b71c1c'}'>"
                 f"{html.escape(t('adopted') if ok else t('ignored'))}</span>")
        rows.append(f"<tr><td>{it.get('month', '')}</td><td>{html.escape(i18n.issue_text(it))}"
                    f"<br><span style='color:#666;font-size:11px'>{html.escape(i18n.evidence_text(it.get('evidence', '')))}"
                    f"</span></td><td>{badge}</td></tr>")
    Html("<table class='council-table' style='font-size: 13px; border-collapse: collapse; width: 100%'>"
         + "".join(rows) + "</table>")


@solara.component
def Explore():
    solara.use_effect(lambda: None if session.model.value is not None else do_reset(FIRST_SCREEN_MONTHS), [])
    m = session.model.value
    # leaving the page stops the run (the loop would otherwise step a model nobody sees)
    solara.use_effect(lambda: stop_playing, [])
    with solara.Row(gap="0px", style="align-items: flex-start;"):
        with solara.Column(style=SIDE_STYLE, classes=["explore-controls"]):
            RunControls()
            ParamPanel()
        with solara.Column(style="flex: 1; min-width: 0; padding: 8px 12px;", classes=["explore-main"]):
            if m is None:
                solara.ProgressLinear(True)
                Para(t("working"))
            else:
                ExploreMain(m)


SIDE_STYLE = ("width: 360px; flex: none; padding: 8px 12px; border-right: 1px solid #ddd; "
              "height: calc(100vh - 52px); overflow-y: auto; position: sticky; top: 0;")


@solara.component
def ExploreMain(m):
    """The run's figures, charts and panels, redrawn after every step (`session.tick`).

    Only this part of the page reads the tick: the controls and the parameters beside it
    (`Explore`, `RunControls`, `ParamPanel`) are not made anew at every step."""
    tick = session.tick.value
    df = backend.frame(m)
    clients = session.model_settings.value[2] if session.model_settings.value else session.view.value.clients
    Html(html.escape(t("explore_intro", n=i18n.num(clients, decimals=0), first=FIRST_SCREEN_MONTHS)),
         tag="p", style="margin: 2px 0 8px 0; max-width: 980px; font-size: 14px;", classes=["explore-intro"])
    Kpis(m, df)
    ps = backend.params_in_force(m)
    if ps:
        shown = changes_text({k: ps[k] for k in session.view.value.overrides if k in ps}, sep="; ")
        if shown:
            Html(f"<b>{html.escape(t('in_model'))}:</b> <span class='in-model'>{html.escape(shown)}</span>",
                 style="font-size: 12px;")
    Charts(df)
    DashboardView(df, backend.month(m), tick)
    # every panel gets `tick`: a component whose arguments did not change is not redrawn
    PopulationPanel(m, tick)
    with solara.Columns([1, 1]):
        with solara.Column():
            AlgorithmPanel(m, df)
        with solara.Column():
            CouncilPanel(m, tick)
    p = session.player.value
    loops = f"{p.loops} {p.most_loops}" if p is not None else "0 0"
    step_ms = p.step_ms if p is not None else 0.0
    Html(f"<span class='step-ms' style='color:#999;font-size:11px'>"
         f"{html.escape(t('step_ms', ms=i18n.num(step_ms, decimals=0)))}</span>"
         f"<span class='play-loops' style='display:none'>{loops}</span>")
    DrawnReport(tick, on_drawn=page_drew)  # last: its message is the redraw's last (Play waits for it)


def page_drew(tick: int) -> None:
    """The page painted redraw `tick`: tell the play loop, if the session has one."""
    p = session.player.value
    if p is not None:
        p.page_drew(tick)
