"""Speed and memory of the simulation core.

    .venv/bin/python benchmarks/bench_core.py            # 10k, 30k, 100k, 400k clients x 120 months
    .venv/bin/python benchmarks/bench_core.py --sizes 10000 30000 --months 60
    .venv/bin/python benchmarks/bench_core.py --sizes 2000 --base /work/wt-base --repeats 5 --scenarios control service

Each size runs in a fresh process pinned to one thread (OMP/OPENBLAS/MKL = 1),
so peak memory (ru_maxrss) belongs to that run alone (plus the ~90 MiB of
numba's runtime every process carries) and the figure is the one-core speed
the issue asks about. A warm-up run comes first (the same scenario and months,
at most 2,000 people), as every run in a sweep worker but the first has had
one: it loads the compiled stages (`load_s`, ~0.3 s once a process), each on
first use, so it must take the paths the timed run takes. It prints client-months per second and
peak memory per size, and the run's CPU seconds next to its wall-clock
seconds (on a shared machine the CPU time is the steadier figure), then times a plain per-agent Mesa version of the client
step (`AgentSet.shuffle_do`) against the same step written over numpy arrays
at 10,000 clients, and prints the ratio. Figures, not assertions: the
machines are noisy.

With `--base CHECKOUT` it times another checkout of the model (run with that
checkout's own `.venv`, started in it) against this one, alternating base and
new `--repeats` times per size and scenario, so both see the same load on a
shared machine; it prints the median CPU seconds per run of each and their
ratio (issue 11, item 5: a 2,000-person, 120-month run at half the cost).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def _child_run(n: int, months: int, scenario: str) -> None:
    import resource

    from fatal_remedies.model.model import BenefitModel

    # A run first, as every run in a sweep worker but the first has had: the first run in a process
    # also loads the compiled stages (model/kernels.py, ~0.3 s once), reported as `load_s`. It is the
    # same scenario for as many months (at most 2,000 people), so that it takes every path the
    # timed run takes (the algorithm trained and scoring, say) and loads each compiled function.
    t_load = time.perf_counter()
    warm = BenefitModel(scenario, n_clients=min(n, 2000), seed=2)
    for _ in range(months):
        warm.step()
    del warm
    t0 = time.perf_counter()
    m = BenefitModel(scenario, n_clients=n, seed=1)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(months):
        m.step()
    t2, c2 = time.perf_counter(), time.process_time()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"clients": n, "months": months, "load_s": t0 - t_load, "setup_s": t1 - t0, "run_s": t2 - t1,
                      "cpu_s": c2 - c1, "peak_mib": peak_mib}))


# ---------------------------------------------------------------- per-agent
def _per_agent_vs_vectorised(n: int, months: int) -> dict:
    """The same client step, once per agent in Python, once over arrays.

    The step is the clients' own part of the monthly cycle: a change in
    circumstances and whether it is reported, the start of intentional fraud,
    overpayment, record errors, a trust update, giving up or (re)applying,
    and paying off debt. Same rules, same parameters; only the execution
    differs.
    """
    import mesa
    import numpy as np

    from fatal_remedies.model.params import defaults

    p = defaults()

    class ClientAgent(mesa.Agent):
        def __init__(self, model, literacy, complexity, trust):
            super().__init__(model)
            self.literacy, self.complexity, self.trust = literacy, complexity, trust
            self.receiving, self.irregular, self.intent, self.rec_err = True, False, False, False
            self.overpaid = self.debt = 0.0

        def step(self):
            r = self.model.rng.random
            if self.receiving:
                p_rep = p["report_skill"] * (1 - p["burden_reporting_effect"] * p["information_burden"] * (1 - self.literacy)) * (0.8 + 0.2 * self.trust)
                if r() < p["life_event_rate"] * self.complexity and r() >= p_rep:
                    self.irregular = True
                p_fraud = p["fraud_base_rate"] * np.exp(p["fraud_trust_sensitivity"] * (0.5 - self.trust))
                if not self.intent and r() < p_fraud:
                    self.intent = self.irregular = True
                if self.irregular:
                    self.overpaid += p["overpayment_eur"]
                if r() < p["record_error_rate"]:
                    self.rec_err = True
                self.trust += p["trust_gain_support"] * 0.5 * (1 - self.trust)
                if r() < p["giveup_rate"] * (1 + p["giveup_trust_sensitivity"] * (1 - self.trust)):
                    self.receiving = False
                pay = min(self.debt, p["debt_repayment"] * p["benefit_eur"])
                self.debt -= pay
            elif r() < p["takeup_rate"] * (0.3 + 0.7 * self.trust):
                self.receiving = True

    class PerAgent(mesa.Model):
        def __init__(self):
            super().__init__(rng=1)
            lit, cx, tr = self.rng.random(n), 1 + self.rng.random(n), self.rng.random(n)
            for i in range(n):
                ClientAgent(self, float(lit[i]), float(cx[i]), float(tr[i]))

        def step(self):
            self.agents.shuffle_do("step")

    class Arrays:
        def __init__(self):
            self.rng = np.random.default_rng(1)
            self.lit, self.cx, self.trust = self.rng.random(n), 1 + self.rng.random(n), self.rng.random(n)
            self.rec = np.ones(n, bool)
            self.irr = np.zeros(n, bool)
            self.intent = np.zeros(n, bool)
            self.err = np.zeros(n, bool)
            self.overpaid = np.zeros(n)
            self.debt = np.zeros(n)

        def step(self):
            r, rec = self.rng.random, self.rec
            p_rep = p["report_skill"] * (1 - p["burden_reporting_effect"] * p["information_burden"] * (1 - self.lit)) * (0.8 + 0.2 * self.trust)
            self.irr |= rec & (r(n) < p["life_event_rate"] * self.cx) & (r(n) >= p_rep)
            start = rec & ~self.intent & (r(n) < p["fraud_base_rate"] * np.exp(p["fraud_trust_sensitivity"] * (0.5 - self.trust)))
            self.intent |= start
            self.irr |= start
            self.overpaid[rec & self.irr] += p["overpayment_eur"]
            self.err |= rec & (r(n) < p["record_error_rate"])
            self.trust += rec * p["trust_gain_support"] * 0.5 * (1 - self.trust)
            give = rec & (r(n) < p["giveup_rate"] * (1 + p["giveup_trust_sensitivity"] * (1 - self.trust)))
            apply = ~rec & (r(n) < p["takeup_rate"] * (0.3 + 0.7 * self.trust))
            self.rec = (rec & ~give) | apply
            self.debt -= np.where(rec, np.minimum(self.debt, p["debt_repayment"] * p["benefit_eur"]), 0)

    out = {}
    for label, cls in (("per_agent_shuffle_do", PerAgent), ("numpy_arrays", Arrays)):
        model = cls()
        t = time.perf_counter()
        for _ in range(months):
            model.step()
        out[label] = (time.perf_counter() - t) / months
    out["ratio"] = out["per_agent_shuffle_do"] / out["numpy_arrays"]
    return out


def _child_cmd(python: str, n: int, months: int, scenario: str) -> list[str]:
    return [python, os.path.abspath(__file__), "--child", str(n), "--months", str(months), "--scenario", scenario]


def compare(base: str, sizes: list[int], months: int, scenarios: list[str], repeats: int) -> None:
    """Median CPU seconds per run of the base checkout and this one, measured alternately."""
    import statistics

    env = {**os.environ, **ONE_THREAD}
    env.pop("PYTHONPATH", None)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sides = (("base", os.path.join(base, ".venv", "bin", "python"), base), ("new", sys.executable, here))
    if not os.path.exists(sides[0][1]):
        sys.exit(f"error: no interpreter at {sides[0][1]}")
    print(f"base {os.path.abspath(base)} vs new {here}: CPU s per run, {months} months, one thread, "
          f"median of {repeats} alternating repeats")
    print(f"{'scenario':<10} {'clients':>8} {'base':>7} {'new':>7} {'base/new':>9}")
    for scenario in scenarios:
        for n in sizes:
            cpu: dict[str, list[float]] = {"base": [], "new": []}
            for _ in range(repeats):
                for label, python, cwd in sides:
                    r = subprocess.run(_child_cmd(python, n, months, scenario), capture_output=True, text=True,
                                       env=env, cwd=cwd, check=True)
                    cpu[label].append(json.loads(r.stdout.strip().splitlines()[-1])["cpu_s"])
            b, w = statistics.median(cpu["base"]), statistics.median(cpu["new"])
            print(f"{scenario:<10} {n:>8,} {b:>7.3f} {w:>7.3f} {b / w:>8.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000, 400_000])
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--scenario", default="control")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--skip-per-agent", action="store_true")
    ap.add_argument("--base", help="another checkout (with its .venv) to time against this one")
    ap.add_argument("--repeats", type=int, default=3, help="alternating repeats with --base")
    ap.add_argument("--scenarios", nargs="+", help="scenarios to time with --base (default: --scenario)")
    args = ap.parse_args()
    if args.child:
        _child_run(args.child, args.months, args.scenario)
        return
    if args.base:
        compare(args.base, args.sizes, args.months, args.scenarios or [args.scenario], args.repeats)
        return
    env = {**os.environ, **ONE_THREAD}
    print(f"scenario {args.scenario}, {args.months} months, one thread per run")
    print(f"{'clients':>9} {'setup s':>8} {'run s':>8} {'cpu s':>8} {'client-months/s':>16} {'peak MiB':>9}")
    for n in args.sizes:
        r = subprocess.run(_child_cmd(sys.executable, n, args.months, args.scenario), capture_output=True,
                           text=True, env=env, check=True)
        d = json.loads(r.stdout.strip().splitlines()[-1])
        rate = d["clients"] * d["months"] / d["run_s"]
        print(f"{n:>9,} {d['setup_s']:>8.2f} {d['run_s']:>8.2f} {d['cpu_s']:>8.2f} {rate:>16,.0f} "
              f"{d['peak_mib']:>9.0f}")
    if not args.skip_per_agent:
        r = _per_agent_vs_vectorised(10_000, 12)
        print("\nclient step at 10,000 clients (mean of 12 months):")
        print(f"  per-agent Mesa (shuffle_do): {r['per_agent_shuffle_do'] * 1000:8.1f} ms/month")
        print(f"  numpy over all clients:      {r['numpy_arrays'] * 1000:8.1f} ms/month")
        print(f"  ratio:                       {r['ratio']:8.0f}x")


if __name__ == "__main__":
    main()
