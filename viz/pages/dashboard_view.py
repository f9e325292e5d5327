"""Two views of the month shown in Explore: the municipality's dashboard beside what clients live.

Why: this contrast is the paper's argument in one screen; the dashboard counts every fraud
sanction as "fraud found" and cannot see who was sanctioned without intent. The figures come
from `analysis.dashboard.two_views` (the UI draws, it does not compute); labels and units come
from the metric registry, numbers from the one formatter (i18n.num).
"""
from __future__ import annotations

import html

import solara

from fatal_remedies.analysis.dashboard import CLIENTS, DASHBOARD, DashboardError, two_views
from fatal_remedies.analysis.formatting import unit_text
from fatal_remedies.model import metrics

from .. import i18n
from ..i18n import t
from ..widgets import Html

_OWN_LABELS = {"fraud_sanctions": "dash_fraud_found", "money_recovered_eur": "dash_recovered",
               "cost_per_receiving_eur": "dash_cost_per"}
"""Dashboard figures that are not one registry column keep their label in i18n."""


def _label(name: str) -> str:
    return t(_OWN_LABELS[name]) if name in _OWN_LABELS else i18n.metric_label(name)


def _value(name: str, x: float) -> str:
    if name.endswith("_eur"):
        return f"{i18n.num(x, decimals=0)} {unit_text('EUR', i18n.lang.value)}"
    unit = metrics.get(name).unit
    if unit == "0-1":
        return i18n.num(x, decimals=3)
    return i18n.num(x, decimals=0)


def _table(cls: str, title: str, names, one: dict, quarter: dict, v) -> str:
    head = (f"<tr><th></th><th>{html.escape(t('dash_this_month', m=v.month))}</th>"
            f"<th>{html.escape(t('dash_quarter', a=v.first_month, b=v.month))}</th></tr>")
    rows = "".join(f"<tr data-name='{n}'><td>{html.escape(_label(n))}</td>"
                   f"<td class='v-month'>{html.escape(_value(n, one[n]))}</td>"
                   f"<td class='v-quarter'>{html.escape(_value(n, quarter[n]))}</td></tr>" for n in names)
    return (f"<div class='{cls}' style='flex:1;min-width:300px'><h5 style='margin:4px 0'>{html.escape(title)}</h5>"
            f"<table style='font-size:13px;border-collapse:collapse'>{head}{rows}</table></div>")


@solara.component
def DashboardView(df, month: int, tick: int = 0):
    """Both views of `month` of the run's frame `df`, and the sentence that contrasts them."""
    Html(html.escape(t("dash_title")) + f" <span class='dash-month'>· {html.escape(t('month'))} {month}</span>",
         tag="h4", style="margin: 8px 0 4px 0;")
    try:
        v = two_views(df, month)
    except DashboardError as e:
        Html(html.escape(str(e)), tag="p", classes=["dash-empty"])
        return
    Html("<div style='display:flex;gap:16px;flex-wrap:wrap'>"
         + _table("dash-shows", t("dash_shows"), DASHBOARD, v.dashboard, v.quarter_dashboard, v)
         + _table("dash-lived", t("dash_lived"), CLIENTS, v.clients, v.quarter_clients, v) + "</div>")
    sentence = t("dash_sentence", found=i18n.num(v.quarter_fraud_found, decimals=0),
                 wrongful=i18n.num(v.quarter_wrongful, decimals=0), a=v.first_month, b=v.month)
    Html(f"<span data-found='{v.quarter_fraud_found}' data-wrongful='{v.quarter_wrongful}' "
         f"data-first='{v.first_month}' data-month='{v.month}'>{html.escape(sentence)}</span>",
         tag="p", classes=["dash-sentence"], style="font-weight:600;max-width:980px")
