"""Lever attribution (`analysis.attribute`, `fatal-remedies attribute`) and compare's memory.

Fast: the Shapley arithmetic is checked on toy games whose values are known
analytically; the model runs are tiny (100 people, 6 months).
"""

from __future__ import annotations

import json
import math
import weakref

import numpy as np
import pandas as pd
import pytest

from fatal_remedies import cli as app_cli
from fatal_remedies.analysis import attribute as A
from fatal_remedies.analysis import compare
from fatal_remedies.analysis.summary import paired_differences
from fatal_remedies.model import params as P
from fatal_remedies.model.errors import UserError
from fatal_remedies.model.run import resolve
from fatal_remedies.model.scenario import Change, Scenario

TINY = {"clients": 100, "months": 6}


def _main(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        app_cli.main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


# ---------------------------------------------------------------- the group table

def test_every_lever_is_in_exactly_one_group_and_every_group_is_cited():
    levers = {p.name for p in P.by_kind(P.LEVER)}
    grouped = [n for g in A.GROUPS for n in g.params]
    assert sorted(grouped) == sorted(set(grouped)), "a lever is in two groups"
    assert set(grouped) == levers, (f"levers in no group: {sorted(levers - set(grouped))}; "
                                    f"not levers: {sorted(set(grouped) - levers)}")
    assert len({g.name for g in A.GROUPS}) == len(A.GROUPS)
    for g in A.GROUPS:
        assert g.label_en and g.label_nl and g.seed and g.params
        assert g.label_en != g.label_nl or g.name == "benefit"
    assert len(A.GROUPS) <= A.MAX_GROUPS


@pytest.mark.parametrize("pair", [("control", "service"), ("baseline", "control"),
                                  ("control", "datameent"), ("control", "reversal")])
def test_every_differing_parameter_of_the_built_in_pairs_falls_in_a_named_group(pair):
    a, b = (resolve(s) for s in pair)
    diff = A.differing(a, b)
    found = A.players(a, b)
    assert sorted(n for _, ps in found for n in ps) == sorted(diff)
    assert all(g is not A.ASSUMPTIONS for g, _ in found)


def test_control_service_groups_are_the_policy_choices_the_issue_names():
    names = [g.name for g, _ in A.players(resolve("control"), resolve("service"))]
    for expected in ("sanctions", "burden", "caseworker", "selection", "data_linkage", "council",
                     "transparency", "framing"):
        assert expected in names


def test_an_uncertainty_that_differs_goes_to_the_assumptions_group_not_nowhere():
    a = resolve("control")
    b = resolve("control", {"giveup_rate": P.get("giveup_rate").hi})
    b = Scenario("other", "", b.params, b.changes, b.source)  # unpinned, renamed
    found = A.players(a, b)
    assert [(g.name, ps) for g, ps in found] == [("assumptions", ("giveup_rate",))]


# ---------------------------------------------------------------- timed changes

def _sc(name, params, changes=()):
    return Scenario(name, "", {**P.defaults(), **params}, tuple(changes))


def test_a_parameter_differs_when_its_timeline_differs_and_not_when_only_the_wording_does():
    a = _sc("a", {"transparency": 0.0})
    b = _sc("b", {"transparency": 0.0}, [Change(13, {"transparency": 1.0})])
    c = _sc("c", {"transparency": 0.0}, [Change(13, {"transparency": 0.0})])
    assert A.differing(a, b) == ["transparency"]
    assert A.differing(a, c) == []


def test_a_switched_lever_follows_the_versus_timeline_pinned_and_the_others_keep_theirs():
    a = _sc("a", {"transparency": 0.0, "information_burden": 0.6},
            [Change(7, {"transparency": 0.5, "information_burden": 0.7})])
    b = _sc("b", {"transparency": 0.2, "information_burden": 0.2},
            [Change(10, {"transparency": 1.0})])
    s = A.switched(a, b, ["transparency"], "a+transparency")
    assert s.params["transparency"] == 0.2 and s.params["information_burden"] == 0.6
    assert s.pinned == frozenset({"transparency"})
    assert [(c.month, c.params) for c in s.changes] == [(7, {"information_burden": 0.7}),
                                                        (10, {"transparency": 1.0})]
    assert A.switched(a, b, [], "a") is a


# ---------------------------------------------------------------- Shapley arithmetic

def _game(k, v):
    return np.array([v(frozenset(i for i in range(k) if m >> i & 1)) for m in range(1 << k)])


def test_shapley_values_of_a_toy_game_are_the_analytic_ones():
    # v(S) = sum of own effects + an interaction of players 0 and 1 (shared equally) +
    # a three-way term of 0, 1, 3 (shared in thirds); player 2 is a dummy.
    own = {0: 3.0, 1: -1.0, 2: 0.0, 3: 0.5}

    def v(s):
        return (sum(own[i] for i in s) + 4.0 * ({0, 1} <= s) + 6.0 * ({0, 1, 3} <= s) + 10.0)

    phi = A.shapley(_game(4, v))
    assert phi == pytest.approx([3 + 2 + 2, -1 + 2 + 2, 0.0, 0.5 + 2])
    assert phi.sum() == pytest.approx(v({0, 1, 2, 3}) - v(set()))  # efficiency
    assert phi[2] == 0.0                                           # dummy


def test_shapley_symmetry_and_efficiency_on_random_games_with_replicate_axes():
    rng = np.random.default_rng(3)
    k = 5
    values = rng.normal(size=(1 << k, 7, 3))
    phi = A.shapley(values)
    assert phi.shape == (k, 7, 3)
    np.testing.assert_allclose(phi.sum(axis=0), values[-1] - values[0], atol=1e-12)
    # players 1 and 3 made symmetric: swapping them leaves v unchanged
    sym = _game(k, lambda s: len(s & {1, 3}) ** 2 + 0.3 * (0 in s) * (1 in s) * (3 in s))
    p = A.shapley(sym)
    assert p[1] == pytest.approx(p[3]) and p[2] == pytest.approx(0.0)


def test_shapley_needs_all_coalitions():
    with pytest.raises(ValueError):
        A.shapley(np.zeros(6))


def test_table_rows_add_up_to_the_total_replicate_by_replicate():
    p = A.plan("baseline", "control", metrics=["wrongful_sanctions_total", "final_mean_trust"])
    n = len(p.coalitions)
    rng = np.random.default_rng(1)
    values = rng.normal(size=(n + 1, 4, 2))
    t = A.table(p, values)
    assert list(t.columns) == A.COLUMNS
    for _metric, g in t.groupby("metric", sort=False):
        parts = g[~g["lever"].isin([A.TOTAL])]["shapley"].sum()
        assert parts == pytest.approx(float(g.loc[g["lever"] == A.TOTAL, "shapley"].iloc[0]))
        assert (g["ci_low"] <= g["shapley"]).all() and (g["shapley"] <= g["ci_high"]).all()
        assert set(g["reps"]) == {4}
    assert t.loc[t["metric"] == "final_mean_trust", "unit"].iloc[0] == "0-1"


# ---------------------------------------------------------------- planning and bad input

def test_plan_refuses_what_cannot_be_attributed(monkeypatch):
    c = resolve("control")
    with pytest.raises(UserError, match="do not differ"):
        A.plan(c, Scenario("copy", "", c.params, c.changes))
    with pytest.raises(UserError, match="different scenarios"):
        A.plan(c, c)
    with pytest.raises(UserError, match="unknown metric"):
        A.plan("control", "service", metrics=["nope"])
    monkeypatch.setattr(A, "MAX_GROUPS", 3)
    with pytest.raises(UserError, match="at most 3"):
        A.plan("control", "service")


@pytest.mark.parametrize("args, says", [
    (["--reps", "0"], "--reps"),
    (["--metrics", "nope"], "unknown metric"),
    (["--metrics", ","], "--metrics"),
    (["--seed", "-1"], "seed"),
    (["--clients", "0"], "n_clients"),
    (["--workers", "-3"], "--workers"),
    (["--out", "OUT/a.txt"], "--out"),
    (["--set", "nope=1"], "nope"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(args, says, capsys, tmp_path):
    argv = ["attribute", "control", "service", "--months", "3", "--clients", "50"]
    argv += [a.replace("OUT", str(tmp_path)) for a in args]
    code, _, err = _main(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and says in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_same_scenario_twice_is_refused(capsys):
    code, _, err = _main(["attribute", "service", "service"], capsys)
    assert code == 2 and "different scenarios" in err


# ---------------------------------------------------------------- a real tiny run

def test_a_real_tiny_attribution_adds_up_to_compares_paired_difference(tmp_path, capsys):
    out = tmp_path / "attr.csv"
    code, stdout, err = _main(["attribute", "baseline", "control", "--reps", "2", "--clients", "100",
                               "--months", "6", "--seed", "4", "--workers", "1",
                               "--out", str(out)], capsys)
    assert code == 0, err
    assert "pinned" in err and "Shapley" in stdout
    t = pd.read_csv(out)
    assert list(t.columns) == A.COLUMNS
    assert list(dict.fromkeys(t["metric"])) == list(A.DEFAULT_METRICS)
    levers = list(dict.fromkeys(t["lever"]))
    assert levers == ["sanctions", "selection", "data_linkage", "framing", A.ADJUSTMENT, A.TOTAL]
    man = json.loads((tmp_path / "attr.csv.manifest.json").read_text())
    assert man["kind"] == "attribute" and man["reps"] == 2 and "pinned" in man["pinned"]
    assert [g["name"] for g in man["groups"]] == levers[:-2]
    assert (tmp_path / "attr.png").stat().st_size > 10_000
    # the total is compare's paired difference (same seeds), and the rows add up to it
    runs = compare.run_replications(["baseline", "control"], 2, 100, 6, seed=4, workers=1,
                                    summaries=True)
    diffs = paired_differences(runs).set_index("metric")
    for metric, g in t.groupby("metric"):
        total = float(g.loc[g["lever"] == A.TOTAL, "shapley"].iloc[0])
        assert total == pytest.approx(float(diffs.loc[metric, "difference"]), abs=1e-9)
        assert g.loc[g["lever"] != A.TOTAL, "shapley"].sum() == pytest.approx(total, abs=1e-6)
        assert not math.isnan(total)


# ---------------------------------------------------------------- compare keeps summaries

def test_compare_keeps_per_run_summaries_not_every_monthly_frame(monkeypatch, capsys):
    """Issue 13: compare's memory must not grow with --reps. At no moment may more than one
    run's monthly frame be alive (in-process, --workers 1); keeping every frame until the end
    (the old behaviour) would hold 2 x reps of them."""
    refs: list[weakref.ref] = []
    peak = [0]
    real = compare.simulate

    def tracked(*args, **kwargs):
        frame = real(*args, **kwargs)
        refs.append(weakref.ref(frame))
        return frame

    def count():
        peak[0] = max(peak[0], sum(r() is not None for r in refs))

    monkeypatch.setattr(compare, "simulate", tracked)
    from fatal_remedies.analysis import runner

    real_run_tasks = runner.run_tasks

    def spy(fn, tasks, **kw):
        done = kw.pop("on_done", None)

        def on_done():
            count()
            if done is not None:
                done()
        return real_run_tasks(fn, tasks, on_done=on_done, **kw)

    monkeypatch.setattr(compare, "run_tasks", spy)
    code, stdout, err = _main(["compare", "control", "service", "--reps", "6", "--clients", "60",
                               "--months", "3", "--workers", "1"], capsys)
    assert code == 0, err
    assert "wrongful_sanctions_total" in stdout
    assert len(refs) == 12, "the spy did not see the runs"
    assert peak[0] <= 1, f"{peak[0]} monthly frames were alive at once"


def test_summaries_give_the_same_comparison_as_frames():
    from fatal_remedies.analysis.summary import compare_frames

    frames = compare.run_replications(["control", "service"], 2, 60, 3, seed=2, workers=1)
    sums = compare.run_replications(["control", "service"], 2, 60, 3, seed=2, workers=1,
                                    summaries=True)
    assert isinstance(sums["control"][0], dict)
    pd.testing.assert_frame_equal(compare_frames(frames), compare_frames(sums))
    pd.testing.assert_frame_equal(paired_differences(frames), paired_differences(sums))


def test_same_seed_same_bytes(tmp_path, capsys):
    outs = []
    for i in (1, 2):
        out = tmp_path / f"r{i}" / "a.csv"
        code, _, err = _main(["attribute", "baseline", "control", "--reps", "2", "--clients", "50",
                              "--months", "3", "--workers", "1", "--out", str(out)], capsys)
        assert code == 0, err
        outs.append(out)
    for name in ("a.csv", "a.csv.manifest.json", "a.png"):
        assert (outs[0].parent / name).read_bytes() == (outs[1].parent / name).read_bytes(), name
