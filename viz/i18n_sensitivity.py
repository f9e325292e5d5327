"""Texts of the Sensitivity page: verdicts, index charts, flip boxes, the Pareto front and the screening.

`viz/i18n.py` imports this module once at its end, which adds `TEXTS` to its table `_T`, so
`i18n.t(key)` finds them and the tests that check every text (both languages, no code
names) check these too. Placeholders have no underscore in their names: a test reads the raw
texts and would take `{share_better}` for a code name on screen.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "sv_intro": (
        "Results of sensitivity sweeps: many runs with the uncertain assumptions varied, to see whether a "
        "verdict holds whatever they are, and which of them move an outcome most. Sweeps are made on the "
        "command line (fatal-remedies sweep, analyze, discover, optimize) or, small, here below; this page "
        "draws what the analysis computed.",
        "Resultaten van gevoeligheidsanalyses: veel runs waarin de onzekere aannames variëren, om te zien of "
        "een oordeel standhoudt wat ze ook zijn, en welke een uitkomst het meest bewegen. Ze worden gemaakt op "
        "de opdrachtregel (fatal-remedies sweep, analyze, discover, optimize) of, klein, hieronder; deze pagina "
        "tekent wat de analyse berekende."),
    "sv_pick": ("Results", "Resultaten"),
    "sv_session_dir": ("your screening of {time}", "uw screening van {time}"),
    # ---- verdict ------------------------------------------------------------------------------
    "sv_verdict_head": ("Verdict: which scenario does better, and how sure is that?",
                        "Oordeel: welk scenario doet het beter, en hoe zeker is dat?"),
    "sv_verdict": ("{versus} better than {scenario} on {label} in {pct} of the uncertainty space "
                   "(95% interval {lo}–{hi})",
                   "{versus} beter dan {scenario} op {label} in {pct} van de onzekerheidsruimte "
                   "(95%-interval {lo}–{hi})"),
    "sv_more_verdicts": ("{n} more outcomes", "nog {n} uitkomsten"),
    "sv_verdict_mean": ("; on average {diff} {unit}", "; gemiddeld {diff} {unit}"),
    "sv_verdict_ties": ("; {n} of the points show no difference (counted as not better)",
                        "; {n} van de punten tonen geen verschil (geteld als niet beter)"),
    "sv_verdict_note": (
        "Each line counts the sampled combinations of the uncertain assumptions ({n} independent points) in "
        "which the second scenario came out better on that outcome, with the same people and the same luck "
        "in both; the interval says how precisely that share is known from this many points.",
        "Elke regel telt de onderzochte combinaties van de onzekere aannames ({n} onafhankelijke punten) "
        "waarin het tweede scenario beter uitkwam op die uitkomst, met dezelfde mensen en hetzelfde toeval in "
        "beide; het interval zegt hoe precies dat aandeel bekend is uit zoveel punten."),
    # ---- outcomes and indices -----------------------------------------------------------------
    "sv_outcome": ("Outcome", "Uitkomst"),
    "sv_difference": ("difference {versus} − {scenario} in {label}", "verschil {versus} − {scenario} in {label}"),
    "sv_under": ("{label} under {versus}", "{label} bij {versus}"),
    "sv_indices_head": ("Which assumptions move it most", "Welke aannames het meest bewegen"),
    "sv_bars_note": (
        "Longest bar first. The thin line on each bar is its 95% confidence interval (for PAWN: the range over "
        "the slices it compares); an interval that reaches zero means the sweep cannot tell that assumption's "
        "effect from none.",
        "Langste balk eerst. Het dunne lijntje op elke balk is het 95%-betrouwbaarheidsinterval (bij PAWN: "
        "het bereik over de vergeleken plakken); een interval dat tot nul reikt betekent dat de analyse het "
        "effect van die aanname niet van geen effect kan onderscheiden."),
    "sv_idx_mu_star": ("Morris screening: mean absolute effect μ* of each assumption",
                       "Morris-screening: gemiddeld absoluut effect μ* van elke aanname"),
    "sv_idx_ST": ("Sobol total index ST: share of the variation it explains, with its interactions",
                  "Sobol totale index ST: deel van de variatie dat ze verklaart, met haar wisselwerkingen"),
    "sv_idx_S1": ("Sobol first-order index S1: share of the variation it explains alone",
                  "Sobol eerste-orde-index S1: deel van de variatie dat ze alleen verklaart"),
    "sv_idx_pawn": ("PAWN index: how much the outcome's distribution shifts (median over slices, 0-1)",
                    "PAWN-index: hoeveel de verdeling van de uitkomst verschuift (mediaan over plakken, 0-1)"),
    "sv_idx_delta": ("Delta index: how much the outcome's distribution depends on it (0-1)",
                     "Delta-index: hoeveel de verdeling van de uitkomst ervan afhangt (0-1)"),
    "sv_axis_share": ("share of variance (0-1)", "deel van de variantie (0-1)"),
    "sv_axis_index": ("index (0-1)", "index (0-1)"),
    "sv_axis_mu": ("μ* ({unit})", "μ* ({unit})"),
    "sv_interval": ("95% interval", "95%-interval"),
    "sv_range": ("range", "bereik"),
    "sv_value": ("value", "waarde"),
    "sv_numbers": ("The numbers in the charts", "De getallen in de grafieken"),
    "sv_more": ("More from the analysis (plots and tables)", "Meer uit de analyse (grafieken en tabellen)"),
    # ---- flip boxes ---------------------------------------------------------------------------
    "sv_boxes_head": ("Where the verdict flips", "Waar het oordeel omslaat"),
    "sv_boxes_note": (
        "Scenario discovery (PRIM) looks for a simple region of the assumptions where a condition holds. "
        "Coverage: the share of all points where it holds that lie in the region; density: the share of the "
        "points in the region where it holds.",
        "Scenario-ontdekking (PRIM) zoekt een eenvoudig gebied van de aannames waar een voorwaarde geldt. "
        "Dekking: het deel van alle punten waar ze geldt dat in het gebied ligt; dichtheid: het deel van de "
        "punten in het gebied waar ze geldt."),
    "sv_stops": ("{versus} stops beating {scenario} on {label}", "{versus} is niet meer beter dan {scenario} op {label}"),
    "sv_beats": ("{versus} beats {scenario} on {label}", "{versus} is beter dan {scenario} op {label}"),
    "sv_cond": ("{label} {op} {value}", "{label} {op} {value}"),
    "sv_op_gt": ("is above", "is boven"), "sv_op_ge": ("is at least", "is minstens"),
    "sv_op_lt": ("is below", "is onder"), "sv_op_le": ("is at most", "is hoogstens"),
    "sv_op_eq": ("equals", "is gelijk aan"), "sv_op_ne": ("differs from", "verschilt van"),
    "sv_box": ("{what} when {where}", "{what} als {where}"),
    "sv_between": ("{param} is between {lo} and {hi} {unit}", "{param} tussen {lo} en {hi} {unit} ligt"),
    "sv_and": (" and ", " en "),
    "sv_box_quality": (
        "This region holds {coverage} of the points where it happens (coverage), and it happens in {density} "
        "of the points inside it (density).",
        "Dit gebied bevat {coverage} van de punten waar het gebeurt (dekking), en het gebeurt in {density} "
        "van de punten erin (dichtheid)."),
    "sv_box_none": ("{what}: no region found.", "{what}: geen gebied gevonden."),
    # ---- the Pareto front ---------------------------------------------------------------------
    "sv_pareto_head": ("Robust policies: the best trade-offs found", "Robuust beleid: de beste afwegingen gevonden"),
    "sv_pareto_note": (
        "Each point is a mix of policy levers that no other mix found beats on every objective at once, each "
        "objective taken as the {robustness} over {k} samples of the uncertain assumptions. Click a point, or "
        "a row's link, to open its settings in Explore.",
        "Elk punt is een mix van beleidshefbomen die door geen andere gevonden mix op alle doelen tegelijk "
        "wordt verslagen, elk doel genomen als {robustness} over {k} steekproeven van de onzekere aannames. "
        "Klik op een punt, of op de link van een rij, om de instellingen in Verkennen te openen."),
    "sv_rob_mean": ("mean", "gemiddelde"),
    "sv_rob_p90": ("90th percentile (a bad case)", "90e percentiel (een slecht geval)"),
    "sv_rob_regret": ("largest regret", "grootste spijt"),
    "sv_x": ("Horizontal axis", "Horizontale as"),
    "sv_y": ("Vertical axis", "Verticale as"),
    "sv_lower": ("lower is better", "lager is beter"),
    "sv_higher": ("higher is better", "hoger is beter"),
    "sv_policy": ("policy {n}", "beleid {n}"),
    "sv_open": ("open in Explore", "open in Verkennen"),
    "sv_pareto_title": ("{n} policies on the front", "{n} beleidsmixen op het front"),
    # ---- the screening ------------------------------------------------------------------------
    "sv_screen_head": ("How sure are we? Run a small screening", "Hoe zeker zijn we? Draai een kleine screening"),
    "sv_screen_note": (
        "Runs both scenarios with the same people and the same luck at each of a few dozen combinations of the "
        "uncertain assumptions you choose (Morris screening), then shows the verdict and which assumption "
        "matters most. It runs beside the app, at a lower priority; its results stay only while this page is "
        "open.",
        "Draait beide scenario's met dezelfde mensen en hetzelfde toeval in elk van enkele tientallen "
        "combinaties van de onzekere aannames die u kiest (Morris-screening), en toont dan het oordeel en welke "
        "aanname het meest uitmaakt. Het draait naast de app, met lagere voorrang; de resultaten blijven alleen "
        "zolang deze pagina open is."),
    "sv_screen_single": (
        "Runs the first scenario at each of a few dozen combinations of the uncertain assumptions you choose "
        "(Morris screening), then shows which assumption matters most. It runs beside the app, at a lower "
        "priority; its results stay only while this page is open.",
        "Draait het eerste scenario in elk van enkele tientallen combinaties van de onzekere aannames die u "
        "kiest (Morris-screening), en toont dan welke aanname het meest uitmaakt. Het draait naast de app, met "
        "lagere voorrang; de resultaten blijven alleen zolang deze pagina open is."),
    "sv_scenario": ("Scenario", "Scenario"),
    "sv_versus": ("against", "tegen"),
    "sv_uncertainties": ("Uncertain assumptions to vary", "Onzekere aannames om te variëren"),
    "sv_trajectories": ("Trajectories", "Trajecten"),
    "sv_reps": ("Replications", "Herhalingen"),
    "sv_people": ("People", "Personen"),
    "sv_months": ("Months", "Maanden"),
    "sv_runs": ("{n} model runs", "{n} modelruns"),
    "sv_start": ("Start screening", "Start screening"),
    "sv_cancel": ("Cancel", "Annuleren"),
    "sv_progress": ("{done} of {total} runs", "{done} van {total} runs"),
    "sv_starting": ("starting…", "wordt gestart…"),
    "sv_analysing": ("analysing…", "wordt geanalyseerd…"),
    "sv_cancelled": ("Screening cancelled.", "Screening geannuleerd."),
    "sv_failed": ("The screening failed: {error}", "De screening is mislukt: {error}"),
    "sv_too_few": ("choose at least {n} uncertain assumptions", "kies minstens {n} onzekere aannames"),
    "sv_too_many": ("that would be {n} runs; at most {max} here (use the command line for more)",
                    "dat zijn {n} runs; hier hoogstens {max} (gebruik de opdrachtregel voor meer)"),
    "sv_same": ("choose two different scenarios", "kies twee verschillende scenario's"),
}


def _merge() -> None:
    """Add these texts to the app's table (called once, when `viz.i18n` imports this module at its end)."""
    from . import i18n

    clash = set(TEXTS) & set(i18n._T)
    if clash:
        raise RuntimeError(f"viz.i18n_sensitivity repeats keys of viz.i18n: {sorted(clash)}")
    i18n._T.update(TEXTS)


_merge()
