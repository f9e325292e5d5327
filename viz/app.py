"""The Solara app: `fatal-remedies ui` serves this module.

Pages: Explore (/), Compare (/compare), Sensitivity (/sensitivity),
Lesson (/lesson), Report (/report). The language switch and the navigation
keep the session's state; the URL's query string carries the view
(see `viz.urlstate`).
"""

from __future__ import annotations

import html

import solara

from . import backend, i18n, session, urlstate
from .i18n import t
from .pages.compare import Compare
from .pages.explore import Explore
from .pages.lesson import Lesson
from .pages.limits import Limits
from .pages.report import Report
from .pages.sensitivity import Sensitivity
from .widgets import Html

PAGES = (("", "nav_explore"), ("compare", "nav_compare"), ("sensitivity", "nav_sensitivity"),
         ("lesson", "nav_lesson"), ("report", "nav_report"), ("limits", "nav_limits"))

CSS = """
.v-application .v-toolbar__content { gap: 4px; }
.fr-bar .v-btn { text-transform: none; color: white !important; background: transparent !important;
  box-shadow: none !important; }
.fr-bar .v-btn.fr-active { background: rgba(255,255,255,0.22) !important; }
.fr-bar .fr-nav, .fr-bar .fr-lang { background: transparent !important; }
table.fr-table { border-collapse: collapse; font-size: 13px; }
table.fr-table td, table.fr-table th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
table.fr-table td:first-child, table.fr-table th:first-child { text-align: left; }
.council-table td { border-bottom: 1px solid #eee; padding: 3px 6px; vertical-align: top; }
""" + """
/* Solara's own bar at the top, shown while the server takes longer than 0.3 s to answer: Vuetify
   moves its two stripes by their left and right edges, so the page was laid out and repainted 60
   times a second for as long as it showed (under load, for most of every step: with ten pages on
   two cores, 60 frames a second in each). The same stripes, moved the same way by a transform,
   which the compositor animates without the page. */
.v-application--wrap > .v-progress-linear .v-progress-linear__indeterminate .long,
.v-application--wrap > .v-progress-linear .v-progress-linear__indeterminate .short {
  left: 0; right: auto; width: 100%; transform-origin: left center; will-change: transform; }
.v-application--wrap > .v-progress-linear .v-progress-linear__indeterminate--active .long { animation-name: fr-busy-long; }
.v-application--wrap > .v-progress-linear .v-progress-linear__indeterminate--active .short { animation-name: fr-busy-short; }
@keyframes fr-busy-long { 0% { transform: translateX(-90%) scaleX(0.9); } 60% { transform: translateX(-90%) scaleX(0.9); }
  to { transform: translateX(100%) scaleX(0.35); } }
@keyframes fr-busy-short { 0% { transform: translateX(-200%) scaleX(2); } 60% { transform: translateX(107%) scaleX(0.01); }
  to { transform: translateX(107%) scaleX(0.01); } }
"""


@solara.component
def UrlSync():
    """Read the opening link once; afterwards keep the URL equal to the session's view."""
    router = solara.use_router()

    def load():
        st, errors = urlstate.parse(router.search, backend.scenario_names())
        session.view.set(st)
        session.url_errors.set(tuple(errors))
        i18n.lang.set(st.lang)
        session.url_loaded.set(True)
        session.watch_close()

    solara.use_effect(load, [])
    view = session.view.value
    if session.url_loaded.value:
        query = urlstate.encode(view.with_(lang=i18n.lang.value))
        if (router.search or "") != query:
            router.push(f"{router.path}?{query}")


@solara.component
def Layout(children=[]):  # noqa: B006 - solara's layout signature
    router = solara.use_router()
    solara.Style(CSS)
    UrlSync()
    if not session.url_loaded.value:
        solara.ProgressLinear(True)
        return
    current = router.parts[0] if router.parts else ""

    def go(path):
        q = urlstate.encode(session.view.value.with_(lang=i18n.lang.value))
        router.push(f"/{path}?{q}")

    def set_lang(code):
        i18n.lang.set(code)
        session.view.set(session.view.value.with_(lang=code))

    with solara.Column(gap="0px", style="min-height: 100vh;", classes=["fr-root"]):
        with solara.Row(classes=["fr-bar"], gap="4px",
                        style="background: #263238; color: white; padding: 4px 12px; align-items: center;"):
            Html(f"<b style='font-size: 18px; margin-right: 16px'>{html.escape(t('app_title'))}</b>")
            with solara.Row(classes=["fr-nav"], gap="2px"):
                for path, key in PAGES:
                    solara.Button(t(key), text=True, dark=True, on_click=lambda p=path: go(p),
                                  classes=[f"nav-{path or 'explore'}"] + (["fr-active"] if path == current else []))
            solara.v.Spacer()
            with solara.Row(classes=["fr-lang"], gap="0px"):
                Html(html.escape(t("language")) + ":", style="align-self: center; margin-right: 4px; color: white;")
                for code in i18n.LANGUAGES:
                    solara.Button(code.upper(), text=True, dark=True, on_click=lambda c=code: set_lang(c),
                                  classes=[f"lang-{code}"] + (["fr-active"] if i18n.lang.value == code else []))
        if session.url_errors.value:
            solara.Warning(t("url_problem") + " " + " · ".join(session.url_errors.value), dense=True,
                           classes=["url-errors"])
        solara.Column(children=children, style="padding: 0; flex: 1;", classes=["fr-page"])
        Html(f"<span style='color:#999;font-size:11px'>fatal-remedies {html.escape(backend.version())} · "
             f"{html.escape(t('app_subtitle'))}</span>", style="padding: 4px 12px;")


routes = [
    solara.Route(path="/", component=Explore, label="Explore", layout=Layout),
    solara.Route(path="compare", component=Compare, label="Compare"),
    solara.Route(path="sensitivity", component=Sensitivity, label="Sensitivity"),
    solara.Route(path="lesson", component=Lesson, label="Lesson"),
    solara.Route(path="report", component=Report, label="Report"),
    solara.Route(path="limits", component=Limits, label="Limits"),
]
