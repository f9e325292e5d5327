"""Report: download the current comparison as one self-contained HTML file."""

from __future__ import annotations

import html
import re

import solara

from .. import session
from ..i18n import t
from ..widgets import Heading, Html, Para, Progress
from .compare import current_comparison, run_comparison, start


def report_name(res: dict) -> str:
    names = "-".join(re.sub(r"[^A-Za-z0-9]+", "_", n).strip("_") for n in res["names"])
    return f"fatal-remedies-{names}.html"


@solara.component
def Report():
    res = current_comparison()
    with solara.Column(style="padding: 8px 16px; max-width: 900px;", classes=["report"]):
        Heading(t("nav_report"), 2)
        Para(t("rep_intro"))
        if res is None:
            Para(t("rep_none"))
            solara.Button(t("rep_default"), color="primary", on_click=lambda: start(("control", "service")),
                          disabled=run_comparison.pending, classes=["btn-report-default"])
            if run_comparison.pending:
                Progress(run_comparison.progress)
            return

        def make() -> bytes:
            from ..report import build

            return build(res).encode("utf-8")

        Heading(t("rep_contents"), 4)
        Html("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in (
            ", ".join(res["names"]), t("cmp_table"), t("cmp_diff", ref=res["names"][0]), t("rep_params"),
            f"{t('seeds')}: {', '.join(str(s) for s in res['seeds'])}")) + "</ul>")
        with solara.Column(classes=["btn-report-download"]):
            solara.FileDownload(make, filename=report_name(res),
                                label=t("rep_download"), mime_type="text/html")
        session.view.value  # noqa: B018
