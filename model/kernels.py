"""Compiled inner loops of the monthly stages (numba), for the work done on every person.

Why: at sweep size (2,000 people) a month is some hundreds of numpy
operations on short arrays, and most of their cost is per call and per
temporary array, not per person. A stage's arithmetic and bookkeeping in one
compiled loop over the people costs a fraction of that (issue 11, item 5).

What stays in numpy, so that a run gives the same numbers as before, bit
for bit (`benchmarks/check_same.py`):

* every random draw comes from the model's generator in the same order as
  before: a stage draws arrays and hands them to its kernel, or a kernel
  draws them itself through the generator's handles (`model/draws.py`:
  numpy's own samplers compiled - uniforms, normals, bounded integers,
  choice, Poisson - tested draw for draw against numpy);
* transcendental functions (exp, log, powers with a real exponent): numpy
  computes them with its own SIMD code, which can differ from the C
  library's in the last bit;
* sums of floats, which numpy adds pairwise (a loop adds them in a
  different order).

One kernel is the exception: the algorithm's fit (`newton_logistic`) is
scikit-learn's Newton path compiled, with the C library's exp and log1p; its
coefficients agree with the numpy version it replaced to about 1e-15 (and
with scikit-learn's to 1e-6, tests/test_speed.py). They only rank people,
after noise is added, so no run `check_same.py` compares changed.

A kernel evaluates each expression in the same order as the numpy code it
replaces (left to right, the same parentheses) and keeps every rule and
parameter of the stage it serves; the stage's docstring in model.py says
which passage of the seed it models. The kernels take plain arrays and
numbers (no model object, no dict), so they can be compiled once and cached
(`cache=True`: the first run on a machine compiles them, ~10 s; later
processes load them from `__pycache__`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import draws as D
from .states import NON_TAKE_UP, RECEIVING, SANCTIONED, WORK, Event, Route, WrongfulCause

# Events a kernel writes into a per-person code array for the event log (client stories); 0 is none.
EV_FOUND_WORK, EV_GAVE_UP, EV_APPLIED, EV_BACK_FROM_WORK = (
    int(e) for e in (Event.FOUND_WORK, Event.GAVE_UP, Event.APPLIED, Event.BACK_FROM_WORK))
SIGNAL, TIP = int(Route.SIGNAL), int(Route.TIP)
UNREPORTED_CHANGE, DATA_ERROR, FALSE_FINDING = (
    int(c) for c in (WrongfulCause.UNREPORTED_CHANGE, WrongfulCause.DATA_ERROR, WrongfulCause.FALSE_FINDING))


@njit(cache=True, nogil=True, inline="always")
def _clear_irregularity(i, irregular, intent, overpaid):
    """Person `i`'s ongoing irregularity ends (it was found, or they left the benefit): nothing more is overpaid."""
    irregular[i] = False
    intent[i] = False
    overpaid[i] = 0.0


@njit(cache=True, nogil=True)
def transitions(status, u, u2, powed, quality, felt, trust, language, sanction_until, month,
                irregular, intent, overpaid, reint_month, ev,
                work_support_effect, work_support_cap, reintegration_rate, work_language_factor,
                giveup_rate, giveup_burden_sensitivity, giveup_trust_sensitivity,
                takeup_rate, takeup_trust_effect, takeup_burden_effect, outreach_factor,
                return_after_sanction, return_after_sanction_trust, work_relapse, inflow_rate):
    """Stage 9's exits and entries, person by person; returns (to work, gave up, applied, leaving slots).

    `powed[i]` is the self-sufficiency term of the chance of work for a
    person receiving (numpy's power); `ev` gets each person's event code.
    Leaving the benefit ends an ongoing irregularity.
    """
    n = status.size
    leaving = np.empty(n, np.int64)
    n_work = n_give = n_apply = n_leave = 0
    for i in range(n):
        s = status[i]
        ev[i] = 0
        if s == RECEIVING:
            support = min(1 - work_support_effect + work_support_effect * quality[i] / 0.5, work_support_cap)
            p_work = reintegration_rate * powed[i] * support * (work_language_factor if language[i] else 1.0)
            if u[i] < p_work:
                status[i] = WORK
                reint_month[i] = month
                _clear_irregularity(i, irregular, intent, overpaid)
                ev[i] = EV_FOUND_WORK
                n_work += 1
            else:
                p_give = giveup_rate * (1 + giveup_burden_sensitivity * felt[i]) \
                    * (1 + giveup_trust_sensitivity * (1 - trust[i]))
                if u[i] > 1 - p_give:
                    status[i] = NON_TAKE_UP
                    _clear_irregularity(i, irregular, intent, overpaid)
                    ev[i] = EV_GAVE_UP
                    n_give += 1
        elif s == NON_TAKE_UP:
            p_apply = takeup_rate * (1 - takeup_trust_effect * (1 - trust[i])) \
                * (1 - takeup_burden_effect * felt[i]) * outreach_factor
            if u2[i] < p_apply:
                status[i] = RECEIVING
                ev[i] = EV_APPLIED
                n_apply += 1
        elif s == SANCTIONED:
            if sanction_until[i] <= month:
                if u2[i] < return_after_sanction + return_after_sanction_trust * trust[i]:
                    status[i] = RECEIVING
                    ev[i] = EV_APPLIED
                else:
                    status[i] = NON_TAKE_UP
                    ev[i] = EV_GAVE_UP
        elif s == WORK:
            if u2[i] < work_relapse:
                status[i] = NON_TAKE_UP
                ev[i] = EV_BACK_FROM_WORK
            elif u2[i] > 1 - inflow_rate:
                leaving[n_leave] = i
                n_leave += 1
    return n_work, n_give, n_apply, leaving[:n_leave]


@njit(cache=True, nogil=True)
def money(status, debt, hardship, months_on, repay, repayment, arrears, hardship_scale):
    """Stage 9's money: debt repaid from the benefit (into `repay`), arrears while sanctioned, hardship."""
    for i in range(status.size):
        s = status[i]
        r = min(debt[i], repayment) if s == RECEIVING else 0.0
        repay[i] = r
        d = debt[i] - r
        if s == SANCTIONED:
            d += arrears
        debt[i] = d
        hardship[i] = d / (d + hardship_scale)
        if s == RECEIVING:
            months_on[i] += 1


@njit(cache=True, nogil=True)
def score_zrm(h, idx, zrm, cw, cw_noise, cw_blank, zrm_noise, zrm_blank_rate, top, middle,
              rec_zrm, rec_mean, rec_blank):
    """A caseworker's (re)scoring of the ZRM of the people `idx`: noisy, rounded, with blanks.

    Draws from the generator with handles `h` what numpy's
    `standard_normal((len(idx), 13), np.float32)` and then
    `random((len(idx), 13), np.float32)` would (model/draws.py); the
    arithmetic is in single precision.
    """
    n_dom = zrm.shape[1]
    z = np.empty((idx.size, n_dom), np.float32)
    u = np.empty((idx.size, n_dom), np.float32)
    for r in range(idx.size):
        for j in range(n_dom):
            z[r, j] = D.standard_normal_f32(h)
    for r in range(idx.size):
        for j in range(n_dom):
            u[r, j] = D.next_float(h)
    one, hi, nil = np.float32(1.0), np.float32(top), np.float32(0.0)
    for r in range(idx.size):
        i = idx[r]
        c = cw[i]
        noise = np.float32(zrm_noise * cw_noise[c])
        blank_at = np.float32(zrm_blank_rate * cw_blank[c])
        filled = 0
        total = 0.0
        for j in range(n_dom):
            v = np.rint(z[r, j] * noise + np.float32(zrm[i, j]))
            v = min(max(v, one), hi)
            if u[r, j] < blank_at:
                v = nil
            else:
                filled += 1
            rec_zrm[i, j] = np.int8(v)
            total += np.float64(v)
        rec_mean[i] = total / max(np.float64(filled), 1.0) if filled > 0 else middle
        rec_blank[i] = 1.0 - np.float64(filled) / n_dom


@njit(cache=True, nogil=True)
def support_hours(status, cw, flagged, burden, literacy, support_flag, trust, rel_months, n_cw,
                  hours_each, hours_per_investigation, paperwork_hours, paperwork_floor, support_priority,
                  felt_burden_offset, trust_quality_effect, continuity_effect,
                  felt, hours, quality, intensity, inv, paper, support):
    """Stage 7's caseworker hours and the support each person gets.

    Investigations and paperwork come first; the hours left are shared out
    among each caseworker's people (the support algorithm's ranked first get
    more); quality rises with trust and a known caseworker. Fills `felt`,
    `hours`, `quality` and `intensity` (0 for people not receiving) and the
    per-caseworker `inv`, `paper`, `support` hours; sums go in index order,
    as numpy's bincount adds them.
    """
    n = status.size
    avail = np.zeros(n_cw)
    wsum = np.zeros(n_cw)
    for c in range(n_cw):
        inv[c] = 0.0
        paper[c] = 0.0
        support[c] = 0.0
    for k in range(flagged.size):
        inv[cw[flagged[k]]] += 1.0
    for c in range(n_cw):
        inv[c] = inv[c] * hours_per_investigation
    for i in range(n):
        b = burden[i]
        felt[i] = min(max(b * (felt_burden_offset - literacy[i]), 0.0), 1.0)
        rec = status[i] == RECEIVING
        c = cw[i]
        paper[c] += (paperwork_hours if rec else 0.0) * (paperwork_floor + (1 - paperwork_floor) * b)
        wsum[c] += (1.0 + support_priority * support_flag[i]) if rec else 0.0
    for c in range(n_cw):
        avail[c] = max(0.0, hours_each - inv[c] - paper[c])
    for i in range(n):
        c = cw[i]
        if status[i] == RECEIVING:
            w = 1.0 + support_priority * support_flag[i]
            h = avail[c] * w / max(wsum[c], 1.0)
            it = h / (h + 1.0)
            cont = min(rel_months[i], 12) / 12.0
            quality[i] = (1 - trust_quality_effect * (1 - trust[i])) * (1 + continuity_effect * cont) \
                / (1 + continuity_effect) * it
            intensity[i] = it
        else:
            h = 0.0
            quality[i] = 0.0
            intensity[i] = 0.0
        hours[i] = h
        support[c] += h


@njit(cache=True, nogil=True)
def support_tries(h, status, quality, support_effect):
    """The people receiving whose support this month tries to lift a ZRM domain (slots, sorted).

    Draws one uniform a person (`rng.random(n)`, from the generator with handles `h`).
    """
    out = np.empty(status.size, np.int64)
    k = 0
    for i in range(status.size):
        u = D.next_double(h)
        if status[i] == RECEIVING and u < support_effect * quality[i]:
            out[k] = i
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def support_progress(h, tries, zrm, rec_zrm, zsum, top):
    """Support works on the weakest domain as recorded (a blank is never chosen while another is filled).

    It lifts the true score one point with chance (top - true) / (top - 1):
    only as far as the domain is really weak. Returns who progressed (slots).
    Draws one uniform for each of the `tries` (`rng.random(tries.size)`).
    """
    out = np.empty(tries.size, np.int64)
    k = 0
    n_dom = zrm.shape[1]
    for r in range(tries.size):
        i = tries[r]
        d = 0
        best = top + 1
        for j in range(n_dom):
            v = rec_zrm[i, j] if rec_zrm[i, j] != 0 else top + 1
            if v < best:
                best = v
                d = j
        true = zrm[i, d]
        if D.next_double(h) < (top - true) / (top - 1):
            new = min(top, true + 1)
            zrm[i, d] = new
            zsum[i] += new - true
            out[k] = i
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def contact_rate(status, trust, complexity, intensity, meeting_rate, contact_trust_effect):
    """Expected contact moments of each person receiving (in slot order): fewer with low trust."""
    out = np.empty(status.size)
    k = 0
    for i in range(status.size):
        if status[i] == RECEIVING:
            contact = 1 - contact_trust_effect * (1 - trust[i])
            out[k] = meeting_rate * complexity[i] * (0.5 + intensity[i]) * contact
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def after_support(status, met, meetings, meetings_month, trust, quality, scar, trust_gain_support):
    """This month's contact moments (`met`, per person receiving) into the yearly count; trust regained.

    Respectful support with a known caseworker regains trust slowly, held
    back by the mark of a wrongful sanction.
    """
    k = 0
    decay = 11 / 12
    for i in range(status.size):
        m = 0.0
        if status[i] == RECEIVING:
            m = np.float64(met[k])
            t = trust[i]
            trust[i] = t + trust_gain_support * quality[i] * (1 - scar[i]) * (1 - t)
            k += 1
        meetings_month[i] = m
        meetings[i] = meetings[i] * decay + m


@njit(cache=True, nogil=True, inline="always")
def _report_chance(i, cw, cw_excess, literacy, trust, information_burden, report_skill,
                   burden_reporting_effect, trust_reporting_effect):
    """Chance that person `i` reports a change in time (stages 2 and 3).

    Reporting in time gets harder with the information demanded (the
    municipality's plus the caseworker's excess), the less administratively
    literate one is, and the less one trusts.
    """
    b = min(max(information_burden + cw_excess[cw[i]], 0.0), 1.0)
    return report_skill * (1 - burden_reporting_effect * b * (1 - literacy[i])) \
        * (1 - trust_reporting_effect * (1 - trust[i]))


@njit(cache=True, nogil=True)
def life_events(status, u, u2, u3, complexity, irregular, intent, meetings, overpaid, hardship,
                cw, cw_excess, literacy, trust, honest, e_trust, life_event_rate, information_burden,
                report_skill, burden_reporting_effect, trust_reporting_effect,
                fraud_base_rate, fraud_hardship_sensitivity, deter, overpayment):
    """Stage 2: changes in circumstances, reported in time or not; starts of intentional fraud.

    `honest` are the people receiving without intent (slots, sorted) and
    `e_trust` numpy's exp of their trust term, in the same order. Returns
    who reported a change, who did not (a new irregularity) and who started
    fraud (slots).
    """
    n = status.size
    rep = np.empty(n, np.int64)
    unrep = np.empty(n, np.int64)
    start = np.empty(honest.size, np.int64)
    k_rep = k_unrep = k_start = 0
    for i in range(n):
        if status[i] == RECEIVING and u[i] < life_event_rate * complexity[i]:
            if u2[i] < _report_chance(i, cw, cw_excess, literacy, trust, information_burden, report_skill,
                                      burden_reporting_effect, trust_reporting_effect):
                rep[k_rep] = i
                k_rep += 1
                meetings[i] += 1.0  # reporting a change is a contact moment
            elif not irregular[i]:
                unrep[k_unrep] = i
                k_unrep += 1
                irregular[i] = True
    for r in range(honest.size):
        i = honest[r]
        p_fraud = fraud_base_rate * e_trust[r] * (1 + fraud_hardship_sensitivity * hardship[i]) * deter
        if u3[i] < p_fraud:
            start[k_start] = i
            k_start += 1
            irregular[i] = True
            intent[i] = True
    for i in range(n):
        if status[i] == RECEIVING and irregular[i]:
            overpaid[i] += overpayment
    return rep[:k_rep], unrep[:k_unrep], start[:k_start]


@njit(cache=True, nogil=True)
def records(status, u_err, u_fix, u_late, u_look, complexity, rec_err, irregular, intent,
            cw, cw_excess, literacy, trust, information_burden, report_skill, burden_reporting_effect,
            trust_reporting_effect, record_error_rate, record_fix_rate, late_disclosure, client_record_access):
    """Stage 3: record errors come and go; late disclosures; clients who look at their record correct it.

    `u_look` is used only with `client_record_access` > 0. Returns the new
    record errors, who looked and had something to see (for the event log),
    who discloses (slots), whether each discloser was late (not their own
    look), and how many record errors clients corrected.
    """
    n = status.size
    new_err = np.empty(n, np.int64)
    saw = np.empty(n, np.int64)
    disclose = np.empty(n, np.int64)
    late_of = np.empty(n, np.bool_)
    k_err = k_saw = k_dis = 0
    corrected = 0
    access = client_record_access > 0
    for i in range(n):
        rec = status[i] == RECEIVING
        if rec and not rec_err[i] and u_err[i] < record_error_rate * (0.5 + 0.5 * complexity[i]):
            rec_err[i] = True
            new_err[k_err] = i
            k_err += 1
        if u_fix[i] < record_fix_rate:
            rec_err[i] = False
        unintended = rec and irregular[i] and not intent[i]
        late = False
        if unintended:
            late = u_late[i] < late_disclosure * _report_chance(
                i, cw, cw_excess, literacy, trust, information_burden, report_skill,
                burden_reporting_effect, trust_reporting_effect)
        own = False
        if access and rec and u_look[i] < client_record_access:
            if rec_err[i]:
                corrected += 1
            if rec_err[i] or (irregular[i] and not intent[i]):
                saw[k_saw] = i
                k_saw += 1
            rec_err[i] = False
            own = irregular[i] and not intent[i] and not late
        if late or own:
            disclose[k_dis] = i
            late_of[k_dis] = late
            k_dis += 1
    return new_err[:k_err], saw[:k_saw], disclose[:k_dis], late_of[:k_dis], corrected


@njit(cache=True, nogil=True)
def trust_stage(status, trust, felt, scar, indptr, indices, data, inv_degree, wrongful,
                trust_loss_burden, word_of_mouth, hearsay_loss, scar_keep):
    """Stage 8: the burden wears trust down; word of mouth, also of the wrongful sanctions.

    `hearsay_loss` is word of mouth x the loss of a wrongful sanction x the
    share heard; neighbours are summed in the order of the sparse rows, as
    scipy's product does. Acquaintances pull trust toward theirs, a pull
    upward held back by the mark of a wrongful sanction.
    """
    n = status.size
    for i in range(n):
        loss = trust_loss_burden if status[i] == RECEIVING else 0.0
        trust[i] = trust[i] - loss * felt[i] * trust[i]
    if word_of_mouth > 0:
        if wrongful.size:
            heard = np.zeros(n)
            for r in range(wrongful.size):
                w = wrongful[r]
                for jj in range(indptr[w], indptr[w + 1]):
                    heard[indices[jj]] += 1.0
            for i in range(n):
                trust[i] = trust[i] - min(1.0, hearsay_loss * heard[i]) * trust[i]
        neigh = np.empty(n)
        for i in range(n):
            s = 0.0
            for jj in range(indptr[i], indptr[i + 1]):
                s += np.float64(data[jj]) * trust[indices[jj]]
            neigh[i] = s * inv_degree[i]
        for i in range(n):
            pull = neigh[i] - trust[i] if inv_degree[i] > 0 else 0.0
            trust[i] = trust[i] + word_of_mouth * (pull * (1 - scar[i]) if pull > 0 else pull)
    for i in range(n):
        scar[i] = scar[i] * scar_keep
        trust[i] = min(max(trust[i], 0.0), 1.0)


@njit(cache=True, nogil=True)
def warehouse_features(idx, linkage_on, month, last_hit, mismatch_memory, rec_mean, rec_blank, meetings,
                       language, carer, single_parent, age_band, variable_income, months_on, months_cap,
                       past_findings, blank, mu, sd):
    """What the data warehouse holds on the people `idx`, one row each, in RiskAlgorithm.FEATURES order.

    Columns where `blank` is true hold 0 (dropped proxies). With `mu` and `sd`
    (else empty) each value is standardised, (x - mu) / sd, as the fitted
    algorithm reads it: one pass instead of a raw array and a standardised copy.
    """
    X = np.empty((idx.size, 11))
    for r in range(idx.size):
        i = idx[r]
        X[r, 0] = 1.0 if linkage_on and month - last_hit[i] <= mismatch_memory else 0.0
        X[r, 1] = rec_mean[i]
        X[r, 2] = rec_blank[i]
        X[r, 3] = meetings[i]
        X[r, 4] = language[i]
        X[r, 5] = carer[i]
        X[r, 6] = single_parent[i]
        X[r, 7] = age_band[i]
        X[r, 8] = variable_income[i]
        X[r, 9] = min(months_on[i], months_cap) / 12.0
        X[r, 10] = past_findings[i]
        for j in range(11):
            if blank[j]:
                X[r, j] = 0.0
        if mu.size:
            for j in range(11):
                X[r, j] = (X[r, j] - mu[j]) / sd[j]
    return X


@njit(cache=True, nogil=True)
def no_history(idx, never, scar, irregular, intent, overpaid, rec_err, last_hit, debt, hardship, meetings,
               months_on, past_findings, last_investigated, last_wrongful, sanction_until, reint_month,
               support_flag, rel_months):
    """The people `idx` start with no history: no scar, irregularity, debt, meetings or findings; month `never`."""
    for i in idx:
        scar[i] = 0.0
        irregular[i] = False
        intent[i] = False
        overpaid[i] = 0.0
        rec_err[i] = False
        last_hit[i] = never
        debt[i] = 0.0
        hardship[i] = 0.0
        meetings[i] = 0.0
        months_on[i] = 0
        past_findings[i] = 0
        last_investigated[i] = never
        last_wrongful[i] = never
        sanction_until[i] = never
        reint_month[i] = never
        support_flag[i] = False
        rel_months[i] = 0


@njit(cache=True, nogil=True)
def tally(status, irregular, intent, rec_err, n_status):
    """People in each status, and among the receiving: unintended irregularities, intentional fraud, record errors."""
    counts = np.zeros(n_status, np.int64)
    irregular_stock = intent_stock = error_stock = 0
    for i in range(status.size):
        s = status[i]
        counts[s] += 1
        if s == RECEIVING:
            irregular_stock += irregular[i] and not intent[i]
            intent_stock += intent[i]
            error_stock += rec_err[i]
    return counts, irregular_stock, intent_stock, error_stock


@njit(cache=True, nogil=True)
def newcomers(idx, first_pid, u, literacy_draw, complexity_draw, z, trust_draw, u_status, cdf, p, c,
              pid, language, single_parent, carer, low_education, age_band, variable_income, literacy,
              complexity, zrm, zsum, trust, status, G):
    """Newcomers into the slots `idx` (population.draw_people, newcomers=True): traits, ZRM, trust.

    The draws come from the caller in its fixed order: `u` (7, k) uniforms
    (language, single parent, carer, staying in the slot's community, low
    education, age band, variable income), the literacy and complexity
    terms, `z` (14 k standard normals: the person's ZRM level, then 13
    domains each), the trust draw and the initial non-take-up uniform. `p`
    holds the registry's shares and effects and `c` the population's shape
    constants, in the order `population.draw_people` packs them. The rest of
    the person's history is reset by the caller.
    """
    k = idx.size
    n_dom = zrm.shape[1]
    (share_lang, share_single, share_carer, homophily, share_low_ed, share_var, lit_lang, lit_ed,
     cx_base, cx_carer, cx_single, cx_var, non_take_up) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
                                                            p[8], p[9], p[10], p[11], p[12])
    (lit_mean, lit_min, zrm_base, zrm_penalty, zrm_person_sd, zrm_domain_sd, top,
     trust_min, trust_max) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])
    for r in range(k):
        i = idx[r]
        pid[i] = first_pid + r
        lang = u[0, r] < share_lang
        single = u[1, r] < share_single
        care = u[2, r] < share_carer
        if u[3, r] < homophily:  # stays in the slot's community
            lang, single, care = language[i], single_parent[i], carer[i]
        language[i], single_parent[i], carer[i] = lang, single, care
        low_ed = u[4, r] < share_low_ed
        low_education[i] = low_ed
        band = 0
        for b in range(cdf.size):
            if cdf[b] <= u[5, r]:
                band += 1
        age_band[i] = band
        var_inc = u[6, r] < share_var
        variable_income[i] = var_inc
        lit = lit_mean - lit_lang * lang - lit_ed * low_ed + literacy_draw[r]
        literacy[i] = min(max(lit, lit_min), 1.0)
        complexity[i] = cx_base + cx_carer * care + cx_single * single + cx_var * var_inc + complexity_draw[r]
        base = zrm_base - zrm_penalty * lang - zrm_penalty * low_ed
        base = base + (0.0 + zrm_person_sd * z[r])
        total = 0
        for j in range(n_dom):
            v = np.rint(base + (0.0 + zrm_domain_sd * z[k + r * n_dom + j]))
            v = min(max(v, 1.0), top)
            zrm[i, j] = np.int8(v)
            total += np.int8(v)
        zsum[i] = total
        trust[i] = min(max(trust_draw[r], trust_min), trust_max)
        G[0, i] = lang
        G[1, i] = single
        G[2, i] = care
        status[i] = NON_TAKE_UP if u_status[r] < non_take_up else RECEIVING


@njit(cache=True, nogil=True)
def investigate(S, u, u_intent, u_clean, u_object, u_upheld, u_informed, proportional, month,
                irregular, intent, rec_err, overpaid, status, sanction_until, debt, past_findings,
                last_investigated, meetings, trust, last_wrongful, scar, G, q, false_finding_amount):
    """Stage 6 for the flagged `S` (slots, sorted), with the stage's draws (each of len(S)).

    `u_intent` and `u_clean` judge culpability under the proportional regime
    (intent seen with `intent_accuracy`; both empty otherwise). `q` holds
    the stage's parameters in the order `BenefitModel._investigate` packs
    them; `false_finding_amount` is what a false finding claims back. Returns per flagged person whether something was found, whether it
    was sanctioned as fraud, wrongfully, objected to, upheld; the amount
    claimed, the fine and the cause of a wrongful sanction; and the
    per-group counts of flags, sanctions and wrongful sanctions (exact
    integer sums).
    """
    (sensitivity, false_finding, error_factor, accuracy, fine_rate, objection_rate, objection_rate_wrongful,
     objection_success, sanction_months, investigation_meetings, transparency, softening, loss_investigation,
     loss_wrongful) = (q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13])
    k = S.size
    found = np.zeros(k, np.bool_)
    fraud = np.zeros(k, np.bool_)
    wrongful = np.zeros(k, np.bool_)
    objects = np.zeros(k, np.bool_)
    upheld = np.zeros(k, np.bool_)
    amount = np.zeros(k)
    fines = np.zeros(k)
    cause = np.zeros(k, np.int64)
    flags_g, sanctions_g, wrongful_g = np.zeros(G.shape[0]), np.zeros(G.shape[0]), np.zeros(G.shape[0])
    for r in range(k):
        i = S[r]
        irr, intended, err = irregular[i], intent[i], rec_err[i]
        if irr:
            f = u[r] < sensitivity
        else:
            f = u[r] < min(1.0, false_finding * (error_factor if err else 1.0))
        if proportional:
            judged = u_intent[r] < accuracy if intended else u_clean[r] < 1 - accuracy
            fr = f and judged
        else:
            fr = f
        # A false finding claims back an overpayment that never was.
        a = overpaid[i] if irr else false_finding_amount
        fine = fine_rate * a if (f and fr) else 0.0
        wr = fr and not intended
        # A clean file "found" only because of its record error (the same draw would have found
        # nothing in a correct record) is a data error; otherwise an investigator's false finding.
        if irr:
            cause[r] = UNREPORTED_CHANGE
        elif err and u[r] >= false_finding:
            cause[r] = DATA_ERROR
        else:
            cause[r] = FALSE_FINDING
        ob = fr and u_object[r] < (objection_rate if intended else objection_rate_wrongful)
        up = ob and wr and u_upheld[r] < objection_success
        if f:
            debt[i] += a + fine
        if fr and sanction_months > 0:
            status[i] = SANCTIONED
            sanction_until[i] = month + int(sanction_months)
        if up:
            debt[i] = max(0.0, debt[i] - a - fine)
            status[i] = RECEIVING
            sanction_until[i] = month
        if f:
            _clear_irregularity(i, irregular, intent, overpaid)
            past_findings[i] += 1
        rec_err[i] = False
        last_investigated[i] = month
        meetings[i] += investigation_meetings
        soften = 1.0 - softening if u_informed[r] < transparency else 1.0
        trust[i] -= loss_investigation * soften * trust[i]
        if wr:
            last_wrongful[i] = month
            trust[i] -= loss_wrongful * trust[i]
            scar[i] = 1.0
        for g in range(G.shape[0]):
            flags_g[g] += G[g, i]
            if fr:
                sanctions_g[g] += G[g, i]
            if wr:
                wrongful_g[g] += G[g, i]
        found[r], fraud[r], wrongful[r], objects[r], upheld[r] = f, fr, wr, ob, up
        amount[r], fines[r] = a, fine
    return found, fraud, wrongful, objects, upheld, amount, fines, cause, (flags_g, sanctions_g, wrongful_g)


@njit(cache=True, nogil=True)
def flag_candidates(status, month, last_investigated, reinvestigation_bar, meetings_month, rel_months, rec_err,
                    irregular, intent, signal_sensitivity, signal_false_rate, continuity_signal_effect,
                    error_finding_factor, cand):
    """Stage 5's candidates (into the mask `cand`), and what last month's meetings could signal.

    Returns the number receiving, who met their caseworker (slots), each
    one's chance per meeting that the caseworker signals them (a known
    caseworker notices more and errs less; a record error looks like an
    irregularity), and the candidates with intent (slots, for tips).
    """
    n = status.size
    met = np.empty(n, np.int64)
    rate = np.empty(n)
    intended = np.empty(n, np.int64)
    n_rec = k_met = k_int = 0
    cse = continuity_signal_effect
    for i in range(n):
        rec = status[i] == RECEIVING
        n_rec += rec
        c = rec and month - last_investigated[i] > reinvestigation_bar
        cand[i] = c
        if c and meetings_month[i] > 0:
            cont = min(rel_months[i], 12) / 12.0
            if irregular[i]:
                rate[k_met] = signal_sensitivity * (1 - cse * (1 - cont))
            else:
                rate[k_met] = signal_false_rate * (1 - cse * cont) * (error_finding_factor if rec_err[i] else 1.0)
            met[k_met] = i
            k_met += 1
        if c and intent[i]:
            intended[k_int] = i
            k_int += 1
    return n_rec, met[:k_met], rate[:k_met], intended[:k_int]


@njit(cache=True, nogil=True)
def flag_reports(cand, met, u_signal, signal_chance, intended, u_tip, tip_rate, false_tips):
    """Who is reported by a caseworker's signal or a tip (slots, sorted), and the route of each (Route codes).

    A tip about a candidate who is also signalled counts as the signal.
    """
    n = cand.size
    route = np.zeros(n, np.int64)  # 0: not reported
    for r in range(met.size):
        if u_signal[r] < signal_chance[r]:
            route[met[r]] = SIGNAL
    for r in range(intended.size):
        i = intended[r]
        if u_tip[r] < tip_rate and route[i] == 0:
            route[i] = TIP
    for r in range(false_tips.size):
        i = false_tips[r]
        if cand[i] and route[i] == 0:
            route[i] = TIP
    reported = np.empty(n, np.int64)
    routes = np.empty(n, np.int64)
    k = 0
    for i in range(n):
        if route[i] > 0:
            reported[k] = i
            routes[k] = route[i]
            k += 1
    return reported[:k], routes[:k]


@njit(cache=True, nogil=True)
def linkage(status, u_consent, u_hit, trust, irregular, rec_err, last_hit, month, detection, looked):
    """Stage 4: the warehouse links the records of those receiving (who consent, when `u_consent` is given).

    A mismatch shows an irregularity or a record error alike, with chance
    `detection`. Fills `looked` (whose data were linked); returns how many
    show a mismatch this month.
    """
    hits = 0
    ask = u_consent.size > 0
    for i in range(status.size):
        linked = status[i] == RECEIVING and (not ask or u_consent[i] < trust[i])
        looked[i] = linked
        if linked and (irregular[i] or rec_err[i]) and u_hit[i] < detection:
            last_hit[i] = month
        if last_hit[i] == month:
            hits += 1
    return hits


@njit(cache=True, nogil=True)
def decay_keep(handles, down, status, hardship, hardship_decay_effect):
    """Of the people `down` drawn at the highest decay rate, those whose ZRM decays (not in work).

    Each is kept with chance (1 + h x hardship) / (1 + h): decay at the
    base rate, faster with hardship. Draws one uniform for each of `down`.
    """
    h = hardship_decay_effect
    out = np.empty(down.size, np.int64)
    k = 0
    for r in range(down.size):
        i = down[r]
        u = D.next_double(handles)
        if status[i] != WORK and u < (1 + h * hardship[i]) / (1 + h):
            out[k] = i
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def decay(down, domain, zrm, zsum):
    """One point off domain `domain[r]` of each person `down[r]` (never below 1); `zsum` follows."""
    for r in range(down.size):
        i, d = down[r], domain[r]
        old = zrm[i, d]
        new = max(1, old - 1)
        zrm[i, d] = new
        zsum[i] += new - old


@njit(cache=True, nogil=True)
def _logistic_loss(A, y, w, raw, l2, prob, grad):
    """Mean log-loss plus the L2 term at weights `w` with `raw` = A w (A: features, then a column of ones).

    Fills `prob` (the logistic function of `raw`) and `grad`; one exp and one log1p a case.
    """
    n, m = A.shape
    total = 0.0
    for i in range(n):
        r = raw[i]
        e = np.exp(-abs(r))
        total += (max(r, 0.0) + np.log1p(e)) - y[i] * r  # log(1 + exp(r)) without overflow
        prob[i] = 1.0 / (1.0 + e) if r >= 0.0 else e / (1.0 + e)
    err = prob - y
    g = np.dot(err, A)
    penalty = 0.0
    for j in range(m):
        grad[j] = g[j] / n + l2[j] * w[j]
        penalty += l2[j] * w[j] * w[j]
    return total / n + 0.5 * penalty


@njit(cache=True, nogil=True)
def newton_logistic(X, y, penalty, tol, max_iter, armijo, backtrack, halvings, eps):
    """L2-penalised logistic regression by Newton steps with a Cholesky solve; (steps, weights then intercept).

    scikit-learn's `newton-cholesky` path for this problem (agents.fit_learner
    says which): its loss (mean log-loss plus penalty / (2 n) |w|^2, the
    intercept unpenalised), Newton steps from zero, its backtracking line
    search and its stopping rule. Steps is -1 when a step fails (a Hessian
    that is not positive definite, a line search without decrease, no
    convergence in `max_iter` steps); the caller then lets scikit-learn fit.
    """
    n, k = X.shape
    m = k + 1
    A = np.empty((n, m))
    A[:, :k] = X
    A[:, k] = 1.0
    l2 = np.full(m, penalty / n)
    l2[k] = 0.0  # the intercept is not penalised
    w, raw, prob, grad = np.zeros(m), np.zeros(n), np.empty(n), np.empty(m)
    w_new, raw_new, prob_new, grad_new = np.empty(m), np.empty(n), np.empty(n), np.empty(m)
    loss = _logistic_loss(A, y, w, raw, l2, prob, grad)
    for step in range(1, max_iter + 1):
        # Hessian: A' diag(p (1 - p)) A / n + diag(l2)
        H = np.dot(A.T * (prob * (1.0 - prob)), A)
        for a in range(m):
            for b in range(m):
                H[a, b] /= n
            H[a, a] += l2[a]
        # The Newton direction d = -H^-1 grad (LAPACK); a Hessian that is not positive definite fails the step
        try:
            np.linalg.cholesky(H)
        except Exception:  # numpy.linalg.LinAlgError
            return -1, w
        d = np.linalg.solve(H, -grad)
        slope = 0.0
        for a in range(m):
            slope += grad[a] * d[a]
        slope *= armijo
        raw_d = np.dot(A, d)
        t = 1.0
        accepted = False
        grad_sum = 0.0
        for a in range(m):
            grad_sum += abs(grad[a])
        for _ in range(halvings):
            for a in range(m):
                w_new[a] = w[a] + t * d[a]
            for i in range(n):
                raw_new[i] = raw[i] + t * raw_d[i]
            loss_new = _logistic_loss(A, y, w_new, raw_new, l2, prob_new, grad_new)
            better = loss_new - loss
            if better <= t * slope:
                accepted = True
                break
            if abs(better) <= abs(loss * eps):
                new_sum = 0.0
                for a in range(m):
                    new_sum += abs(grad_new[a])
                if new_sum < grad_sum:
                    accepted = True
                    break
            t *= backtrack
        if not accepted:
            return -1, w
        decrement = 0.0
        for a in range(m):
            row = 0.0
            for b in range(m):
                row += H[a, b] * d[b]
            decrement += d[a] * row
        w, w_new = w_new, w
        raw, raw_new = raw_new, raw
        prob, prob_new = prob_new, prob
        grad, grad_new = grad_new, grad
        loss = loss_new
        largest = 0.0
        for a in range(m):
            largest = max(largest, abs(grad[a]))
        if largest <= tol and 0.5 * decrement <= tol:
            return step, w
    return -1, w
