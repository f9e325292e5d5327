"""The Sensitivity page's data preparation, without a browser (issue 11 item 6): verdict sentences carry
verdict.csv's numbers, index bars are sorted and carry their intervals, flip boxes are worded by the
metric's direction, a Pareto point's link opens Explore with its levers, and a screening runs, reports
progress and can be cancelled in its worker process."""

from __future__ import annotations

import os
import threading
import time
from urllib.parse import parse_qsl

import pytest
from sensfixtures import BOX, BOX_QUALITY, DELTA, MORRIS, PARETO, VERDICT, optimize_result, paired_sweep

from fatal_remedies.viz import backend, i18n, urlstate
from fatal_remedies.viz import charts_sensitivity as cs


@pytest.fixture()
def lang():
    def use(code):
        i18n.lang.set(code)

    yield use
    i18n.lang.set("en")


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


@pytest.mark.parametrize("code", ["en", "nl"])
def test_verdict_sentences_carry_the_files_numbers(tmp_path, lang, code):
    lang(code)
    d = paired_sweep(tmp_path)
    lines = cs.verdict_lines(cs.read_csv(d / "analysis" / "verdict.csv"))
    assert [o for o, _ in lines] == [v[0] for v in VERDICT]
    (_, s1), (_, s2), (_, s3) = lines
    assert ("no difference" in s3 or "geen verschil" in s3) and "3" in s3  # the fixture's n_tied
    assert not any(w in s1 + s2 for w in ("no difference", "geen verschil"))  # none tied there
    out, metric, _, sc, vs, _, _, share, lo, hi, diff, _ = VERDICT[0]
    if code == "en":
        assert s1 == (f"service better than control on wrongful sanctions in {_pct(share)} of the uncertainty "
                      f"space (95% interval {_pct(lo)}–{_pct(hi)}); on average -12.34 count")
        assert "in 62% of" in s2 or "in 63% of" in s2  # 0.625: the formatter's rounding
        assert "(95% interval 47%–76%)" in s2 and "+0.0421 0-1" in s2
    else:
        assert s1 == (f"service beter dan control op onterechte sancties in {_pct(share)} van de "
                      f"onzekerheidsruimte (95%-interval {_pct(lo)}–{_pct(hi)}); gemiddeld -12,34 aantal")
        assert "+0,0421 0-1" in s2


def test_index_bars_are_sorted_with_their_intervals(tmp_path):
    d = paired_sweep(tmp_path)
    tables = cs.index_tables(d)
    morris = next(s for s in cs.INDEX_SPECS if s.key == "morris")
    items = cs.bars(tables[morris.file], morris, "diff_wrongful_sanctions_total")
    want = sorted(MORRIS, key=lambda r: -r[1])
    assert [b.parameter for b in items] == [r[0] for r in want]
    for b, (_, mu, conf) in zip(items, want):
        assert (b.value, b.lo, b.hi) == pytest.approx((mu, mu - conf, mu + conf))
    opt = cs.bar_chart(items, "t", "axis", "95% interval", "value")
    assert opt["yAxis"]["inverse"] and opt["yAxis"]["data"][0] == "Report skill" or opt["yAxis"]["data"][0]
    bars, whiskers = opt["series"]
    assert [p["value"] for p in bars["data"]] == [r[1] for r in want]
    assert whiskers["type"] == "boxplot"
    assert [w[0] for w in whiskers["data"]] == pytest.approx([r[1] - r[2] for r in want])
    assert [w[4] for w in whiskers["data"]] == pytest.approx([r[1] + r[2] for r in want])
    delta = next(s for s in cs.INDEX_SPECS if s.key == "delta")
    assert [b.parameter for b in cs.bars(tables[delta.file], delta, "diff_wrongful_sanctions_total")] == [
        r[0] for r in sorted(DELTA, key=lambda r: -r[1])]
    # the other outcome of the same file is not mixed in
    assert len(cs.bars(tables[morris.file], morris, "wrongful_sanctions_total")) == len(MORRIS)


def test_outcomes_of_a_paired_sweep_are_named_in_words(lang):
    assert cs.outcome_label("diff_wrongful_sanctions_total", "control", "service") == (
        "difference service − control in wrongful sanctions")
    assert cs.outcome_label("vs__final_mean_trust", "control", "service") == "final mean trust under service"
    lang("nl")
    assert cs.outcome_label("diff_wrongful_sanctions_total", "control", "service") == (
        "verschil service − control in onterechte sancties")


def test_flip_boxes_say_where_service_stops_beating_control(tmp_path):
    d = paired_sweep(tmp_path)
    (box,) = cs.flip_boxes(d)
    assert (box.outcome, box.op, box.rhs) == ("diff_wrongful_sanctions_total", "gt", "0")
    assert (box.coverage, box.density) == pytest.approx(BOX_QUALITY)
    what, quality = cs.box_sentence(box, "control", "service")
    assert what.startswith("service stops beating control on wrongful sanctions when ")
    for name, lo, hi, _ in BOX:
        from fatal_remedies.model.params import REGISTRY

        label = i18n.param_label(REGISTRY[name])
        assert f"{label[0].lower() + label[1:]} is between {cs.fmt(lo)} and {cs.fmt(hi)}" in what
    assert quality.startswith("This region holds 80% of the points") and "in 67% of the points" in quality
    # "< 0" on a lower-is-better difference is where service beats control
    box.op = "lt"
    assert cs.box_condition(box, "control", "service").startswith("service beats control")


def test_a_pareto_point_opens_explore_with_its_levers(tmp_path):
    d = optimize_result(tmp_path)
    man = cs.read_manifest(d)
    assert cs.is_optimize(man)
    df = cs.read_csv(d / "pareto.csv")
    names = backend.scenario_names()
    for (_, r), want in zip(df.iterrows(), PARETO):
        q = cs.explore_query(man, r, "en", names)
        st, errors = urlstate.parse(q, names)
        assert errors == []
        assert st.scenario == "control" and st.clients == 500
        assert st.overrides == {"information_burden": want[1], "sanction_months": want[2], "sanction_regime": want[6]}
        assert isinstance(st.overrides["sanction_months"], int)
        assert "p.sanction_months=" + str(want[2]) in q
    opt = cs.pareto_chart(df, man, "wrongful_sanctions_total", "reintegrated_total")
    assert [p["value"] for p in opt["series"][0]["data"]] == [[r[3], r[4], r[0]] for r in PARETO]
    assert opt["xAxis"]["name"] == "wrongful sanctions (count; lower is better)"
    assert opt["yAxis"]["name"].endswith("; higher is better)")
    # a lever value the registry refuses is left out, not passed on
    bad = df.iloc[0].copy()
    bad["information_burden"] = 7.0
    overrides, refused = cs.lever_overrides(man, bad)
    assert refused == ["information_burden"] and "information_burden" not in overrides


def test_screening_size_and_checks():
    from fatal_remedies.viz.pages import sensitivity as page

    s = page.ScreenSettings()
    pairs = 8 * (len(page.SCREEN_UNCERTAINTIES) + 1) * 2
    assert page.screen_runs(s) == pairs * (2 if page.PAIRED else 1)
    assert page.screen_problem(s) is None
    assert page.screen_problem(page.ScreenSettings(uncertainties=("deterrence",))) is not None
    from fatal_remedies.model.params import numeric_uncertainties

    big = page.ScreenSettings(trajectories=20, reps=3, uncertainties=tuple(p.name for p in numeric_uncertainties()))
    assert page.screen_problem(big) is not None


def test_screening_runs_in_a_worker_and_reports_progress(tmp_path):
    out = tmp_path / "s"
    seen = []
    versus = "service" if _paired() else None
    res = backend.ScreeningJob().run((str(out), "control", versus, ["report_skill", "deterrence"], 2, 1, 200, 12, 1),
                                     on_progress=seen.append)
    assert res["out"] == str(out)
    total = res["runs"]
    runs = [v for v in seen if v[0] == "runs"]
    assert runs[0] == ("runs", 0, total) and runs[-1] == ("runs", total, total)
    assert [v[1] for v in runs] == sorted(v[1] for v in runs)
    assert seen[-1] == ("analysing", total, total)
    assert (out / "analysis" / "morris_indices.csv").exists()
    if versus:
        assert (out / "analysis" / "verdict.csv").exists()


def test_cancelling_a_screening_kills_its_worker(tmp_path):
    job = backend.ScreeningJob()
    seen, errors = [], []

    def go():
        try:
            job.run((str(tmp_path / "s"), "control", None, ["report_skill", "deterrence", "giveup_rate"], 10, 3,
                     2000, 120, 1), on_progress=seen.append)
        except backend.JobCancelled as exc:
            errors.append(exc)

    th = threading.Thread(target=go)
    th.start()
    deadline = time.monotonic() + 60
    while not seen and time.monotonic() < deadline:
        time.sleep(0.05)
    assert seen, "no progress from the worker"
    pid = job._proc.pid
    job.cancel()
    th.join(10)
    assert not th.is_alive() and len(errors) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def _paired() -> bool:
    from fatal_remedies.viz.pages.sensitivity import PAIRED

    return PAIRED


def test_parse_query_roundtrip_keeps_levers():
    q = urlstate.encode(urlstate.ViewState(scenario="control", overrides={"sanction_months": 6}))
    assert ("p.sanction_months", "6") in parse_qsl(q)
