"""Small shared components: text blocks, validated inputs for registry parameters."""

from __future__ import annotations

import html
from typing import Any, Callable

import solara

from fatal_remedies.analysis.formatting import plain
from fatal_remedies.model.params import Param, ParamError

from . import i18n


def Html(content: str, tag: str = "div", style: str = "") -> solara.Element:
    """Trusted HTML from the app's own text (solara.Markdown would pull KaTeX from a CDN)."""
    return solara.HTML(tag=tag, unsafe_innerHTML=content, style=style)


def Para(text: str, cls: str = "") -> solara.Element:
    return Html(html.escape(text), tag="p", style="margin: 4px 0 8px 0;" + cls)


def Heading(text: str, level: int = 3) -> solara.Element:
    return Html(html.escape(text), tag=f"h{level}", style="margin: 8px 0 4px 0;")


@solara.component
def ParamInput(p: Param, value: Any, on_value: Callable[[Any], None], error: str | None,
               on_error: Callable[[str | None], None], changed: bool = False):
    """One registry parameter: slider, checkbox or select, plus a typed field checked by `Param.coerce`."""
    label = i18n.param_label(p)
    unit = i18n.unit(p.unit)
    test_id = f"param-{p.name}"

    def typed(text: str):
        try:
            v = p.coerce(text)
        except ParamError as exc:
            on_error(str(exc))
            return
        on_error(None)
        on_value(v)

    weight = "font-weight: 600;" if changed else ""
    with solara.Column(gap="0px", classes=[test_id], style="margin-bottom: 10px;"):
        Html(f"<span style='{weight}'>{html.escape(label)}</span> "
             f"<span style='color:#666;font-size:12px'>({html.escape(unit)})</span>")
        Html(html.escape(i18n.param_help(p)), style="font-size: 12px; color: #555; line-height: 1.25;")
        if p.type == "bool":
            solara.Checkbox(label=plain(bool(value)), value=bool(value), on_value=lambda v: on_value(bool(v)))
        elif p.type == "choice":
            solara.Select(label="", value=value, values=list(p.choices), on_value=on_value)
        else:
            lo, hi = float(p.lo), float(p.hi)
            with solara.Row(gap="8px", style="align-items: center;"):
                if p.type == "int":
                    span = int(hi - lo)
                    step = max(1, span // 200)

                    def slid_int(v):
                        if int(v) != int(value):
                            on_error(None)
                            on_value(int(v))

                    with solara.Column(style="flex: 3; min-width: 120px;"):
                        solara.SliderInt("", value=int(value), min=int(lo), max=int(hi), step=step,
                                         on_value=slid_int)
                else:
                    step = (hi - lo) / 200.0

                    def slid_float(v):
                        if abs(float(v) - float(value)) > step / 2:
                            on_error(None)
                            on_value(round(float(v), 10))

                    with solara.Column(style="flex: 3; min-width: 120px;"):
                        solara.SliderFloat("", value=float(value), min=lo, max=hi, step=step,
                                           on_value=slid_float, thumb_label=False)
                with solara.Column(style="flex: 1; min-width: 80px;"):
                    solara.InputText("", value=plain(value), on_value=typed, continuous_update=False,
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

