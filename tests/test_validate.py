"""The validation report (`fatal-remedies validate`) and the FAIR/FACT/ROBUST/SHARED scorecard."""

import math
import re
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from fatal_remedies.analysis.claims import CLAIMS, MODEL_MEASURES, evaluate
from fatal_remedies.analysis.scorecard import INDICATORS, SCORECARD_METRICS, scorecard, scorecard_summary
from fatal_remedies.analysis.targets import TARGETS, target_metrics
from fatal_remedies.analysis.validate import RUNS, validation_report
from fatal_remedies.model.errors import UserError
from fatal_remedies.model.files import read_manifest
from fatal_remedies.model.run import resolve, simulate
from fatal_remedies.model.seeds import replicate_seeds


def run_cli(*args, cwd=None):
    """The command line as a user runs it (`python -m fatal_remedies` is the console script)."""
    return subprocess.run([sys.executable, "-m", "fatal_remedies", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


SMALL = ["--clients", "600", "--months", "24", "--reps", "2", "--workers", "1"]


# ------------------------------------------------------------------ CLI
@pytest.mark.parametrize("args, needle", [
    (["--reps", "0"], "--reps"),
    (["--reps", "abc"], "reps"),
    (["--clients", "0"], "n_clients"),
    (["--clients", "100"], "--clients"),
    (["--months", "6"], "--months"),
    (["--workers", "-1"], "--workers"),
    (["--workers", "100000"], "--workers must be at most"),
    (["--out", "report.txt"], "--out"),
    (["--bogus"], "bogus"),
])
def test_validate_bad_input_gives_one_line_and_exit_2(tmp_path, args, needle):
    r = run_cli("validate", *args, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("fatal-remedies: error:")
    assert needle in lines[0]
    assert "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_validate_out_directory_is_rejected(tmp_path):
    (tmp_path / "d.html").mkdir()
    r = run_cli("validate", "--out", str(tmp_path / "d.html"), *SMALL)
    assert r.returncode == 2
    assert "directory" in r.stderr


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = 0
        self.rows = 0
        self.external = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables += 1
        if tag == "tr":
            self.rows += 1
        if tag in ("script", "link", "img", "iframe") or "src" in a or (tag == "a" and "href" in a):
            self.external.append((tag, a))

    def handle_data(self, data):
        self.text.append(data)


def test_validate_writes_a_self_contained_html_page_with_the_table(tmp_path):
    out = tmp_path / "report.html"
    r = run_cli("validate", *SMALL, "--out", str(out))
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    p = _Tables()
    p.feed(page)
    assert p.external == []  # no external CSS, JS, images or links
    assert p.tables >= 4
    text = " ".join(p.text)
    for t in TARGETS:
        assert t.label in text
    assert "Inspectie SZW" in text and "Lighthouse Reports" in text
    assert "tolerance band" in text
    assert "Control wrongly sanctions carers" in text
    assert "Manifest" in text and str(replicate_seeds(0, 2)[1]) in text
    # the terminal table is printed too
    assert "Calibration targets" in r.stdout


def test_validate_writes_tidy_csv(tmp_path):
    out = tmp_path / "report.csv"
    r = run_cli("validate", *SMALL, "--out", str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert list(df.columns) == ["section", "name", "measure", "scenario", "mean", "ci_low", "ci_high",
                                "reps", "expected", "band_low", "band_high", "ok", "source", "note"]
    assert set(df["section"]) == {"target", "claim", "scorecard"}
    tgt = df[df.section == "target"]
    assert tgt["name"].tolist() == [t.key for t in TARGETS]
    assert (tgt["band_low"] <= tgt["band_high"]).all()
    assert len(df[df.section == "scorecard"]) == 2 * len(INDICATORS)
    # Every output carries a manifest: the replicate seeds, each reproducible with `run --seed`.
    man = read_manifest(out)
    assert man["command"] == "validate" and man["seed"] == 0
    assert man["replicate_seeds"] == replicate_seeds(0, 2)
    assert set(man["runs"]) == set(RUNS)


# ------------------------------------------------------------------ Python API
@pytest.fixture(scope="module")
def small_report():
    return validation_report(reps=2, clients=800, months=36, seed=3, workers=1)


def test_report_tables_have_every_target_and_claim(small_report):
    tabs = small_report.tables()
    assert set(tabs) == {"targets", "verdicts", "claims", "scorecard"}
    t = tabs["targets"]
    assert t["target"].tolist() == [x.key for x in TARGETS]
    assert {"source", "value", "band_low", "band_high", "mean", "ci_low", "ci_high", "inside"} <= set(t.columns)
    assert (t["reps"] == 2).all()
    assert tabs["verdicts"]["claim"].tolist() == [c.key for c in CLAIMS] == ["carers", "council", "meetings"]
    assert tabs["claims"]["claim"].tolist() == [c.key for c in CLAIMS for _ in c.evidence]
    assert set(small_report.missed()) == set(t.loc[~t["inside"], "target"])
    # a missed target always says why
    assert (t.loc[~t["inside"], "note"].str.len() > 0).all()


def test_report_is_reproducible(small_report):
    again = validation_report(reps=2, clients=800, months=36, seed=3, workers=1)
    pd.testing.assert_frame_equal(small_report.targets, again.targets)


@pytest.mark.parametrize("kwargs", [dict(reps=0), dict(clients=50), dict(months=3), dict(workers=-2)])
def test_report_rejects_bad_sizes(kwargs):
    with pytest.raises(UserError):
        validation_report(**{**dict(reps=1, clients=800, months=24), **kwargs})


def test_target_metrics_match_the_summary_definitions():
    from fatal_remedies.analysis.summary import summarize

    f = simulate("control", clients=1000, months=24, seed=1)
    t, s = target_metrics(f), summarize(f)
    for key in ("repayment_claims_per_100_per_year", "fined_share_of_claims", "nothing_found_share",
                "final_non_take_up"):
        assert t[key] == pytest.approx(s[key], nan_ok=True)


# ------------------------------------------------------------------ the claims' interpreter
@pytest.fixture(scope="module")
def one_frame():
    return simulate("control", clients=300, months=12, seed=1)


def _judge(one_frame, last=None, measures=None, reps=3):
    """Verdicts and evidence for made-up runs: `last[run][column]` sets the last month of each
    replicate (a list, one value per replicate); `measures` sets model measures likewise."""
    frames, extras = {}, {}
    for run in RUNS:
        frames[run], extras[run] = [], []
        for i in range(reps):
            f = one_frame.copy()
            for col, vals in (last or {}).get(run, {}).items():
                f.loc[f.index[-1], col] = vals[i]
            frames[run].append(f)
            e = {k: float("nan") for k in MODEL_MEASURES}
            e.update(top_feature=None, feature_importance=pd.Series(dtype=float))
            e.update({k: v[i] for k, v in (measures or {}).items()})
            extras[run].append(e)
    runs = {label: resolve(sc, ov) for label, (sc, ov) in RUNS.items()}
    claims, verdicts = evaluate(frames, extras, runs)
    return claims, verdicts.set_index("claim")


def test_carers_verdict_follows_the_ratio_rules(one_frame):
    high, parity, low = [1.5, 1.55, 1.6], [1.0, 1.05, 1.1], [0.9, 1.0, 1.1]
    ratios = lambda w, s: {"wrongful_ratio_carer": w, "sanction_ratio_carer": s}  # noqa: E731
    _, v = _judge(one_frame, {"control": ratios(high, low), "service": ratios(parity, parity)})
    assert v.loc["carers", "verdict"] == "supported"
    assert "not about 1" not in v.loc["carers", "evidence"]
    assert "wrongly sanctioned 1.55x as often as others" in v.loc["carers", "evidence"]
    _, v = _judge(one_frame, {"control": ratios(high, low), "service": ratios(high, parity)})
    assert v.loc["carers", "verdict"] == "partly supported"
    assert "1.55x [1.43, 1.67]" in v.loc["carers", "evidence"] and "not about 1" in v.loc["carers", "evidence"]
    _, v = _judge(one_frame, {"control": ratios(low, high), "service": ratios(parity, parity)})
    assert v.loc["carers", "verdict"] == "partly supported"  # fraud sanctions alone
    _, v = _judge(one_frame, {"control": ratios(low, low), "service": ratios(parity, parity)})
    assert v.loc["carers", "verdict"] == "not supported"
    # an undefined service ratio (nobody else wrongly sanctioned) is no evidence of disparity
    claims, v = _judge(one_frame, {"control": ratios(high, low), "service": ratios([np.nan] * 3, parity)})
    assert v.loc["carers", "verdict"] == "supported"
    row = claims[(claims.measure == "wrongful_ratio_carer") & (claims.scenario == "service")].iloc[0]
    assert row.reps == 0 and row.agrees


def test_council_verdict_reads_paired_differences(one_frame):
    def judge(with_access, without):
        claims, v = _judge(one_frame, {"service": {"mean_trust": with_access},
                                       "service_no_council_access": {"mean_trust": without}})
        return claims.iloc[[c.key for c in CLAIMS for _ in c.evidence].index("council")], v.loc["council"]

    row, v = judge([0.61, 0.62, 0.63], [0.5, 0.51, 0.52])
    assert v.verdict == "supported" and row["mean"] == pytest.approx(0.11) and row["reps"] == 3
    assert "+0.110 [+0.110, +0.110]" in v.evidence
    assert judge([0.5, 0.5, 0.56], [0.5, 0.5, 0.5])[1].verdict == "inconclusive"
    assert judge([0.5, 0.5, 0.5], [0.6, 0.6, 0.6])[1].verdict == "not supported"


def test_meetings_verdict_reads_the_rank_and_says_not_measured_without_training(one_frame):
    def verdict(ranks):
        return _judge(one_frame, measures={"meetings_rank": ranks})[1].loc["meetings", "verdict"]

    assert verdict([1.0, 1.0, 2.0]) == "supported"
    assert verdict([2.0, 2.0, 3.0]) == "partly supported"
    assert verdict([4.0, 4.0, 4.0]) == "not supported"
    assert verdict([np.nan] * 3) == "not measured"


# ------------------------------------------------------------------ scorecard
def test_scorecard_shape_keys_and_directions():
    f = simulate("control", clients=1000, months=24, seed=1)
    card = scorecard(f)
    assert list(card.columns) == ["norm", "indicator", "value", "definition", "better", "key"]
    assert set(card["norm"]) == {"FAIR", "FACT", "ROBUST", "SHARED"}
    assert set(card["better"]) <= {"higher", "lower"}
    flat = scorecard_summary(f)
    assert list(flat) == list(SCORECARD_METRICS)
    assert all(re.fullmatch(r"(fair|fact|robust|shared)_[a-z0-9_]+", k) for k in flat)
    assert "fact_fair_flag_ratio_max" in flat
    for key in ("fact_accurate_precision", "fact_accurate_recall", "fair_valid_label_wrongful_share",
                "fact_transparent_informed_share"):
        assert 0.0 <= flat[key] <= 1.0, key
    assert flat["fact_fair_flag_ratio_max"] >= 1.0


def test_scorecard_is_nan_not_an_error_when_nothing_is_investigated():
    f = simulate("control", clients=800, months=12, seed=1, overrides={"investigation_capacity": 0.0})
    flat = scorecard_summary(f)
    assert math.isnan(flat["fact_accurate_precision"])
    assert math.isnan(flat["fact_fair_flag_ratio_max"])
    assert math.isnan(flat["fair_valid_label_wrongful_share"])
    assert math.isfinite(flat["robust_trustworthy_final_trust"])


def test_scorecard_control_has_less_valid_labels_and_is_less_transparent_than_service_at_paired_seeds():
    # (The flag ratios of the groups are not compared: under service, caseworkers' signals also
    # fall more often on carers, who have more real unreported changes; docs/RESULTS.md.)
    worse_label = 0
    for seed in (1, 2):
        c = scorecard_summary(simulate("control", clients=3000, months=60, seed=seed))
        s = scorecard_summary(simulate("service", clients=3000, months=60, seed=seed))
        worse_label += c["fair_valid_label_wrongful_share"] > s["fair_valid_label_wrongful_share"]
        assert c["fact_transparent_informed_share"] == 0.0
        assert s["fact_transparent_informed_share"] == pytest.approx(1.0)
        assert c["robust_trustworthy_final_trust"] < s["robust_trustworthy_final_trust"]
        assert c["shared_relevant_non_take_up"] > s["shared_relevant_non_take_up"]
    assert worse_label == 2


def test_scorecard_recall_counts_only_ended_episodes():
    f = simulate("control", clients=1500, months=36, seed=2)
    started = f["new_intentional_fraud"].sum()
    ended = started - f["intentional_fraud_stock"].iloc[-1]
    assert scorecard_summary(f)["fact_accurate_recall"] == pytest.approx(f["fraud_detected"].sum() / ended)
    assert 0 < ended <= started


# ------------------------------------------------------------------ slow: the claims at scale
@pytest.mark.slow
def test_carer_claim_and_targets_hold_at_rotterdam_scale():
    # At 10,000 people the learnt carer weight depends on the run's history
    # (in about 1 run in 6 carers end up flagged less than others), so the
    # claim is checked where docs/VALIDATION.md reports it: 45,000 people.
    rep = validation_report(reps=4, clients=45_000, months=120, seed=0, workers=0)  # all cores
    v = rep.verdicts.set_index("claim")
    assert v.loc["carers", "verdict"] in ("supported", "partly supported")
    c = rep.claims
    row = c[(c.claim == "carers") & (c.measure == "wrongful_ratio_carer") & (c.scenario == "control")].iloc[0]
    assert row.ci_low > 1.0
    assert np.isfinite(rep.targets["mean"]).all()
    # every calibrated target inside its band at Rotterdam scale
    assert rep.targets.loc[rep.targets.role == "calibrated", "inside"].all()


# ------------------------------------------------------------------ calibration script
def test_calibrate_rejects_bad_input(tmp_path, capsys):
    from fatal_remedies.analysis.calibrate import main

    assert main(["--reps", "0", "--out", str(tmp_path / "c.json")]) == 2
    assert main(["--out", str(tmp_path / "c.txt")]) == 2
    assert "error" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_calibrate_tiny_run_is_reproducible_and_writes_json_and_markdown(tmp_path):
    import json

    from fatal_remedies.analysis.calibrate import SEARCH_BOX, main

    args = ["--reps", "1", "--clients", "600", "--months", "24", "--lhs", "6", "--maxfev", "3"]
    assert main(args + ["--out", str(tmp_path / "a.json")]) == 0
    assert main(args + ["--out", str(tmp_path / "b.json")]) == 0
    a = json.loads((tmp_path / "a.json").read_text())
    b = json.loads((tmp_path / "b.json").read_text())
    a.pop("runtime_s"), b.pop("runtime_s")
    assert a == b
    assert set(a["params"]) == set(SEARCH_BOX)
    for name, p in a["params"].items():
        lo, hi = SEARCH_BOX[name]
        assert lo <= p["unrounded"] <= hi
    assert "| target |" in (tmp_path / "a.md").read_text()
