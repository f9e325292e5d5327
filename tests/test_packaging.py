"""One import package: what `pip install` gives a researcher, and no module under two names.

The rooms (`model/`, `analysis/`, `viz/`, `scenarios/`) are folders at the top of the
repository but install only as `fatal_remedies.<room>`: a researcher's own `model` or
`analysis` package must not clash with ours, and a module imported as both `model.params`
and `fatal_remedies.model.params` would hold two registries that drift apart silently.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("model", "analysis", "viz", "scenarios")


def test_every_module_imports_under_one_name_only():
    """Import every module of every room in a fresh interpreter; none may appear as `model.x`."""
    code = f"""
import importlib, pkgutil, sys
import fatal_remedies, fatal_remedies.cli
for room in {ROOMS!r}:
    pkg = importlib.import_module("fatal_remedies." + room)
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(info.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in {ROOMS!r})
print("\\n".join(bad))
n = sum(1 for m in sys.modules if m.startswith("fatal_remedies."))
print("count", n)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.split()
    assert lines[:-2] == [], f"modules loaded under a second name: {lines[:-2]}"
    assert int(lines[-1]) >= 30  # every module of the four rooms was really imported


def test_wheel_installs_fatal_remedies_and_nothing_named_model(tmp_path):
    """Build the wheel, install it without dependencies into a fresh venv, use it from
    outside the checkout: `fatal_remedies` and its command work, `model` does not exist."""
    # Build from a copy, so setuptools' build/ folder does not land in the checkout.
    src = tmp_path / "src"
    for name in ("pyproject.toml", "README.md", "fatal_remedies", *ROOMS):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    wheels = tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--no-build-isolation", "--disable-pip-version-check", "-w", str(wheels),
                        str(src)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    (wheel,) = wheels.glob("fatal_remedies-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # The project's dependencies come from the project's venv by a plain path entry: unlike
    # a site directory, it does not run the editable install's import hook.
    purelib = Path(subprocess.check_output(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    purelib.mkdir(parents=True, exist_ok=True)
    (purelib / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--disable-pip-version-check", "--target", str(purelib), str(wheel)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]

    def run(*args):
        return subprocess.run([str(py), *args], capture_output=True, text=True, cwd=tmp_path,
                              timeout=300)

    ok = run("-c", "import fatal_remedies, fatal_remedies.model as m; print(m.__file__)")
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert str(purelib) in ok.stdout and str(ROOT) not in ok.stdout
    for name in ROOMS:
        bad = run("-c", f"import {name}")
        assert bad.returncode != 0 and "ModuleNotFoundError" in bad.stderr, (name, bad.stdout)
    cli = run("-m", "fatal_remedies", "scenarios")
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert {"baseline", "control", "service", "datameent", "reversal"} <= {
        line.split()[0] for line in cli.stdout.splitlines() if line.strip()}

