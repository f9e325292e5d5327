"""The command line as users type it: outputs, manifests, and one-line errors with exit code 2."""

import json
import subprocess

import pandas as pd
import pyarrow.parquet as pq
import pytest

from fatal_remedies.model import params as P


def run(cli, *args, cwd=None):
    return subprocess.run([*cli, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_scenarios_lists_all_five(cli):
    r = run(cli, "scenarios")
    assert r.returncode == 0
    names = [line.split()[0] for line in r.stdout.splitlines()]
    assert names == ["baseline", "control", "service", "datameent", "reversal"]


def test_params_shows_scenario_values(cli):
    r = run(cli, "params", "--scenario", "service")
    assert r.returncode == 0
    line = next(ln for ln in r.stdout.splitlines() if "information_burden" in ln)
    assert "0.2" in line and "lever" in line
    for p in P.REGISTRY.values():
        assert p.name in r.stdout


def test_registry_is_complete():
    assert P.get("information_burden").lo == 0 and P.get("information_burden").hi == 1
    for p in P.REGISTRY.values():
        assert p.unit and p.meaning and p.kind in (P.LEVER, P.UNCERTAINTY, P.RUN)
        assert p.coerce(p.default) == p.default
        if p.type in ("float", "int"):
            lo, hi = p.sweep_bounds
            assert p.lo <= lo < hi <= p.hi, p.name


def test_run_writes_csv_with_manifest_and_is_byte_identical(cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (a, b):
        r = run(cli, "run", "control", "--clients", "700", "--months", "13", "--seed", "4",
                "--set", "information_burden=0.5", "--out", str(out))
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()
    man_a = (tmp_path / "a.csv.manifest.json").read_text()
    assert man_a == (tmp_path / "b.csv.manifest.json").read_text()
    man = json.loads(man_a)
    assert man["seed"] == 4 and man["clients"] == 700 and man["months"] == 13
    assert man["scenario"]["params"]["information_burden"] == 0.5
    assert man["version"]
    frame = pd.read_csv(a)
    assert frame["month"].tolist() == list(range(1, 14))


def test_run_writes_parquet_with_manifest_metadata(cli, tmp_path):
    out = tmp_path / "r.parquet"
    r = run(cli, "run", "service", "--clients", "500", "--months", "6", "--out", str(out))
    assert r.returncode == 0, r.stderr
    meta = pq.read_schema(out).metadata
    man = json.loads(meta[b"fatal_remedies_manifest"])
    assert man["scenario"]["name"] == "service"
    assert len(pd.read_parquet(out)) == 6


def test_run_accepts_a_toml_path(cli, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('name = "mine"\ndescription = "test"\nextends = "control"\n[params]\ntransparency = 1.0\n')
    out = tmp_path / "m.csv"
    r = run(cli, "run", str(f), "--clients", "300", "--months", "3", "--out", str(out))
    assert r.returncode == 0, r.stderr
    man = json.loads((tmp_path / "m.csv.manifest.json").read_text())
    assert man["scenario"]["name"] == "mine"
    assert man["scenario"]["params"]["transparency"] == 1.0
    assert man["scenario"]["params"]["framing"] == "control"  # inherited from control


BAD = [
    (["run", "nosuch"], "unknown scenario 'nosuch'"),
    (["run", "control", "--clients", "0"], "n_clients"),
    (["run", "control", "--months", "-1"], "months"),
    (["run", "control", "--clients", "many"], "--clients"),
    (["run", "control", "--set", "information_burden=1.5"], "from 0 to 1"),
    (["run", "control", "--set", "information_burdn=0.5"], "did you mean 'information_burden'"),
    (["run", "control", "--set", "random_audits=perhaps"], "true or false"),
    (["run", "control", "--set", "sanction_regime=harsh"], "all_or_nothing, proportional"),
    (["run", "control", "--set", "clients_per_caseworker=12.5"], "an integer"),
    (["run", "control", "--set", "n_clients=5"], "run setting"),
    (["run", "control", "--set", "novalue"], "NAME=VALUE"),
    (["compare", "control"], "at least two"),
    (["compare", "control", "service", "--reps", "0"], "--reps"),
    (["compare", "control", "nosuch"], "unknown scenario"),
    (["compare", "control", "service", "--workers", "100000"], "--workers must be at most"),
    (["compare", "control", "service", "--workers", "-2"], "0 (all cores) or a positive integer"),
]


@pytest.mark.parametrize("args,needle", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_gives_one_line_and_exit_2(cli, tmp_path, args, needle):
    out = tmp_path / "out.csv"
    r = run(cli, *args, "--out", str(out)) if args[0] in ("run", "compare") else run(cli, *args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert needle in lines[0]
    assert "Traceback" not in r.stderr
    assert not out.exists() and not (tmp_path / "out.csv.manifest.json").exists()


@pytest.mark.parametrize("content,needle", [
    ('name = "x\n', "not valid TOML"),
    ('name = "x"\n[params]\nbogus = 1\n', "unknown parameter 'bogus'"),
    ('name = "x"\nwhatever = 1\n', "unknown key 'whatever'"),
    ('name = "x"\n[params]\ninformation_burden = "high"\n', "information_burden"),
    ('name = "x"\n[[changes]]\nmonth = 0\nuse = "service"\n', "month"),
    ('name = "x"\nextends = "nosuch"\n', "unknown scenario"),
])
def test_bad_scenario_file_gives_one_line_and_exit_2(cli, tmp_path, content, needle):
    f = tmp_path / "bad.toml"
    f.write_text(content)
    r = run(cli, "run", str(f), "--clients", "100", "--months", "2")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr, r.stderr


def test_failed_run_keeps_an_existing_output_file(cli, tmp_path):
    out = tmp_path / "keep.csv"
    out.write_text("precious\n")
    r = run(cli, "run", "control", "--clients", "0", "--out", str(out))
    assert r.returncode == 2
    assert out.read_text() == "precious\n"


def test_compare_writes_tidy_rows_with_intervals(cli, tmp_path):
    out = tmp_path / "cmp.csv"
    r = run(cli, "compare", "control", "service", "--reps", "2", "--clients", "800",
            "--months", "12", "--seed", "3", "--workers", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    tidy = pd.read_csv(out)
    assert list(tidy.columns) == ["scenario", "metric", "mean", "ci_low", "ci_high", "reps"]
    need = {"false_fraud_flags_total", "wrongful_sanctions_total", "fraud_detected_total",
            "reintegrated_total", "final_mean_trust", "final_non_take_up",
            "flag_ratio_language", "flag_ratio_single_parent", "flag_ratio_carer"}
    for sc in ("control", "service"):
        assert need <= set(tidy.loc[tidy.scenario == sc, "metric"])
    assert (tidy["reps"] == 2).all()
    ok = tidy.dropna(subset=["ci_low"])
    assert (ok["ci_low"] <= ok["mean"]).all() and (ok["mean"] <= ok["ci_high"]).all()
    man = json.loads((tmp_path / "cmp.csv.manifest.json").read_text())
    assert len(man["replicate_seeds"]) == 2 and [s["name"] for s in man["scenarios"]] == ["control", "service"]
    assert "service - control" in r.stdout
