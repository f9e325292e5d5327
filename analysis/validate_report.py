"""The validation report drawn: a self-contained HTML page and the terminal tables.

`html_page(report)` is what `ValidationReport.to_html()` returns and
`fatal-remedies validate --out FILE.html` writes; `print_tables(report)` is
what the command prints. Both format numbers with `format_value`, so the
page and the terminal show the same figures.
"""

from __future__ import annotations

import html
import json
import sys
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .formatting import number

if TYPE_CHECKING:
    from rich.console import Console

    from .validate import ValidationReport


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;
color:#1b1b1b;line-height:1.4;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d0d0;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{background:#e3f4e1}.miss{background:#fbe3e1}.muted{color:#555;font-size:.8rem}
"""


def format_value(x: Any) -> str:
    """A table cell as text: yes/no for booleans, whole numbers grouped, other numbers by the
    project's one formatter (`analysis.formatting`, its "table" digits), "n/a" when missing."""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return number(x, decimals=0)
    if isinstance(x, (float, np.floating)):
        return number(x, style="table", missing="n/a")
    return str(x)


def _table(df: pd.DataFrame, cols: list[tuple[str, str]], ok_col: str | None = None) -> str:
    out = ["<table><thead><tr>"]
    out += [f"<th>{html.escape(h)}</th>" for _, h in cols]
    out.append("</tr></thead><tbody>")
    for _, r in df.iterrows():
        cls = ""
        if ok_col is not None:
            cls = ' class="ok"' if bool(r[ok_col]) else ' class="miss"'
        out.append(f"<tr{cls}>")
        for c, _ in cols:
            v = r[c]
            num = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
            out.append(f'<td{" class=\"num\"" if num else ""}>{html.escape(format_value(v))}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def html_page(rep: ValidationReport) -> str:
    """The report as a self-contained HTML page (inline CSS, no scripts, images or links)."""
    s = rep.settings
    t = rep.targets.copy()
    t["band"] = [f"{format_value(a)} - {format_value(b)}" for a, b in zip(t["band_low"], t["band_high"])]
    t["simulated"] = [f"{format_value(m)} [{format_value(lo)}, {format_value(hi)}]" for m, lo, hi in zip(t["mean"], t["ci_low"], t["ci_high"])]
    c = rep.claims.copy()
    c["simulated"] = [f"{format_value(m)} [{format_value(lo)}, {format_value(hi)}]" for m, lo, hi in zip(c["mean"], c["ci_low"], c["ci_high"])]
    missed = rep.missed()
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<title>fatal-remedies validation report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>fatal-remedies: validation report</h1>",
        f"<p>{s['clients']:,} people, {s['months']} months, {s['reps']} replicates per run "
        f"(common random numbers: master seed {s['seed']}, replicate seeds "
        f"{html.escape(', '.join(str(x) for x in s.get('replicate_seeds', [])))}, each reproducible with "
        f"<code>fatal-remedies run SCENARIO --seed SEED</code>); "
        f"fatal-remedies {html.escape(str(s.get('version')))}. "
        "Simulated values are replicate means with 95% Student-t intervals. A target is met when the "
        "simulated mean falls inside its tolerance band.</p>",
        "<h2>Calibration targets</h2>",
        _table(t, [("label", "target"), ("scenario", "scenario"), ("source", "source"),
                   ("value", "public figure"), ("band", "tolerance band"), ("simulated", "simulated mean [95% CI]"),
                   ("inside", "inside band"), ("target_in_ci", "figure in CI"), ("role", "role"),
                   ("tolerance", "why this band"), ("note", "if missed, why")], ok_col="inside"),
        f"<p>Targets missed: {html.escape(', '.join(missed)) if missed else 'none'}.</p>",
        "<h2>Claims of the seed paper</h2>",
        _table(rep.verdicts, [("title", "claim"), ("verdict", "verdict"), ("evidence", "simulated evidence"),
                              ("seed_passage", "seed passage")]),
        "<h3>Evidence, measure by measure</h3>",
        _table(c, [("claim", "claim"), ("measure", "measure"), ("scenario", "scenario"),
                   ("simulated", "simulated mean [95% CI]"), ("expected", "expected"),
                   ("agrees", "agrees"), ("note", "note")], ok_col="agrees"),
        "<h2>FAIR / FACT / ROBUST / SHARED scorecard (replicate means)</h2>",
        _table(rep.scorecard, [("norm", "norm"), ("indicator", "indicator"), ("control", "control"),
                               ("service", "service"), ("better", "better is"),
                               ("better_scenario", "better here"), ("definition", "definition")]),
        "<p class=\"muted\">Definitions and method: docs/VALIDATION.md. Sources: Lighthouse Reports, "
        "\"Suspicion Machines\" (2023); CBS (2023); municipal fact sheet (2022); Amsterdam (2023); "
        "Inspectie SZW (2018).</p>",
        "<h2>Manifest: what produced this report</h2>",
        f"<pre>{html.escape(json.dumps(rep.manifest(), indent=2, sort_keys=True, default=str))}</pre>",
        "</body></html>\n",
    ]
    return "".join(parts)


def print_tables(rep: ValidationReport, console: Console | None = None) -> None:
    """Print the targets and the verdicts as terminal tables, then the missed targets."""
    from rich.console import Console
    from rich.table import Table

    if console is None:
        tty = sys.stdout.isatty()
        console = Console(width=None if tty else 200, soft_wrap=not tty)
    s = rep.settings
    t = Table(title=f"Calibration targets: {s['clients']:,} people, {s['months']} months, "
                    f"{s['reps']} replicates (seeds from {s['seed']}); mean [95% CI]")
    for col in ("target", "scenario", "figure", "band", "simulated", "inside", "source"):
        t.add_column(col, overflow="fold")
    for r in rep.targets.itertuples():
        t.add_row(r.target, r.scenario, format_value(r.value),
                  f"{format_value(r.band_low)}-{format_value(r.band_high)}",
                  f"{format_value(r.mean)} [{format_value(r.ci_low)}, {format_value(r.ci_high)}]",
                  "yes" if r.inside else "NO", r.source)
    console.print(t)
    v = Table(title="Claims of the seed paper")
    for col in ("claim", "verdict", "evidence"):
        v.add_column(col, overflow="fold")
    for r in rep.verdicts.itertuples():
        v.add_row(r.title, r.verdict, r.evidence)
    console.print(v)
    missed = rep.missed()
    console.print("Targets missed: " + (", ".join(missed) if missed else "none"))
