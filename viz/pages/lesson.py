"""Lesson: a fatal remedy in seven steps, written by the run it shows.

One person's story (a carer, the seed's case), flagged, sanctioned, the algorithm learning from its
own verdict, the municipality's dashboard showing "more fraud found" and control tightening (the
fatal remedy closing its loop), the same people under service, and control switched off again.

Why this page computes nothing: every sentence that states a number, a direction or a comparison
comes from `analysis.lesson.facts` (the run's own frames, dashboard readings and lever changes,
same seed) and is worded by `viz.i18n_lesson.render`; when the run does not show what the paper's
story says, the sentence says what it does show. Each sentence carries its template key and values
as data attributes, so the browser test and `docs/walkthrough.py` can check it.

A teacher's mode (toggle, or the link /lesson/teacher) shows large text and one chart at a time;
the ← and → keys move between steps in either mode.
"""

from __future__ import annotations

import html
import json

import ipyvue
import pandas as pd
import solara
import solara.lab
import traitlets

from fatal_remedies.analysis import lesson as L
from fatal_remedies.model.agents import EVENT_TEXT
from fatal_remedies.model.states import Event

from .. import charts, i18n, session
from ..i18n import t
from ..i18n_lesson import SEED_SECTIONS, SENTENCES, STEP_LOOK, STEP_TITLES, pick, render
from ..widgets import FigureEcharts, Heading, Html, Progress, StoryList

teacher = solara.reactive(False)
"""Teacher's mode for this session: large text, one chart at a time."""
chart_index = solara.reactive(0)
"""Which of the step's charts teacher's mode shows."""

CSS = """
.lesson-teacher .lesson-text { font-size: 26px; line-height: 1.45; }
.lesson-teacher .lesson-fact { display: block; margin-bottom: 10px; }
.lesson-teacher h3 { font-size: 30px; }
.lesson-teacher .lesson-month { font-size: 22px; }
.lesson .lesson-fact { margin-right: 4px; }
.lesson-seed { color: #555; font-size: 12px; }
"""


class _ArrowKeys(ipyvue.VueTemplate):
    """← and → press the lesson's Back and Next buttons (the same path as a click; ignored in a text field)."""

    template = traitlets.Unicode("""
<template><span class="lesson-keys" style="display:none"></span></template>
<script>
module.exports = {
  mounted() {
    this.frKeys = (e) => {
      const tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      const cls = e.key === "ArrowRight" ? ".btn-lesson-next" : e.key === "ArrowLeft" ? ".btn-lesson-prev" : null;
      const btn = cls && document.querySelector(cls);
      if (btn && !btn.disabled) { e.preventDefault(); btn.click(); }
    };
    window.addEventListener("keydown", this.frKeys);
  },
  destroyed() { window.removeEventListener("keydown", this.frKeys); },
};
</script>""").tag(sync=True)


@solara.lab.task(prefer_threaded=True)
def prepare_task() -> dict:
    """Run the lesson once per session (a few seconds) and compute its facts."""
    def prog(p):
        prepare_task.progress = p

    run = L.run_lesson(progress=prog)
    return {"run": run, "steps": L.facts(run)}


def _story(events) -> list[tuple[int, str]]:
    return [(mo, EVENT_TEXT[Event(code)]) for mo, code in (events or [])]


def _sentence_html(s: L.Sentence) -> str:
    text = render(s.key, s.values, i18n.lang.value)
    values = html.escape(json.dumps(s.values, default=str), quote=True)
    return f"<span class='lesson-fact' data-key='{s.key}' data-values='{values}'>{html.escape(text)}</span>"


def _upto(df: pd.DataFrame, month: int) -> pd.DataFrame:
    return df[df["month"] <= month]


def _dashboard_option(run: L.LessonRun, month: int) -> dict:
    """Fraud found per 1,000 at each quarterly reading (bars; dark when control tightened) and control intensity."""
    reads = [r for r in run.readings if int(r["month"]) <= month]
    opt = charts.lines(_upto(run.ctrl, month), [("control_intensity", t("lesson_intensity"))],
                       t("lesson_dash_chart"), x_name=t("month"), colors=(charts.PALETTE[3],))
    # the legend names both axes' series with their units (axis names would sit on the legend)
    opt["yAxis"] = [{"type": "value", "min": 0}, {"type": "value", "min": 0, "max": 1}]
    for s in opt["series"]:
        s["yAxisIndex"] = 1
    opt["series"].insert(0, {
        "name": t("lesson_found"), "type": "bar", "barMaxWidth": 10, "color": charts.PALETTE[1],
        "data": [{"value": [int(r["month"]), round(float(r["fraud_found_per_1000"]), 3)],
                  "itemStyle": {"opacity": 1.0 if r.get("pressure", 0) > 0 else 0.35}} for r in reads]})
    opt["grid"]["right"] = 48
    return opt


def _both(run: L.LessonRun, month: int) -> pd.DataFrame:
    c, s = _upto(run.ctrl, month), _upto(run.serv, month)
    return pd.DataFrame({
        "month": c["month"].to_numpy(),
        "cum_wrong_c": c["wrongful_sanctions"].cumsum().to_numpy(),
        "cum_wrong_s": s["wrongful_sanctions"].cumsum().to_numpy(),
        "trust_c": c["mean_trust"].to_numpy(), "trust_s": s["mean_trust"].to_numpy(),
        "ntu_c": c["non_take_up"].to_numpy(), "ntu_s": s["non_take_up"].to_numpy(),
    })


def step_charts(run: L.LessonRun, step: L.Step) -> list[tuple[str, dict]]:
    """The step's charts, each (css class, ECharts option), every one drawn up to the step's month."""
    mo, m = t("month"), step.month
    c = _upto(run.ctrl, m)
    lab = i18n.metric_label
    trust_series = [("mean_trust", t("s_trust")), ("trust_carer", i18n.group_label("carer")),
                    ("her_trust", t("lesson_her_trust"))]
    out: list[tuple[str, dict]] = []
    if step.key == "meet":
        opt = charts.lines(c, trust_series, t("ch_trust"), x_name=mo)
        opt["yAxis"].update({"min": 0, "max": 1})
        out.append(("lesson-chart-trust", opt))
    elif step.key == "flagged":
        out.append(("lesson-chart-flags", charts.lines(
            c, [("fraud_flags", lab("fraud_flags")), ("false_fraud_flags", lab("false_fraud_flags"))],
            t("ch_flags"), x_name=mo)))
    elif step.key == "sanctioned":
        out.append(("lesson-chart-sanctions", charts.lines(
            c, [("wrongful_sanctions", lab("wrongful_sanctions")), ("fraud_sanctions", lab("fraud_sanctions"))],
            i18n.cumulative_label("wrongful_sanctions"), x_name=mo,
            cumulative=("wrongful_sanctions", "fraud_sanctions"), colors=(charts.PALETTE[1], charts.PALETTE[0]))))
        opt = charts.lines(c, trust_series, t("ch_trust"), x_name=mo)
        opt["yAxis"].update({"min": 0, "max": 1})
        out.append(("lesson-chart-trust", opt))
    elif step.key == "learns":
        w = run.weights.get(m)
        if w is not None:
            w = w.reindex(w.abs().sort_values(ascending=False).index)
            out.append(("lesson-chart-weights", charts.hbar([i18n.feature(n) for n in w.index], w.values,
                                                            t("algo_weights"), color=charts.PALETTE[3])))
        out.append(("lesson-chart-ratios", charts.lines(
            c, [("flag_ratio_carer", i18n.group_label("carer")), ("flag_ratio_language", i18n.group_label("language"))],
            t("algo_ratios"), x_name=mo)))
    elif step.key == "dashboard":
        out.append(("lesson-chart-dashboard", _dashboard_option(run, m)))
    else:
        both = _both(run, m)
        cn, sn = t("lesson_series_reversal", switch=run.switch), t("lesson_series_service")
        if step.key == "service":
            out.append(("lesson-chart-wrongful", charts.lines(
                both, [("cum_wrong_c", cn), ("cum_wrong_s", sn)], i18n.cumulative_label("wrongful_sanctions"),
                x_name=mo)))
        trust, ntu = lab("mean_trust"), lab("non_take_up")
        opt = charts.lines(both, [("trust_c", f"{trust}: {cn}"), ("trust_s", f"{trust}: {sn}"),
                                  ("ntu_c", f"{ntu}: {cn}"), ("ntu_s", f"{ntu}: {sn}")], t("ch_trust"), x_name=mo)
        opt["yAxis"].update({"min": 0, "max": 1})
        if step.key == "reversal" and opt["series"]:
            opt["series"][0]["markLine"] = {"silent": True, "symbol": "none", "data": [{"xAxis": run.switch}]}
        out.append(("lesson-chart-trust", opt))
    return out


@solara.component
def StepView(data: dict, i: int, teaching: bool):
    run: L.LessonRun = data["run"]
    step: L.Step = data["steps"][i]
    lang = i18n.lang.value
    month = step.month
    section, lines = pick(SEED_SECTIONS[step.key], lang), L.SEED_PASSAGES[step.key][1]
    height = "420px" if teaching else "280px"
    panels = step_charts(run, step)
    if teaching:
        k = min(chart_index.value, len(panels) - 1)
        shown = panels[k:k + 1]
    else:
        shown = panels
    with solara.Columns([2, 3] if not teaching else [1, 1]):
        with solara.Column():
            Heading(pick(STEP_TITLES[step.key], lang), 3)
            Html(f"{html.escape(t('month'))} <span class='lesson-month-n'>{month}</span>", tag="p",
                 classes=["lesson-month"], style="font-weight: 600; margin: 0;")
            Html(" ".join(_sentence_html(s) for s in step.sentences), tag="p", classes=["lesson-text"])
            if not teaching:
                Html(f"<b>{html.escape(t('lesson_look'))}:</b> {html.escape(pick(STEP_LOOK[step.key], lang))}",
                     tag="p")
            Html(f"{html.escape(t('lesson_seed_passage'))}: "
                 f"{html.escape(t('lesson_seed_ref', section=section, lines=lines))}", tag="p",
                 classes=["lesson-seed"])
            if not teaching and run.her.rule != "none":
                shown_traits = [i18n.group_label(k) for k, v in run.her.traits.items() if v is True]
                Html(f"<b>{html.escape(t('traits'))}:</b> {html.escape(', '.join(shown_traits))}", tag="p",
                     style="font-size: 12px")
                under = f" ({t('lesson_under_control')})" if step.key == "service" else ""
                Html(f"{html.escape(t('lesson_her') + under)} <span class='lesson-panel-month'>· {html.escape(t('month'))} "
                     f"{month}</span>", tag="h4", style="margin: 8px 0 4px 0;")
                StoryList(_story(run.her.events), cls="lesson-story", limit=80, height=260, month=month)
                if step.key == "service":
                    Html(f"{html.escape(t('lesson_her'))} ({html.escape(t('lesson_under_service'))}) "
                         f"<span class='lesson-panel-month'>· {html.escape(t('month'))} {month}</span>", tag="h4",
                         style="margin: 8px 0 4px 0;")
                    StoryList(_story(run.her.service_events), cls="lesson-story-service", limit=80, height=260,
                              month=month)
        with solara.Column():
            for cls, opt in shown:
                Html(f"{html.escape(t('month'))} {month}", tag="div", classes=["lesson-panel-month"],
                     style="font-size: 12px; color: #555;")
                FigureEcharts(option=opt, attributes={"style": f"height: {height}; width: 100%;",
                                                      "class": f"lesson-chart {cls}"})
            if teaching and len(panels) > 1:
                with solara.Row(style="align-items: center;"):
                    Html(html.escape(t("lesson_chart_n", i=min(chart_index.value, len(panels) - 1) + 1,
                                       n=len(panels))), tag="span", classes=["lesson-chart-counter"])
                    solara.Button(t("lesson_chart_next"), text=True, classes=["btn-lesson-chart"],
                                  on_click=lambda: chart_index.set((chart_index.value + 1) % len(panels)))


@solara.component
def Lesson():
    router = solara.use_router()
    solara.Style(CSS)
    from_link = "teacher" in (router.parts or [])[1:]
    # the link /lesson/teacher opens teacher's mode once; the toggle may leave it afterwards
    solara.use_effect(lambda: teacher.set(True) if from_link else None, [])
    i = session.lesson_step.value
    result = prepare_task.value if isinstance(prepare_task.value, dict) else None
    solara.use_effect(lambda: prepare_task() if prepare_task.value is None and not prepare_task.pending else None, [])
    teaching = teacher.value
    with solara.Column(style="padding: 8px 16px;", classes=["lesson"] + (["lesson-teacher"] if teaching else [])):
        Heading(t("lesson_title"), 2)
        if result is None:
            if prepare_task.error:
                solara.Error(str(prepare_task.exception))
            Html(html.escape(t("lesson_preparing")), tag="p")
            Progress(prepare_task.progress)
            return
        n = len(result["steps"])
        i = min(i, n - 1)

        def go(j):
            chart_index.set(0)
            session.lesson_step.set(j)

        _ArrowKeys.element()
        with solara.Row(gap="8px", style="align-items: center;"):
            solara.Button(t("lesson_prev"), on_click=lambda: go(max(0, i - 1)), disabled=i == 0,
                          classes=["btn-lesson-prev"])
            Html(f"<span class='lesson-counter'>{html.escape(t('lesson_step', i=i + 1, n=n))}</span>")
            solara.Button(t("lesson_next"), color="primary", on_click=lambda: go(min(n - 1, i + 1)),
                          disabled=i >= n - 1, classes=["btn-lesson-next"])
            if i >= n - 1:
                Html(f"<b class='lesson-done'>{html.escape(t('lesson_done'))}</b>")
                solara.Button(t("lesson_restart"), text=True, on_click=lambda: go(0), classes=["btn-lesson-restart"])
            solara.v.Spacer()
            solara.Switch(label=t("lesson_teacher"), value=teacher, classes=["lesson-teacher-toggle"])
        if teaching:
            Html(html.escape(t("lesson_teacher_hint")), tag="p", style="color: #555; margin: 0;")
        else:
            Html(html.escape(t("lesson_run", n=i18n.num(result["run"].clients, decimals=0), seed=result["run"].seed)),
                 tag="p", classes=["lesson-run"], style="color: #555; margin: 0;")
        StepView(result, i, teaching)


STEPS = [{"title": STEP_TITLES[k], "look": STEP_LOOK[k]} for k in L.STEP_KEYS]
"""Each step's fixed words (EN, NL); its sentences are the run's (`SENTENCES`, filled by `render`)."""
STEPS[L.STEP_KEYS.index("service")]["text"] = SENTENCES["serv_regime"]
STEPS[0]["text"] = SENTENCES["meet_who"]

__all__ = ["Lesson", "SENTENCES", "STEPS"]
