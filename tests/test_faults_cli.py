"""Faults of run, compare, validate, scenario files and ui (issue 13): each is refused before any
work with one line and exit code 2, leaves no new or changed file, or is survived cleanly.

Most cases go through `fatal_remedies.cli.main(argv)` in this process (fast); the `ui`
server's death with its parent needs real processes.
"""

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from proctools import alive, children

from fatal_remedies.cli import main
from fatal_remedies.model import files
from fatal_remedies.model import scenario as S
from fatal_remedies.viz import serve

SMALL = ["--clients", "100", "--months", "2"]


def call(argv, capsys):
    """Exit code, stdout and stderr of `fatal-remedies ARGV` run in this process."""
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return info.value.code, out, err


def refused(argv, capsys, needle):
    """Assert the contract for bad input: exit 2, one line `fatal-remedies: error: ...`."""
    code, out, err = call(argv, capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2, (code, err)
    assert len(lines) == 1 and lines[0].startswith("fatal-remedies: error:"), err
    assert needle in lines[0], lines[0]
    return lines[0]


def listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def no_simulation(monkeypatch):
    """Fail the test if a run starts: limits and output checks come before any work."""
    from fatal_remedies.analysis import compare, validate
    from fatal_remedies.model import run

    def boom(*_a, **_k):
        raise AssertionError("a simulation started before the input was checked")

    monkeypatch.setattr(run, "simulate", boom)
    monkeypatch.setattr(compare, "run_replications", boom)
    monkeypatch.setattr(validate, "validation_report", boom)


# --- seeds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["run", "control", *SMALL],
    ["compare", "control", "service", "--reps", "1", "--workers", "1", *SMALL],
    ["validate", "--reps", "1", "--clients", "200", "--months", "12", "--workers", "1"],
], ids=["run", "compare", "validate"])
def test_negative_seed_is_refused_in_one_line(argv, capsys, tmp_path, no_simulation):
    out = tmp_path / "out.csv"
    refused([*argv, "--seed", "-1", "--out", out], capsys, "seed must be a non-negative integer")
    assert listing(tmp_path) == {}


def test_simulate_refuses_a_negative_seed():
    from fatal_remedies.model.errors import UserError
    from fatal_remedies.model.run import simulate

    with pytest.raises(UserError, match="non-negative"):
        simulate("control", clients=100, months=1, seed=-3)


# --- scenario files ------------------------------------------------------------------------

def _chain(folder: Path, n: int, last: str = "control") -> Path:
    """c0.toml extends c1.toml ... c(n-1).toml extends `last`; returns c0.toml."""
    for i in range(n):
        parent = f"c{i + 1}.toml" if i < n - 1 else last
        (folder / f"c{i}.toml").write_text(f'name = "c{i}"\nextends = "{parent}"\n')
    return folder / "c0.toml"


def test_a_chain_of_1100_extends_is_refused_in_one_line(tmp_path, capsys, no_simulation):
    top = _chain(tmp_path, 1100)
    refused(["run", top, *SMALL], capsys, f"deeper than {S.MAX_EXTENDS_DEPTH}")


def test_extends_depth_limit_is_exact(tmp_path):
    (tmp_path / "ok").mkdir()
    (tmp_path / "deep").mkdir()
    # the built-in at the end (baseline extends nothing) is one scenario of the chain
    assert S.load_scenario(str(_chain(tmp_path / "ok", S.MAX_EXTENDS_DEPTH - 1, "baseline"))).name == "c0"
    with pytest.raises(S.ScenarioError, match="deeper than"):
        S.load_scenario(str(_chain(tmp_path / "deep", S.MAX_EXTENDS_DEPTH, "baseline")))


def test_cyclic_extends_stays_refused_in_one_line(tmp_path, capsys, no_simulation):
    (tmp_path / "a.toml").write_text('name = "a"\nextends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('name = "b"\nextends = "a.toml"\n')
    refused(["run", tmp_path / "a.toml", *SMALL], capsys, "extends itself in a loop")


def test_relative_extends_and_use_resolve_from_the_files_folder(tmp_path, monkeypatch):
    (tmp_path / "mine" / "base").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "mine" / "base" / "parent.toml").write_text(
        'name = "parent"\nextends = "control"\n[params]\ntransparency = 0.9\n')
    (tmp_path / "mine" / "later.toml").write_text('name = "later"\n[params]\ntransparency = 0.3\n')
    (tmp_path / "mine" / "child.toml").write_text(
        'name = "child"\nextends = "base/parent.toml"\n'
        '[[changes]]\nmonth = 5\nuse = "later.toml"\n')
    monkeypatch.chdir(tmp_path / "elsewhere")
    sc = S.load_scenario("../mine/child.toml")
    assert sc.params["transparency"] == 0.9
    assert sc.params["algorithm_purpose"] == S.load_scenario("control").params["algorithm_purpose"]
    assert sc.changes[0].month == 5 and sc.changes[0].params["transparency"] == 0.3


def test_a_builtin_name_in_extends_stays_the_builtin(tmp_path):
    (tmp_path / "service").write_text("not a scenario\n")  # a file of that name is not read
    (tmp_path / "x.toml").write_text('name = "x"\nextends = "service"\n')
    assert S.load_scenario(str(tmp_path / "x.toml")).params == S.load_scenario("service").params


@pytest.mark.parametrize("ref", ["absolute", "../other.toml", "control"])
def test_a_scenario_can_be_held_to_builtin_references(tmp_path, ref):
    """The app's upload: a file from the browser must not make the server read its files."""
    (tmp_path / "other.toml").write_text('name = "o"\n')
    ref = str(tmp_path / "other.toml") if ref == "absolute" else ref
    (tmp_path / "up").mkdir()
    f = tmp_path / "up" / "u.toml"
    f.write_text(f'name = "u"\nextends = "{ref}"\n[[changes]]\nmonth = 3\nuse = "{ref}"\n')
    S.load_scenario(str(f))  # a file given on this machine's command line may name any
    if ref == "control":
        assert S.load_scenario(str(f), builtin_refs_only=True).params == S.load_scenario("control").params
    else:
        with pytest.raises(S.ScenarioError, match="not a built-in scenario"):
            S.load_scenario(str(f), builtin_refs_only=True)


def _changes(entries: list[tuple[int, str, float]]) -> str:
    return 'name = "t"\nextends = "control"\n' + "".join(
        f"[[changes]]\nmonth = {m}\n[changes.params]\n{name} = {value}\n"
        for m, name, value in entries)


def test_two_conflicting_changes_in_one_month_are_refused(tmp_path, capsys, no_simulation):
    f = tmp_path / "t.toml"
    f.write_text(_changes([(13, "transparency", 0.5), (20, "transparency", 0.1),
                           (13, "transparency", 0.7)]))
    line = refused(["run", f, *SMALL], capsys, "month 13")
    assert "'transparency'" in line and "0.5" in line and "0.7" in line


def test_the_same_change_twice_in_one_month_is_fine(tmp_path):
    f = tmp_path / "t.toml"
    f.write_text(_changes([(13, "transparency", 0.5), (13, "transparency", 0.5),
                           (14, "transparency", 0.7)]))
    assert [c.month for c in S.load_scenario(str(f)).changes] == [13, 13, 14]


def test_a_change_may_override_one_it_inherits(tmp_path):
    f = tmp_path / "r.toml"
    f.write_text('name = "r"\nextends = "reversal"\n[[changes]]\nmonth = 61\n'
                 '[changes.params]\ntransparency = 0.1\n')
    sc = S.load_scenario(str(f))
    assert [c.month for c in sc.changes] == [61, 61]
    assert sc.changes[-1].params == {"transparency": 0.1}


def test_too_many_timed_changes_are_refused_before_any_run(tmp_path, capsys, no_simulation):
    ok, bad = tmp_path / "ok.toml", tmp_path / "bad.toml"
    ok.write_text(_changes([(2, "transparency", 0.5)] * S.MAX_CHANGES))
    bad.write_text(_changes([(2, "transparency", 0.5)] * (S.MAX_CHANGES + 1)))
    assert len(S.load_scenario(str(ok)).changes) == S.MAX_CHANGES
    refused(["run", bad, *SMALL], capsys, f"at most {S.MAX_CHANGES:,}")


def test_a_scenario_file_over_the_size_limit_is_refused(tmp_path, capsys, no_simulation):
    f = tmp_path / "big.toml"
    head = 'name = "big"\n'
    f.write_text(head + "#" * (S.MAX_SCENARIO_BYTES - len(head) - 1) + "\n")
    assert S.load_scenario(str(f)).name == "big"  # exactly at the limit
    with f.open("a") as fh:
        fh.write("\n")
    refused(["run", f, *SMALL], capsys, "MiB")


def test_a_folder_given_as_scenario_is_called_a_folder(tmp_path, capsys):
    line = refused(["run", tmp_path, *SMALL], capsys, "is a folder")
    assert "does not exist" not in line


def test_limits_are_stated_in_help(capsys):
    code, out, _ = call(["run", "--help"], capsys)
    assert code == 0
    flat = " ".join(out.split())
    assert "1 MiB" in flat and f"{S.MAX_CHANGES:,} timed changes" in flat
    assert f"{S.MAX_EXTENDS_DEPTH} scenarios" in flat


# --- output files --------------------------------------------------------------------------

def test_an_unwritable_manifest_writes_no_data_file(tmp_path, capsys, no_simulation):
    (tmp_path / "a.csv.manifest.json").mkdir()
    before = listing(tmp_path)
    refused(["run", "control", *SMALL, "--out", tmp_path / "a.csv"], capsys, "a.csv.manifest.json")
    assert listing(tmp_path) == before


def test_compare_checks_the_manifest_path_before_any_run(tmp_path, capsys, no_simulation):
    (tmp_path / "c.csv.manifest.json").mkdir()
    refused(["compare", "control", "service", "--reps", "1", "--workers", "1", *SMALL,
             "--out", tmp_path / "c.csv"], capsys, "directory")
    assert not (tmp_path / "c.csv").exists()


def _failing_replace(monkeypatch, name_end: str):
    real = os.replace

    def replace(src, dst):
        if str(dst).endswith(name_end):
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("failing", [".manifest.json", "a.csv"], ids=["manifest", "data"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_a_csv_and_its_manifest_are_written_as_a_pair(tmp_path, monkeypatch, failing, existing):
    frame = pd.DataFrame({"month": [1, 2], "x": [0.5, 1.5]})
    out = tmp_path / "a.csv"
    if existing:
        files.write_frame(frame.head(1), out, {"old": True})
    before = listing(tmp_path)
    _failing_replace(monkeypatch, failing)
    with pytest.raises(PermissionError):
        files.write_frame(frame, out, {"new": True})
    assert listing(tmp_path) == before  # neither new file, no temporary file left


@pytest.mark.parametrize("where", ["parent_is_a_file", "folder_not_writable"])
def test_an_unwritable_out_is_found_before_any_run(tmp_path, capsys, no_simulation, where):
    if where == "parent_is_a_file":
        (tmp_path / "f.txt").write_text("x")
        out, needle = tmp_path / "f.txt" / "sub" / "a.csv", "is a file"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into any folder")
        (tmp_path / "ro").mkdir(mode=0o500)
        out, needle = tmp_path / "ro" / "a.csv", "ermission denied"
    before = listing(tmp_path)
    for argv in (["run", "control", *SMALL],
                 ["compare", "control", "service", "--reps", "1", "--workers", "1", *SMALL],
                 ["validate", "--reps", "1", "--clients", "200", "--months", "12",
                  "--workers", "1"]):
        refused([*argv, "--out", out], capsys, needle)
    assert listing(tmp_path) == before


@pytest.mark.parametrize("err", [(errno.ENOSPC, "No space left on device"),
                                 (errno.EACCES, "Permission denied"),
                                 (errno.EROFS, "Read-only file system")],
                         ids=["no_space", "no_permission", "read_only"])
def test_a_folder_that_refuses_files_is_found_before_any_run(tmp_path, capsys, monkeypatch,
                                                            no_simulation, err):
    """What root cannot see: the probe's write fails as it would for another user or a full disk."""
    real_open = open

    def refusing_open(path, mode="r", *args, **kwargs):
        if "x" in mode and str(path).startswith(str(tmp_path)):
            raise OSError(err[0], err[1], str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(files, "open", refusing_open, raising=False)
    refused(["run", "control", *SMALL, "--out", tmp_path / "a.csv"], capsys, err[1])
    assert listing(tmp_path) == {}


def test_the_writability_probe_leaves_nothing_behind(tmp_path):
    files.check_out_path(tmp_path / "new" / "deeper" / "a.csv", (".csv",), with_manifest=True)
    assert listing(tmp_path) == {}


# --- ui ------------------------------------------------------------------------------------

class _FakeServer:
    """Stands in for the Solara server child: `ui` should never reach it on refused input."""

    started: list = []

    def __init__(self, *args, **kwargs):
        _FakeServer.started.append(args)

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def fake_server(monkeypatch):
    _FakeServer.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", _FakeServer)
    monkeypatch.setattr(serve.signal, "signal", lambda *_a: None)  # keep pytest's handlers
    return _FakeServer


@pytest.mark.parametrize("host,warned", [("0.0.0.0", True), ("127.0.0.1", False),
                                         ("localhost", False)])
def test_ui_warns_when_reachable_from_the_network(capsys, fake_server, host, warned):
    code, out, err = call(["ui", "--host", host, "--port", serve.free_port()], capsys)
    assert code == 0 and fake_server.started
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if warned:
        assert len(lines) == 1 and "warning" in lines[0] and "docs/SECURITY.md" in lines[0]
        assert "network" in lines[0]
    else:
        assert lines == []


def test_ui_refuses_a_port_in_use_before_printing_an_address(capsys, fake_server):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused(["ui", "--port", port], capsys, f"port {port}")
    assert capsys.readouterr().out == "" and not fake_server.started


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_kill_9_of_ui_ends_the_app_server(cli):
    port = serve.free_port()
    ui = subprocess.Popen([*cli, "ui", "--port", str(port)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    servers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not _answers(port):
            assert ui.poll() is None, "ui exited before the server answered"
            assert time.monotonic() < deadline, "the app server did not start"
            time.sleep(0.3)
        servers += children(ui.pid)
        assert servers, "ui has no server child"
        os.kill(ui.pid, signal.SIGKILL)
        ui.wait()
        deadline = time.monotonic() + 5
        while (_answers(port) or any(alive(p) for p in servers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _answers(port), "the app server still answers after kill -9 of ui"
        assert not any(alive(p) for p in servers), "the app server process is still alive"
    finally:
        if ui.poll() is None:
            ui.kill()
            ui.wait()
        for pid in servers:  # never leave a server of this test behind, whatever failed
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
