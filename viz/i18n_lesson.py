"""The lesson's texts, EN and NL: the page's words and the templates of the sentences the run writes.

Why here: `analysis.lesson.facts` computes what each sentence states (numbers, directions,
comparisons); this module only words it. A template names its values in braces: `{name}` is a
number written the reader's way (Dutch: 1.500 and 0,35), with the decimals in `DECIMALS`; `{name?a|b|c}`
picks a word by a direction value ('up' -> a, 'down' -> b, 'same' -> c), so a sentence says "falls"
when the run's trust falls. `render(sentence, lang)` is pure (no session), so the tests and the
walk-through read the same words the page shows. The page's own words merge into `viz.i18n`'s table
at import (the one import line at the end of viz/i18n.py).
"""

from __future__ import annotations

import re
from typing import Any

from fatal_remedies.analysis.formatting import number

TEXTS: dict[str, tuple[str, str]] = {
    "lesson_title": ("A fatal remedy, step by step", "Een fatale remedie, stap voor stap"),
    "lesson_step": ("Step {i} of {n}", "Stap {i} van {n}"),
    "lesson_teacher": ("Teacher's mode", "Lesmodus"),
    "lesson_teacher_hint": ("Large text, one chart at a time; ← and → move between steps.",
                            "Grote tekst, één grafiek tegelijk; ← en → gaan naar de vorige of volgende stap."),
    "lesson_run": ("Every sentence with a number, a direction or a comparison is written from this run: "
                   "{n} people, seed {seed}, the reversal scenario beside service.",
                   "Elke zin met een getal, een richting of een vergelijking komt uit deze run: {n} mensen, "
                   "seed {seed}, het scenario reversal naast dienstverlening."),
    "lesson_seed_passage": ("In the paper", "In het artikel"),
    "lesson_seed_ref": ("DIGEST.md, “{section}”, lines {lines}", "DIGEST.md, ‘{section}’, regels {lines}"),
    "lesson_dash_chart": ("What the dashboard showed each quarter", "Wat het dashboard elk kwartaal liet zien"),
    "lesson_found": ("fraud found per 1,000 receiving", "gevonden fraude per 1.000 uitkeringen"),
    "lesson_intensity": ("control intensity (0–1)", "controle-intensiteit (0–1)"),
    "lesson_tightened": ("tightened", "aangescherpt"),
    "lesson_chart_n": ("Chart {i} of {n}", "Grafiek {i} van {n}"),
    "lesson_chart_next": ("Next chart", "Volgende grafiek"),
}

STEP_TITLES: dict[str, tuple[str, str]] = {
    "meet": ("Meet a mantelzorger", "Maak kennis met een mantelzorger"),
    "flagged": ("A change she does not report; flagged", "Een wijziging die ze niet meldt; gesignaleerd"),
    "sanctioned": ("Sanctioned as a fraudster", "Gesanctioneerd als fraudeur"),
    "learns": ("The algorithm learns from its own verdict", "Het algoritme leert van zijn eigen oordeel"),
    "dashboard": ("The dashboard shows fraud found, and control tightens",
                  "Het dashboard toont gevonden fraude, en de controle wordt strenger"),
    "service": ("The same people under service", "Dezelfde mensen onder dienstverlening"),
    "reversal": ("Control switched off again", "De controle weer uitgezet"),
}

STEP_LOOK: dict[str, tuple[str, str]] = {
    "meet": ("Trust in the first year: everyone's average, carers', and hers.",
             "Vertrouwen in het eerste jaar: het gemiddelde, dat van mantelzorgers, en het hare."),
    "flagged": ("People selected for a fraud investigation each month, and how many of them did nothing on purpose.",
                "Mensen die per maand voor een fraudeonderzoek gekozen worden, en hoeveel van hen niets met opzet "
                "deden."),
    "sanctioned": ("Wrongful sanctions against all fraud sanctions; her trust against the averages.",
                   "Onterechte sancties tegenover alle fraudesancties; haar vertrouwen tegenover de gemiddelden."),
    "learns": ("The algorithm's weights after retraining, and how often carers are flagged compared with others "
               "(1 = as often).",
               "De gewichten van het algoritme na de training, en hoe vaak mantelzorgers gesignaleerd worden "
               "vergeleken met anderen (1 = even vaak)."),
    "dashboard": ("What the dashboard showed each quarter, and the control it answered with.",
                  "Wat het dashboard elk kwartaal liet zien, en de controle waarmee de gemeente antwoordde."),
    "service": ("Wrongful sanctions, trust and non-take-up in both runs over five years.",
                "Onterechte sancties, vertrouwen en niet-gebruik in beide runs over vijf jaar."),
    "reversal": ("Trust and non-take-up after the switch, beside a municipality that served from the start.",
                 "Vertrouwen en niet-gebruik na de overstap, naast een gemeente die vanaf het begin "
                 "dienstverlenend was."),
}

SEED_SECTIONS: dict[str, tuple[str, str]] = {
    # the names of the DIGEST.md passages each step illustrates (analysis.lesson.SEED_PASSAGES has the lines)
    "meet": ("Why it goes wrong: the label is not valid", "Waarom het misgaat: het label is niet valide"),
    "flagged": ("The setting: the duty to inform (inlichtingenplicht)", "De context: de inlichtingenplicht"),
    "sanctioned": ("Why it goes wrong: the label is not valid; norms broken",
                   "Waarom het misgaat: het label is niet valide; geschonden normen"),
    "learns": ("Predictive analytics; weak indicators", "Voorspellende analyses; zwakke indicatoren"),
    "dashboard": ("Dashboard; the mechanism the title names", "Dashboard; het mechanisme uit de titel"),
    "service": ("The alternative (dienstverlening); the clients' wishes",
                "Het alternatief (dienstverlening); de wensen van cliënten"),
    "reversal": ("The mechanism the title names; what the simulation must let people see",
                 "Het mechanisme uit de titel; wat de simulatie moet laten zien"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # 1. meet
    "meet_regime": (
        "Our municipality runs bijstand the control way (datasturing), starting modestly: a small data warehouse, "
        "random audits, short benefit stops, and a dashboard it steers on. Any irregularity counts as fraud.",
        "Onze gemeente voert de bijstand uit op de controlerende manier (datasturing), bescheiden om te beginnen: "
        "een klein datawarehouse, steekproefcontroles, korte stopzettingen, en een dashboard waarop ze stuurt. "
        "Elke onregelmatigheid telt als fraude."),
    "meet_who": (
        "Among {n} people is the one this lesson follows: a carer (mantelzorger) on bijstand, like the woman in "
        "the paper who cares for her mother with dementia.",
        "Onder {n} mensen is degene die deze les volgt: een mantelzorger in de bijstand, zoals de vrouw in het "
        "artikel die voor haar moeder met dementie zorgt."),
    "meet_rule": (
        "She was picked by a fixed rule: the first carer, there from the start, whose first wrongful sanction "
        "came in month {min} or later, before the switch, after a change she did not report.",
        "Ze is gekozen volgens een vaste regel: de eerste mantelzorger, vanaf het begin aanwezig, wier eerste "
        "onterechte sanctie in maand {min} of later kwam, vóór de overstap, na een wijziging die ze niet meldde."),
    "meet_fallback": (
        "No one fits the lesson's rule in this run (a carer, there from the start, wrongly sanctioned in month "
        "{min} or later after an unreported change); the lesson follows the first carer wrongly sanctioned.",
        "Niemand past in deze run bij de regel van de les (een mantelzorger, vanaf het begin aanwezig, onterecht "
        "gesanctioneerd in maand {min} of later na een niet gemelde wijziging); de les volgt de eerste "
        "mantelzorger die onterecht een sanctie kreeg."),
    "meet_none": (
        "In this run of {n} people no carer is wrongly sanctioned before month {switch}, so there is no story "
        "of one person to follow; the lesson shows the population.",
        "In deze run van {n} mensen krijgt geen mantelzorger vóór maand {switch} onterecht een sanctie; er is "
        "dus geen verhaal van één persoon te volgen, en de les toont de populatie."),
    "meet_trust": (
        "In month {month} her trust in the municipality is {her} (0 = none, 1 = full), "
        "{cmp?above|below|equal to} the average of {mean}.",
        "In maand {month} is haar vertrouwen in de gemeente {her} (0 = geen, 1 = volledig), "
        "{cmp?boven|onder|gelijk aan} het gemiddelde van {mean}."),
    # 2. flagged
    "flag_change": (
        "In month {month} her circumstances change and she does not report it, without intent: the duty to "
        "inform (inlichtingenplicht) asks her to.",
        "In maand {month} veranderen haar omstandigheden en ze meldt het niet, zonder opzet: de "
        "inlichtingenplicht vraagt het wel."),
    "flag_no_change": (
        "Her story shows no change she failed to report before month {month}.",
        "Haar verhaal toont vóór maand {month} geen wijziging die ze niet meldde."),
    "flag_her": (
        "In month {month} she is selected for a fraud investigation.",
        "In maand {month} wordt ze geselecteerd voor een fraudeonderzoek."),
    "flag_her_unseen": (
        "Her story does not show how she was selected before month {month}.",
        "Haar verhaal toont niet hoe ze vóór maand {month} geselecteerd werd."),
    "flag_false": (
        "In months 1–{month}, {false} of the {total} people selected for a fraud investigation had committed "
        "no intentional fraud ({share}%).",
        "In maand 1–{month} hadden {false} van de {total} mensen die voor een fraudeonderzoek geselecteerd "
        "werden geen opzettelijke fraude gepleegd ({share}%)."),
    # 3. sanctioned
    "sanction_her": (
        "In month {month} the investigation counts her error as fraud: under the all-or-nothing regime she is "
        "sanctioned as a fraudster.",
        "In maand {month} telt het onderzoek haar fout als fraude: onder het alles-of-niets-regime krijgt ze "
        "een sanctie als fraudeur."),
    "sanction_trust": (
        "Her trust goes from {before} in month {before_month} to {after} in month {month}: it "
        "{dir?rises|falls|does not change}.",
        "Haar vertrouwen gaat van {before} in maand {before_month} naar {after} in maand {month}: het "
        "{dir?stijgt|daalt|verandert niet}."),
    "sanction_count": (
        "Up to month {month}, {wrongful} of the {fraud} fraud sanctions fell on people without intent ({share}%).",
        "Tot en met maand {month} troffen {wrongful} van de {fraud} fraudesancties mensen zonder opzet "
        "({share}%)."),
    "sanction_carers": (
        "In month {month} carers' average trust is {carer}, {cmp?above|below|equal to} everyone's average of "
        "{mean}.",
        "In maand {month} is het gemiddelde vertrouwen van mantelzorgers {carer}, {cmp?boven|onder|gelijk aan} "
        "het gemiddelde van iedereen ({mean})."),
    # 4. the algorithm learns
    "learn_none": (
        "The fraud algorithm is not retrained between her sanction in month {month} and the switch in month "
        "{switch}, so in this run it does not learn from her case.",
        "Het fraudealgoritme wordt tussen haar sanctie in maand {month} en de overstap in maand {switch} niet "
        "opnieuw getraind; in deze run leert het dus niet van haar geval."),
    "learn_retrain": (
        "The fraud algorithm the municipality commissioned is in use from month {from}. In month {month} it is "
        "retrained on the cases it chose itself, labelled with what the investigations concluded, so "
        "wrongful sanctions like hers count as fraud.",
        "Het fraudealgoritme dat de gemeente liet bouwen is in gebruik vanaf maand {from}. In maand {month} "
        "wordt het opnieuw getraind op de gevallen die het zelf koos, met als label wat de onderzoeken "
        "concludeerden; onterechte sancties zoals de hare tellen dus als fraude."),
    "learn_weights": (
        "Its weights after retraining (above 0 ranks a person higher, below 0 lower): being a carer "
        "{w_carer}, a language barrier {w_language_barrier}, meetings with the caseworker {w_meetings_last_year}.",
        "Zijn gewichten na de training (boven 0 zet iemand hoger, onder 0 lager): mantelzorger zijn "
        "{w_carer}, een taalbarrière {w_language_barrier}, gesprekken met de klantmanager "
        "{w_meetings_last_year}."),
    "learn_top": (
        "The heaviest feature is {feature} ({weight}).",
        "Het zwaarste kenmerk is {feature} ({weight})."),
    "learn_ratio": (
        "By month {month} carers have been selected {ratio} times as often as others (1 = as often): "
        "{cmp?more|less|as} often.",
        "Tot en met maand {month} zijn mantelzorgers {ratio} keer zo vaak geselecteerd als anderen "
        "(1 = even vaak): {cmp?vaker|minder vaak|even vaak}."),
    # 5. the dashboard
    "dash_her": (
        "Her sanction in month {sanction} counts as fraud found: in month {month} the dashboard reads {found} "
        "fraud cases found per 1,000 people receiving for months {first}–{last}.",
        "Haar sanctie in maand {sanction} telt als gevonden fraude: in maand {month} toont het dashboard "
        "{found} gevonden fraudegevallen per 1.000 uitkeringen over maand {first}–{last}."),
    "dash_tightened": (
        "In months 1–{last} the municipality read its dashboard {reads} times, against a tolerance of "
        "{tolerance} fraud cases found per 1,000; after {tightened} of them it tightened control (more "
        "information demanded, more investigations, longer benefit stops or more warehouse linkage).",
        "In maand 1–{last} las de gemeente haar dashboard {reads} keer, tegen een tolerantie van {tolerance} "
        "gevonden fraudegevallen per 1.000; na {tightened} daarvan scherpte ze de controle aan (meer gevraagde "
        "informatie, meer onderzoeken, langere stopzettingen of meer koppeling in het datawarehouse)."),
    "dash_when": (
        "It tightened after the readings of months {ranges}.",
        "Ze scherpte aan na de metingen van maand {ranges}."),
    "dash_trend": (
        "Fraud found per 1,000 averaged {first} in the first year and {last} in months {from}–{to}: the "
        "dashboard shows {dir?more|less|as much} fraud found.",
        "Gevonden fraude per 1.000 was gemiddeld {first} in het eerste jaar en {last} in maand {from}–{to}: "
        "het dashboard toont {dir?meer|minder|evenveel} gevonden fraude."),
    "dash_levers": (
        "By month {last}: information demanded {information_burden_start} → {information_burden_end} (0–1), "
        "investigations {investigation_capacity_start}% → {investigation_capacity_end}% of people a month, "
        "benefit stop {sanction_months_start} → {sanction_months_end} months, warehouse linkage "
        "{warehouse_linkage_start} → {warehouse_linkage_end} (0–1).",
        "Tot en met maand {last}: gevraagde informatie {information_burden_start} → {information_burden_end} "
        "(0–1), onderzoeken {investigation_capacity_start}% → {investigation_capacity_end}% van de mensen per "
        "maand, stopzetting {sanction_months_start} → {sanction_months_end} maanden, koppeling datawarehouse "
        "{warehouse_linkage_start} → {warehouse_linkage_end} (0–1)."),
    "dash_algorithm": (
        "The fraud-risk algorithm it commissioned is in use from month {month}.",
        "Het fraudealgoritme dat ze liet bouwen is in gebruik vanaf maand {month}."),
    "dash_no_algorithm": (
        "By month {last} it has no fraud-risk algorithm in use.",
        "Tot en met maand {last} gebruikt ze geen fraudealgoritme."),
    "dash_blind": (
        "Of the {fraud} fraud sanctions its dashboard counted in months 1–{last}, {wrongful} fell on people "
        "without intent ({share}%): the dashboard counts them all as fraud found.",
        "Van de {fraud} fraudesancties die haar dashboard in maand 1–{last} telde, troffen {wrongful} mensen "
        "zonder opzet ({share}%): het dashboard telt ze allemaal als gevonden fraude."),
    "dash_loop": (
        "The loop closes: the control tightened and the dashboard shows more fraud found.",
        "De cirkel sluit: de controle werd strenger en het dashboard toont meer gevonden fraude."),
    "dash_no_loop": (
        "In this run the loop does not close: the dashboard does not show more fraud found after the control "
        "tightened, or the control was not tightened.",
        "In deze run sluit de cirkel niet: het dashboard toont na het aanscherpen niet meer gevonden fraude, of "
        "de controle werd niet aangescherpt."),
    # 6. service
    "serv_regime": (
        "Now the same people, with the same seed, under service (dienstverlening): a vaste klantmanager, a "
        "cliëntenraad with access to data, a low information burden, error is not fraud, and data used to see "
        "who needs support.",
        "Nu dezelfde mensen, met dezelfde seed, onder dienstverlening: een vaste klantmanager, een cliëntenraad "
        "met toegang tot data, een lage informatielast, een fout is geen fraude, en data gebruikt om te zien wie "
        "steun nodig heeft."),
    "serv_wrongful": (
        "Months 1–{last}: {control} wrongful sanctions under control, {service} under service; "
        "{cmp?more|fewer|as many} under service.",
        "Maand 1–{last}: {control} onterechte sancties onder controle, {service} onder dienstverlening; "
        "{cmp?meer|minder|evenveel} onder dienstverlening."),
    "serv_trust": (
        "Average trust in month {last}: {control} under control, {service} under service; "
        "{cmp?higher|lower|the same} under service.",
        "Gemiddeld vertrouwen in maand {last}: {control} onder controle, {service} onder dienstverlening; "
        "{cmp?hoger|lager|gelijk} onder dienstverlening."),
    "serv_ntu": (
        "Non-take-up (entitled but not receiving) in month {last}: {control}% under control, {service}% under "
        "service; {cmp?more|fewer|as many} people miss out under service.",
        "Niet-gebruik (recht maar geen uitkering) in maand {last}: {control}% onder controle, {service}% onder "
        "dienstverlening; {cmp?meer|minder|evenveel} mensen lopen het mis onder dienstverlening."),
    "serv_her_sanctioned": (
        "Under service she is wrongly sanctioned too, in month {month}.",
        "Onder dienstverlening krijgt ook zij onterecht een sanctie, in maand {month}."),
    "serv_her_spared": (
        "Under service she is not wrongly sanctioned in months 1–{last}.",
        "Onder dienstverlening krijgt ze in maand 1–{last} geen onterechte sanctie."),
    "serv_her_gone": (
        "Under service someone else holds her place in the run, so her story there is not shown.",
        "Onder dienstverlening neemt iemand anders haar plaats in de run in; haar verhaal daar wordt niet getoond."),
    # 7. switching back
    "rev_control_trust": (
        "Under control, average trust went from {first} in month 1 to {last_value} in month {last}: it "
        "{dir?rose|fell|did not change}.",
        "Onder controle ging het gemiddelde vertrouwen van {first} in maand 1 naar {last_value} in maand "
        "{last}: het {dir?steeg|daalde|veranderde niet}."),
    "rev_sanctions": (
        "In month {switch} the municipality switches to service. Wrongful sanctions: {before} in the {months} "
        "months before, {after} in the {months} months after; {dir?more|fewer|as many}.",
        "In maand {switch} stapt de gemeente over op dienstverlening. Onterechte sancties: {before} in de "
        "{months} maanden ervoor, {after} in de {months} maanden erna; {dir?meer|minder|evenveel}."),
    "rev_stop": (
        "Wrongful sanctions stop after the switch.",
        "Na de overstap stoppen de onterechte sancties."),
    "rev_go_on": (
        "They do not stop at once: {after} in the first {months} months of service.",
        "Ze stoppen niet meteen: {after} in de eerste {months} maanden dienstverlening."),
    "rev_trust": (
        "Average trust {dir?rises|falls|does not change} from {before} before the switch to {after} in month "
        "{end}.",
        "Het gemiddelde vertrouwen {dir?stijgt|daalt|verandert niet} van {before} vóór de overstap naar {after} "
        "in maand {end}."),
    "rev_catch": (
        "It takes {after} months, to month {month}, to reach the level service had reached by month {last} "
        "({level}).",
        "Het duurt {after} maanden, tot maand {month}, om het niveau te halen dat dienstverlening in maand "
        "{last} had ({level})."),
    "rev_no_catch": (
        "By month {end} it has not reached the level service had reached by month {last} ({level}).",
        "In maand {end} heeft het nog niet het niveau gehaald dat dienstverlening in maand {last} had ({level})."),
    "rev_gap": (
        "In month {end} the municipality that served from the start is at {service}; the one that switched is "
        "at {reversal}, {cmp?higher|lower|the same}.",
        "In maand {end} staat de gemeente die vanaf het begin dienstverlenend was op {service}; de gemeente die "
        "overstapte op {reversal}, {cmp?hoger|lager|gelijk}."),
    "rev_ntu": (
        "Non-take-up goes from {before}% in month {last} to {after}% in month {end} "
        "({dir?up|down|unchanged}); under service from the start it is {service}%.",
        "Niet-gebruik gaat van {before}% in maand {last} naar {after}% in maand {end} "
        "({dir?hoger|lager|gelijk}); bij dienstverlening vanaf het begin is het {service}%."),
    "rev_not_reached": (
        "The switch in month {switch} lies beyond this run's last month ({end}).",
        "De overstap in maand {switch} ligt na de laatste maand van deze run ({end})."),
}

DECIMALS: dict[str, int] = {
    # decimals of each value name, as analysis.lesson states it (names not listed are whole numbers)
    **{k: 3 for k in ("her", "mean", "before", "after", "carer", "level", "reversal", "service", "control",
                      "first", "last_value")},
    **{k: 2 for k in ("w_carer", "w_language_barrier", "w_meetings_last_year", "weight", "ratio", "found",
                      "tolerance", "information_burden_start", "information_burden_end",
                      "investigation_capacity_start", "investigation_capacity_end", "warehouse_linkage_start",
                      "warehouse_linkage_end")},
    "share": 1,
}
DECIMALS_BY_SENTENCE: dict[str, dict[str, int]] = {
    # where a name means a count or a share in one sentence and a trust in another
    "flag_false": {}, "sanction_count": {}, "dash_blind": {}, "rev_go_on": {"after": 0},
    "serv_wrongful": {"control": 0, "service": 0}, "rev_sanctions": {"before": 0, "after": 0},
    "serv_ntu": {"control": 1, "service": 1}, "rev_ntu": {"before": 1, "after": 1, "service": 1},
    "dash_trend": {"first": 2, "last": 2}, "rev_catch": {"after": 0}, "dash_her": {"first": 0, "last": 0},
}
SIGNED = {"w_carer", "w_language_barrier", "w_meetings_last_year", "weight"}

_FEATURES = {
    "linkage_mismatch": ("a mismatch in the warehouse", "een afwijking in het datawarehouse"),
    "zrm_recorded_mean": ("the recorded self-sufficiency score", "de vastgelegde zelfredzaamheidsscore"),
    "zrm_blank_share": ("blank self-sufficiency domains", "lege zelfredzaamheidsdomeinen"),
    "meetings_last_year": ("meetings with the caseworker", "gesprekken met de klantmanager"),
    "language_barrier": ("a language barrier", "een taalbarrière"),
    "carer": ("being a carer", "mantelzorger zijn"),
    "single_parent": ("being a single parent", "alleenstaande ouder zijn"),
    "age_band": ("age", "leeftijd"),
    "variable_income": ("a variable income", "een wisselend inkomen"),
    "months_on_benefit": ("months on benefit", "maanden in de uitkering"),
    "past_findings": ("past findings", "eerdere bevindingen"),
}

_PLACE = re.compile(r"\{(\w+)(?:\?([^}|]*)\|([^}|]*)\|([^}|]*))?\}")


def render(key: str, values: dict[str, Any], lang: str = "en") -> str:
    """The sentence `key` in `lang`, filled with `values` (pure: the tests and the walk-through use it too)."""
    text = SENTENCES[key][1 if lang == "nl" else 0]
    own = DECIMALS_BY_SENTENCE.get(key, {})

    def fill(m: re.Match) -> str:
        name = m.group(1)
        v = values.get(name)
        if m.group(2) is not None:
            return {"up": m.group(2), "down": m.group(3), "same": m.group(4)}[v]
        if name == "ranges":  # runs of quarters: "3–12 (each quarter), 18"
            every = " (each quarter)" if lang != "nl" else " (elk kwartaal)"
            return ", ".join(f"{a}" if a == b else f"{a}–{b}{every}" for a, b in v)
        if name == "feature":
            return _FEATURES.get(v, (str(v), str(v)))[1 if lang == "nl" else 0]
        dec = own.get(name, DECIMALS.get(name, 0))
        return number(v, lang, decimals=dec, signed=name in SIGNED, missing="–")

    return _PLACE.sub(fill, text)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "nl" else pair[0]


def _merge() -> None:
    """Add the page's words to viz.i18n's table (the lesson keys there are replaced by these)."""
    from . import i18n

    i18n._T.update(TEXTS)


_merge()
