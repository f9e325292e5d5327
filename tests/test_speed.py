"""The speed-ups of issue 11 item 5 compute what the slower code computed.

Each fast path stands beside the plain one it replaced: the algorithm's fit
beside scikit-learn's LogisticRegression.fit, the summary from arrays beside
the summary from pandas columns, the metrics frame beside pandas' own frame
of the rows, a compiled stage (model/kernels.py) beside the numpy code it replaced, the batched
draws of newcomers beside the one-call-per-trait draws, and the compiled samplers
(model/draws.py) beside numpy's own, draw for draw. The whole model, bit
for bit against the previous version, is `benchmarks/check_same.py`
(it needs a second checkout); `tests/test_model.py` pins reference runs.
"""

import numpy as np
import pandas as pd
import pytest
import sklearn
from scipy import sparse

from fatal_remedies.analysis.summary import Columns, aggregate, summarize
from fatal_remedies.model import draws as D
from fatal_remedies.model import kernels as K
from fatal_remedies.model import metrics as M
from fatal_remedies.model.agents import fit_learner, new_learner
from fatal_remedies.model.collect import rate_ratios
from fatal_remedies.model.model import BenefitModel
from fatal_remedies.model.run import simulate


def _sklearn_fit(X, y):
    learner = new_learner()
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        learner.fit(X, y)
    return learner


def _assert_same_fit(X, y):
    ref, fast = _sklearn_fit(X, y), fit_learner(new_learner(), X, y)
    np.testing.assert_allclose(fast.coef_, ref.coef_, rtol=0, atol=1e-6)
    np.testing.assert_allclose(fast.intercept_, ref.intercept_, rtol=0, atol=1e-6)
    assert fast.n_iter_[0] == ref.n_iter_[0]
    assert list(fast.classes_) == list(ref.classes_)
    # The fitted learner is a usable scikit-learn estimator.
    np.testing.assert_allclose(fast.decision_function(X[:5]), ref.decision_function(X[:5]), atol=1e-6)


@pytest.mark.parametrize("n, share, seed", [(30, 0.5, 0), (200, 0.1, 1), (2500, 0.3, 2), (800, 0.02, 3)])
def test_fit_equals_scikit_learn_on_random_data(n, share, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 11))
    X[:, 4] = 0.0  # a blanked proxy: a constant column, as the model gives it
    X[:, 7] = rng.integers(0, 4, n)
    logit = np.log(share / (1 - share)) + 1.5 * X[:, 0] - X[:, 1] + 0.3 * X[:, 7]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    _assert_same_fit(X, y)


def test_fit_equals_scikit_learn_on_separable_data():
    # Perfectly separable: only the penalty keeps the weights finite; many Newton steps.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(120, 11))
    y = (X[:, 0] > 0).astype(np.int8)
    _assert_same_fit(X, y)


@pytest.mark.parametrize("scenario", ["control", "service"])
def test_fit_equals_scikit_learn_on_the_models_training_sets(scenario, monkeypatch):
    from fatal_remedies.model import agents

    seen = []
    real = agents.fit_learner

    def spy(learner, X, y):
        seen.append((X.copy(), np.asarray(y).copy()))
        return real(learner, X, y)

    monkeypatch.setattr(agents, "fit_learner", spy)
    m = BenefitModel(scenario, n_clients=800, seed=5)
    for _ in range(48):
        m.step()
    assert len(seen) >= 3, "the algorithm should have been retrained several times"
    for X, y in seen:
        _assert_same_fit(X, y)


def test_summary_from_arrays_equals_summary_from_pandas_columns():
    frame = simulate("control", clients=500, months=30, seed=2)
    frame.loc[3:7, "flag_ratio_carer"] = np.nan  # months without a ratio, as early months have
    frame.loc[:, "satisfaction"] = np.nan  # a column with no value at all
    fast = summarize(frame)
    sums: dict[str, float] = {}
    for m in M.summary_metrics():
        plain = aggregate(m, frame, sums)
        assert (fast[m.name] == plain) or (np.isnan(fast[m.name]) and np.isnan(plain)), m.name
    cols = Columns(frame)
    assert set(cols) == set(frame.columns) and cols["month"].dtype == np.float64


def test_metrics_frame_equals_pandas_frame_of_the_rows():
    m = BenefitModel("datameent", n_clients=400, seed=3)
    empty = m.metrics_frame()
    assert list(empty.columns) == list(pd.DataFrame([], columns=empty.columns).columns) and empty.empty
    for _ in range(14):
        m.step()
    fast = m.metrics_frame()
    plain = pd.DataFrame(m.rows, columns=fast.columns)
    plain["month"] = plain["month"].astype("int64")
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)


def _trust_stage_numpy(status, trust, felt, scar, adj, inv_degree, wrongful, p):
    """Stage 8 as numpy and scipy computed it before it was compiled (model/kernels.py, trust_stage)."""
    trust, scar = trust.copy(), scar.copy()
    trust -= (status == 0) * p["loss"] * felt * trust
    if wrongful.size:
        heard = np.bincount(adj[wrongful].indices, minlength=trust.size).astype(np.float64)
        trust -= np.minimum(1.0, p["wom"] * p["wrongful"] * p["hearsay"] * heard) * trust
    neigh = (adj @ trust) * inv_degree
    pull = np.where(inv_degree > 0, neigh - trust, 0.0)
    trust += p["wom"] * np.where(pull > 0, pull * (1 - scar), pull)
    scar *= 1 - p["scar_decay"]
    return np.minimum(np.maximum(trust, 0.0), 1.0), scar


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_trust_stage_equals_the_numpy_stage_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    n = 400
    adj = sparse.random(n, n, density=0.02, random_state=seed, format="csr", dtype=np.float32)
    adj = (adj + adj.T).tocsr()
    adj.data[:] = 1.0
    deg = np.asarray(adj.sum(axis=1)).ravel()
    inv_degree = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
    status = rng.integers(0, 4, n).astype(np.int8)
    trust, felt, scar = rng.random(n), rng.random(n), rng.random(n) * (rng.random(n) < 0.2)
    wrongful = np.sort(rng.choice(n, 5, replace=False))
    p = {"loss": 0.03, "wom": 0.1, "wrongful": 0.4, "hearsay": 0.3, "scar_decay": 0.05}
    want_trust, want_scar = _trust_stage_numpy(status, trust, felt, scar, adj, inv_degree, wrongful, p)
    got_trust, got_scar = trust.copy(), scar.copy()
    K.trust_stage(status, got_trust, felt, got_scar, adj.indptr, adj.indices, adj.data, inv_degree, wrongful,
                  p["loss"], p["wom"], p["wom"] * p["wrongful"] * p["hearsay"], 1 - p["scar_decay"])
    assert np.array_equal(got_trust, want_trust) and np.array_equal(got_scar, want_scar)
    assert not np.array_equal(got_trust, trust)  # the stage did move trust


def test_rate_ratios_in_arrays_equal_the_scalar_formula():
    nan = float("nan")
    cases = [
        (np.array([3.0, 5.0, 0.0]), np.array([40.0, 60.0, 10.0]), 20.0, 300.0),
        (np.array([3.0, 5.0, 1.0]), np.array([0.0, 60.0, 10.0]), 9.0, 300.0),  # no exposure
        (np.array([9.0, 5.0, 1.0]), np.array([10.0, 60.0, 10.0]), 9.0, 300.0),  # the rest had none
    ]
    for events, exposure, ev_all, ex_all in cases:
        want = []
        for g in range(3):
            rest_e, rest_ev = ex_all - exposure[g], ev_all - events[g]
            ok = exposure[g] > 0 and rest_e > 0 and rest_ev > 0
            want.append(float((events[g] / exposure[g]) / (rest_ev / rest_e)) if ok else nan)
        got = rate_ratios(events, exposure, ev_all, ex_all)
        assert all(type(x) is float for x in got)
        np.testing.assert_array_equal(np.array(got), np.array(want))


def test_batched_draws_are_the_draws_one_call_at_a_time():
    # draw_people takes consecutive draws of one kind in one call; a Generator gives the same numbers.
    k = 7
    a, b = np.random.default_rng(11), np.random.default_rng(11)
    one_by_one = [*(a.random(k) for _ in range(6)), a.normal(0, 0.12, k), a.gamma(2.0, 0.1, k),
                  a.normal(0, 0.5, k), a.normal(0, 0.7, (k, 13)), a.normal(0.6, 0.15, k), a.random(k)]
    u = b.random(6 * k).reshape(-1, k)
    lit, gamma = b.normal(0, 0.12, k), b.gamma(2.0, 0.1, k)
    z = b.standard_normal(14 * k)
    batched = [*u, lit, gamma, 0.0 + 0.5 * z[:k], 0.0 + 0.7 * z[k:].reshape(k, 13), b.normal(0.6, 0.15, k),
               b.random(k)]
    for x, y in zip(one_by_one, batched, strict=True):
        np.testing.assert_array_equal(x, y)


def _newcomers_numpy(model, idx, rng):
    """Newcomers' traits as numpy computed them before the compiled loop (population._newcomers)."""
    from fatal_remedies.model import population as pop

    p, k = model.p, idx.size
    u = rng.random(7 * k).reshape(7, k)
    stay = u[3] < p["network_homophily"]
    lang = np.where(stay, model.language[idx], u[0] < p["share_language_barrier"])
    single = np.where(stay, model.single_parent[idx], u[1] < p["share_single_parent"])
    carer = np.where(stay, model.carer[idx], u[2] < p["share_carer"])
    low_ed, var_inc = u[4] < p["share_low_education"], u[6] < p["share_variable_income"]
    lit = pop.LITERACY_MEAN - p["literacy_language_penalty"] * lang - p["literacy_education_penalty"] * low_ed \
        + rng.normal(0, pop.LITERACY_SD, k)
    complexity = p["complexity_base"] + p["complexity_carer"] * carer + p["complexity_single_parent"] * single \
        + p["complexity_variable_income"] * var_inc + rng.gamma(*pop.COMPLEXITY_GAMMA, k)
    z = rng.standard_normal(14 * k)
    base = pop.ZRM_BASE - pop.ZRM_PENALTY * lang - pop.ZRM_PENALTY * low_ed + (0.0 + pop.ZRM_PERSON_SD * z[:k])
    zrm = pop.clip(np.rint(base[:, None] + (0.0 + pop.ZRM_DOMAIN_SD * z[k:].reshape(k, 13))), 1, 5).astype(np.int8)
    trust = pop.clip(rng.normal(p["initial_trust"], pop.TRUST_SD, k), pop.TRUST_MIN, pop.TRUST_MAX)
    status = np.where(rng.random(k) < p["initial_non_take_up"], 2, 0)
    return {"language": lang, "single_parent": single, "carer": carer, "low_education": low_ed,
            "age_band": pop.AGE_BAND_CDF.searchsorted(u[5], side="right"), "variable_income": var_inc,
            "literacy": pop.clip(lit, pop.LITERACY_MIN, 1.0), "complexity": complexity, "zrm": zrm,
            "zsum": zrm.sum(axis=1).astype(np.float64), "trust": trust, "status": status}


@pytest.mark.parametrize("homophily", [0.0, 0.6])
def test_compiled_newcomers_equal_the_numpy_newcomers_bit_for_bit(homophily):
    from fatal_remedies.model.population import draw_people

    model = BenefitModel("control", n_clients=500, seed=3, overrides={"network_homophily": homophily})
    idx = np.sort(np.random.default_rng(1).choice(500, 40, replace=False))
    want = _newcomers_numpy(model, idx, np.random.default_rng(9))
    draw_people(model, idx, np.random.default_rng(9), newcomers=True)
    for name, value in want.items():
        got = getattr(model, name)[idx]
        assert got.dtype == getattr(model, name).dtype
        np.testing.assert_array_equal(got, np.asarray(value).astype(got.dtype), err_msg=name)
    np.testing.assert_array_equal(model.G[:3, idx], np.array([want["language"], want["single_parent"],
                                                              want["carer"]], np.float64))


def _pair(seed):
    """Two generators in the same state: one for numpy, one for the compiled sampler."""
    return np.random.default_rng(seed), np.random.default_rng(seed)


def test_compiled_choice_is_numpys_choice_draw_for_draw():
    # Both of numpy's methods (Floyd's below 10,000 people or a fiftieth of them, a tail
    # shuffle above), small and large draws, and the generator's state afterwards: the
    # next draw must be the same too, or every later draw of a run would differ.
    cases = [(1, 1), (2, 1), (2000, 1), (2000, 37), (2000, 2000), (10000, 300), (10001, 201),
             (30000, 599), (30000, 601), (30000, 30000), (400000, 9000)]
    rng = np.random.default_rng(0)
    cases += [(int(n), int(rng.integers(1, max(2, n // 25)))) for n in rng.integers(1, 60000, 300)]
    for seed, (n, k) in enumerate(cases):
        a, b = _pair(seed)
        want = np.sort(a.choice(n, k, replace=False))
        got = D.choice_sorted(D.handles(b), n, k)
        assert got.dtype == want.dtype and np.array_equal(got, want), (n, k)
        assert a.random() == b.random(), f"state differs after choosing {k} of {n}"
    a, b = _pair(1)
    assert D.choice_sorted(D.handles(b), 50, 0).size == 0 and a.random() == b.random()


def test_compiled_integers_are_numpys_integers_draw_for_draw():
    for seed, (low, high) in enumerate([(0, 1), (0, 2), (0, 13), (0, 57), (3, 2001), (0, 2**31), (-5, 5)]):
        a, b = _pair(seed)
        for size in (0, 1, 17, 4000):
            want, got = a.integers(low, high, size), D.integers(D.handles(b), low, high, size)
            assert got.dtype == want.dtype and np.array_equal(got, want), (low, high, size)
        assert a.random() == b.random()


def test_compiled_poisson_is_numpys_poisson_draw_for_draw():
    # Means of 0 (no draw), below 10 (multiplication method) and from 10 on (Hoermann's
    # transformed rejection, with its log-gamma), then the state afterwards.
    for seed in range(40):
        a, b = _pair(seed)
        lam = np.concatenate([a.random(300) * 3, a.random(60) * 60, [0.0, 9.999999, 10.0, 1e4, 1e9]])
        b.random(360)
        want, got = a.poisson(lam), D.poisson(D.handles(b), lam)
        assert got.dtype == want.dtype and np.array_equal(got, want)
        assert a.random() == b.random()


@pytest.mark.parametrize("bad", [np.nan, -0.5, np.inf])
def test_compiled_poisson_refuses_what_numpy_refuses(bad):
    with pytest.raises(ValueError):
        np.random.default_rng(0).poisson(np.array([1.0, bad]))
    with pytest.raises(ValueError, match="poisson"):
        D.poisson(D.handles(np.random.default_rng(0)), np.array([1.0, bad]))


def test_compiled_normals_are_numpys_normals_draw_for_draw():
    # numpy's ziggurat in double (rng.normal) and in single precision with the single-precision
    # uniforms after it (the ZRM scoring's draws), including the rare tail and wedge steps.
    from numba import njit

    @njit
    def scoring_draws(h, k, m):
        z, u = np.empty((k, m), np.float32), np.empty((k, m), np.float32)
        for i in range(k):
            for j in range(m):
                z[i, j] = D.standard_normal_f32(h)
        for i in range(k):
            for j in range(m):
                u[i, j] = D.next_float(h)
        return z, u

    # At seed 17, draw 418,776 is a wedge step where numpy's double-precision test and a
    # single-precision one disagree: numba's own port of this sampler compares in single.
    @njit
    def normals_f32(h, k):
        z = np.empty(k, np.float32)
        for i in range(k):
            z[i] = D.standard_normal_f32(h)
        return z

    a, b = _pair(17)
    assert np.array_equal(normals_f32(D.handles(b), 500_000), a.standard_normal(500_000, dtype=np.float32))
    for seed in range(30):
        a, b = _pair(seed)
        loc, scale, k = a.random(), 3 * a.random(), int(a.integers(1, 4000))
        b.random(), b.random(), b.integers(1, 4000)
        assert np.array_equal(D.normal(D.handles(b), loc, scale, k), a.normal(loc, scale, k))
        want_z, want_u = a.standard_normal((k, 13), dtype=np.float32), a.random((k, 13), dtype=np.float32)
        got_z, got_u = scoring_draws(D.handles(b), k, 13)
        assert np.array_equal(got_z, want_z) and np.array_equal(got_u, want_u)
        assert a.random() == b.random()
