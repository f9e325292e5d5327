"""A fault corpus: generated command lines and scenario files for every command.

Every case is held to the command line's contract: **exit 0, or exit 2 with one line on
stderr and no traceback; on exit 2 no file is new or changed; every case ends within a
bounded time, and the test process and its workers stay within a bounded memory.** Hypothesis generates the cases (derandomized, so CI sees the same corpus
every time): wrong types, extreme numbers, odd paths, deep or cyclic `extends`, huge or
binary scenario files, damaged sweep directories. They run in-process through
`fatal_remedies.cli.main(argv)`, each in its own temporary folder that is also the working
directory, so every path a case names stays inside it; a few per command also run as real
subprocesses (`test_a_few_cases_as_real_processes`).

Valid sizes are kept small on purpose (a valid `--clients` is at most a few hundred), so that
a case that passes every check still ends in seconds: the corpus is about input handling,
not about speed. `FATAL_REMEDIES_CORPUS_CASES` sets the cases per command (default 100; a
quarter of that for the valid sweeps, each of which starts a worker pool).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fatal_remedies.cli import main
from fatal_remedies.model.params import REGISTRY

CASES = int(os.environ.get("FATAL_REMEDIES_CORPUS_CASES", "100"))
CASE_SECONDS = 60.0
"""No single case may take longer (a generous bound: most take milliseconds)."""
PEAK_MIB = 3072
"""Neither this process nor any worker it waited for may ever hold more (resident, MiB): a
case that allocates for `--reps 1000000000` or a billion sample points before refusing
them would pass it (the pytest process with every library loaded holds about 0.5 GiB)."""

SETTINGS = settings(max_examples=CASES, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))

TOY = "fatal_remedies.analysis.toys:RegistryToy"
BUILTIN = ["baseline", "control", "service", "datameent", "reversal"]

# ----------------------------------------------------------------------------- values
JUNK = st.sampled_from([
    "", " ", "-1", "0", "-0", "abc", "1e309", "-1e309", "nan", "inf", "1,5", "2.5", "0x10",
    "99999999999999999999", "--", "=", "x=y", "ü", "\t", "1_000", "None", "true", "[]",
])
BIG = st.integers(-(10**30), 10**30).map(str)
FLOATS = st.floats(allow_nan=True, allow_infinity=True).map(repr)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=16)
ANY = st.one_of(JUNK, BIG, FLOATS, TEXT)


def small_or_bad(lo: int, hi: int, bad_lo: int, bad_hi: int):
    """A value that is either small and valid (lo..hi) or out of bounds or not a number."""
    return st.one_of(st.integers(lo, hi).map(str), st.integers(-(10**13), bad_lo).map(str),
                     st.integers(bad_hi, 10**13).map(str), JUNK)


CLIENTS = small_or_bad(50, 250, 0, 2_000_001)
MONTHS = small_or_bad(1, 12, 0, 1201)
SEED = st.one_of(st.integers(-5, 5).map(str), BIG, JUNK)
WORKERS = st.one_of(st.just("1"), st.integers(-5, 0).map(str), st.integers(10_000, 10**9).map(str),
                    JUNK)
NAMES = sorted(REGISTRY)
ASSIGNMENT = st.one_of(
    st.tuples(st.sampled_from(NAMES + ["informaton_burden", "n_clients"]), ANY).map(
        lambda t: f"{t[0]}={t[1]}"),
    TEXT)
OK_OUT = st.sampled_from(["o.csv", "o.parquet", "sub/o.csv", "a_dir/o.csv"])
OK_SET = st.sampled_from(["information_burden=0.3", "transparency=1", "sanction_regime=proportional",
                          "random_audits=false", "share_carer=0.2"])
OK_SCENARIOS = st.lists(st.sampled_from(BUILTIN), min_size=2, max_size=3, unique=True)
SWEEPABLE = ["hourly_cost_eur", "share_carer", "initial_trust", "share_single_parent", "score_noise"]


OUT_FILES = st.sampled_from([
    "o.csv", "o.parquet", "o.txt", "o.html", "sub/o.csv", "a_dir", "a_dir/o.csv",
    "a_file/o.csv", "a_file", ".csv", "o.CSV",
])


def opt(name: str, values):
    """An option with a value, or nothing."""
    return st.one_of(st.just([]), values.map(lambda v: [name, v]))


def options(*parts):
    """Some of the given options, in a drawn order."""
    return st.tuples(*parts).flatmap(
        lambda chosen: st.permutations([c for c in chosen if c]).map(
            lambda order: [tok for o in order for tok in o]))


# ----------------------------------------------------------------------- scenario files
def toml_value(v: str) -> str:
    return json.dumps(v) if not v.lstrip("-").replace(".", "", 1).isdigit() else v


SCENARIO_TEXT = st.builds(
    lambda name, extends, params, changes: "\n".join(
        [f"name = {json.dumps(name)}", 'description = "generated"']
        + ([f"extends = {json.dumps(extends)}"] if extends is not None else [])
        + ["[params]"] + [f"{k} = {toml_value(v)}" for k, v in params]
        + [line for month, k, v in changes
           for line in ("[[changes]]", f"month = {month}", "[changes.params]", f"{k} = {toml_value(v)}")]
    ) + "\n",
    TEXT.filter(lambda s: s.strip() != ""),
    st.one_of(st.none(), st.sampled_from(BUILTIN + ["nosuch", "self.toml", "chain0.toml",
                                                    "../outside.toml", "a_dir"])),
    st.lists(st.tuples(st.sampled_from(NAMES + ["bogus"]), ANY), max_size=3),
    st.lists(st.tuples(st.integers(-3, 10**6), st.sampled_from(NAMES[:20]), ANY), max_size=3),
)
SCENARIO_FILE = st.one_of(
    SCENARIO_TEXT.map(lambda t: ("text", t)),
    st.binary(max_size=300).map(lambda b: ("bytes", b)),
    st.sampled_from([("huge", None), ("deep", 150), ("deep", 5), ("cycle", None),
                     ("many_changes", 10_001)]),
)


def write_scenario(root: Path, kind, payload) -> str:
    """Write a generated scenario file into `root` and return the path to give."""
    path = root / "self.toml"
    if kind == "text":
        path.write_text(payload, encoding="utf-8")
    elif kind == "bytes":
        path.write_bytes(payload)
    elif kind == "huge":
        path.write_text('name = "huge"\ndescription = "x"\n' + "#" * (1024 * 1024 + 10) + "\n")
    elif kind == "deep":
        for i in range(payload):
            ext = f'extends = "chain{i + 1}.toml"\n' if i + 1 < payload else 'extends = "control"\n'
            (root / f"chain{i}.toml").write_text(f'name = "c{i}"\ndescription = "x"\n{ext}')
        path = root / "chain0.toml"
    elif kind == "cycle":
        (root / "a.toml").write_text('name = "a"\ndescription = "x"\nextends = "b.toml"\n')
        (root / "b.toml").write_text('name = "b"\ndescription = "x"\nextends = "a.toml"\n')
        path = root / "a.toml"
    elif kind == "many_changes":
        body = "".join(f"[[changes]]\nmonth = {m + 2}\n[changes.params]\ntransparency = 0.5\n"
                       for m in range(payload))
        path.write_text('name = "many"\ndescription = "x"\nextends = "control"\n' + body)
    return path.name


SCENARIO_ARG = st.one_of(st.sampled_from(BUILTIN), JUNK, TEXT, st.just("@file"))


# ------------------------------------------------------------------------ the contract
def _snapshot(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st_ = p.lstat()
            out[str(p.relative_to(root))] = (st_.st_size, st_.st_mtime_ns, st_.st_mode)
    return out


def _prepare(root: Path) -> None:
    """What every case's folder holds: a folder, a file, and a results/ folder."""
    (root / "a_dir").mkdir()
    (root / "a_file").write_text("not a folder\n")


def invoke(argv: list[str]) -> tuple[int, str, str, float]:
    """Run the command line in this process: exit code, stdout, stderr, seconds."""
    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in argv])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # noqa: BLE001 - what a user would see as a traceback
            import traceback

            code = 1
            err.write(traceback.format_exc())
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - t0


TALLY: dict[str, dict[int, int]] = {}
"""Exit codes seen per command, so the corpus can show it reached both the valid and the
refused paths (`test_the_corpus_reached_both_outcomes`)."""


def check_contract(argv, root: Path, before: dict) -> int:
    code, out, err, seconds = invoke(argv)
    counts = TALLY.setdefault(str(argv[0]), {})
    counts[code] = counts.get(code, 0) + 1
    shown = " ".join(repr(a) for a in argv)
    assert "Traceback" not in err and "Traceback" not in out, f"{shown}\n{err[-3000:]}"
    assert code in (0, 2), f"exit {code}: {shown}\n{err[-2000:]}"
    if code == 2:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1, f"{shown}: stderr has {len(lines)} lines:\n{err[-2000:]}"
        assert lines[0].startswith("fatal-remedies: "), f"{shown}: {lines[0]}"
        after = _snapshot(root)
        assert after == before, (f"{shown}: exit 2 but files changed: "
                                 f"{sorted(set(after.items()) ^ set(before.items()))[:6]}")
    assert seconds < CASE_SECONDS, f"{shown}: took {seconds:.1f} s"
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        peak = resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
        assert peak < PEAK_MIB, f"{shown}: peak memory {peak:.0f} MiB"
    return code


@contextlib.contextmanager
def case_folder():
    """A fresh temporary folder that is the working directory for one case."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        root = Path(tmp)
        _prepare(root)
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(old)


def run_case(argv_parts, scenario=None):
    with case_folder() as root:
        argv = list(argv_parts)
        if scenario is not None:
            name = write_scenario(root, *scenario)
            argv = [name if a == "@file" else a for a in argv]
        argv = ["self.toml" if a == "@file" else a for a in argv]
        return check_contract(argv, root, _snapshot(root))


# ---------------------------------------------------------------------------- commands
@SETTINGS
@given(st.one_of(st.just([]), st.lists(ANY, max_size=2)))
def test_corpus_scenarios(extra):
    run_case(["scenarios", *extra])


@SETTINGS
@given(options(opt("--scenario", SCENARIO_ARG)), SCENARIO_FILE)
def test_corpus_params(args, scenario):
    run_case(["params", *args], scenario)


RUN_OK = options(opt("--clients", st.integers(50, 150).map(str)), opt("--months", st.integers(1, 6).map(str)),
                 opt("--seed", st.integers(0, 5).map(str)), opt("--set", OK_SET), opt("--out", OK_OUT))
RUN_FUZZ = options(opt("--clients", CLIENTS), opt("--months", MONTHS), opt("--seed", SEED),
                   opt("--set", ASSIGNMENT), opt("--set", ASSIGNMENT), opt("--out", OUT_FILES))


@SETTINGS
@given(st.one_of(st.sampled_from(BUILTIN), SCENARIO_ARG), st.one_of(RUN_OK, RUN_FUZZ), SCENARIO_FILE)
def test_corpus_run(scenario, args, scenario_file):
    if "--clients" not in args:
        args = [*args, "--clients", "100"]
    if "--months" not in args:
        args = [*args, "--months", "6"]
    run_case(["run", scenario, *args], scenario_file)


COMPARE_OK = options(opt("--reps", st.sampled_from(["1", "2"])), opt("--seed", st.integers(0, 5).map(str)),
                     opt("--set", OK_SET), opt("--out", st.sampled_from(["o.csv", "sub/o.csv"])))
COMPARE_FUZZ = options(opt("--reps", small_or_bad(1, 2, 0, 10_001)), opt("--clients", CLIENTS),
                       opt("--months", MONTHS), opt("--seed", SEED), opt("--set", ASSIGNMENT),
                       opt("--out", OUT_FILES), opt("--workers", WORKERS))


@SETTINGS
@given(st.one_of(OK_SCENARIOS, st.lists(SCENARIO_ARG, min_size=0, max_size=3)),
       st.one_of(COMPARE_OK, COMPARE_FUZZ), SCENARIO_FILE)
def test_corpus_compare(scenarios, args, scenario_file):
    for name, value in (("--clients", "100"), ("--months", "6"), ("--reps", "1"), ("--workers", "1")):
        if name not in args:
            args = [*args, name, value]
    run_case(["compare", *scenarios, *args], scenario_file)


@SETTINGS
@given(st.one_of(
    options(opt("--seed", st.integers(0, 5).map(str)), opt("--out", st.sampled_from(["o.csv", "o.html"]))),
    options(opt("--reps", small_or_bad(1, 1, 0, 1001)), opt("--clients", small_or_bad(200, 250, 199, 2_000_001)),
            opt("--months", small_or_bad(12, 13, 11, 1201)), opt("--seed", SEED),
            opt("--out", OUT_FILES), opt("--workers", WORKERS))))
def test_corpus_validate(args):
    for name, value in (("--clients", "200"), ("--months", "12"), ("--reps", "1"), ("--workers", "1")):
        if name not in args:
            args = [*args, name, value]
    run_case(["validate", *args])


PARAMS = st.lists(st.sampled_from(NAMES + ["bogus", "", "n_clients", "random_audits"]), min_size=0,
                  max_size=3).map(",".join)
SWEEP_OUT = st.sampled_from(["sw", "a_dir", "a_file", "sub/sw", "sw"])


SWEEP_OK = st.tuples(
    st.sampled_from([["--method", "sobol", "--samples", "4"], ["--method", "lhs", "--samples", "6"],
                     ["--method", "morris", "--samples", "2"], ["--method", "grid", "--samples", "2"]]),
    st.lists(st.sampled_from(SWEEPABLE), min_size=2, max_size=3, unique=True),
    st.sampled_from([[], ["--reps", "2"], ["--seed", "3"], ["--scenario", "control"]]),
).map(lambda t: [*t[0], "--params", ",".join(t[1]), *t[2], "--evaluator", TOY])


@settings(SETTINGS, max_examples=max(5, CASES // 4))  # each valid sweep starts a worker pool
@given(SWEEP_OK, st.sampled_from(["sw", "sub/sw"]))
def test_corpus_sweep_valid(args, out):
    run_case(["sweep", "--out", out, "--workers", "1", *args])


@SETTINGS
@given(options(opt("--scenario", SCENARIO_ARG), opt("--method", st.one_of(
                   st.sampled_from(["sobol", "morris", "lhs", "grid"]), JUNK)),
               opt("--samples", st.one_of(st.sampled_from(["2", "4", "3"]), BIG, JUNK,
                                          st.just("1099511627776"))),
               opt("--params", PARAMS), opt("--bounds", st.one_of(ASSIGNMENT, TEXT)),
               opt("--reps", st.one_of(st.just("1"), BIG, JUNK, st.just("1000000000"))),
               opt("--clients", CLIENTS), opt("--months", MONTHS), opt("--seed", SEED),
               opt("--over-time", st.one_of(JUNK, st.sampled_from(["y:sum", "mean_trust:last",
                                                                   "mean_trsut", "y:median"]))),
               opt("--workers", WORKERS), opt("--batch-size", st.one_of(JUNK, BIG)),
               opt("--versus", st.one_of(st.sampled_from(["service", "control"]), SCENARIO_ARG))),
       st.sampled_from([[], ["--resume"], ["--retry-failed"], ["--resume", "--retry-failed"]]),
       st.sampled_from([TOY, TOY, "nosuch:thing", None]), SWEEP_OUT, SCENARIO_FILE)
def test_corpus_sweep(args, flags, evaluator, out, scenario_file):
    ev = ["--evaluator", evaluator] if evaluator else []
    if evaluator is None:  # the model itself: keep a valid sweep small
        for name, value in (("--clients", "60"), ("--months", "3"), ("--samples", "2")):
            if name not in args:
                args = [*args, name, value]
    if "--workers" not in args:
        args = [*args, "--workers", "1"]
    run_case(["sweep", "--out", out, *ev, *flags, *args], scenario_file)


# ------------------------------------------------------------------ attribute and optimize
ATTRIBUTE_PAIRS = st.one_of(
    st.sampled_from([["datameent", "service"], ["service", "datameent"]]),  # one lever group: fast
    st.lists(st.one_of(st.sampled_from(BUILTIN), SCENARIO_ARG), min_size=0, max_size=3))
ATTRIBUTE_OK = options(opt("--reps", st.sampled_from(["1", "2"])), opt("--seed", st.integers(0, 5).map(str)),
                       opt("--metrics", st.sampled_from(["wrongful_sanctions_total",
                                                         "final_mean_trust,gave_up_total"])),
                       opt("--out", st.sampled_from(["o.csv", "sub/o.csv"])))
ATTRIBUTE_FUZZ = options(opt("--reps", small_or_bad(1, 2, 0, 10_001)), opt("--clients", CLIENTS),
                         opt("--months", MONTHS), opt("--seed", SEED), opt("--set", ASSIGNMENT),
                         opt("--metrics", st.one_of(JUNK, TEXT, st.sampled_from(
                             ["bogus", "fraud_flags_total,", "final_mean_trust,final_mean_trust"]))),
                         opt("--out", OUT_FILES), opt("--workers", WORKERS))


@SETTINGS
@given(ATTRIBUTE_PAIRS, st.one_of(ATTRIBUTE_OK, ATTRIBUTE_FUZZ), SCENARIO_FILE)
def test_corpus_attribute(scenarios, args, scenario_file):
    for name, value in (("--clients", "60"), ("--months", "3"), ("--reps", "1"), ("--workers", "1")):
        if name not in args:
            args = [*args, name, value]
    run_case(["attribute", *scenarios, *args], scenario_file)


LEVERS = st.one_of(
    st.sampled_from(["information_burden", "information_burden,sanction_regime", "transparency,caseload"]),
    PARAMS, JUNK)
OBJECTIVES = st.one_of(
    st.sampled_from(["wrongful_sanctions_total:min,reintegrated_total:max",
                     "full_cost_eur_total:min,final_mean_trust:max"]),
    st.sampled_from(["wrongful_sanctions_total", "bogus:min,reintegrated_total:max",
                     "wrongful_sanctions_total:up", "reintegrated_total:max", ":min,:max",
                     "wrongful_sanctions_total:min,wrongful_sanctions_total:max"]),
    TEXT)
OPTIMIZE_OK = options(opt("--robustness", st.sampled_from(["mean", "p90", "regret"])),
                      opt("--seed", st.integers(0, 5).map(str)), opt("--scenario", st.sampled_from(BUILTIN)))
OPTIMIZE_FUZZ = options(opt("--scenario", SCENARIO_ARG),
                        opt("--robustness", st.one_of(JUNK, st.sampled_from(["p50", "max"]))),
                        opt("--uncertainty-samples", small_or_bad(1, 2, 0, 10_001)),
                        opt("--uncertainties", PARAMS),
                        opt("--reps", st.one_of(st.just("1"), BIG, JUNK, st.just("1000000000"))),
                        opt("--evaluations", st.one_of(st.sampled_from(["4", "3"]), BIG, JUNK)),
                        opt("--population", small_or_bad(4, 4, 3, 10_001)),
                        opt("--clients", CLIENTS), opt("--months", MONTHS), opt("--seed", SEED),
                        opt("--workers", WORKERS))


@SETTINGS
@given(LEVERS, OBJECTIVES, st.one_of(OPTIMIZE_OK, OPTIMIZE_FUZZ), SWEEP_OUT,
       st.sampled_from([[], [], ["--resume"]]), SCENARIO_FILE)
def test_corpus_optimize(levers, objectives, args, out, flags, scenario_file):
    for name, value in (("--clients", "60"), ("--months", "3"), ("--reps", "1"), ("--workers", "1"),
                        ("--uncertainty-samples", "1"), ("--evaluations", "4"), ("--population", "4")):
        if name not in args:
            args = [*args, name, value]
    run_case(["optimize", "--out", out, "--levers", levers, "--objectives", objectives, *flags, *args],
             scenario_file)


# ---------------------------------------------------------------- analyze and discover
@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    """A small finished toy sweep that each case copies and may damage."""
    d = tmp_path_factory.mktemp("corpus-sweep") / "sw"
    code, _, err, _ = invoke(["sweep", "--evaluator", TOY, "--params",
                              "hourly_cost_eur,share_carer,network_degree", "--samples", "4",
                              "--reps", "2", "--workers", "1", "--out", str(d)])
    assert code == 0, err
    return d


DAMAGE = st.sampled_from(["none", "none", "none", "none", "truncate_part", "no_manifest", "manifest_no_reps",
                          "manifest_no_factors", "manifest_junk", "no_design", "no_parts",
                          "empty_part"])


def damage(d: Path, how: str) -> None:
    parts = sorted((d / "parts").glob("*.parquet"))
    if how == "truncate_part" and parts:
        with open(parts[0], "r+b") as f:
            f.truncate(100)
    elif how == "empty_part" and parts:
        parts[0].write_bytes(b"")
    elif how == "no_manifest":
        (d / "manifest.json").unlink()
    elif how in ("manifest_no_reps", "manifest_no_factors"):
        m = json.loads((d / "manifest.json").read_text())
        m.pop("reps" if how == "manifest_no_reps" else "factors")
        (d / "manifest.json").write_text(json.dumps(m))
    elif how == "manifest_junk":
        (d / "manifest.json").write_text("{not json")
    elif how == "no_design":
        (d / "design.parquet").unlink()
    elif how == "no_parts":
        shutil.rmtree(d / "parts")


def _sweep_case(sweep_dir: Path, how: str, argv_after_dir: list[str], command: str):
    with case_folder() as root:
        d = root / "sw"
        shutil.copytree(sweep_dir, d)
        damage(d, how)
        check_contract([command, "sw", *argv_after_dir], root, _snapshot(root))


OUTCOMES = st.sampled_from(["y", "nope", "", "y_sum_y01", "wrongful_sanctions_total"])


@SETTINGS
@given(DAMAGE, options(opt("--method", st.one_of(st.sampled_from(["sobol", "morris", "pawn",
                                                                   "delta"]), JUNK)),
                       opt("--outcome", OUTCOMES), opt("--over-time", st.one_of(JUNK, OUTCOMES)),
                       opt("--resamples", st.one_of(st.sampled_from(["10", "12"]), JUNK,
                                                     st.integers(-10, 9).map(str)))),
       st.sampled_from([["--no-plots"], ["--no-plots"], []]))
def test_corpus_analyze(sweep_dir, how, args, plots):
    _sweep_case(sweep_dir, how, [*plots, *args], "analyze")


@SETTINGS
@given(DAMAGE, st.one_of(st.just("y"), OUTCOMES),
       st.one_of(st.sampled_from(["> 6", "< 6", "> 5"]),
                 st.sampled_from(["> 0", "< 1", ">= y", "== nan", "> ", "0", "> nope", ">> 1",
                                  "> 1e309"]), TEXT),
       options(opt("--min-coverage", st.one_of(st.sampled_from(["0.5", "0.1"]), JUNK, FLOATS)),
               opt("--boxes", st.one_of(st.sampled_from(["1", "2"]), JUNK,
                                        st.integers(-5, 0).map(str))),
               opt("--mass-min", st.one_of(st.sampled_from(["0.05", "0.2"]), JUNK, FLOATS))))
def test_corpus_discover(sweep_dir, how, outcome, where, args):
    _sweep_case(sweep_dir, how, ["--outcome", outcome, "--where", where, "--no-plots", *args],
                "discover")


@pytest.fixture(scope="module")
def busy_port():
    """A port this test holds, so a `ui` case can never start a server."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    yield str(s.getsockname()[1])
    s.close()


@SETTINGS
@given(st.sampled_from(["0", "65536", "-1", "99999999", "abc", "", "1.5", "nan", "1e3", "--"]),
       st.one_of(st.just([]), st.sampled_from([["--host", "127.0.0.1"], ["--host", ""],
                                               ["--host", "no.such.host.invalid"]])),
       st.sampled_from([[], ["--no-open"]]), st.booleans())
def test_corpus_ui(busy_port, port, host, flags, in_use):
    # Every case is one that must be refused: a bad port, or the port this test holds.
    run_case(["ui", "--port", busy_port if in_use else port, *host, *flags])


def test_the_corpus_reached_both_outcomes():
    """A corpus that is refused every time tests only the first check: every command that can
    succeed must have succeeded in some cases and been refused in others."""
    if len(TALLY) < 11:  # scenarios params run compare validate sweep analyze discover ui attribute optimize
        pytest.skip("runs after the whole corpus only")
    print("\nfault corpus, exit codes per command:", json.dumps(TALLY, sort_keys=True))
    for command, counts in TALLY.items():
        assert counts.get(2, 0) > 0, (command, counts)
        if command != "ui":  # every ui case is one that must be refused
            assert counts.get(0, 0) > 0, f"{command}: no case succeeded {counts}"


# ------------------------------------------------------------ the same as real processes
REAL = [
    ["run", "control", "--seed", "-3"],
    ["run", "nosuch", "--clients", "50"],
    ["compare", "control", "service", "--reps", "0"],
    ["compare", "control", "service", "--workers", "100000"],
    ["validate", "--clients", "10"],
    ["sweep", "--out", "sw", "--samples", "1099511627776", "--params",
     "hourly_cost_eur,share_carer"],
    ["sweep", "--out", "sw", "--reps", "1000000000", "--params", "hourly_cost_eur,share_carer"],
    ["analyze", "no_such_dir"],
    ["discover", "no_such_dir", "--outcome", "y", "--where", "> 0"],
    ["params", "--scenario", "a_dir"],
    ["scenarios", "extra"],
    ["ui", "--port", "0"],
    ["attribute", "control", "control"],
    ["attribute", "control", "service", "--reps", "1000000000"],
    ["optimize", "--out", "o", "--levers", "bogus", "--objectives", "wrongful_sanctions_total:min"],
    ["optimize", "--out", "a_file", "--levers", "information_burden",
     "--objectives", "wrongful_sanctions_total:min,reintegrated_total:max"],
    ["sweep", "--out", "sw", "--versus", "service", "--params", "information_burden,initial_trust"],
]


@pytest.mark.parametrize("argv", REAL, ids=[" ".join(a[:2]) + f" #{i}" for i, a in enumerate(REAL)])
def test_a_few_cases_as_real_processes(tmp_path, argv):
    _prepare(tmp_path)
    before = _snapshot(tmp_path)
    r = subprocess.run([sys.executable, "-m", "fatal_remedies", *argv], capture_output=True,
                       text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fatal-remedies: "), r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    assert _snapshot(tmp_path) == before
