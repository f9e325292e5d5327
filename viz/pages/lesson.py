"""Lesson: a fatal remedy in six steps, built on the seed's carer case.

A woman on bijstand cares for her mother with dementia (a mantelzorger). She
does not report her mother's savings — not out of intent, but because she does
not know it counts. The warehouse finds a mismatch, the fraud algorithm flags
her, the all-or-nothing regime sanctions her as a fraudster, and the algorithm
learns from its own verdict. Then the same population under service, and what
happens when control is switched off again (the `reversal` scenario).

The runs are made once per session (a few seconds) and the lesson shows them
month by month; the story of "our" mantelzorger is found in the run itself.
"""

from __future__ import annotations

import html

import numpy as np
import solara
import solara.lab

from fatal_remedies.model.states import Event

from .. import backend, charts, i18n, session
from ..i18n import t
from ..widgets import FigureEcharts, Heading, Html, Para, StoryList
from .explore import chart_options

LESSON_CLIENTS = 1500
LESSON_SEED = 11
LESSON_MONTHS = 120
SWITCH_MONTH = 61
MIN_CASE_MONTH = 13

STEPS = [
    {
        "title": ("Meet a mantelzorger", "Maak kennis met een mantelzorger"),
        "text": ("Our municipality runs bijstand the control way (datasturing): a data warehouse links all "
                 "records, a risk algorithm picks whom to investigate, and any irregularity counts as fraud. "
                 "Among {n} people is a woman on bijstand who cares for her mother with dementia.",
                 "Onze gemeente voert de bijstand uit op de controlerende manier (datasturing): een datawarehouse "
                 "koppelt alle registraties, een risicoalgoritme kiest wie onderzocht wordt, en elke "
                 "onregelmatigheid telt als fraude. Onder {n} mensen is een vrouw in de bijstand die zorgt voor "
                 "haar moeder met dementie."),
        "look": ("Her traits, and her trust in the municipality at the start.",
                 "Haar kenmerken, en haar vertrouwen in de gemeente bij de start."),
    },
    {
        "title": ("A change she does not report", "Een wijziging die ze niet meldt"),
        "text": ("Her mother's savings should have been reported under the duty to inform "
                 "(inlichtingenplicht). She did not know they counted: caring takes her time, the forms are "
                 "many. In the model: a change in circumstances that was not reported, without intent.",
                 "Het spaargeld van haar moeder had gemeld moeten worden (inlichtingenplicht). Ze wist niet dat "
                 "het meetelde: de zorg kost haar tijd, de formulieren zijn talrijk. In het model: een wijziging "
                 "in omstandigheden die niet gemeld werd, zonder opzet."),
        "look": ("Her story so far, and how many people are flagged each month who did nothing on purpose "
                 "(false flags).",
                 "Haar verhaal tot nu toe, en hoeveel mensen per maand gesignaleerd worden die niets met opzet "
                 "deden (valse signaleringen)."),
    },
    {
        "title": ("Flagged and sanctioned", "Gesignaleerd en gesanctioneerd"),
        "text": ("The warehouse finds the mismatch, the algorithm ranks her high, an investigation follows. "
                 "Under the all-or-nothing regime the error counts as fraud: repayment, a fine, the benefit "
                 "stopped. Her trust collapses, and her acquaintances hear about it.",
                 "Het warehouse vindt de afwijking, het algoritme zet haar hoog, er volgt een onderzoek. Onder "
                 "het alles-of-niets-regime telt de fout als fraude: terugvordering, boete, uitkering gestopt. "
                 "Haar vertrouwen stort in, en haar kennissen horen ervan."),
        "look": ("Wrongful sanctions against fraud actually found, and her trust line.",
                 "Onterechte sancties tegenover werkelijk gevonden fraude, en haar vertrouwenslijn."),
    },
    {
        "title": ("The algorithm learns from its own verdict", "Het algoritme leert van zijn eigen oordeel"),
        "text": ("At its next retraining the algorithm learns from the cases it chose itself, labelled with "
                 "whatever the investigation concluded. Her case is now a 'fraud' case: being a mantelzorger, "
                 "not speaking Dutch well, seeing the klantmanager often weigh in the next ranking. A fatal "
                 "remedy: the control creates the pattern it then finds.",
                 "Bij de volgende training leert het algoritme van de gevallen die het zelf koos, met als label "
                 "wat het onderzoek concludeerde. Haar geval is nu een 'fraudegeval': mantelzorger zijn, slecht "
                 "Nederlands spreken, vaak bij de klantmanager komen tellen mee in de volgende rangschikking. Een "
                 "fatale remedie: de controle maakt het patroon dat ze daarna vindt."),
        "look": ("The weight of each feature after retraining, and how much more often mantelzorgers are "
                 "flagged than others (1 = as often).",
                 "Het gewicht van elk kenmerk na de training, en hoeveel vaker mantelzorgers gesignaleerd worden "
                 "dan anderen (1 = even vaak)."),
    },
    {
        "title": ("The same people under service", "Dezelfde mensen onder dienstverlening"),
        "text": ("Now the same population, the same seed, under the service scenario (dienstverlening): a "
                 "vaste klantmanager, a cliëntenraad with data access, low information burden, error is not "
                 "fraud, data used to rank who needs support.",
                 "Nu dezelfde populatie, dezelfde seed, onder het scenario dienstverlening: een vaste "
                 "klantmanager, een cliëntenraad met toegang tot data, een lage informatielast, een fout is geen "
                 "fraude, data gebruikt om te zien wie steun nodig heeft."),
        "look": ("Her story under service; wrongful sanctions and trust in both scenarios after five years.",
                 "Haar verhaal onder dienstverlening; onterechte sancties en vertrouwen in beide scenario's na vijf "
                 "jaar."),
    },
    {
        "title": ("Control switched off again", "De controle weer uitgezet"),
        "text": ("In month {switch} the municipality switches from control to service (the reversal scenario). "
                 "Sanctions stop at once; trust, lost fast, returns slowly, and people who gave up their benefit "
                 "come back only gradually. Five years of control leave a mark.",
                 "In maand {switch} stapt de gemeente over van controle naar dienstverlening (scenario reversal). "
                 "De sancties stoppen meteen; vertrouwen, snel verloren, keert langzaam terug, en wie afhaakte "
                 "komt maar geleidelijk terug. Vijf jaar controle laten sporen na."),
        "look": ("Trust and non-take-up after the switch, against a municipality that served from the start.",
                 "Vertrouwen en niet-gebruik na de overstap, naast een gemeente die vanaf het begin dienstverlenend "
                 "was."),
    },
]


def _pick(pair) -> str:
    return pair[1] if i18n.lang.value == "nl" else pair[0]


def _run(scenario: str, track_slot_fn=None, progress=None, offset=0.0, follow: int | None = None):
    m = backend.make_model(scenario, LESSON_CLIENTS, LESSON_SEED, record_events=True)
    weights = {}
    followed = m.client(follow) if follow is not None else None
    m.__dict__["_lesson_history"] = history = []
    for month in range(1, LESSON_MONTHS + 1):
        m.step()
        backend.after_step(m)
        history.append((m.trust.astype(np.float32), m.pid.copy()))
        algo = m.algorithm
        if getattr(algo, "trained_month", None) == m.month and algo.purpose == "fraud":
            weights[m.month] = algo.feature_weights()
        if track_slot_fn is not None:
            track_slot_fn(m)
        if progress is not None and month % 10 == 0:
            progress(offset + 50.0 * month / LESSON_MONTHS)
    return m, weights, followed


def prepare(progress=None) -> dict:
    """Run reversal (control, then service from month 61) and service with one seed; find her."""
    found: dict = {}

    def watch(m):
        if "slot" in found or m.month >= SWITCH_MONTH:
            return
        now = np.flatnonzero(m.last_wrongful == m.month)
        carers = [int(s) for s in now if m.carer[s]]
        for s in carers:
            view = m.client(s)
            codes = [c for _, c in m.events.story(view.pid)]
            original = view.pid < m.n  # there from month 0: the same person in the service run
            if not found.get("fallback"):
                found["fallback"] = (s, view, m.month)
            # a case late enough that the algorithm has been trained before it flags her
            first = codes.count(Event.SANCTIONED_WRONGFULLY) == 1  # her first sanction is this one
            if Event.CHANGE_UNREPORTED in codes and original and first and m.month >= MIN_CASE_MONTH:
                found["slot"], found["view"], found["month"] = s, view, m.month
                return

    ctrl, weights, _ = _run("reversal", watch, progress, 0.0)
    if "slot" not in found and "fallback" in found:
        found["slot"], found["view"], found["month"] = found["fallback"]
    slot = found.get("slot", 0)
    her = found.get("view") or ctrl.client(slot)
    serv, _, serv_view = _run("service", None, progress, 50.0, follow=slot)
    if serv_view.pid != her.pid:
        serv_view = None
    story = her.story()
    months_of = {}
    for mo, txt in story:
        months_of.setdefault(txt, mo)
    from fatal_remedies.model.agents import EVENT_TEXT

    unreported = [mo for mo, txt in story if txt == EVENT_TEXT[Event.CHANGE_UNREPORTED]]
    sanction_month = found.get("month", 24)
    changed = [mo for mo in unreported if mo <= sanction_month]
    retrain = [mo for mo in sorted(weights) if mo >= sanction_month]
    her_trust = [float(tr[slot]) if pid[slot] == her.pid else float("nan")
                 for tr, pid in ctrl.__dict__["_lesson_history"]]
    ctrl_frame = ctrl.metrics_frame()
    ctrl_frame["her_trust"] = her_trust
    return {
        "ctrl": ctrl_frame, "serv": serv.metrics_frame(), "story": story,
        "serv_story": serv_view.story() if serv_view is not None else [],
        "traits": dict(her.traits), "pid": her.pid, "weights": weights,
        "months": [0, changed[-1] if changed else max(1, sanction_month - 3), sanction_month,
                   retrain[0] if retrain else min(LESSON_MONTHS, sanction_month + 6), 60, LESSON_MONTHS],
        "found": "slot" in found,
    }


@solara.lab.task(prefer_threaded=True)
def prepare_task() -> dict:
    def prog(p):
        prepare_task.progress = p

    return prepare(prog)


@solara.component
def StepView(data: dict, i: int):
    month = data["months"][i]
    step = STEPS[i]
    ctrl = data["ctrl"][data["ctrl"].month <= month]
    style = {"style": "height: 280px; width: 100%;"}
    with solara.Columns([2, 3]):
        with solara.Column():
            Heading(_pick(step["title"]), 3)
            Html(f"<p class='lesson-text'>{html.escape(_pick(step['text']).format(n=i18n.num(LESSON_CLIENTS, decimals=0), switch=SWITCH_MONTH))}</p>")
            Html(f"<p><b>{html.escape(t('lesson_look'))}:</b> {html.escape(_pick(step['look']))}</p>")
            Html(f"<p class='lesson-month'><b>{html.escape(t('month'))} {month}</b></p>")
            traits = data["traits"]
            shown = [i18n.group_label(k) for k, v in traits.items() if v is True]
            Html(f"<p style='font-size:12px'><b>{html.escape(t('traits'))}:</b> {html.escape(', '.join(shown))}</p>")
            Heading(t("lesson_her") + (f" ({t('lesson_under_control')})" if i == 4 else ""), 4)
            StoryList(data["story"], cls="lesson-story", limit=80, height=300,
                      month=month if i < 4 else 60 if i == 4 else month)
            if i == 4:
                Heading(f"{t('lesson_her')} ({t('lesson_under_service')})", 4)
                StoryList(data["serv_story"], cls="lesson-story-service", limit=80, height=300, month=60)
        with solara.Column():
            if i == 0:
                opts = chart_options(data["ctrl"][data["ctrl"].month <= 12])
                FigureEcharts(option=opts["trust"], attributes={**style, "class": "lesson-chart"})
            elif i == 1:
                opts = chart_options(ctrl)
                FigureEcharts(option=opts["flags"], attributes={**style, "class": "lesson-chart"})
            elif i == 2:
                opts = chart_options(ctrl)
                FigureEcharts(option=opts["sanctions"], attributes={**style, "class": "lesson-chart"})
                trust = charts.lines(ctrl, [("mean_trust", t("s_trust")), ("trust_carer", i18n.group_label("carer")),
                                            ("her_trust", t("lesson_her_trust"))], t("ch_trust"), x_name=t("month"))
                trust["yAxis"].update({"min": 0, "max": 1})
                FigureEcharts(option=trust, attributes={**style, "class": "lesson-trust"})
            elif i == 3:
                w = data["weights"].get(month)
                if w is not None:
                    w = w.reindex(w.abs().sort_values(ascending=False).index)
                    FigureEcharts(option=charts.hbar([i18n.feature(n) for n in w.index], w.values,
                                                            t("algo_weights"), color=charts.PALETTE[3]),
                                         attributes={**style, "class": "lesson-chart"})
                ratio = charts.lines(ctrl, [("flag_ratio_carer", i18n.group_label("carer")),
                                            ("flag_ratio_language", i18n.group_label("language"))],
                                     t("algo_ratios"), x_name=t("month"))
                FigureEcharts(option=ratio, attributes=style)
            else:
                upto = month
                both = _merge(data, upto)
                ctrl_name, serv_name = t("lesson_series_reversal", switch=SWITCH_MONTH), t("lesson_series_service")
                FigureEcharts(option=charts.lines(both, [("cum_wrong_c", ctrl_name),
                                                                ("cum_wrong_s", serv_name)],
                                                         i18n.cumulative_label("wrongful_sanctions"),
                                                         x_name=t("month")),
                                     attributes={**style, "class": "lesson-chart"})
                ntu = i18n.metric_label("non_take_up")
                opt = charts.lines(both, [("trust_c", f"{i18n.metric_label('mean_trust')}: {ctrl_name}"),
                                          ("trust_s", f"{i18n.metric_label('mean_trust')}: {serv_name}"),
                                          ("ntu_c", f"{ntu}: {ctrl_name}"), ("ntu_s", f"{ntu}: {serv_name}")],
                                   t("ch_trust"), x_name=t("month"))
                opt["yAxis"].update({"min": 0, "max": 1})
                if i == 5:
                    opt["series"][0]["markLine"] = {"silent": True, "symbol": "none",
                                                    "data": [{"xAxis": SWITCH_MONTH}]}
                FigureEcharts(option=opt, attributes=style)


def _merge(data, upto):
    import pandas as pd

    c = data["ctrl"][data["ctrl"].month <= upto]
    s = data["serv"][data["serv"].month <= upto]
    return pd.DataFrame({
        "month": c["month"].to_numpy(),
        "cum_wrong_c": c["wrongful_sanctions"].cumsum().to_numpy(),
        "cum_wrong_s": s["wrongful_sanctions"].cumsum().to_numpy(),
        "trust_c": c["mean_trust"].to_numpy(), "trust_s": s["mean_trust"].to_numpy(),
        "ntu_c": c["non_take_up"].to_numpy(), "ntu_s": s["non_take_up"].to_numpy(),
    })


@solara.component
def Lesson():
    i = session.lesson_step.value
    result = prepare_task.value if isinstance(prepare_task.value, dict) else None
    solara.use_effect(lambda: prepare_task() if prepare_task.value is None and not prepare_task.pending else None, [])
    with solara.Column(style="padding: 8px 16px;", classes=["lesson"]):
        Heading(t("lesson_title"), 2)
        if result is None:
            if prepare_task.error:
                solara.Error(str(prepare_task.exception))
            Para(t("lesson_preparing"))
            solara.ProgressLinear(prepare_task.progress or True)
            return
        with solara.Row(gap="8px", style="align-items: center;"):
            solara.Button(t("lesson_prev"), on_click=lambda: session.lesson_step.set(max(0, i - 1)),
                          disabled=i == 0, classes=["btn-lesson-prev"])
            Html(f"<span class='lesson-counter'>{html.escape(t('lesson_step', i=i + 1, n=len(STEPS)))}</span>")
            solara.Button(t("lesson_next"), color="primary",
                          on_click=lambda: session.lesson_step.set(min(len(STEPS) - 1, i + 1)),
                          disabled=i >= len(STEPS) - 1, classes=["btn-lesson-next"])
            if i >= len(STEPS) - 1:
                Html(f"<b class='lesson-done'>{html.escape(t('lesson_done'))}</b>")
                solara.Button(t("lesson_restart"), text=True, on_click=lambda: session.lesson_step.set(0),
                              classes=["btn-lesson-restart"])
        StepView(result, i)
