"""The metric registry: every output metric of the model, once.

Beside the parameter registry (`model/params.py`) this table says, for each
figure the project reports, its name, unit, how it aggregates over a run,
which direction is better, and its English and Dutch label and one-line
meaning. The monthly columns of the model, the run summaries (`compare`,
sweeps), the scorecard indicators, the validation targets, the sensitivity
plots' units and the browser app's labels all read it, so a label, a unit or
a definition changes in one place only, and a mistyped name fails loudly
(`get`) instead of becoming a column of NaN.

Four kinds of metric:

* MONTHLY: a column of the model's monthly metrics frame, in the frame's order
  (`monthly_columns()`).
* SUMMARY: one number per run, derived from the monthly columns by the
  metric's aggregation (`summary_metrics()`, the keys of
  `analysis.summary.SUMMARY_METRICS`). A monthly column that is already
  cumulative (the group rate ratios, adopted council issues) is its own run
  summary: its aggregation is LAST and it is listed in both.
* SCORECARD: a FAIR / FACT / ROBUST / SHARED indicator (`analysis.scorecard`);
  the simple ones aggregate like summaries, the others are computed there.
* TARGET: a figure only the calibration targets use (`analysis.targets`).

Pure data and small look-ups: this module is the model's floor and imports
nothing from analysis or viz.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UserError, lookup

# ---- kinds, aggregations, directions ------------------------------------------------------
MONTHLY = "monthly"
SUMMARY = "summary"
SCORECARD = "scorecard"
TARGET = "target"

SUM = "sum"
"""Sum over all months of `source` (a flow)."""
LAST = "last"
"""Value of `source` in the last month (a stock, a share, or a cumulative figure)."""
MEAN = "mean"
"""Mean over the months of `source`."""
RATIO = "ratio"
"""Ratio of sums over the run: scale * (sum(numerator) - sum(minus)) / sum(denominator)."""
CUSTOM = "custom"
"""Computed by a function of its own (named where the metric is computed)."""
AGGREGATIONS = (SUM, LAST, MEAN, RATIO, CUSTOM)

HIGHER = "higher"
LOWER = "lower"
CLOSER_TO_1 = "closer to 1"
"""For a rate ratio between a group and everyone else: 1 is parity."""
NONE = "none"
"""Neither direction is better (a size, a setting, a figure to compare with a source)."""
DIRECTIONS = (HIGHER, LOWER, CLOSER_TO_1, NONE)

# ---- units (English as used in the tables, Dutch for the app) --------------------------
UNITS_NL: dict[str, str] = {
    "month": "maand",
    "people": "personen",
    "count": "aantal",
    "EUR": "EUR",
    "share": "aandeel",
    "0-1": "0-1",
    "difference on 0-1": "verschil op 0-1",
    "ratio": "verhouding",
    "ZRM score 1-5": "ZRM-score 1-5",
    "hours": "uren",
    "issues": "punten",
    "on/off": "aan/uit",
    "per 100 per year": "per 100 per jaar",
    "per 1,000": "per 1.000",
    "per 1,000 per year": "per 1.000 per jaar",
    "per person receiving": "per ontvanger",
    "per year": "per jaar",
}
"""Every unit a metric may have, with its Dutch name (a test checks each metric's unit is here)."""

NON_NEGATIVE_UNITS = frozenset({"people", "count", "hours", "issues", "EUR", "ratio", "per 100 per year",
                                "per 1,000", "per 1,000 per year", "per person receiving", "per year"})
"""Registry units of counts, amounts, rates and rate ratios: a value below 0 is impossible."""
SHARE_UNITS = frozenset({"share", "0-1"})
"""Registry units of shares and of scores on a 0-1 scale (trust, hardship): a value outside 0-1 is
impossible. The scorecard's gaps between two such scores have the unit "difference on 0-1": they
may be negative."""

# ---- the audited groups -------------------------------------------------------------------
GROUPS: tuple[str, ...] = ("language", "single_parent", "carer")
"""The groups whose rates the model audits (column suffixes, in this order)."""

GROUP_LABELS: dict[str, tuple[str, str]] = {
    "language": ("language barrier", "taalbarrière"),
    "single_parent": ("single parent", "alleenstaande ouder"),
    "carer": ("carer (mantelzorger)", "mantelzorger"),
}
"""Short English and Dutch name of each audited group (legends, table rows)."""

# how the meanings name a group and everyone else: (en group, en others, nl group, nl others)
_GROUP_PHRASE = {
    "language": ("with a language barrier", "without", "met een taalbarrière", "zonder"),
    "single_parent": ("of single parents", "others", "van alleenstaande ouders", "anderen"),
    "carer": ("of mantelzorgers", "others", "van mantelzorgers", "anderen"),
}


class MetricError(UserError):
    """A metric name a user (or a caller) gave is not in the registry."""


@dataclass(frozen=True)
class Metric:
    """One output metric.

    Attributes:
        name: Identifier (column name, summary key, indicator key).
        unit: Unit of the value, one of UNITS_NL.
        aggregation: How it is made from the monthly columns over a run
            (SUM, LAST, MEAN, RATIO, CUSTOM); for a monthly column, how it
            aggregates into a run figure.
        better: HIGHER, LOWER, CLOSER_TO_1 or NONE.
        label_en, label_nl: Short label for a table row, a legend or an axis.
        meaning_en, meaning_nl: One line a policymaker understands.
        kind: MONTHLY, SUMMARY, SCORECARD or TARGET.
        source: Monthly column a SUM/LAST/MEAN metric aggregates (itself for
            a monthly column).
        numerator, minus, denominator, scale: A RATIO metric's definition,
            scale * (sum(numerator) - sum(minus)) / sum(denominator); NaN when
            the denominator is 0.
        undefined_when: When the value is NaN ("" = never).
        norm: FAIR, FACT, ROBUST or SHARED for a scorecard indicator.
    """

    name: str
    unit: str
    aggregation: str
    better: str
    label_en: str
    label_nl: str
    meaning_en: str
    meaning_nl: str
    kind: str = MONTHLY
    source: str = ""
    numerator: str = ""
    minus: str = ""
    denominator: str = ""
    scale: float = 1.0
    undefined_when: str = ""
    norm: str = ""

    def label(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label_en

    def meaning(self, lang: str = "en") -> str:
        return self.meaning_nl if lang == "nl" else self.meaning_en

    def unit_text(self, lang: str = "en") -> str:
        return UNITS_NL.get(self.unit, self.unit) if lang == "nl" else self.unit

    @property
    def columns(self) -> tuple[str, ...]:
        """The monthly columns this metric is computed from (empty for CUSTOM)."""
        if self.aggregation == RATIO:
            return tuple(c for c in (self.numerator, self.minus, self.denominator) if c)
        if self.aggregation in (SUM, LAST, MEAN):
            return (self.source,)
        return ()


def _m(name, unit, agg, better, label_en, label_nl, meaning_en, meaning_nl, **kw) -> Metric:
    """A monthly column (its own source)."""
    return Metric(name, unit, agg, better, label_en, label_nl, meaning_en, meaning_nl,
                  kind=MONTHLY, source=name, **kw)


_NOBODY = "nobody is eligible (everyone is in work)"
_EMPTY = "the group has nobody eligible"
_RATIO_NAN = ("the group or everyone else has had nobody receiving, or everyone else has had "
              "no such event")


def _group_ratios(stem: str, what_en: str, what_nl: str, label_en: str, label_nl: str) -> list[Metric]:
    out = []
    for g in GROUPS:
        of, others, of_nl, others_nl = _GROUP_PHRASE[g]
        gl_en, gl_nl = GROUP_LABELS[g]
        out.append(_m(
            f"{stem}_ratio_{g}", "ratio", LAST, CLOSER_TO_1,
            f"{label_en}, {gl_en}", f"{label_nl}, {gl_nl}",
            f"{what_en} {of} / {others} (whole run)",
            f"{what_nl} {of_nl} / {others_nl} (hele run)",
            undefined_when=_RATIO_NAN))
    return out


def _group_means(stem: str, better: str, label_en: str, label_nl: str, what_en: str,
                 what_nl: str) -> list[Metric]:
    out = []
    for g in GROUPS:
        of, _, of_nl, _ = _GROUP_PHRASE[g]
        gl_en, gl_nl = GROUP_LABELS[g]
        out.append(_m(f"{stem}_{g}", "0-1", LAST, better, f"{label_en}, {gl_en}", f"{label_nl}, {gl_nl}",
                      f"{what_en} of eligible people {of}, this month (0-1)",
                      f"{what_nl} van rechthebbenden {of_nl}, deze maand (0-1)",
                      undefined_when=_EMPTY))
    return out


_MONTHLY: list[Metric] = [
    _m("month", "month", LAST, NONE, "month", "maand", "month of the run, 1 to M",
       "maand van de run, 1 tot M"),
    _m("receiving", "people", LAST, NONE, "receiving bijstand", "ontvangt bijstand",
       "people receiving bijstand at the end of the month", "personen die aan het eind van de maand bijstand ontvangen"),
    _m("in_work", "people", LAST, HIGHER, "in work", "aan het werk",
       "people back in paid work at the end of the month", "personen die aan het eind van de maand betaald werk hebben"),
    _m("non_take_up_count", "people", LAST, LOWER, "not taking up", "geen gebruik",
       "eligible people not receiving (gave up or never applied) at the end of the month",
       "rechthebbenden zonder uitkering (afgehaakt of nooit aangevraagd) aan het eind van de maand"),
    _m("sanctioned", "people", LAST, NONE, "benefit stopped", "uitkering gestopt",
       "people whose benefit is stopped by a fraud sanction at the end of the month",
       "personen van wie de uitkering door een fraudesanctie is gestopt aan het eind van de maand"),
    _m("eligible", "people", LAST, NONE, "eligible", "rechthebbend",
       "people not in work (eligible for bijstand) at the end of the month",
       "personen zonder werk (recht op bijstand) aan het eind van de maand"),
    _m("fraud_flags", "count", SUM, NONE, "fraud flags", "fraudesignaleringen",
       "people selected for a fraud investigation this month, by any route",
       "personen die deze maand langs welke weg ook voor een fraudeonderzoek zijn geselecteerd"),
    _m("false_fraud_flags", "count", SUM, LOWER, "false fraud flags (no intent)",
       "valse fraudesignaleringen (geen opzet)",
       "people selected for a fraud investigation this month who committed no intentional fraud",
       "personen die deze maand voor een fraudeonderzoek zijn geselecteerd zonder opzettelijke fraude"),
    _m("flags_signal", "count", SUM, NONE, "flags: caseworker signal", "signalering: klantmanager",
       "fraud flags this month from a caseworker's signal after a meeting",
       "fraudesignaleringen deze maand door een klantmanager na een gesprek"),
    _m("flags_tip", "count", SUM, NONE, "flags: tip", "signalering: tip",
       "fraud flags this month from a tip", "fraudesignaleringen deze maand na een tip"),
    _m("flags_algorithm", "count", SUM, NONE, "flags: risk algorithm", "signalering: risicoalgoritme",
       "fraud flags this month from the fraud-risk algorithm's ranking",
       "fraudesignaleringen deze maand uit de rangorde van het risicoalgoritme"),
    _m("flags_warehouse", "count", SUM, NONE, "flags: warehouse mismatch", "signalering: afwijking warehouse",
       "fraud flags this month from a mismatch in the data warehouse (without an algorithm)",
       "fraudesignaleringen deze maand na een afwijking in het datawarehouse (zonder algoritme)"),
    _m("flags_audit", "count", SUM, NONE, "flags: random audit", "signalering: steekproef",
       "fraud flags this month from a random audit", "fraudesignaleringen deze maand uit een steekproef"),
    _m("nothing_found", "count", SUM, LOWER, "nothing found", "niets gevonden",
       "investigations this month that found nothing", "onderzoeken deze maand die niets vonden"),
    _m("irregularities_found", "count", SUM, NONE, "irregularities found", "onregelmatigheden gevonden",
       "investigations this month that found an irregularity (with or without intent)",
       "onderzoeken deze maand die een onregelmatigheid vonden (met of zonder opzet)"),
    _m("fraud_detected", "count", SUM, HIGHER, "fraud found", "gevonden fraude",
       "fraud sanctions this month of people who did commit intentional fraud",
       "fraudesancties deze maand bij mensen die wel opzettelijk fraudeerden"),
    _m("wrongful_sanctions", "count", SUM, LOWER, "wrongful sanctions", "onterechte sancties",
       "people sanctioned as fraud this month without intent",
       "personen die deze maand zonder opzet een fraudesanctie kregen"),
    _m("fraud_sanctions", "count", SUM, NONE, "fraud sanctions", "fraudesancties",
       "all fraud sanctions this month (fraud found + wrongful sanctions)",
       "alle fraudesancties deze maand (gevonden fraude + onterechte sancties)"),
    _m("wrongful_unreported_change", "count", SUM, LOWER, "wrongful: unreported change",
       "onterecht: niet gemelde wijziging",
       "wrongful sanctions this month for a real change the person did not report, without intent",
       "onterechte sancties deze maand om een echte wijziging die de persoon zonder opzet niet meldde"),
    _m("wrongful_data_error", "count", SUM, LOWER, "wrongful: data error", "onterecht: fout in de gegevens",
       "wrongful sanctions this month for an error in the municipality's record taken for an irregularity",
       "onterechte sancties deze maand om een fout in het dossier van de gemeente die voor een "
       "onregelmatigheid werd aangezien"),
    _m("wrongful_false_finding", "count", SUM, LOWER, "wrongful: false finding", "onterecht: valse bevinding",
       "wrongful sanctions this month where the investigation 'found' something in a correct file",
       "onterechte sancties deze maand waarbij het onderzoek iets 'vond' in een correct dossier"),
    _m("objections", "count", SUM, NONE, "objections", "bezwaren",
       "objections and appeals against fraud sanctions this month",
       "bezwaren en beroepen tegen fraudesancties deze maand"),
    _m("objections_upheld", "count", SUM, NONE, "objections upheld", "bezwaren gegrond",
       "objections against wrongful sanctions upheld this month (refund and compensation)",
       "bezwaren tegen onterechte sancties die deze maand gegrond werden verklaard (terugbetaling en "
       "schadevergoeding)"),
    _m("repayment_claims", "count", SUM, NONE, "repayment claims", "terugvorderingen",
       "repayment claims this month (including late self-reports)",
       "terugvorderingen deze maand (ook na een late eigen melding)"),
    _m("fines", "count", SUM, LOWER, "fines", "boetes", "fines imposed this month",
       "boetes opgelegd deze maand"),
    _m("claims_eur", "EUR", SUM, NONE, "overpayments claimed", "teruggevorderd",
       "overpayments claimed back this month, EUR", "deze maand teruggevorderd te veel betaald bedrag, EUR"),
    _m("fines_eur", "EUR", SUM, NONE, "fines imposed", "opgelegde boetes",
       "fines imposed this month, EUR", "deze maand opgelegde boetes, EUR"),
    _m("collected_eur", "EUR", SUM, NONE, "debt collected from clients", "geïnd bij cliënten",
       "debt repaid from the benefit this month, EUR", "deze maand op de uitkering ingehouden schuld, EUR"),
    _m("late_disclosures", "count", SUM, NONE, "late disclosures", "late meldingen",
       "unreported changes the client reported late this month",
       "niet gemelde wijzigingen die de cliënt deze maand alsnog meldde"),
    _m("records_corrected_by_clients", "count", SUM, NONE, "records corrected by clients",
       "dossiers gecorrigeerd door cliënten",
       "record errors clients found and corrected in their own data this month (data commons)",
       "fouten die cliënten deze maand in hun eigen gegevens vonden en corrigeerden (datameent)"),
    _m("mean_trust", "0-1", LAST, HIGHER, "mean trust", "gemiddeld vertrouwen",
       "mean trust in the municipality of eligible people, this month (0-1)",
       "gemiddeld vertrouwen in de gemeente van rechthebbenden, deze maand (0-1)", undefined_when=_NOBODY),
    _m("reintegrated", "count", SUM, HIGHER, "back in work", "aan het werk",
       "people who left the benefit for work this month", "personen die deze maand de bijstand verlieten voor werk"),
    _m("gave_up", "count", SUM, LOWER, "gave up", "afgehaakt",
       "receiving clients who gave up the benefit this month",
       "ontvangers die deze maand afzagen van de uitkering"),
    _m("applied", "count", SUM, NONE, "applied", "aangevraagd",
       "eligible people not receiving who applied this month",
       "rechthebbenden zonder uitkering die deze maand aanvroegen"),
    _m("newcomers", "count", SUM, NONE, "newcomers", "nieuwkomers",
       "new eligible people this month (replacing people who left the model's scope)",
       "nieuwe rechthebbenden deze maand (in plaats van wie uit beeld raakte)"),
    _m("non_take_up", "share", LAST, LOWER, "non-take-up (share)", "niet-gebruik (aandeel)",
       "share of eligible people not receiving, this month (0-1)",
       "aandeel rechthebbenden zonder uitkering, deze maand (0-1)"),
    *_group_ratios("flag", "flag rate", "signaleringskans", "flag ratio", "signaleringsratio"),
    *_group_ratios("sanction", "fraud-sanction rate", "kans op fraudesanctie", "fraud-sanction ratio",
                   "sanctieratio"),
    *_group_ratios("wrongful", "wrongful-sanction rate", "kans op onterechte sanctie",
                   "wrongful-sanction ratio", "ratio onterechte sancties"),
    *_group_means("trust", HIGHER, "trust", "vertrouwen", "mean trust in the municipality",
                  "gemiddeld vertrouwen in de gemeente"),
    *_group_means("hardship", LOWER, "hardship", "nood", "mean hardship (debt pressure)",
                  "gemiddelde nood (schuldendruk)"),
    _m("mean_hardship", "0-1", LAST, LOWER, "mean hardship", "gemiddelde nood",
       "mean hardship (debt pressure, debt / (debt + scale)) of eligible people, this month (0-1)",
       "gemiddelde nood (schuldendruk, schuld / (schuld + schaal)) van rechthebbenden, deze maand (0-1)",
       undefined_when=_NOBODY),
    _m("mean_debt_eur", "EUR", LAST, LOWER, "mean debt", "gemiddelde schuld",
       "mean debt to the municipality of eligible people, this month, EUR",
       "gemiddelde schuld aan de gemeente van rechthebbenden, deze maand, EUR", undefined_when=_NOBODY),
    _m("mean_self_sufficiency", "ZRM score 1-5", LAST, HIGHER, "self-sufficiency (ZRM)", "zelfredzaamheid (ZRM)",
       "mean true ZRM score of eligible people, this month (1-5)",
       "gemiddelde werkelijke ZRM-score van rechthebbenden, deze maand (1-5)", undefined_when=_NOBODY),
    _m("self_sufficient_share", "share", LAST, HIGHER, "self-sufficient (share)", "zelfredzaam (aandeel)",
       "share of eligible people with a mean ZRM score of 3.5 or more, this month",
       "aandeel rechthebbenden met een gemiddelde ZRM-score van 3,5 of meer, deze maand",
       undefined_when=_NOBODY),
    _m("new_irregularities", "count", SUM, LOWER, "new irregularities", "nieuwe onregelmatigheden",
       "unreported changes without intent that started this month (unseen by the municipality)",
       "niet gemelde wijzigingen zonder opzet die deze maand begonnen (de gemeente ziet ze niet)"),
    _m("new_intentional_fraud", "count", SUM, LOWER, "new intentional fraud", "nieuwe opzettelijke fraude",
       "episodes of intentional fraud that started this month (unseen by the municipality)",
       "gevallen van opzettelijke fraude die deze maand begonnen (de gemeente ziet ze niet)"),
    _m("irregular_stock", "people", LAST, LOWER, "ongoing irregularities", "lopende onregelmatigheden",
       "people receiving with an ongoing irregularity without intent, end of the month",
       "ontvangers met een lopende onregelmatigheid zonder opzet, eind van de maand"),
    _m("intentional_fraud_stock", "people", LAST, LOWER, "ongoing intentional fraud", "lopende opzettelijke fraude",
       "people receiving who withhold information on purpose, end of the month",
       "ontvangers die met opzet informatie achterhouden, eind van de maand"),
    _m("record_errors", "people", LAST, LOWER, "record errors", "fouten in dossiers",
       "people receiving whose record has an error, end of the month",
       "ontvangers met een fout in het dossier, eind van de maand"),
    _m("linkage_mismatches", "count", SUM, NONE, "linkage mismatches", "afwijkingen bij koppeling",
       "mismatches the data warehouse's linkage showed this month",
       "afwijkingen die de koppeling in het datawarehouse deze maand liet zien"),
    _m("looked_at", "people", SUM, LOWER, "data looked at", "gegevens bekeken",
       "people whose data were looked at (linked or ranked) this month",
       "personen van wie deze maand gegevens zijn bekeken (gekoppeld of gerangschikt)"),
    _m("informed", "people", SUM, HIGHER, "told who looked", "geïnformeerd",
       "of them, people told who looked at their data, when and why, this month",
       "van hen, personen die deze maand hoorden wie hun gegevens bekeek, wanneer en waarom"),
    _m("support_hours", "hours", SUM, HIGHER, "support hours", "uren ondersteuning",
       "caseworker hours spent on support this month", "uren van klantmanagers deze maand voor ondersteuning"),
    _m("investigation_hours", "hours", SUM, NONE, "investigation hours", "uren onderzoek",
       "caseworker hours spent on fraud investigations this month",
       "uren van klantmanagers deze maand voor fraudeonderzoek"),
    _m("paperwork_hours", "hours", SUM, LOWER, "paperwork hours", "uren administratie",
       "caseworker hours spent on processing requested information this month",
       "uren van klantmanagers deze maand voor het verwerken van gevraagde informatie"),
    _m("satisfaction", "0-1", LAST, HIGHER, "satisfaction (survey)", "tevredenheid (enquête)",
       "what the satisfaction survey shows: mean trust of people receiving, this month (0-1)",
       "wat de tevredenheidsenquête laat zien: gemiddeld vertrouwen van ontvangers, deze maand (0-1)",
       undefined_when="nobody is receiving"),
    _m("staff_cost_eur", "EUR", SUM, LOWER, "staff cost", "personeelskosten",
       "caseworkers' cost this month (staff from the caseload in force), EUR",
       "kosten van klantmanagers deze maand (formatie volgens de geldende caseload), EUR"),
    _m("data_cost_eur", "EUR", SUM, LOWER, "data cost", "datakosten",
       "warehouse (by its linkage), algorithm and data projects commissioned this month, EUR",
       "warehouse (naar koppeling), algoritme en deze maand gestarte dataprojecten, EUR"),
    _m("investigation_cost_eur", "EUR", SUM, LOWER, "investigation cost", "onderzoekskosten",
       "cost of this month's fraud investigations by the enforcement team, EUR",
       "kosten van de fraudeonderzoeken van deze maand door het handhavingsteam, EUR"),
    _m("objection_cost_eur", "EUR", SUM, LOWER, "objection cost", "kosten bezwaar",
       "cost of handling this month's objections and appeals, EUR",
       "kosten van de bezwaren en beroepen van deze maand, EUR"),
    _m("compensation_eur", "EUR", SUM, LOWER, "compensation", "schadevergoeding",
       "refunds and compensation for wrongful sanctions upheld on objection this month, EUR",
       "terugbetaling en schadevergoeding voor onterechte sancties die deze maand in bezwaar sneuvelden, EUR"),
    _m("admin_cost_eur", "EUR", SUM, LOWER, "administration cost", "uitvoeringskosten",
       "staff + data + investigations + objections + compensation this month, EUR",
       "personeel + data + onderzoeken + bezwaren + schadevergoeding deze maand, EUR"),
    _m("benefits_paid_eur", "EUR", SUM, NONE, "benefits paid", "betaalde uitkeringen",
       "benefits paid this month, EUR", "deze maand betaalde uitkeringen, EUR"),
    _m("net_cost_eur", "EUR", SUM, LOWER, "net cost", "netto kosten",
       "administration cost + benefits - debt collected this month, EUR; lower when eligible people give "
       "up their benefit (see benefits not taken up)",
       "uitvoeringskosten + uitkeringen - geïnde schuld deze maand, EUR; lager als rechthebbenden hun "
       "uitkering laten schieten (zie niet opgenomen uitkeringen)"),
    _m("benefits_not_taken_eur", "EUR", SUM, NONE, "benefits not taken up", "niet opgenomen uitkeringen",
       "benefits eligible people did not receive this month (non-take-up), EUR: not a saving but a cost "
       "borne by them",
       "uitkeringen die rechthebbenden deze maand niet ontvingen (niet-gebruik), EUR: geen besparing maar "
       "kosten die zij dragen"),
    _m("council_issues_raised", "issues", LAST, NONE, "council issues raised", "punten cliëntenraad ingebracht",
       "issues the client council has raised since month 1 (cumulative)",
       "punten die de cliëntenraad sinds maand 1 heeft ingebracht (cumulatief)"),
    _m("council_issues_adopted", "issues", LAST, HIGHER, "council issues adopted", "punten cliëntenraad overgenomen",
       "issues of the client council adopted by the municipality",
       "punten van de cliëntenraad die de gemeente heeft overgenomen"),
    _m("council_issues_escalated", "issues", LAST, NONE, "council issues escalated",
       "punten cliëntenraad geëscaleerd",
       "issues the council escalated (press, ombudsman) after a year without answer (cumulative)",
       "punten die de raad na een jaar zonder gehoor escaleerde (pers, ombudsman; cumulatief)"),
    _m("information_burden", "0-1", LAST, NONE, "information burden in force", "geldende informatielast",
       "the information burden in force this month (timed changes, adopted council issues)",
       "de informatielast die deze maand geldt (geplande wijzigingen, overgenomen punten)"),
    _m("transparency", "share", LAST, NONE, "transparency in force", "geldende transparantie",
       "the transparency in force this month", "de transparantie die deze maand geldt"),
    _m("proportional_regime", "on/off", LAST, NONE, "proportional regime in force", "proportioneel regime geldt",
       "1 if the proportional sanction regime is in force this month, else 0",
       "1 als deze maand het proportionele sanctieregime geldt, anders 0"),
    _m("proxies_dropped", "on/off", LAST, NONE, "proxy features dropped", "proxykenmerken weggelaten",
       "1 if the algorithm does not use the proxy features this month, else 0",
       "1 als het algoritme deze maand de proxykenmerken niet gebruikt, anders 0"),
    _m("investigation_capacity", "per person receiving", LAST, NONE, "investigation capacity in force",
       "geldende onderzoekscapaciteit",
       "investigations a month per person receiving, in force this month",
       "onderzoeken per maand per ontvanger, deze maand geldend"),
    _m("warehouse_linkage", "share", LAST, NONE, "warehouse linkage in force", "geldende koppeling warehouse",
       "share of registrations linked in the data warehouse this month",
       "aandeel registraties dat deze maand in het datawarehouse is gekoppeld"),
    _m("sanction_months", "month", LAST, NONE, "benefit stop in force", "geldende stopzetting",
       "months a fraud sanction stops the benefit, in force this month",
       "maanden dat een fraudesanctie de uitkering stopt, deze maand geldend"),
    _m("fraud_algorithm", "on/off", LAST, NONE, "fraud algorithm in use", "fraudealgoritme in gebruik",
       "1 if a fraud-risk algorithm selects investigations this month, else 0",
       "1 als deze maand een frauderisico-algoritme onderzoeken selecteert, anders 0"),
    _m("outreach", "0-1", LAST, NONE, "outreach in force", "geldende outreach",
       "outreach to eligible people not receiving, this month (0-1)",
       "outreach naar rechthebbenden zonder uitkering, deze maand (0-1)"),
    _m("fixed_caseload", "on/off", LAST, NONE, "fixed caseworker", "vaste klantmanager",
       "1 if every client has a fixed caseworker this month, else 0",
       "1 als iedere cliënt deze maand een vaste klantmanager heeft, anders 0"),
    _m("clients_per_caseworker", "people", LAST, NONE, "caseload in force", "geldende caseload",
       "people per caseworker in force this month", "personen per klantmanager, deze maand geldend"),
    _m("debt_repayment", "share", LAST, NONE, "debt repayment in force", "geldende aflossing",
       "share of the benefit withheld each month to repay debt to the municipality, in force this month",
       "deel van de uitkering dat deze maand wordt ingehouden om schuld aan de gemeente af te lossen"),
    _m("control_intensity", "0-1", LAST, NONE, "control intensity", "controle-intensiteit",
       "mean of the control levers in force (investigations, burden, warehouse linkage, benefit stop, each "
       "0-1 between its bounds; fraud algorithm 0 or 1), this month",
       "gemiddelde van de geldende controlehefbomen (onderzoeken, informatielast, koppeling, stopzetting, "
       "elk 0-1 tussen de grenzen; fraudealgoritme 0 of 1), deze maand"),
]


def _total(name, col, better, label_en, label_nl, meaning_en, meaning_nl, unit=None) -> Metric:
    src = MONTHLY_BY_NAME[col]
    return Metric(name, unit or src.unit, SUM, better, label_en, label_nl, meaning_en, meaning_nl,
                  kind=SUMMARY, source=col)


def _final(name, col, label_en, label_nl, meaning_en, meaning_nl) -> Metric:
    src = MONTHLY_BY_NAME[col]
    return Metric(name, src.unit, LAST, src.better, label_en, label_nl, meaning_en, meaning_nl,
                  kind=SUMMARY, source=col, undefined_when=src.undefined_when)


def _ratio(name, unit, better, label_en, label_nl, meaning_en, meaning_nl, numerator, denominator, *,
           minus="", scale=1.0, kind=SUMMARY, norm="") -> Metric:
    den = MONTHLY_BY_NAME[denominator]
    return Metric(name, unit, RATIO, better, label_en, label_nl, meaning_en, meaning_nl, kind=kind,
                  numerator=MONTHLY_BY_NAME[numerator].name,
                  minus=MONTHLY_BY_NAME[minus].name if minus else "",
                  denominator=den.name, scale=float(scale),
                  undefined_when=f"the run has no {den.label_en}", norm=norm)


MONTHLY_BY_NAME: dict[str, Metric] = {m.name: m for m in _MONTHLY}

_SUMMARY: list[Metric] = [
    _total("fraud_flags_total", "fraud_flags", NONE, "fraud flags", "fraudesignaleringen",
           "people selected for a fraud investigation by any route (sum over all months)",
           "personen langs welke weg ook geselecteerd voor een fraudeonderzoek (som over alle maanden)"),
    _total("false_fraud_flags_total", "false_fraud_flags", LOWER, "false fraud flags", "valse fraudesignaleringen",
           "selected for a fraud investigation without intentional fraud",
           "geselecteerd voor een fraudeonderzoek zonder opzettelijke fraude"),
    _total("fraud_detected_total", "fraud_detected", HIGHER, "fraud found", "gevonden fraude",
           "intentional fraud found and established", "opzettelijke fraude gevonden en vastgesteld"),
    _total("wrongful_sanctions_total", "wrongful_sanctions", LOWER, "wrongful sanctions", "onterechte sancties",
           "sanctioned as fraud without intent", "als fraude gesanctioneerd zonder opzet"),
    _total("fraud_sanctions_total", "fraud_sanctions", NONE, "fraud sanctions", "fraudesancties",
           "all fraud sanctions (rightful and wrongful)", "alle fraudesancties (terecht en onterecht)"),
    _total("wrongful_unreported_change_total", "wrongful_unreported_change", LOWER,
           "wrongful: unreported change", "onterecht: niet gemelde wijziging",
           "wrongful sanctions for a real change not reported without intent",
           "onterechte sancties om een echte wijziging die zonder opzet niet werd gemeld"),
    _total("wrongful_data_error_total", "wrongful_data_error", LOWER, "wrongful: data error",
           "onterecht: fout in de gegevens", "wrongful sanctions for a record error taken for an irregularity",
           "onterechte sancties om een dossierfout die voor een onregelmatigheid werd aangezien"),
    _total("wrongful_false_finding_total", "wrongful_false_finding", LOWER, "wrongful: false finding",
           "onterecht: valse bevinding", "wrongful sanctions from a false finding in a correct file",
           "onterechte sancties door een valse bevinding in een correct dossier"),
    _ratio("wrongful_per_fraud_found", "ratio", LOWER, "wrongful sanctions per fraud found",
           "onterechte sancties per gevonden fraude",
           "wrongful sanctions per intentional fraud found",
           "onterechte sancties per gevonden opzettelijke fraude", "wrongful_sanctions", "fraud_detected"),
    _ratio("flag_precision", "share", HIGHER, "flag precision", "precisie van signaleringen",
           "share of flagged people who had committed intentional fraud",
           "aandeel gesignaleerden dat opzettelijk had gefraudeerd", "fraud_flags", "fraud_flags",
           minus="false_fraud_flags"),
    _ratio("nothing_found_share", "share", LOWER, "investigations finding nothing",
           "onderzoeken zonder bevinding", "share of investigations that found nothing",
           "aandeel onderzoeken dat niets vond", "nothing_found", "fraud_flags"),
    _ratio("repayment_claims_per_100_per_year", "per 100 per year", NONE, "repayment claims per 100 per year",
           "terugvorderingen per 100 per jaar", "repayment claims per 100 people receiving, per year",
           "terugvorderingen per 100 ontvangers, per jaar", "repayment_claims", "receiving", scale=100 * 12),
    _ratio("fined_share_of_claims", "share", LOWER, "claims with a fine", "terugvorderingen met boete",
           "share of repayment claims that came with a fine",
           "aandeel terugvorderingen met een boete", "fines", "repayment_claims"),
    _total("reintegrated_total", "reintegrated", HIGHER, "back in work", "aan het werk",
           "people who left the benefit for work", "personen die de bijstand verlieten voor werk"),
    _total("gave_up_total", "gave_up", LOWER, "gave up", "afgehaakt",
           "times a receiving client gave up the benefit", "keren dat een ontvanger afzag van de uitkering"),
    _final("final_mean_trust", "mean_trust", "final mean trust", "eindvertrouwen",
           "mean trust in the municipality of eligible people, last month (0-1)",
           "gemiddeld vertrouwen in de gemeente van rechthebbenden, laatste maand (0-1)"),
    _final("final_trust_carer", "trust_carer", "final trust of mantelzorgers", "eindvertrouwen mantelzorgers",
           "mean trust of mantelzorgers, last month (0-1)",
           "gemiddeld vertrouwen van mantelzorgers, laatste maand (0-1)"),
    _final("final_trust_language", "trust_language", "final trust, language barrier",
           "eindvertrouwen taalbarrière",
           "mean trust of people with a language barrier, last month (0-1)",
           "gemiddeld vertrouwen van mensen met een taalbarrière, laatste maand (0-1)"),
    _final("final_non_take_up", "non_take_up", "final non-take-up", "niet-gebruik aan het eind",
           "share of eligible people not receiving, last month (0-1)",
           "aandeel rechthebbenden zonder uitkering, laatste maand (0-1)"),
    _final("final_receiving", "receiving", "final receiving", "ontvangers aan het eind",
           "people receiving bijstand, last month", "personen die bijstand ontvangen, laatste maand"),
    _final("final_mean_hardship", "mean_hardship", "final mean hardship", "nood aan het eind",
           "mean hardship (debt pressure 0-1), last month", "gemiddelde nood (schuldendruk 0-1), laatste maand"),
    _final("final_self_sufficiency", "mean_self_sufficiency", "final self-sufficiency",
           "zelfredzaamheid aan het eind",
           "mean true ZRM score of eligible people, last month (1-5)",
           "gemiddelde werkelijke ZRM-score van rechthebbenden, laatste maand (1-5)"),
    MONTHLY_BY_NAME["flag_ratio_language"],
    MONTHLY_BY_NAME["flag_ratio_single_parent"],
    MONTHLY_BY_NAME["flag_ratio_carer"],
    MONTHLY_BY_NAME["sanction_ratio_language"],
    MONTHLY_BY_NAME["sanction_ratio_single_parent"],
    MONTHLY_BY_NAME["sanction_ratio_carer"],
    MONTHLY_BY_NAME["wrongful_ratio_carer"],
    _total("collected_eur_total", "collected_eur", NONE, "debt collected from clients", "geïnd bij cliënten",
           "debt collected from clients, EUR", "bij cliënten geïnde schuld, EUR"),
    _total("claims_eur_total", "claims_eur", NONE, "overpayments claimed", "teruggevorderd",
           "overpayments claimed back, EUR", "teruggevorderd te veel betaald bedrag, EUR"),
    _total("fines_eur_total", "fines_eur", NONE, "fines imposed", "opgelegde boetes",
           "fines imposed, EUR", "opgelegde boetes, EUR"),
    _total("staff_cost_eur_total", "staff_cost_eur", LOWER, "staff cost", "personeelskosten",
           "caseworkers' cost, EUR", "kosten van klantmanagers, EUR"),
    _total("data_cost_eur_total", "data_cost_eur", LOWER, "data cost", "datakosten",
           "warehouse, algorithm and data projects, EUR", "warehouse, algoritme en dataprojecten, EUR"),
    _total("investigation_cost_eur_total", "investigation_cost_eur", LOWER, "investigation cost",
           "onderzoekskosten", "fraud investigations by the enforcement team, EUR",
           "fraudeonderzoeken door het handhavingsteam, EUR"),
    _total("objection_cost_eur_total", "objection_cost_eur", LOWER, "objection cost", "kosten bezwaar",
           "handling objections and appeals, EUR", "behandeling van bezwaren en beroepen, EUR"),
    _total("compensation_eur_total", "compensation_eur", LOWER, "compensation", "schadevergoeding",
           "refunds and compensation for wrongful sanctions, EUR",
           "terugbetaling en schadevergoeding voor onterechte sancties, EUR"),
    _total("admin_cost_eur_total", "admin_cost_eur", LOWER, "administration cost", "uitvoeringskosten",
           "staff + data + investigations + objections + compensation, EUR",
           "personeel + data + onderzoeken + bezwaren + schadevergoeding, EUR"),
    _ratio("admin_cost_per_reintegration_eur", "EUR", LOWER, "administration cost per person back in work",
           "uitvoeringskosten per persoon aan het werk",
           "administration cost over the run per person who left the benefit for work, EUR",
           "uitvoeringskosten over de run per persoon die de bijstand verliet voor werk, EUR",
           "admin_cost_eur", "reintegrated"),
    _total("benefits_paid_eur_total", "benefits_paid_eur", NONE, "benefits paid", "betaalde uitkeringen",
           "benefits paid, EUR", "betaalde uitkeringen, EUR"),
    _total("net_cost_eur_total", "net_cost_eur", LOWER, "net cost", "netto kosten",
           "administration cost + benefits - collected, EUR (lower when people give up their benefit)",
           "uitvoeringskosten + uitkeringen - geïnd, EUR (lager als mensen hun uitkering laten schieten)"),
    _total("benefits_not_taken_eur_total", "benefits_not_taken_eur", NONE, "benefits not taken up",
           "niet opgenomen uitkeringen",
           "benefits eligible people did not receive, EUR: inside net cost as lower benefits, not a saving",
           "uitkeringen die rechthebbenden niet ontvingen, EUR: in de netto kosten als lagere uitkeringen, "
           "geen besparing"),
    MONTHLY_BY_NAME["council_issues_raised"],
    MONTHLY_BY_NAME["council_issues_adopted"],
    MONTHLY_BY_NAME["council_issues_escalated"],
    _final("final_control_intensity", "control_intensity", "final control intensity",
           "controle-intensiteit aan het eind",
           "mean of the control levers in force (0-1), last month",
           "gemiddelde van de geldende controlehefbomen (0-1), laatste maand"),
]


FULL_COST = Metric(
    "full_cost_eur_total", "EUR", CUSTOM, LOWER, "full cost", "volledige kosten",
    "net cost + benefits not taken up, EUR: a cost that does not count people giving up their benefit "
    "as a saving (computed in analysis/optimize.py)",
    "netto kosten + niet opgenomen uitkeringen, EUR: kosten die mensen die hun uitkering laten schieten "
    "niet als besparing tellen (berekend in analysis/optimize.py)", kind=SUMMARY)
"""A run figure for `optimize` objectives. CUSTOM (a sum of two columns, which no aggregation here
expresses), so it is not in `summary_metrics()`: `summarize` aggregates only the others."""


def _ind(norm, name, unit, better, label_en, label_nl, meaning_en, meaning_nl, **ratio) -> Metric:
    """A scorecard indicator; with numerator/denominator it is a RATIO, else CUSTOM (computed in
    analysis/scorecard.py)."""
    key = f"{norm.lower()}_{name}"
    if ratio:
        num, den = ratio.pop("numerator"), ratio.pop("denominator")
        return _ratio(key, unit, better, label_en, label_nl, meaning_en, meaning_nl, num, den,
                      kind=SCORECARD, norm=norm, **ratio)
    return Metric(key, unit, CUSTOM, better, label_en, label_nl, meaning_en, meaning_nl,
                  kind=SCORECARD, norm=norm)


def _ind_last(norm, name, col, label_en, label_nl, meaning_en, meaning_nl) -> Metric:
    src = MONTHLY_BY_NAME[col]
    return Metric(f"{norm.lower()}_{name}", src.unit, LAST, src.better, label_en, label_nl, meaning_en,
                  meaning_nl, kind=SCORECARD, source=col, undefined_when=src.undefined_when, norm=norm)


_SCORECARD: list[Metric] = [
    # ---- FAIR: the data (and the labels made from them) -------------------
    _ind("FAIR", "valid_label_wrongful_share", "share", LOWER, "wrongful share of fraud labels",
         "aandeel onterechte fraudelabels",
         "Share of fraud sanctions that were wrongful (no intent): the fraud label the algorithm learns "
         "from is invalid this often (whole run).",
         "Aandeel fraudesancties dat onterecht was (geen opzet): zo vaak is het fraudelabel waarvan het "
         "algoritme leert ongeldig (hele run).",
         numerator="wrongful_sanctions", denominator="fraud_sanctions"),
    _ind("FAIR", "label_error_share", "share", LOWER, "wrong labels from investigations",
         "onjuiste labels uit onderzoeken",
         "Share of investigations whose concluded label differs from the truth: wrongful fraud sanctions "
         "plus intentional fraud investigated but not established, over all investigations (whole run).",
         "Aandeel onderzoeken waarvan de conclusie afwijkt van de werkelijkheid: onterechte fraudesancties "
         "plus onderzochte maar niet vastgestelde opzettelijke fraude, van alle onderzoeken (hele run)."),
    _ind("FAIR", "record_errors_per_1000", "per 1,000", LOWER, "record errors per 1,000",
         "fouten in dossiers per 1.000",
         "Records with an error (a mismatch that looks like an unreported change) per 1,000 people "
         "receiving, mean over months: data quality.",
         "Dossiers met een fout (een afwijking die op een niet gemelde wijziging lijkt) per 1.000 "
         "ontvangers, gemiddeld over de maanden: datakwaliteit.",
         numerator="record_errors", denominator="receiving", scale=1000),
    # ---- FACT: the algorithm and the decisions it drives --------------------
    _ind("FACT", "fair_flag_ratio_max", "ratio", LOWER, "worst flag ratio of a group",
         "slechtste signaleringsratio van een groep",
         "Worst flag-rate ratio of an audited group (language barrier, single parent, carer) to everyone "
         "else, either way (max of r and 1/r); 1 is parity (whole run).",
         "Slechtste verhouding van de signaleringskans van een gevolgde groep (taalbarrière, alleenstaande "
         "ouder, mantelzorger) tot die van de rest, in beide richtingen (max van r en 1/r); 1 is gelijk "
         "(hele run)."),
    _ind("FACT", "fair_sanction_ratio_max", "ratio", LOWER, "worst fraud-sanction ratio of a group",
         "slechtste sanctieratio van een groep",
         "Worst fraud-sanction-rate ratio of an audited group to everyone else, either way; 1 is parity "
         "(whole run).",
         "Slechtste verhouding van de kans op een fraudesanctie van een gevolgde groep tot die van de "
         "rest, in beide richtingen; 1 is gelijk (hele run)."),
    _ind("FACT", "fair_wrongful_ratio_max", "ratio", LOWER, "worst wrongful-sanction ratio of a group",
         "slechtste ratio onterechte sancties van een groep",
         "Worst wrongful-sanction-rate ratio of an audited group to everyone else, either way; 1 is "
         "parity; NaN when no wrongful sanctions (whole run).",
         "Slechtste verhouding van de kans op een onterechte sanctie van een gevolgde groep tot die van "
         "de rest, in beide richtingen; 1 is gelijk; leeg zonder onterechte sancties (hele run)."),
    _ind("FACT", "accurate_precision", "share", HIGHER, "precision of investigations",
         "precisie van onderzoeken",
         "Precision: share of investigated people who had committed intentional fraud (whole run).",
         "Precisie: aandeel onderzochte personen dat opzettelijk had gefraudeerd (hele run).",
         numerator="fraud_flags", minus="false_fraud_flags", denominator="fraud_flags"),
    _ind("FACT", "accurate_sanction_precision", "share", HIGHER, "precision of fraud sanctions",
         "precisie van fraudesancties",
         "Share of fraud sanctions that hit intentional fraud (1 - the FAIR wrongful share).",
         "Aandeel fraudesancties dat opzettelijke fraude trof (1 - het onterechte aandeel van FAIR).",
         numerator="fraud_detected", denominator="fraud_sanctions"),
    _ind("FACT", "accurate_recall", "share", HIGHER, "recall of intentional fraud",
         "vangst van opzettelijke fraude",
         "Recall: of the intentional-fraud episodes that started and ended within the run, the share that "
         "ended with fraud established by an investigation; sum(fraud_detected) / "
         "(sum(new_intentional_fraud) - intentional_fraud_stock in the last month).",
         "Vangst: van de gevallen van opzettelijke fraude die in de run begonnen en eindigden, het aandeel "
         "dat eindigde met fraude vastgesteld door een onderzoek; som(fraud_detected) / "
         "(som(new_intentional_fraud) - intentional_fraud_stock in de laatste maand)."),
    _ind("FACT", "confidential_looked_at_share", "per person receiving", LOWER, "data looked at per receiving",
         "gegevens bekeken per ontvanger",
         "People whose data was looked at (linked in the warehouse or ranked by an algorithm) per person "
         "receiving, mean over months.",
         "Personen van wie gegevens werden bekeken (gekoppeld in het warehouse of gerangschikt door een "
         "algoritme) per ontvanger, gemiddeld over de maanden.",
         numerator="looked_at", denominator="receiving"),
    _ind("FACT", "transparent_informed_share", "share", HIGHER, "told who looked", "geïnformeerd wie keek",
         "Share of people whose data was looked at who were told who looked, when and why (sum informed / "
         "sum looked_at; NaN when nobody's data was looked at).",
         "Aandeel personen van wie gegevens werden bekeken dat hoorde wie keek, wanneer en waarom (som "
         "informed / som looked_at; leeg als niemands gegevens bekeken zijn).",
         numerator="informed", denominator="looked_at"),
    # ---- ROBUST: the infrastructure as the clients meet it ------------------
    _ind_last("ROBUST", "trustworthy_final_trust", "mean_trust", "final mean trust", "eindvertrouwen",
              "Mean trust in the municipality of eligible people, last month (0-1).",
              "Gemiddeld vertrouwen in de gemeente van rechthebbenden, laatste maand (0-1)."),
    _ind("ROBUST", "user_oriented_support_hours_share", "share", HIGHER, "support share of hours",
         "aandeel uren voor ondersteuning",
         "Share of caseworker hours spent on support rather than investigations and paperwork (whole run).",
         "Aandeel uren van klantmanagers besteed aan ondersteuning in plaats van onderzoek en administratie "
         "(hele run)."),
    _ind("ROBUST", "beneficial_reintegration_per_100_per_year", "per 100 per year", HIGHER,
         "back in work per 100 per year", "aan het werk per 100 per jaar",
         "People who left the benefit for work per 100 receiving per year.",
         "Personen die de bijstand verlieten voor werk per 100 ontvangers per jaar.",
         numerator="reintegrated", denominator="receiving", scale=100 * 12),
    _ind("ROBUST", "resilient_wrongful_per_1000_per_year", "per 1,000 per year", LOWER,
         "wrongful sanctions per 1,000 per year", "onterechte sancties per 1.000 per jaar",
         "Wrongful fraud sanctions per 1,000 people receiving per year: the errors of the system that fall "
         "on individuals.",
         "Onterechte fraudesancties per 1.000 ontvangers per jaar: de fouten van het systeem die op "
         "individuen terechtkomen.",
         numerator="wrongful_sanctions", denominator="receiving", scale=1000 * 12),
    # ---- SHARED: who carries the costs --------------------------------------
    _ind("SHARED", "diverse_hardship_gap", "difference on 0-1", LOWER, "hardship gap of the worst-off group",
         "nood-achterstand van de zwakste groep",
         "Highest mean hardship of an audited group minus the mean hardship of all eligible people "
         "(hardship 0-1), last month: how much worse off the worst-off group is.",
         "Hoogste gemiddelde nood van een gevolgde groep min de gemiddelde nood van alle rechthebbenden "
         "(nood 0-1), laatste maand: hoeveel slechter de slechtst af zijnde groep het heeft."),
    _ind("SHARED", "diverse_hardship_ratio_max", "ratio", LOWER, "hardship ratio of the worst-off group",
         "noodratio van de zwakste groep",
         "Highest mean hardship of an audited group divided by the mean hardship of all eligible people, "
         "last month; 1 = no group worse off than average (relative: large when hardship is small "
         "overall).",
         "Hoogste gemiddelde nood van een gevolgde groep gedeeld door de gemiddelde nood van alle "
         "rechthebbenden, laatste maand; 1 = geen groep slechter af dan gemiddeld (relatief: groot als de "
         "nood overal klein is)."),
    _ind("SHARED", "harmonious_trust_gap", "difference on 0-1", LOWER, "trust gap of the least trusting group",
         "vertrouwensachterstand van de minst vertrouwende groep",
         "Mean trust of all eligible people minus that of the least trusting audited group, last month.",
         "Gemiddeld vertrouwen van alle rechthebbenden min dat van de minst vertrouwende gevolgde groep, "
         "laatste maand."),
    _ind_last("SHARED", "relevant_non_take_up", "non_take_up", "final non-take-up", "niet-gebruik aan het eind",
              "Share of eligible people not receiving the benefit, last month.",
              "Aandeel rechthebbenden dat de uitkering niet ontvangt, laatste maand."),
    _ind_last("SHARED", "empowering_council_issues_adopted", "council_issues_adopted",
              "council issues adopted", "punten cliëntenraad overgenomen",
              "Issues of the client council adopted by the municipality (whole run).",
              "Punten van de cliëntenraad die de gemeente heeft overgenomen (hele run)."),
]

_TARGETS: list[Metric] = [
    _ratio("investigations_per_30k_per_year", "per year", NONE, "investigations per 30,000 per year",
           "onderzoeken per 30.000 per jaar",
           "Investigations per year per 30,000 people receiving",
           "Onderzoeken per jaar per 30.000 ontvangers", "fraud_flags", "receiving", scale=12 * 30_000,
           kind=TARGET),
    Metric("receiving_at_rotterdam_scale", "people", CUSTOM, NONE, "receiving at Rotterdam scale",
           "ontvangers op de schaal van Rotterdam",
           "People receiving bijstand in the last month, scaled to Rotterdam's population",
           "Ontvangers van bijstand in de laatste maand, geschaald naar de bevolking van Rotterdam",
           kind=TARGET),
]

REGISTRY: dict[str, Metric] = {}
"""Every metric by name: monthly columns, run summaries, scorecard indicators, target figures."""
for _metric in (*_MONTHLY, *_SUMMARY, FULL_COST, *_SCORECARD, *_TARGETS):
    if REGISTRY.setdefault(_metric.name, _metric) is not _metric:
        raise AssertionError(f"metric '{_metric.name}' is registered twice")
del _metric


def monthly_columns() -> list[str]:
    """Column order of the model's monthly metrics frame (documented in README, 'Outputs')."""
    return [m.name for m in _MONTHLY]


def monthly_metrics() -> list[Metric]:
    """The monthly columns as metrics, in frame order."""
    return list(_MONTHLY)


def summary_metrics() -> list[Metric]:
    """The run summary metrics, in the order `compare` and the sweeps report them."""
    return list(_SUMMARY)


def scorecard_metrics() -> list[Metric]:
    """The FAIR / FACT / ROBUST / SHARED indicators, in table order."""
    return list(_SCORECARD)


def group_label(group: str, lang: str = "en") -> str:
    """Short name of an audited group."""
    en, nl = GROUP_LABELS[group]
    return nl if lang == "nl" else en


def monthly(name: str) -> Metric:
    """Look up a monthly column of the model's output (one-line MetricError with a suggestion)."""
    return lookup(MONTHLY_BY_NAME, name, "monthly column",
                  "the columns are listed in README, 'Outputs', and fatal_remedies.model.metrics",
                  MetricError)


def get(name: str) -> Metric:
    """Look up a metric, with a suggestion when the name is misspelt (one-line MetricError)."""
    return lookup(REGISTRY, name, "metric", "the metrics are listed in fatal_remedies.model.metrics",
                  MetricError)
