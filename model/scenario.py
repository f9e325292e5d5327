"""Scenarios: named sets of parameter values, with timed policy changes.

A scenario file is TOML::

    name = "reversal"
    description = "One line shown by `fatal-remedies scenarios`."
    extends = "control"            # optional: start from another scenario (a built-in
                                   # name, or a .toml path relative to this file's folder)

    [params]                       # values that differ from `extends`
    information_burden = 0.7

    [[changes]]                    # optional timed policy changes
    month = 61                     # takes effect at the start of this month
    use = "service"                # adopt every parameter value of that scenario
    [changes.params]               # and/or set individual values
    transparency = 1.0

Run-size parameters (`n_clients`, `months`) cannot be set in a scenario:
they belong to the command line, so one scenario runs at any scale.

Two changes of one file in the same month may not set a parameter to
different values; the limits (file size, number of changes, depth of
`extends`) are the MAX_ constants below, checked before any run.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import params as P
from .errors import UserError

MAX_EXTENDS_DEPTH = 100
"""Scenarios a chain of `extends`/`use` may pass through (a deeper chain is refused, not a crash)."""
MAX_CHANGES = 10_000
"""Timed changes a scenario may hold with those it extends (the model checks each one every month)."""
MAX_SCENARIO_BYTES = 1 << 20
"""Size limit of a scenario file: 1 MiB, far above any real scenario (the built-ins are < 1 KiB each)."""

_TOP_KEYS = {"name", "title", "description", "extends", "params", "changes"}
_CHANGE_KEYS = {"month", "use", "params", "description"}


class ScenarioError(UserError):
    """A scenario name, file or its content is not acceptable (one-line message)."""


@dataclass(frozen=True)
class Change:
    """A policy change that takes effect at the start of `month`."""

    month: int
    params: dict[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: every model parameter has a value.

    Attributes:
        name: Short name ("control") or the file stem for a file.
        description: One line for listings.
        params: Value of every non-run parameter at month 1.
        changes: Timed changes, sorted by month; each holds only the
            parameters that change.
        source: Where it came from ("builtin" or a file path).
        pinned: Parameters set for the whole run by the user (`--set`,
            overrides): neither the municipality nor the council changes them.
    """

    name: str
    description: str
    params: dict[str, Any]
    changes: tuple[Change, ...] = field(default=())
    source: str = "builtin"
    pinned: frozenset[str] = field(default=frozenset())

    def with_overrides(self, overrides: dict[str, Any]) -> "Scenario":
        """Apply user overrides that hold for the whole run.

        An override also wins over a timed change of the same parameter, and
        it is *pinned*: `--set information_burden=0.2` means 0.2 throughout;
        neither the municipality nor an adopted council issue changes it.
        """
        if not overrides:
            return self
        checked = P.validate(overrides)
        for name in checked:
            if P.get(name).kind == P.RUN:
                raise ScenarioError(
                    f"'{name}' is a run setting; use --clients/--months instead of --set"
                )
        changes = tuple(
            Change(c.month, {k: v for k, v in c.params.items() if k not in checked}, c.description)
            for c in self.changes
        )
        return Scenario(self.name, self.description, {**self.params, **checked}, changes,
                        self.source, self.pinned | frozenset(checked))

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for manifests."""
        return {
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "params": dict(self.params),
            "pinned": sorted(self.pinned),
            "changes": [
                {"month": c.month, "description": c.description, "params": dict(c.params)}
                for c in self.changes
            ],
        }


def _builtin_dir():
    return resources.files("fatal_remedies.scenarios")


def builtin_names() -> list[str]:
    """Names of the scenarios shipped in `scenarios/`, in a stable order."""
    order = ["baseline", "control", "service", "datameent", "reversal"]
    found = sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".toml"))
    return [n for n in order if n in found] + [n for n in found if n not in order]


def list_scenarios() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in scenario."""
    return [(n, load_scenario(n).description) for n in builtin_names()]


def _reference(ref: str, base: Path | None) -> str:
    """Where an `extends` or `use` reference points.

    A built-in name stays a built-in. A relative path is taken from the folder
    of the file that names it (`base`), so a scenario and the scenarios it
    builds on can move together and run from any working directory; a
    built-in scenario (base None) names only built-ins or absolute paths.
    """
    if ref in builtin_names() or base is None or Path(ref).is_absolute():
        return ref
    return str(base / ref)


def _key(ref: str) -> str:
    """One name per scenario for loop detection: the built-in name, or the file's real path."""
    return ref if ref in builtin_names() else str(Path(ref).resolve())


def _read(name_or_path: str) -> tuple[dict[str, Any], str, str]:
    text: str
    if name_or_path in builtin_names():
        text = (_builtin_dir() / f"{name_or_path}.toml").read_text(encoding="utf-8")
        source = "builtin"
        default_name = name_or_path
    else:
        path = Path(name_or_path)
        if not (path.suffix == ".toml" or path.exists()):
            raise ScenarioError(
                f"unknown scenario '{name_or_path}': use one of {', '.join(builtin_names())} "
                "or a path to a .toml file"
            )
        if path.is_dir():
            raise ScenarioError(f"scenario '{name_or_path}' is a folder; give a .toml file "
                                f"or one of {', '.join(builtin_names())}")
        if not path.exists():
            raise ScenarioError(f"scenario file '{name_or_path}' does not exist")
        if not path.is_file():
            raise ScenarioError(f"scenario '{name_or_path}' is not a regular file; give a .toml file")
        try:
            with path.open("rb") as fh:  # read at most one byte past the limit, whatever the file
                raw = fh.read(MAX_SCENARIO_BYTES + 1)
            if len(raw) > MAX_SCENARIO_BYTES:
                raise ScenarioError(f"scenario file '{name_or_path}' is larger than "
                                    f"{MAX_SCENARIO_BYTES / 2**20:g} MiB, the limit")
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"cannot read scenario file '{name_or_path}': {exc}") from None
        source = str(path)
        default_name = path.stem
    return _parse(text, name_or_path), source, default_name


def _parse(text: str, label: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario '{label}' is not valid TOML: {exc}") from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ScenarioError(
            f"scenario '{label}': unknown key '{sorted(unknown)[0]}' "
            f"(allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    if "params" in data and not isinstance(data["params"], dict):
        raise ScenarioError(f"scenario '{label}': [params] must be a table of NAME = VALUE")
    return data


def _checked_params(raw: dict[str, Any], label: str) -> dict[str, Any]:
    try:
        values = P.validate(raw)
    except P.ParamError as exc:
        raise ScenarioError(f"scenario '{label}': {exc}") from None
    for name in values:
        if P.get(name).kind == P.RUN:
            raise ScenarioError(
                f"scenario '{label}': '{name}' is a run setting and cannot be set in a scenario"
            )
    return values


def load_scenario(name_or_path: str, *, builtin_refs_only: bool = False) -> Scenario:
    """Load a built-in scenario by name, or a scenario file by path.

    `extends` and `use` name a built-in scenario or a file; a relative path is
    taken from the folder of the file that names it. Limits (checked before
    any run): a chain of at most MAX_EXTENDS_DEPTH scenarios, at most
    MAX_CHANGES timed changes, files of at most MAX_SCENARIO_BYTES. Two of a
    file's own changes in one month may not set one parameter to different
    values (which one wins would depend on their order); a change of the
    file itself does override one it inherits through `extends`.

    `builtin_refs_only`: `extends` and `use` may name only built-in scenarios.
    For a file from someone who may not read this machine's files (the app's
    upload): otherwise its `extends` could name any path on the server.

    Raises:
        ScenarioError: With a one-line message naming the problem.
    """
    return _load(name_or_path, (), {}, builtin_refs_only)


def _load(name_or_path: str, seen: tuple[str, ...], cache: dict[str, Scenario],
          builtin_refs_only: bool) -> Scenario:
    """`load_scenario` with the chain of scenarios that led here (`seen`, for loops and depth)
    and the scenarios loaded so far in this call (`cache`: 10,000 changes that `use` one
    scenario read it once)."""
    key = _key(name_or_path)
    if key in seen:
        raise ScenarioError(f"scenario '{name_or_path}' extends itself in a loop")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"scenario '{name_or_path}': the chain of 'extends'/'use' is deeper "
                            f"than {MAX_EXTENDS_DEPTH} scenarios, the limit")
    if key in cache:
        return cache[key]
    data, source, default_name = _read(name_or_path)
    label = data.get("name", default_name)
    base = None if source == "builtin" else Path(source).parent
    chain = seen + (key,)

    def other(ref: Any) -> Scenario:
        if builtin_refs_only and str(ref) not in builtin_names():
            raise ScenarioError(f"scenario '{label}': '{ref}' is not a built-in scenario; here a "
                                f"scenario may extend or use only {', '.join(builtin_names())}")
        return _load(_reference(str(ref), base), chain, cache, builtin_refs_only)

    base_params = P.defaults()
    base_changes: tuple[Change, ...] = ()
    if "extends" in data:
        parent = other(data["extends"])
        base_params, base_changes = dict(parent.params), parent.changes
    own = _checked_params(data.get("params", {}), label)
    params = {**base_params, **own}

    changes = list(base_changes)
    raw_changes = data.get("changes", [])
    if not isinstance(raw_changes, list):
        raise ScenarioError(f"scenario '{label}': [[changes]] must be an array of tables")
    if len(changes) + len(raw_changes) > MAX_CHANGES:
        raise ScenarioError(f"scenario '{label}' has {len(changes) + len(raw_changes):,} timed "
                            f"changes (with those it extends); at most {MAX_CHANGES:,} are allowed")
    set_in: dict[tuple[int, str], tuple[int, Any]] = {}  # (month, name) -> (change number, value)
    for i, ch in enumerate(raw_changes, 1):
        if not isinstance(ch, dict):
            raise ScenarioError(f"scenario '{label}': change {i} must be a table")
        bad = set(ch) - _CHANGE_KEYS
        if bad:
            raise ScenarioError(
                f"scenario '{label}': change {i} has unknown key '{sorted(bad)[0]}' "
                f"(allowed: {', '.join(sorted(_CHANGE_KEYS))})"
            )
        month = ch.get("month")
        if not isinstance(month, int) or isinstance(month, bool) or month < 2:
            raise ScenarioError(
                f"scenario '{label}': change {i} needs 'month', an integer of at least 2"
            )
        new: dict[str, Any] = {}
        if "use" in ch:
            new.update(other(ch["use"]).params)
        new.update(_checked_params(ch.get("params", {}), label))
        if not new:
            raise ScenarioError(f"scenario '{label}': change {i} changes nothing")
        for name, value in new.items():
            j, earlier = set_in.setdefault((month, name), (i, value))
            if earlier != value:
                raise ScenarioError(
                    f"scenario '{label}': changes {j} and {i} both take effect in month {month} "
                    f"and set '{name}' to different values ({P.format_value(earlier)} and "
                    f"{P.format_value(value)}); keep one"
                )
        changes.append(Change(month, new, str(ch.get("description", ""))))
    changes.sort(key=lambda c: c.month)
    description = str(data.get("description", "")).strip() or "(no description)"
    cache[key] = Scenario(str(label), description, params, tuple(changes), source)
    return cache[key]
