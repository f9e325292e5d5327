"""A comparison as one self-contained HTML file (for a council meeting).

Charts are inline SVG drawn with matplotlib; styles are inline; there is no
script and no link to anything outside the file, so it opens offline, in any
browser, years from now. Numbers come from the comparison the Compare page
made (analysis.summary); this module only lays them out.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import re

import numpy as np

from fatal_remedies.model.params import REGISTRY, RUN

from . import i18n
from .i18n import t
from .pages.compare import MAIN_CHARTS, diff_table_html, metric_label, norms_table_html, summary_table_html

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")

CSS = """
body { font-family: -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif; margin: 24px auto;
       max-width: 1100px; color: #222; }
h1 { font-size: 24px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ccc; }
table.fr-table { border-collapse: collapse; font-size: 13px; }
table.fr-table td, table.fr-table th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right;
  vertical-align: top; }
table.fr-table td:first-child, table.fr-table th:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; } .charts figure { margin: 0; width: 520px; }
.diff { background: #fff8e1; } .meta { color: #555; font-size: 13px; }
"""


def _svg(res: dict, metric: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    b = res["bands"]
    sub = b[b.metric == metric]
    fig, ax = plt.subplots(figsize=(5.2, 3.0), dpi=100)
    for i, name in enumerate(res["names"]):
        s = sub[sub.scenario == name]
        c = COLORS[i % len(COLORS)]
        ax.plot(s["month"], s["mean"], color=c, lw=1.8, label=name, ls=("-", "--", ":", "-.")[i % 4])
        lo, hi = s["ci_low"].to_numpy(float), s["ci_high"].to_numpy(float)
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            ax.fill_between(s["month"].to_numpy()[ok], lo[ok], hi[ok], color=c, alpha=0.18, lw=0)
    ax.set_title(metric_label(metric), fontsize=10)
    ax.set_xlabel(t("month"), fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    text = buf.getvalue()
    text = re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg"):], flags=re.S)
    return text


def _value(p, v) -> str:
    """A parameter value in the report, as the app writes it (`i18n.param_value`); blank where a scenario has none."""
    return "" if v is None else i18n.param_value(p, v)


def _params_table(res: dict) -> str:
    scs = res["scenarios"]
    head = "".join(f"<th>{html.escape(s['name'])}</th>" for s in scs)
    rows = []
    for name, p in REGISTRY.items():
        if p.kind == RUN:
            continue
        vals = [s["params"].get(name) for s in scs]
        differs = len({repr(v) for v in vals}) > 1
        cells = "".join(f"<td>{html.escape(_value(p, v))}</td>" for v in vals)
        cls = " class='diff'" if differs else ""
        # the label for the reader; the identifier too, small, for whoever re-runs it (`--set NAME=VALUE`)
        rows.append(f"<tr{cls}><td title='{html.escape(i18n.param_help(p))}'>{html.escape(i18n.param_label(p))} "
                    f"<code class='meta'>{html.escape(name)}</code></td>"
                    f"<td>{html.escape(i18n.unit(p.unit))}</td>{cells}</tr>")
    changes = []
    for s in scs:
        for c in s.get("changes", []):
            keys = "; ".join(f"{i18n.param_label(REGISTRY[k])} = {_value(REGISTRY[k], v)}" if k in REGISTRY
                             else f"{k} = {v}" for k, v in sorted(c["params"].items()))
            what = i18n.change_description(s["name"], c["month"], c.get("description") or "")
            changes.append(f"<li><b>{html.escape(s['name'])}</b>, {html.escape(t('month').lower())} "
                           f"{c['month']}: {html.escape(what)} "
                           f"<span class='meta'>({html.escape(keys)})</span></li>")
    out = (f"<table class='fr-table params'><tr><th>{html.escape(t('parameter'))}</th>"
           f"<th>{html.escape(t('unit'))}</th>{head}</tr>{''.join(rows)}</table>")
    if changes:
        out += "<ul>" + "".join(changes) + "</ul>"
    return out


def build(res: dict, now: _dt.datetime | None = None) -> str:
    """The report of comparison `res` (as made by viz.pages.compare.compute), in the session's language."""
    now = now or _dt.datetime.now()
    names = ", ".join(res["names"])
    charts = "".join(f"<figure>{_svg(res, m)}</figure>" for m in MAIN_CHARTS
                     if m in set(res["bands"]["metric"]))
    setup = (f"<ul class='meta'><li>{html.escape(t('cmp_scenarios'))}: {html.escape(names)}</li>"
             f"<li>{html.escape(t('cmp_reps'))}: {res['reps']}</li>"
             f"<li>{html.escape(t('clients'))}: {html.escape(i18n.num(res['clients'], decimals=0))}</li>"
             f"<li>{html.escape(t('cmp_months'))}: {res['months']}</li>"
             f"<li>{html.escape(t('seed'))}: {res['seed']} → {html.escape(t('seeds'))}: "
             f"{', '.join(str(s) for s in res['seeds'])}</li></ul>")
    desc = "".join(f"<li><b>{html.escape(s['name'])}</b>: "
                   f"{html.escape(i18n.scenario_description(s['name'], s.get('description', '')))}</li>"
                   for s in res["scenarios"])
    ref = res["diffs"]["reference"].iloc[0] if res["diffs"] is not None and not res["diffs"].empty else ""
    return f"""<!DOCTYPE html>
<html lang="{i18n.lang.value}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="fatal-remedies {html.escape(res['version'])}">
<title>{html.escape(t('rep_title'))}: {html.escape(names)}</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(t('rep_title'))}: {html.escape(names)}</h1>
<p class="meta">{html.escape(t('rep_made', v=res['version'], d=now.strftime('%Y-%m-%d %H:%M')))}</p>
<ul>{desc}</ul>
<h2>{html.escape(t('rep_setup'))}</h2>{setup}
<p class="meta">{html.escape(t('cmp_band'))}</p>
<div class="charts">{charts}</div>
<h2>{html.escape(t('cmp_table'))}</h2>{summary_table_html(res)}
<p class="meta cmp-method">{html.escape(t('cmp_method'))}</p>
<h2>{html.escape(t('cmp_diff', ref=ref))}</h2>{diff_table_html(res)}
<p class="meta">{html.escape(t('cmp_method_diff'))}</p>
<h2>{html.escape(t('cmp_norms'))}</h2><div class="meta">{i18n.norms_explained_html()}</div>
{norms_table_html(res)}
<p class="meta">{html.escape(t('cmp_method'))}</p>
<h2>{html.escape(t('rep_params'))}</h2>{_params_table(res)}
</body></html>
"""
