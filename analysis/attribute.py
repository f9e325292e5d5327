"""Which lever carries the difference? Shapley attribution of a paired scenario difference.

`service` differs from `control` in many levers at once. To say which of
them carries the difference in an outcome, the differing parameters are cut
into *lever groups* (`GROUPS`, below: each a policy a council member can name,
cited to the passage of the seed paper it models), and every coalition of
groups is run: the scenario with the levers of the groups in the coalition
switched to the versus scenario's values. A group's Shapley value is its
marginal effect averaged over every order in which the groups can be
switched (exact, over all 2^k coalitions; at most `MAX_GROUPS` groups, more
is refused rather than sampled, because the 2^k runs per replicate are then
no longer a laptop's job and a sampled attribution would need its own error
bound). Shapley values add up to the difference of "everything switched"
and "nothing switched", and an interaction between two groups is shared
equally between them, so none of it disappears and none is counted twice.

Replications use common random numbers: every coalition runs with the same
replicate seeds (the same people, the same luck), and the Shapley values are
computed per replicate. Shapley values are linear in the outcome, so the
per-replicate values are an unbiased sample of the attribution and a
Student-t interval over replicates is its 95% confidence interval.

What "switched" means (the `--set` semantics):

* A switched lever takes the versus scenario's value and is *pinned*:
  neither the municipality steering on its dashboard nor an adopted council
  issue moves it during the run. Without the pin a control-framed
  municipality would at once start to undo a switched lever (raise the
  benefit stop back up, commission a warehouse), and the attribution would
  measure its reaction instead of the lever.
* A lever that is not switched keeps the scenario's value and its dynamics
  (the municipality and the council may move it, as in the scenario).
* Timed changes (`[[changes]]`): a switched lever follows the versus
  scenario's timeline for that lever (its month-1 value and its timed
  changes), pinned against the municipality and the council; a lever not
  switched follows the scenario's timeline. A parameter "differs" when its
  value in force differs in any month (month 1 or at any timed change).

So "everything switched" is the versus scenario with its differing levers
pinned, which is not quite the versus scenario as `compare` runs it (where
its municipality and council may still move those levers). The rest,
versus-as-run minus versus-pinned, is reported as its own row, `adjustment`
("the switched levers' later moves by the municipality and the council"),
so that the groups plus `adjustment` add up to `total`, the paired
difference `compare` reports (versus minus scenario), replicate by replicate.

Data flow: scenario -> model -> per-run metrics (`compare.run_replications`,
the one runner) -> Shapley values here -> the CLI (`cli_attribute`) draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from fatal_remedies.model import metrics as M
from fatal_remedies.model import params as P
from fatal_remedies.model.errors import UserError
from fatal_remedies.model.run import resolve
from fatal_remedies.model.scenario import Change, Scenario

from .summary import RUN_METRICS, interval


@dataclass(frozen=True)
class LeverGroup:
    """A set of levers that together make one policy choice a reader can name.

    Attributes:
        name: Identifier (the `lever` column of the output, `--metrics` style).
        label_en, label_nl: What a policymaker calls it.
        params: The registry parameters it holds.
        seed: The passage of the seed digest (`DIGEST.md`, by heading, with
            the paper's Dutch term) that this policy choice models.
    """

    name: str
    label_en: str
    label_nl: str
    params: tuple[str, ...]
    seed: str


GROUPS: tuple[LeverGroup, ...] = (
    LeverGroup(
        "sanctions", "Sanctions: error is not fraud", "Sancties: een fout is geen fraude",
        ("sanction_regime", "sanction_months", "fine_rate", "reinvestigation_bar_months"),
        "Why it goes wrong: 'The label is not valid' - an irregularity may be fraud, "
        "administrative illiteracy or a failing bureaucracy (the carer case)."),
    LeverGroup(
        "burden", "Information burden", "Informatielast (inlichtingenplicht)",
        ("information_burden",),
        "The setting: the duty to inform ('inlichtingenplicht', art. 17 Participatiewet), "
        "caseworkers ask too much; Why it goes wrong: 'Burden excludes' (Indiana)."),
    LeverGroup(
        "caseworker", "Fixed caseworker, caseload and outreach",
        "Vaste klantmanager, caseload en bereik",
        ("caseload", "rotation_rate", "clients_per_caseworker", "caseworker_hours",
         "support_priority", "outreach"),
        "Who is missing: the clients - clients wish for a fixed caseworker ('vaste "
        "klantmanager'), continuity, respectful treatment, less coercion."),
    LeverGroup(
        "selection", "Who is investigated: algorithm purpose, audits, capacity",
        "Wie onderzocht wordt: doel van het algoritme, steekproef, capaciteit",
        ("algorithm_purpose", "drop_proxy_features", "retrain_interval", "training_window",
         "support_ranked_share", "random_audits", "investigation_capacity"),
        "Three data practices: 3. 'Predictive analytics' (whoever scores high is flagged; the "
        "municipality decides whom to investigate); The alternative: data techniques aimed "
        "at service ('dienstverlening'); Norms broken: carers stigmatised in risk profiles."),
    LeverGroup(
        "data_linkage", "Data warehouse and purpose binding", "Datawarehouse en doelbinding",
        ("warehouse_linkage", "purpose_binding"),
        "Three data practices: 1. 'Data warehouse' (all registrations linked in one place); "
        "The setting: GDPR purpose limitation ('doelbinding')."),
    LeverGroup(
        "data_commons", "Clients' own data (data commons)", "Eigen data van cliënten (datameent)",
        ("client_record_access", "consent_sharing"),
        "The alternative: a trusted data space or data commons ('datameent') in which clients "
        "bring in, check, correct and share their own data."),
    LeverGroup(
        "council", "Client council with data access", "Cliëntenraad met toegang tot de data",
        ("council_data_access", "council_responsiveness", "council_size", "escalation_months",
         "council_step"),
        "Who is missing: the clients - client councils ('cliëntenraden') are sometimes "
        "obstructed: Rotterdam refused its council access to the data."),
    LeverGroup(
        "transparency", "Transparency: who looked at my data", "Transparantie: wie keek naar mijn gegevens",
        ("transparency",),
        "Who is missing: the clients - transparency about who looks at their data, when and "
        "why; The alternative: transparency is the value clients rank first."),
    LeverGroup(
        "framing", "The municipality's framing and dashboard", "Framing en dashboard van de gemeente",
        ("framing", "dashboard", "dashboard_shows_non_take_up", "municipality_step",
         "cap_investigation_capacity", "cap_information_burden", "cap_sanction_months",
         "cap_warehouse_linkage", "satisfaction_target", "ntu_target"),
        "Three data practices: 2. 'Dashboard'; The mechanism the title names: a control "
        "practice arises step by step from how data steering is framed and run."),
    LeverGroup(
        "benefit", "Benefit level", "Hoogte van de uitkering",
        ("benefit_eur",),
        "The setting: social assistance ('bijstand', Participatiewet) run by municipalities."),
)
"""The lever groups, in the order the output lists them. Every lever of the registry is in
exactly one group (a test checks it, so a new lever cannot be left out silently)."""

ASSUMPTIONS = LeverGroup(
    "assumptions", "Other assumptions (not levers)", "Andere aannames (geen hefbomen)", (),
    "Not a policy choice: two scenario files that also differ in uncertain assumptions.")
"""Where uncertainty parameters go when two scenario files differ in them (none of the
built-in pairs do): named in the output, never dropped."""

ADJUSTMENT = "adjustment"
"""Row: versus as run minus versus with its differing levers pinned (the municipality's and the
council's later moves of those levers)."""
TOTAL = "total"
"""Row: the paired difference, versus minus scenario, as `compare` reports it."""
ADJUSTMENT_LABEL = {"en": "Later moves of these levers by municipality and council",
                    "nl": "Latere bijsturing van deze hefbomen door gemeente en raad"}
TOTAL_LABEL = {"en": "Total difference (as compare)", "nl": "Totaal verschil (als compare)"}

MAX_GROUPS = 10
"""Most lever groups attributed exactly (2^10 = 1,024 coalitions per replicate); more is refused."""

DEFAULT_METRICS = ("wrongful_sanctions_total", "final_mean_trust", "final_non_take_up",
                   "reintegrated_total", "admin_cost_eur_total")
"""What `attribute` reports unless told otherwise: wrongful sanctions, trust, non-take-up,
reintegration and administration cost."""

PINNED_NOTE = ("switched levers are pinned (--set semantics): neither the municipality nor the "
               "council moves them during the run; 'adjustment' is what their moves add in the "
               "versus scenario as run")

COLUMNS = ["metric", "lever", "shapley", "ci_low", "ci_high", "unit", "reps"]


def group_of(name: str) -> LeverGroup:
    """The group a differing parameter belongs to (ASSUMPTIONS for an uncertainty)."""
    for g in GROUPS:
        if name in g.params:
            return g
    if P.get(name).kind == P.LEVER:  # a programming error, caught by the tests
        raise KeyError(f"lever '{name}' is in no lever group of analysis.attribute.GROUPS")
    return ASSUMPTIONS


def _path(sc: Scenario, name: str, months: Sequence[int]) -> list[Any]:
    """The value of `name` in force at month 1 and at each of `months` (timed changes only)."""
    value, out, changes = sc.params[name], [], list(sc.changes)
    i = 0
    for m in months:
        while i < len(changes) and changes[i].month <= m:
            value = changes[i].params.get(name, value)
            i += 1
        out.append(value)
    return [sc.params[name], *out]


def differing(a: Scenario, b: Scenario) -> list[str]:
    """Parameters whose value in force differs between `a` and `b` in some month (registry order).

    Compared at month 1 and at every month in which either scenario has a
    timed change; a parameter both set to the same value by a change is equal.
    """
    months = sorted({c.month for c in (*a.changes, *b.changes)})
    return [n for n in P.REGISTRY if n in a.params
            and _path(a, n, months) != _path(b, n, months)]


def players(a: Scenario, b: Scenario) -> list[tuple[LeverGroup, tuple[str, ...]]]:
    """The groups with at least one differing parameter, each with those parameters (table order)."""
    diff = differing(a, b)
    out = []
    for g in (*GROUPS, ASSUMPTIONS):
        mine = tuple(n for n in diff if group_of(n) is g)
        if mine:
            out.append((g, mine))
    return out


def switched(a: Scenario, b: Scenario, params: Sequence[str], name: str) -> Scenario:
    """Scenario `a` with `params` switched to `b`: b's values and b's timed changes of them, pinned.

    See the module docstring for why the switched levers are pinned.
    """
    params = frozenset(params)
    if not params:
        return a
    values = {**a.params, **{n: b.params[n] for n in params}}
    by_month: dict[int, dict[str, Any]] = {}
    for sc, keep in ((a, lambda n: n not in params), (b, lambda n: n in params)):
        for c in sc.changes:
            kept = {k: v for k, v in c.params.items() if keep(k)}
            if kept:
                by_month.setdefault(c.month, {}).update(kept)
    changes = tuple(Change(m, by_month[m], "attribution: timeline of both scenarios")
                    for m in sorted(by_month))
    return Scenario(name, f"{a.name} with {', '.join(sorted(params))} from {b.name}", values,
                    changes, a.source, a.pinned | params)


def shapley(values: np.ndarray) -> np.ndarray:
    """Exact Shapley values of a k-player game given on all 2^k coalitions.

    Args:
        values: Shape (2^k, ...): row `mask` is the value of the coalition of
            the players whose bits are set in `mask` (player i is bit i);
            trailing axes (replicates, metrics) are kept.

    Returns:
        Shape (k, ...): player i's Shapley value,
        sum over coalitions S without i of |S|! (k-|S|-1)! / k! (v(S+i) - v(S)).
    """
    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    k = n.bit_length() - 1
    if n != 1 << k or k < 1:
        raise ValueError(f"need values for all 2^k coalitions (k >= 1), got {n}")
    masks = np.arange(n)
    size = np.array([bin(m).count("1") for m in masks])
    weight = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k)
                       if s < k else 0.0 for s in size])
    out = np.empty((k, *values.shape[1:]))
    for i in range(k):
        without = masks[(masks >> i) & 1 == 0]
        w = weight[without].reshape(-1, *([1] * (values.ndim - 1)))
        out[i] = (w * (values[without | (1 << i)] - values[without])).sum(axis=0)
    return out


def coalition_name(base: str, groups: Sequence[str]) -> str:
    """A coalition's scenario name: the scenario's, plus the switched groups."""
    return base if not groups else base + "+" + "+".join(groups)


@dataclass(frozen=True)
class Plan:
    """What an attribution will run (checked before any run)."""

    scenario: Scenario
    versus: Scenario
    players: list[tuple[LeverGroup, tuple[str, ...]]]
    coalitions: list[Scenario]
    """2^k scenarios, coalition `mask` at position `mask`, then the versus scenario as run."""
    metrics: list[str]

    @property
    def k(self) -> int:
        return len(self.players)


def check_metrics(metrics: Sequence[str] | None) -> list[str]:
    """Metric names of `compare`'s table (RUN_METRICS), checked (one-line UserError)."""
    names = list(metrics) if metrics else list(DEFAULT_METRICS)
    if not names:
        raise UserError("--metrics needs at least one metric name")
    for n in names:
        if n not in RUN_METRICS:
            raise UserError(f"unknown metric '{n}' for --metrics (see `fatal-remedies compare`'s "
                            f"table; e.g. {', '.join(DEFAULT_METRICS)})")
    return list(dict.fromkeys(names))


def plan(scenario: Scenario | str, versus: Scenario | str,
         overrides: Mapping[str, Any] | None = None,
         metrics: Sequence[str] | None = None) -> Plan:
    """Resolve both scenarios (with `overrides` pinned in both), find the lever groups that
    differ, and build every coalition's scenario. Raises UserError (one line) for two scenarios
    that do not differ, that share a name, or that differ in more than MAX_GROUPS groups."""
    a = resolve(scenario, dict(overrides or {}))
    b = resolve(versus, dict(overrides or {}))
    if a.name == b.name:
        raise UserError(f"both scenarios are named '{a.name}'; attribute two different scenarios")
    found = players(a, b)
    if not found:
        raise UserError(f"'{a.name}' and '{b.name}' do not differ in any parameter (with --set "
                        "applied to both); there is nothing to attribute")
    if len(found) > MAX_GROUPS:
        raise UserError(f"'{a.name}' and '{b.name}' differ in {len(found)} lever groups; exact "
                        f"attribution handles at most {MAX_GROUPS} (2^{MAX_GROUPS} coalitions)")
    k = len(found)
    coalitions = []
    for mask in range(1 << k):
        chosen = [found[i] for i in range(k) if mask >> i & 1]
        params = [p for _, ps in chosen for p in ps]
        coalitions.append(switched(a, b, params, coalition_name(a.name, [g.name for g, _ in chosen])))
    return Plan(a, b, found, coalitions, check_metrics(metrics))


def runs_needed(p: Plan, reps: int) -> int:
    """Model runs of an attribution: every coalition and the versus scenario as run, per replicate."""
    return (len(p.coalitions) + 1) * reps


def table(p: Plan, values: np.ndarray, level: float = 0.95) -> pd.DataFrame:
    """The attribution table from coalition values.

    Args:
        values: Shape (2^k + 1, reps, metrics): each coalition's per-run metric
            (rows in `Plan.coalitions` order), then the versus scenario as run.

    Returns:
        The tidy frame (COLUMNS): per metric, one row per group, `adjustment`, `total`.
    """
    values = np.asarray(values, dtype=float)
    n = 1 << p.k
    phi = shapley(values[:n])                       # (k, reps, metrics)
    adjust = values[n] - values[n - 1]              # versus as run - versus pinned
    total = values[n] - values[0]                   # versus as run - scenario
    rows = []
    for j, metric in enumerate(p.metrics):
        unit = M.get(metric).unit
        parts = [(g.name, phi[i, :, j]) for i, (g, _) in enumerate(p.players)]
        parts += [(ADJUSTMENT, adjust[:, j]), (TOTAL, total[:, j])]
        for lever, per_rep in parts:
            mean, lo, hi = interval(list(per_rep), level)
            rows.append({"metric": metric, "lever": lever, "shapley": mean, "ci_low": lo,
                         "ci_high": hi, "unit": unit, "reps": int(per_rep.size)})
    return pd.DataFrame(rows, columns=COLUMNS)


def attribute(scenario: Scenario | str, versus: Scenario | str, *, reps: int = 5,
              clients: int = 5000, months: int = 120, seed: int = 0,
              overrides: Mapping[str, Any] | None = None,
              metrics: Sequence[str] | None = None, workers: int | None = None,
              scheduler: str | None = None, executor=None,
              on_done: Callable[[], None] | None = None) -> pd.DataFrame:
    """Shapley attribution of versus-minus-scenario to lever groups, with 95% intervals.

    Runs every coalition of the differing lever groups and the versus
    scenario as run, `reps` times each with the same replicate seeds, through
    `compare.run_replications` (the one runner: local processes, `scheduler`
    Dask, or `executor`), keeping per-run metrics only.

    Returns:
        The tidy frame (COLUMNS: metric, lever, shapley, ci_low, ci_high, unit,
        reps); `attrs["plan"]` is the Plan, `attrs["groups"]` the groups that
        took part with their parameters and both scenarios' values.
    """
    from .compare import run_replications

    p = plan(scenario, versus, overrides, metrics)
    runs = run_replications([*p.coalitions, p.versus], reps, clients, months, seed,
                            workers=workers, scheduler=scheduler, executor=executor,
                            on_done=on_done, summaries=True)
    order = [sc.name for sc in p.coalitions] + [p.versus.name]
    values = np.array([[[run[m] for m in p.metrics] for run in runs[name]] for name in order])
    out = table(p, values)
    out.attrs["plan"] = p
    out.attrs["groups"] = describe_groups(p)
    return out


def describe_groups(p: Plan) -> list[dict[str, Any]]:
    """The groups that took part: name, labels, seed passage, and each differing parameter's
    month-1 value in both scenarios (for the manifest and the table)."""
    return [{"name": g.name, "label_en": g.label_en, "label_nl": g.label_nl, "seed": g.seed,
             "params": {n: {p.scenario.name: p.scenario.params[n], p.versus.name: p.versus.params[n]}
                        for n in ps}}
            for g, ps in p.players]


def label(lever: str, lang: str = "en") -> str:
    """Plain label of a `lever` value of the output (a group, `adjustment` or `total`)."""
    if lever == ADJUSTMENT:
        return ADJUSTMENT_LABEL[lang]
    if lever == TOTAL:
        return TOTAL_LABEL[lang]
    for g in (*GROUPS, ASSUMPTIONS):
        if g.name == lever:
            return g.label_nl if lang == "nl" else g.label_en
    return lever
