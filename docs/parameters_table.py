"""Write docs/PARAMETERS.md: one table of every parameter in the registry, with its source.

  .venv/bin/python docs/parameters_table.py            # rewrite docs/PARAMETERS.md
  .venv/bin/python docs/parameters_table.py --check    # exit 1 if docs/PARAMETERS.md is stale
  .venv/bin/python docs/parameters_table.py --stdout   # print the page instead

The registry (`fatal_remedies.model.params.REGISTRY`) is the one place a
parameter's default, bounds, unit and source live; this page is a copy made
from it, so that docs/ODD.md can point to "every constant with its source"
without a hand-kept list that drifts from the code. Rerun it whenever a
parameter is added, removed or changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "PARAMETERS.md"

HEADER = """\
# Parameters

Every parameter of the model, in the order of the registry
(`model/params.py`, `REGISTRY`), which is also the order of
`fatal-remedies params` and of the app's sliders. **This page is generated**:
do not edit it by hand, run

```bash
.venv/bin/python docs/parameters_table.py
```

after changing the registry (`--check` says whether the page is up to date).

- *kind*: **lever** — something a municipality chooses (a scenario sets it,
  and the municipality or the client council may move it during a run
  unless `--set` pins it); **uncertainty** — something nobody knows
  precisely, varied by sensitivity sweeps (`fatal-remedies sweep`);
  **run** — size and length of a run.
- *bounds*: the hard limits a value must keep (for a choice, its options);
  *sweep*: the narrower default range a sensitivity sweep uses.
- *source*: where the default comes from — a law, a study, a passage of the
  seed paper (`seed lines a-b` are lines of
  `../shared/seed/van-zoonen-2019-opnieuw-fatale-remedies.txt`), or
  **assumption**: a plausible value, argued in `docs/ODD.md` with the
  submodel that uses it. "calibrated" marks a default fitted to the
  calibration targets (`docs/VALIDATION.md`). A seed passage named in the
  *meaning* says where the *mechanism* comes from; the *source* says where
  the default *value* comes from, so a mechanism from the paper often has an
  assumed size.
- A scenario changes defaults (`fatal-remedies params --scenario control`
  shows the values in force).

"""


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _bounds(p) -> str:
    from fatal_remedies.model.params import format_value

    if p.type == "bool":
        return "on / off"
    if p.type == "choice":
        return " / ".join(f"`{c}`" for c in p.choices)
    return f"{format_value(p.lo)} – {format_value(p.hi)}"


def _sweep(p) -> str:
    from fatal_remedies.model.params import UNCERTAINTY, format_value

    if p.kind != UNCERTAINTY or p.type not in ("float", "int"):
        return ""
    lo, hi = p.sweep_bounds
    return f"{format_value(lo)} – {format_value(hi)}"


def _source(p) -> str:
    """The registry's source; a default whose meaning says it was calibrated is marked so.

    The calibrated defaults say so in their meaning ("Calibrated, see
    docs/VALIDATION.md"); where the source field still reads "assumption",
    the page says both rather than hide either.
    """
    from fatal_remedies.model.params import ASSUMPTION, RUN

    if p.kind == RUN:
        return "run setting"
    src = p.source
    if "calibrated" in p.meaning.lower() and "calibrated" not in src.lower():
        src = "calibrated (docs/VALIDATION.md)" if src == ASSUMPTION else f"{src}; calibrated (docs/VALIDATION.md)"
    return src


def render() -> str:
    """The whole page, from the registry as it is now."""
    from fatal_remedies.model.params import REGISTRY, format_value

    groups: dict[str, int] = {}
    for p in REGISTRY.values():
        groups[p.group] = groups.get(p.group, 0) + 1
    kinds: dict[str, int] = {}
    for p in REGISTRY.values():
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    model_params = [p for p in REGISTRY.values() if _source(p) != "run setting"]
    sourced = sum(1 for p in model_params if _source(p) != "assumption")
    lines = [HEADER]
    lines.append(
        f"{len(REGISTRY)} parameters: "
        + ", ".join(f"{n} {k}" for k, n in kinds.items())
        + f"; {sourced} of the {len(model_params)} model parameters have a source other than assumption. Groups: "
        + ", ".join(f"{g} ({n})" for g, n in groups.items())
        + ".\n"
    )
    lines.append("| name | default | bounds | unit | kind | group | sweep | source | meaning |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for p in REGISTRY.values():
        default = f"`{p.default}`" if p.type == "choice" else format_value(p.default)
        lines.append(
            f"| `{p.name}` | {default} | {_bounds(p)} | {_cell(p.unit)} | {p.kind} | {_cell(p.group)} "
            f"| {_sweep(p)} | {_cell(_source(p))} | {_cell(p.meaning)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/PARAMETERS.md differs from the registry")
    ap.add_argument("--stdout", action="store_true", help="print the page instead of writing it")
    args = ap.parse_args(argv)
    page = render()
    if args.stdout:
        sys.stdout.write(page)
        return 0
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != page:
            print(f"{OUT.relative_to(ROOT)} is stale: run .venv/bin/python docs/parameters_table.py")
            return 1
        print(f"{OUT.relative_to(ROOT)} is up to date")
        return 0
    OUT.write_text(page, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({page.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
