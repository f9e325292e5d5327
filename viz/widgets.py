"""Small shared components: text blocks, validated inputs for registry parameters."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any, Callable

import ipyvue
import solara
import solara.components.echarts as solara_echarts
import traitlets

from fatal_remedies.analysis.formatting import plain
from fatal_remedies.model.params import Param, ParamError

from . import i18n
from .urlstate import typed_number


def field_text(value: Any, lang: str) -> str:
    """A parameter's value in its typed field: the link's form (`plain`), with a decimal comma in Dutch.

    No thousands separator, so that what is shown can be typed back unchanged in either language.
    """
    text = plain(value)
    if lang == "nl" and isinstance(value, float) and not isinstance(value, bool):
        text = text.replace(".", ",")
    return text


def _guarded_echarts_template() -> str:
    """Solara's ECharts template, changed in three places (each checked, so a change in Solara's template
    fails at import instead of silently losing one):

    * `create()` is skipped when the chart's element has left the page. Solara
      loads ECharts asynchronously and only then initialises the chart on its
      element; when the element is gone by then (the user went to another
      page, or a new run replaced the panel), `echarts.init` throws
      "Initialize failed: invalid dom". A chart no longer shown needs no
      initialising, so the guard just returns.
    * It loads `ECHARTS_BUILD`, the minified file.
    * It reads the chart's option from `option_json`, a JSON text, instead of
      the `option` dict (see `FigureEcharts`), and writes numbers the Dutch
      way in Dutch (`_NUMBER_FORMAT_JS`).
    * Each chart is made in a task of its own once ECharts has loaded. All
      charts of a page wait for the same file; made in the one task that
      file's arrival starts, the first chart showed only when all nine were
      made and drawn.
    * A new option is drawn at the next animation frame, once however many
      arrived before it, and only when the chart is in sight (`_REDRAW_JS`).
    """
    text = (Path(solara_echarts.__file__).parent / "echarts.vue").read_text(encoding="utf-8")
    anchor = "    create() {\n      this.chart = this.echarts.init(this.$refs.echarts);"
    build = "/echarts@${version}/dist/echarts.js`"
    watch = "    option() {\n"
    uses = "this.chart.setOption(this.option, true)"
    methods = "    handleContainerResize() {\n"
    loaded = "      this.echarts = echarts;\n      this.create();\n"
    redraw = "      if (this.chart) {\n        this.chart.setOption(this.option, true);\n      }\n"
    made = "      this.chart.setOption(this.option, true);\n      const eventProps"
    destroy = "  beforeDestroy() {\n"
    if (anchor not in text or build not in text or text.count(watch) != 1 or text.count(uses) != 2
            or text.count(methods) != 1 or text.count(loaded) != 1 or text.count(redraw) != 1
            or text.count(made) != 1 or text.count(destroy) != 1):
        raise RuntimeError("solara's echarts.vue changed: re-check viz.widgets.FigureEcharts's template")
    guard = ("    create() {\n"
             "      const el = this.$refs.echarts;\n"
             "      if (this._isDestroyed || !el || !el.isConnected) return;\n"
             "      this.chart = this.echarts.init(el);\n"
             "      this.frQuiet();")
    return (text.replace(anchor, guard, 1)
            .replace(redraw, "      if (this.chart) this.frLater();\n", 1)
            .replace(made, "      this.frSet();\n      this.frWatch(el);\n"
                     "      const eventProps", 1)
            .replace(destroy, destroy + "    this.frUnwatch();\n", 1)
            .replace(build, f"/echarts@${{version}}/{ECHARTS_BUILD}`", 1)
            .replace(watch, "    option_json() {\n", 1)
            .replace(uses, "this.frSet()")
            .replace(methods, _NUMBER_FORMAT_JS + _REDRAW_JS + methods, 1)
            .replace(loaded, "      this.echarts = echarts;\n      setTimeout(() => this.create(), 0);\n", 1))


_NUMBER_FORMAT_JS = """\
    frSet() {
      // Draw the option sent. When nothing but the series' data changed since the last drawing
      // (a step of Explore: the same titles, axes, legends and series, one month more), only the
      // data goes to the chart, merged into the option it has; anything else (the first drawing,
      // another language, a series more or less, a new title) is drawn as a whole new option
      // (notMerge), so no part of an earlier option can stay behind. Merged, ECharts keeps its
      // components (title, legend, axes, tooltip, grid) instead of making them anew.
      // The shape kept for the comparison holds, of each series' data, whether it is empty and
      // how many values an item has: ECharts fixes a series' dimensions from the data it is
      // made with (an empty series gets two), so a series that was empty, or whose items grow
      // a value, is made anew, or the third value of a point (the population's person) is lost.
      const opt = JSON.parse(this.option_json);
      const series = Array.isArray(opt.series) ? opt.series : null;
      let shape = null;
      if (series) {
        const data = series.map(s => s.data);
        const kind = d => (!Array.isArray(d) ? typeof d : d.length === 0 ? "empty"
                           : Array.isArray(d[0]) ? `items of ${d[0].length}` : typeof d[0]);
        for (const s of series) s.data = kind(s.data);
        shape = JSON.stringify(opt);
        series.forEach((s, i) => { s.data = data[i]; });
      }
      if (shape !== null && shape === this.frShape) {
        this.chart.setOption({series: series.map(s => ({data: s.data}))});
      } else {
        this.chart.setOption(this.frOption(opt), true);
        this.frShape = shape;
      }
    },
    frOption(opt) {
      // the option sent as JSON; in Dutch, the value axes and tooltips write numbers the Dutch way
      // (1.500 and 0,35; ECharts' own format is English, where 1,500 reads as 1.5 to a Dutch reader)
      const lang = opt.frLang;
      delete opt.frLang;
      if (lang === "nl") {
        const nf = new Intl.NumberFormat("nl-NL", {maximumFractionDigits: 3});
        const fmt = v => (typeof v === "number" ? nf.format(v) : v);
        const list = a => (Array.isArray(a) ? a : a ? [a] : []);
        for (const ax of [...list(opt.xAxis), ...list(opt.yAxis)]) {
          if (!ax.type || ax.type === "value") ax.axisLabel = Object.assign({}, ax.axisLabel, {formatter: fmt});
        }
        for (const tip of [opt.tooltip, ...list(opt.series).map(s => s.tooltip)]) {
          if (tip && !tip.formatter) tip.valueFormatter = fmt;
        }
        for (const s of list(opt.series)) {
          if (s.label && s.label.show && !s.label.formatter) s.label.formatter = p => fmt(p.value);
        }
      }
      return opt;
    },
"""


_REDRAW_JS = """\
    frQuiet() {
      // zrender (ECharts' drawing layer) keeps an animation-frame loop running after every
      // drawing until 10 frames in a row had nothing to draw: 10 empty frames per chart per step,
      // each a full frame of the page (style, layout, paint, compositing) for nothing. Nothing
      // here animates (`animation: false`), so it may sleep after one still frame; anything that
      // draws (a new option, hovering, a resize) wakes it again.
      const zr = this.chart.getZr();
      if (zr && zr.setSleepAfterStill) zr.setSleepAfterStill(1);
    },
    frLater() {
      // A new option is drawn at the next animation frame, and only once however many came before
      // it: during Play the server can send months faster than a slow computer draws them, and
      // drawing each one queued them up (the screen fell seconds behind). A chart out of sight
      // (below the fold, on a page in a background tab) is not drawn until it comes into sight:
      // a step of Explore redrew nine charts, three of them below the fold, and the drawing was
      // most of the browser's work for a step.
      this.frStale = true;
      if (this.frFrame) return;
      this.frFrame = requestAnimationFrame(() => {
        this.frFrame = null;
        if (this.frSeen !== false) this.frDraw();
      });
    },
    frDraw() {
      if (!this.chart || !this.frStale || this._isDestroyed) return;
      this.frStale = false;
      this.frSet();
    },
    frWatch(el) {
      // frSeen: whether the chart is within 300 px of the window (so it is drawn just before it
      // scrolls into view); undefined until the observer first reports, which counts as in sight
      this.frPrint = () => this.frDraw();  // a printed page shows every chart as it is now
      window.addEventListener("beforeprint", this.frPrint);
      if (!window.IntersectionObserver) return;
      this.frObserver = new IntersectionObserver(entries => {
        for (const e of entries) {
          this.frSeen = e.isIntersecting;
          if (e.isIntersecting) this.frDraw();
        }
      }, {rootMargin: "300px"});
      this.frObserver.observe(el);
    },
    frUnwatch() {
      if (this.frObserver) this.frObserver.disconnect();
      if (this.frFrame) cancelAnimationFrame(this.frFrame);
      if (this.frPrint) window.removeEventListener("beforeprint", this.frPrint);
      this.frObserver = this.frFrame = this.frPrint = null;
    },
"""


ECHARTS_BUILD = "dist/echarts.min.js"
"""The ECharts file the charts load: the same library as Solara's `dist/echarts.js`, minified (1.0 MB
instead of 3.3 MB; 0.33 MB instead of 0.72 MB over the wire). The first chart waits for it: on a first
visit the unminified file took about 0.8 s to arrive and more to parse."""


class _EchartsWidget(solara_echarts.EchartsWidget):
    """Solara's ECharts widget with the changed template (`_guarded_echarts_template`) and its option as JSON."""

    template_file = None
    template = traitlets.Unicode(_guarded_echarts_template()).tag(sync=True)
    option_json = traitlets.Unicode("{}").tag(sync=True)


def _json_default(value: Any) -> Any:
    """A numpy number in a chart option, as the plain number JSON can hold."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"a chart option holds {type(value).__name__}, which is not JSON")


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_none(v) for v in value]
    return value


def FigureEcharts(option: dict, attributes: dict, on_click: Callable[[Any], None] | None = None) -> solara.Element:
    """An ECharts chart (as `solara.FigureEcharts`) that never initialises on an element gone from the page.

    The option goes to the page as one JSON text, not as a dict: Reacton walks
    every list and dict in an element's arguments looking for child elements,
    which for a chart's data (every point a list) was most of the server's time
    for a step of the Explore page. A text is compared and sent as it is. This is
    a function, not a component, for the same reason: a component's element would
    hold the option dict among its arguments, and Reacton walked it (the population
    chart's 500 points among them) each time the element was made and compared.
    """
    option = {**option, "frLang": i18n.lang.value}  # the template formats numbers for this language
    try:
        text = json.dumps(option, separators=(",", ":"), default=_json_default, allow_nan=False)
    except ValueError:  # a NaN or an infinity, which JSON cannot hold: ECharts draws a gap for null
        text = json.dumps(_finite_or_none(option), separators=(",", ":"), default=_json_default)
    return _EchartsWidget.element(option_json=text, attributes=attributes, on_click=on_click,
                                  on_mouseover_enabled=False, on_mouseout_enabled=False, maps={},
                                  responsive=False)


class _DrawnReportWidget(ipyvue.VueTemplate):
    """Tells the server, after the page has painted, the last redraw number (`tick`) it got."""

    template = traitlets.Unicode("""
<template><span class="drawn-report" style="display: none"></span></template>
<script>
module.exports = {
  mounted() { this.report(); },
  watch: { tick() { this.report(); } },
  methods: {
    report() {
      const tick = this.tick;
      // the first callback runs before the next frame is painted, the second after it; a tab in
      // the background paints nothing and reports nothing
      requestAnimationFrame(() => requestAnimationFrame(() => this.drawn(tick)));
    }
  }
}
</script>""").tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    on_drawn = traitlets.Callable(None, allow_none=True)

    def vue_drawn(self, data, buffers=None):
        if self.on_drawn is not None:
            self.on_drawn(data)


def DrawnReport(tick: int, on_drawn: Callable[[int], None]) -> solara.Element:
    """An invisible element that calls `on_drawn(tick)` once the page has applied and painted redraw `tick`.

    The play loop waits for it before the next month (`pages.explore.Player`): without it, Play sent
    months as fast as the server made them, and a page slower than the server (ten pages on two
    cores) skipped months it had been sent while the server spent its CPU making them. Placed
    last in the redraw, its change is the redraw's last message to the page.
    """
    return _DrawnReportWidget.element(tick=tick, on_drawn=on_drawn)


def Progress(percent: float | None, classes: list[str] | None = None) -> solara.Element:
    """A progress bar that stands still until the work moves on: `percent` done (None or 0: at the start).

    Not Vuetify's indeterminate bar: its stripe is animated by moving the element's left and right
    edges, so the page lays out and repaints it some 60 times a second for as long as it shows.
    Measured in headless Chromium on the development machine, a Compare page showing it took 11%
    of a core (1% without it); ten sessions waiting for their turn at the comparison workers (at
    most one per core) took more than one of the two cores that way, and the workers and the other
    sessions' steps waited behind them.
    """
    return solara.ProgressLinear(value=float(percent or 0.0), classes=classes or [])


def Html(content: str, tag: str = "div", style: str = "", classes: list[str] | None = None) -> solara.Element:
    """Trusted HTML from the app's own text (solara.Markdown would pull KaTeX from a CDN)."""
    return solara.HTML(tag=tag, unsafe_innerHTML=content, style=style, classes=classes or [])


def Para(text: str, cls: str = "") -> solara.Element:
    return Html(html.escape(text), tag="p", style="margin: 4px 0 8px 0;" + cls)


def Heading(text: str, level: int = 3) -> solara.Element:
    return Html(html.escape(text), tag=f"h{level}", style="margin: 8px 0 4px 0;")


SLIDER_POSITIONS = 200
"""Positions of a parameter's slider across its range (an int parameter of a smaller span has fewer)."""


def slider_grid(p: Param) -> tuple[float, int]:
    """(step, last position) of `p`'s slider: position k stands for lo + k * step, capped at hi."""
    lo, hi = float(p.lo), float(p.hi)
    if p.type == "int":
        step = max(1, int(hi - lo) // SLIDER_POSITIONS)
        return float(step), int(math.ceil((hi - lo) / step))
    return (hi - lo) / SLIDER_POSITIONS, SLIDER_POSITIONS


def slider_position(p: Param, value: Any) -> int:
    """The slider position nearest to `value` (used only to draw the thumb, never sent back)."""
    step, last = slider_grid(p)
    return min(last, max(0, int(round((float(value) - float(p.lo)) / step))))


def slider_value(p: Param, pos: int) -> Any:
    """The parameter value of slider position `pos`."""
    step, _ = slider_grid(p)
    v = min(float(p.hi), float(p.lo) + int(pos) * step)
    return int(round(v)) if p.type == "int" else round(v, 10)


@solara.component
def ParamInput(p: Param, value: Any, on_value: Callable[[Any], None], error: str | None,
               on_error: Callable[[str | None], None], changed: bool = False):
    """One registry parameter: slider, checkbox or select, plus a typed field checked by `Param.coerce`.

    The slider moves over integer positions, not over the parameter's values:
    a calibrated default lies between two positions (report_skill 0.85 on a
    0.004 grid), and a slider given an off-grid value snaps it and reports the
    snapped value as if the user had moved it. An integer position never
    snaps, and a value is sent only when the position differs from the one
    drawn for the current value, that is when the user moved the thumb.
    Callers key each ParamInput by its parameter, so that a widget is never
    reused for another parameter when a group opens or closes.
    """
    label = i18n.param_label(p)
    unit = i18n.unit(p.unit)
    test_id = f"param-{p.name}"
    lang = i18n.lang.value
    shown = field_text(value, lang)

    def typed(text: str):
        if text == shown:  # leaving the field unchanged is not an edit
            return
        try:
            v = p.coerce(typed_number(text, lang))
        except ParamError:
            key = "bad_int" if p.type == "int" else "bad_number"
            on_error(i18n.t(key, label=label, lo=i18n.num(p.lo, style="general"),
                            hi=i18n.num(p.hi, style="general")))
            return
        on_error(None)
        on_value(v)

    weight = "font-weight: 600;" if changed else ""
    with solara.Column(gap="0px", classes=[test_id], style="margin-bottom: 10px;"):
        Html(f"<span style='{weight}'>{html.escape(label)}</span> "
             f"<span style='color:#666;font-size:12px'>({html.escape(unit)})</span>")
        Html(html.escape(i18n.param_help(p)), style="font-size: 12px; color: #555; line-height: 1.25;")
        if p.type == "bool":
            solara.Checkbox(label=i18n.on_off(bool(value)), value=bool(value),
                            on_value=lambda v: None if bool(v) == bool(value) else on_value(bool(v)))
        elif p.type == "choice":
            # the select shows each value's words; the value itself goes to the model and the link
            by_label = {i18n.choice_label(p, c): c for c in p.choices}
            solara.Select(label="", value=i18n.choice_label(p, value), values=list(by_label),
                          on_value=lambda lab: None if by_label.get(lab, value) == value
                          else on_value(by_label[lab]))
        else:
            _, last = slider_grid(p)
            pos = slider_position(p, value)

            def slid(new_pos):
                if int(new_pos) != pos:
                    on_error(None)
                    on_value(slider_value(p, int(new_pos)))

            with solara.Row(gap="8px", style="align-items: center;"):
                with solara.Column(style="flex: 3; min-width: 120px;"):
                    solara.SliderInt("", value=pos, min=0, max=last, step=1, on_value=slid, thumb_label=False)
                with solara.Column(style="flex: 1; min-width: 80px;"):
                    solara.InputText("", value=shown, on_value=typed, continuous_update=False,
                                     classes=[f"typed-{p.name}"])
        if error:
            solara.Error(error, dense=True, classes=[f"error-{p.name}"])


def compact_story(lines: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """Merge runs of the same sentence in consecutive months into one line ('12-30')."""
    out: list[list] = []
    for mo, txt in lines:
        if out and out[-1][2] == txt and mo - out[-1][1] <= 1:
            out[-1][1] = mo
        else:
            out.append([mo, mo, txt])
    return [(str(a) if a == b else f"{a}–{b}", txt) for a, b, txt in out]


@solara.component
def StoryList(lines: list[tuple[int, str]], cls: str, limit: int, height: int, month: int | None = None):
    """A person's story as a scrolling list (the latest `limit` entries, up to `month`)."""
    from .i18n import t

    shown = [(mo, txt) for mo, txt in lines if month is None or mo <= month]
    if not shown:
        Para(t("story_empty"))
        return
    items = "".join(f"<li><b>{html.escape(t('month'))} {mo}</b>: {html.escape(i18n.story_text(txt))}</li>"
                    for mo, txt in compact_story(shown)[-limit:])
    Html(f"<ul class='{cls}' style='font-size: 13px; max-height: {height}px; overflow-y: auto; "
         f"padding-left: 18px'>{items}</ul>")

