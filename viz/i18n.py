"""Dutch and English text of the browser app.

Every visible string goes through `t(key)` (or `param_label` / `param_help`
for the parameter registry, `metric_label` / `metric_unit` / `metric_help`
for the metric registry, and `num` for a number), so switching the language
re-renders the text and nothing else: the run, the comparison and the lesson
stay where they are. The labels, meanings and units of output metrics are
not here: they live in the metric registry (`model/metrics.py`) with the
metrics themselves.
The seed's Dutch terms (bijstand, klantmanager, cliëntenraad, mantelzorger)
are kept in the English text too, because they are the words users know.
"""

from __future__ import annotations

import solara

from fatal_remedies.analysis import formatting
from fatal_remedies.model import metrics

LANGUAGES = ("en", "nl")

lang = solara.reactive("en")
"""The language of this browser session (solara reactives are per session)."""

_T: dict[str, tuple[str, str]] = {
    # ---- shell ------------------------------------------------------------------------------
    "app_title": ("Fatal remedies", "Fatale remedies"),
    "app_subtitle": ("control or service in bijstand administration",
                     "controle of dienstverlening in de bijstand"),
    "nav_explore": ("Explore", "Verkennen"),
    "nav_compare": ("Compare", "Vergelijken"),
    "nav_sensitivity": ("Sensitivity", "Gevoeligheid"),
    "nav_lesson": ("Lesson", "Les"),
    "nav_report": ("Report", "Rapport"),
    "language": ("Language", "Taal"),
    "not_found": ("Page not found.", "Pagina niet gevonden."),
    "version": ("version", "versie"),
    "url_problem": ("Ignored from the link:", "Genegeerd uit de link:"),
    # ---- explore ----------------------------------------------------------------------------
    "scenario": ("Scenario", "Scenario"),
    "clients": ("Clients (people)", "Cliënten (personen)"),
    "seed": ("Seed", "Seed (toevalsgetal)"),
    "reset": ("Reset", "Opnieuw"),
    "step": ("Step", "Stap"),
    "play": ("Play", "Afspelen"),
    "pause": ("Pause", "Pauze"),
    "month": ("Month", "Maand"),
    "explore_intro": ("A simulated Dutch municipality runs bijstand (social assistance) for {n} people, month "
                      "by month: caseworkers support clients, and, depending on the scenario, a data warehouse "
                      "and a risk algorithm flag people for fraud investigations and sanctions. The first {first} "
                      "months have run. Press Step for one more month or Play to keep going; change a policy "
                      "lever on the left and press Reset to start again with it; click a person in the "
                      "population to read their story.",
                      "Een gesimuleerde Nederlandse gemeente voert de bijstand uit voor {n} mensen, maand na "
                      "maand: klantmanagers ondersteunen cliënten en, afhankelijk van het scenario, signaleren "
                      "een datawarehouse en een risicoalgoritme mensen voor fraudeonderzoek en sancties. De "
                      "eerste {first} maanden zijn al gedraaid. Klik op Stap voor nog een maand of op Afspelen "
                      "om door te gaan; verander links een beleidsknop en klik op Opnieuw om daarmee opnieuw te "
                      "beginnen; klik op een persoon in de populatie om diens verhaal te lezen."),
    "pending": ("Changed settings take effect when you press Reset.",
                "Gewijzigde instellingen gelden na een klik op Opnieuw."),
    "levers": ("Policy levers", "Beleidsknoppen"),
    "uncertainties": ("Uncertainties", "Onzekerheden"),
    "in_model": ("In the running model", "In het lopende model"),
    "overrides": ("Your changes", "Uw wijzigingen"),
    "no_overrides": ("none: the scenario as written", "geen: het scenario zoals beschreven"),
    "clear_overrides": ("Back to scenario values", "Terug naar scenariowaarden"),
    "ch_flags": ("Flags and false flags per month", "Signaleringen en valse signaleringen per maand"),
    "ch_sanctions": ("Wrongful sanctions vs fraud found (cumulative)",
                     "Onterechte sancties vs gevonden fraude (cumulatief)"),
    "ch_trust": ("Trust in the municipality", "Vertrouwen in de gemeente"),
    "ch_work": ("Back in work (cumulative) and non-take-up", "Aan het werk (cumulatief) en niet-gebruik"),
    "ch_cost": ("Cost per month (EUR)", "Kosten per maand (EUR)"),
    "s_trust": ("all clients", "alle cliënten"),
    "population": ("Population: click a person to read their story",
                   "Populatie: klik op een persoon om het verhaal te lezen"),
    "population_note": ("The first {n} people of the population, by status this month.",
                        "De eerste {n} personen van de populatie, naar status deze maand."),
    "st_receiving": ("receiving bijstand", "ontvangt bijstand"),
    "st_flagged": ("flagged / investigated", "gesignaleerd / onderzocht"),
    "st_wrongful": ("wrongly sanctioned", "onterecht gesanctioneerd"),
    "st_sanctioned": ("sanctioned for fraud", "gesanctioneerd voor fraude"),
    "st_supported": ("supported", "ondersteund"),
    "st_work": ("back in work", "aan het werk"),
    "st_gave_up": ("gave up / not taking up", "afgehaakt / geen gebruik"),
    "story_of": ("Story of person {pid}", "Verhaal van persoon {pid}"),
    "story_empty": ("Nothing has happened to this person yet.", "Er is nog niets gebeurd met deze persoon."),
    "story_pick": ("Click a dot to read that person's story.", "Klik op een stip voor het verhaal van die persoon."),
    "traits": ("Traits", "Kenmerken"),
    "algorithm": ("Risk algorithm", "Risicoalgoritme"),
    "algo_untrained": ("Not trained yet (it learns from its own investigations).",
                       "Nog niet getraind (het leert van de eigen onderzoeken)."),
    "algo_weights": ("Weight of each feature (standardised)", "Gewicht van elk kenmerk (gestandaardiseerd)"),
    "algo_ratios": ("Flag rate of a group relative to everyone else", "Signaleringskans van een groep t.o.v. de rest"),
    "council": ("Client council (cliëntenraad)", "Cliëntenraad"),
    "council_none": ("The council has raised nothing yet.", "De cliëntenraad heeft nog niets ingebracht."),
    "adopted": ("adopted", "overgenomen"),
    "ignored": ("not adopted", "niet overgenomen"),
    "hours": ("Klantmanager hours this month", "Uren van klantmanagers deze maand"),
    "working": ("Working…", "Bezig…"),
    "cumulative": ("cumulative", "cumulatief"),
    # ---- compare ----------------------------------------------------------------------------
    "cmp_scenarios": ("Scenarios (2 to 4)", "Scenario's (2 tot 4)"),
    "cmp_reps": ("Replications (same seeds for every scenario)", "Herhalingen (dezelfde seeds per scenario)"),
    "cmp_months": ("Months", "Maanden"),
    "cmp_run": ("Run comparison", "Vergelijking draaien"),
    "cmp_need": ("Choose 2 to 4 scenarios.", "Kies 2 tot 4 scenario's."),
    "cmp_progress": ("{done} of {total} runs done", "{done} van {total} runs klaar"),
    "cmp_metric": ("Time series", "Tijdreeks"),
    "cmp_band": ("Lines: mean over replications; band: 95% interval of the mean.",
                 "Lijnen: gemiddelde over herhalingen; band: 95%-interval van het gemiddelde."),
    "cmp_table": ("Summary (mean and 95% interval)", "Samenvatting (gemiddelde en 95%-interval)"),
    "cmp_diff": ("Difference from {ref} (mean and 95% interval, paired by seed)",
                 "Verschil met {ref} (gemiddelde en 95%-interval, gepaard per seed)"),
    "cmp_none": ("No comparison yet: choose scenarios and press Run.",
                 "Nog geen vergelijking: kies scenario's en klik op Draaien."),
    "cmp_edited": ("Explore page settings", "Instellingen van Verkennen"),
    "cmp_upload": ("Or drop a scenario file (.toml) here", "Of sleep een scenariobestand (.toml) hierheen"),
    "cmp_uploaded": ("Uploaded scenario", "Geüpload scenario"),
    "cmp_no_interval": ("(one replication: no interval)", "(één herhaling: geen interval)"),
    "cmp_method": ("Intervals: 95% Student-t interval of the replicate mean, cut off where the quantity "
                   "cannot go (below 0 for counts and amounts, outside 0-1 for shares).",
                   "Intervallen: 95%-Student-t-interval van het gemiddelde over de herhalingen, afgekapt "
                   "waar de grootheid niet kan komen (onder 0 voor aantallen en bedragen, buiten 0-1 voor "
                   "aandelen)."),
    "cmp_method_diff": ("Intervals: 95% Student-t interval of the mean paired difference (a difference may be "
                        "negative).",
                        "Intervallen: 95%-Student-t-interval van het gemiddelde gepaarde verschil (een verschil "
                        "mag negatief zijn)."),
    "cmp_fix_fields": ("Not run: correct {fields} first (the value on screen was refused).",
                       "Niet gedraaid: verbeter eerst {fields} (de waarde op het scherm is geweigerd)."),
    "cmp_change_at": ("{name} changes at month {month}", "{name} verandert in maand {month}"),
    "cmp_unreached": ("{what}: a run of {months} months never reaches it, so that scenario will look like the "
                      "one it starts from.",
                      "{what}: een run van {months} maanden komt daar nooit, dus dat scenario ziet eruit als het "
                      "scenario waarmee het begint."),
    "cmp_use_months": ("Run {months} months", "{months} maanden draaien"),
    "seeds": ("Seeds", "Seeds"),
    "norm": ("norm and indicator", "norm en indicator"),
    "cmp_norms": ("FAIR / FACT / ROBUST / SHARED scorecard", "FAIR / FACT / ROBUST / SHARED-scorekaart"),
    "cmp_norms_note": ("The seed's four sets of norms, measured in each run (analysis/scorecard.py); ↑ higher is "
                       "better, ↓ lower is better; hover over a name for its definition.",
                       "De vier normensets uit het artikel, gemeten in elke run (analysis/scorecard.py); ↑ hoger "
                       "is beter, ↓ lager is beter; wijs een naam aan voor de definitie."),
    "metric": ("metric", "maatstaf"),
    # ---- sensitivity ------------------------------------------------------------------------
    "sens_intro": ("Results of sensitivity sweeps made with `fatal-remedies sweep` (see analysis/). "
                   "This page only draws what the sweep computed.",
                   "Resultaten van gevoeligheidsanalyses gemaakt met `fatal-remedies sweep` (zie analysis/). "
                   "Deze pagina tekent alleen wat de analyse berekende."),
    "sens_pick": ("Results directory", "Resultatenmap"),
    "sens_none": ("No sweep results found. Run for example: fatal-remedies sweep --scenario control "
                  "--method morris --samples 8 --reps 1 --clients 1000 --months 60 --out results/morris",
                  "Geen resultaten gevonden. Draai bijvoorbeeld: fatal-remedies sweep --scenario control "
                  "--method morris --samples 8 --reps 1 --clients 1000 --months 60 --out results/morris"),
    "sens_manifest": ("How the sweep was made", "Hoe de analyse is gemaakt"),
    "sens_tables": ("Tables", "Tabellen"),
    "sens_plots": ("Plots", "Grafieken"),
    "sens_where": ("Looked in", "Gezocht in"),
    # ---- lesson -----------------------------------------------------------------------------
    "lesson_title": ("A fatal remedy, step by step", "Een fatale remedie, stap voor stap"),
    "lesson_next": ("Next", "Volgende"),
    "lesson_prev": ("Back", "Terug"),
    "lesson_restart": ("Start again", "Opnieuw beginnen"),
    "lesson_step": ("Step {i} of {n}", "Stap {i} van {n}"),
    "lesson_look": ("What to look at", "Waar op te letten"),
    "lesson_done": ("End of the lesson.", "Einde van de les."),
    "lesson_her": ("Her story so far", "Haar verhaal tot nu toe"),
    "lesson_her_trust": ("her trust", "haar vertrouwen"),
    "lesson_preparing": ("Preparing the lesson's population…", "De populatie van de les wordt voorbereid…"),
    # ---- report -----------------------------------------------------------------------------
    "rep_intro": ("Download the current comparison as one HTML file that opens without a network: "
                  "charts, table, parameters, seeds and version, for a council meeting.",
                  "Download de huidige vergelijking als één HTML-bestand dat zonder netwerk opent: "
                  "grafieken, tabel, parameters, seeds en versie, voor een vergadering van de raad."),
    "rep_download": ("Download report (HTML)", "Rapport downloaden (HTML)"),
    "rep_none": ("There is no comparison yet. Run one on the Compare page, or run the default one here.",
                 "Er is nog geen vergelijking. Draai er een op Vergelijken, of draai hier de standaard."),
    "rep_default": ("Run control vs service", "Controle vs dienstverlening draaien"),
    "rep_contents": ("The report contains", "Het rapport bevat"),
    "rep_title": ("Comparison of scenarios", "Vergelijking van scenario's"),
    "rep_made": ("Made with fatal-remedies {v} on {d}.", "Gemaakt met fatal-remedies {v} op {d}."),
    "rep_params": ("Parameter values", "Parameterwaarden"),
    "rep_setup": ("Set-up", "Opzet"),
    "parameter": ("parameter", "parameter"),
    "unit": ("unit", "eenheid"),
}

_GROUPS_NL = {
    "Run": "Run", "Data practice": "Datapraktijk", "Enforcement": "Handhaving",
    "Support": "Ondersteuning", "Client council": "Cliëntenraad", "Money": "Geld",
    "Population": "Populatie", "Behaviour": "Gedrag", "Data quality": "Datakwaliteit",
    "Trust": "Vertrouwen", "Support outcomes": "Uitkomsten van ondersteuning",
}

# Dutch label and help text of each registry parameter; the English help is the registry's own
# `meaning`, the English label is derived from the name.
_PARAM_NL: dict[str, tuple[str, str]] = {
    "n_clients": ("Aantal personen", "Aantal personen in de gesimuleerde populatie."),
    "months": ("Maanden", "Aantal gesimuleerde maanden."),
    "warehouse": ("Datawarehouse", "Alle registraties op één plek gekoppeld, zodat afwijkingen zichtbaar worden."),
    "algorithm_purpose": ("Doel van het algoritme", "Waarvoor het algoritme rangschikt: niets (steekproef), "
                          "frauderisico (datasturing) of wie het meest baat heeft bij steun (dienstverlening)."),
    "drop_proxy_features": ("Proxykenmerken weglaten", "Taal, alleenstaand ouderschap en mantelzorg niet als "
                            "kenmerk van het algoritme gebruiken."),
    "retrain_interval": ("Hertrainen elke", "Hoe vaak het algoritme opnieuw leert van de uitkomsten van de "
                         "onderzoeken die het zelf koos."),
    "training_window": ("Trainingsvenster", "Hoeveel maanden aan onderzoeksuitkomsten het algoritme gebruikt."),
    "transparency": ("Transparantie", "Aandeel cliënten dat hoort wie hun gegevens bekeek, wanneer en waarom."),
    "client_record_access": ("Eigen dossier inzien (datameent)", "Maandelijkse kans dat een cliënt het eigen "
                             "dossier controleert en fouten of een niet gemelde wijziging herstelt."),
    "consent_sharing": ("Delen met toestemming", "Gegevens worden alleen met toestemming van de cliënt gekoppeld."),
    "investigation_capacity": ("Onderzoekscapaciteit", "Onderzoeken per maand als aandeel van de ontvangers; "
                               "Rotterdam: ~1.250 van ~30.000 per jaar, ongeveer 0,0035 per maand."),
    "sanction_regime": ("Sanctieregime", "all_or_nothing: elke onregelmatigheid telt als fraude (terugvordering, "
                        "boete, stopzetting); proportional: een fout is geen fraude."),
    "fine_rate": ("Boete", "Boete bij fraude als aandeel van het te veel betaalde bedrag."),
    "sanction_months": ("Maanden stopzetting", "Maanden dat de uitkering stopt na een fraudevaststelling."),
    "information_burden": ("Informatielast", "Hoeveel informatie de gemeente vraagt (0 = alleen wat nodig is, "
                           "1 = extreem veel)."),
    "caseload": ("Caseload", "Wisselende klantmanagers, of een vaste klantmanager per cliënt."),
    "rotation_rate": ("Wisselkans klantmanager", "Bij wisselende caseload: maandelijkse kans op een nieuwe "
                      "klantmanager."),
    "clients_per_caseworker": ("Cliënten per klantmanager", "Omvang van de caseload."),
    "caseworker_hours": ("Uren per klantmanager", "Werkuren per maand, verdeeld over onderzoek, administratie "
                         "en ondersteuning."),
    "support_priority": ("Voorrang bij ondersteuning", "Extra ondersteuningsuren voor wie het steunalgoritme "
                         "het hoogst rangschikt (alleen met doel = support)."),
    "council_data_access": ("Cliëntenraad heeft data", "De cliëntenraad heeft toegang tot de data en controleert "
                            "signalerings- en sanctiekansen per groep."),
    "council_responsiveness": ("Gehoor voor de cliëntenraad", "Kans dat de gemeente een punt van de "
                               "cliëntenraad overneemt."),
    "council_size": ("Leden cliëntenraad", "Aantal leden van de cliëntenraad."),
    "benefit_eur": ("Bijstandsnorm", "Maandelijkse uitkering van één cliënt (norm alleenstaande, ca. 2023)."),
    "hourly_cost_eur": ("Kosten per uur", "Integrale kosten van één uur klantmanager."),
    "warehouse_cost_eur": ("Kosten datawarehouse", "Lopende kosten van warehouse en algoritme per persoon."),
    "overpayment_eur": ("Te veel betaald", "Bedrag dat elke maand te veel wordt betaald zolang een wijziging "
                        "niet gemeld is."),
    "debt_repayment": ("Aflossing", "Deel van de uitkering dat maandelijks wordt ingehouden voor schuld "
                       "aan de gemeente."),
    "hardship_scale_eur": ("Schuldschaal", "Schuld waarbij de nood 0,5 is (nood = schuld / (schuld + schaal))."),
    "share_language_barrier": ("Aandeel met taalbarrière", "Aandeel cliënten dat (nog) niet aan de taaleis voldoet."),
    "share_single_parent": ("Aandeel alleenstaande ouders", "Aandeel alleenstaande ouders."),
    "share_carer": ("Aandeel mantelzorgers", "Aandeel mantelzorgers."),
    "share_low_education": ("Aandeel laagopgeleid", "Aandeel met hoogstens lager voortgezet onderwijs."),
    "initial_trust": ("Vertrouwen bij de start", "Gemiddeld vertrouwen in de gemeente bij de start."),
    "initial_non_take_up": ("Niet-gebruik bij de start", "Aandeel rechthebbenden dat bij de start geen bijstand "
                            "ontvangt (Inspectie SZW: ~35%)."),
    "life_event_rate": ("Kans op wijziging", "Maandelijkse kans op een wijziging die gemeld moet worden "
                        "(bijbaan, spaargeld, samenwonen)."),
    "report_skill": ("Meldvaardigheid", "Kans dat een geletterde, vertrouwende cliënt een wijziging op tijd meldt "
                     "als er niets extra gevraagd wordt."),
    "burden_reporting_effect": ("Effect informatielast op melden", "Hoe sterk de informatielast tijdig melden "
                                "verlaagt bij wie het minst administratief vaardig is."),
    "late_disclosure": ("Late melding", "Maandelijkse kans dat een eerdere wijziging alsnog gemeld wordt."),
    "fraud_base_rate": ("Basiskans fraude", "Maandelijkse kans om opzettelijk te gaan frauderen bij vertrouwen "
                        "0,5 en zonder nood."),
    "fraud_trust_sensitivity": ("Fraude en vertrouwen", "Hoeveel lager vertrouwen de neiging tot fraude "
                                "verhoogt (slippery slope)."),
    "fraud_hardship_sensitivity": ("Fraude en nood", "Hoeveel nood (schuld) de neiging tot fraude verhoogt."),
    "deterrence": ("Afschrikking", "Hoeveel de kans op onderzoek opzettelijke fraude afschrikt."),
    "giveup_rate": ("Afhaken", "Maandelijkse kans dat een ontvanger afziet van de uitkering, bij volledig "
                    "vertrouwen en zonder last."),
    "giveup_burden_sensitivity": ("Afhaken en last", "Hoeveel de gevoelde informatielast afhaken verhoogt."),
    "giveup_trust_sensitivity": ("Afhaken en wantrouwen", "Hoeveel wantrouwen afhaken verhoogt."),
    "takeup_rate": ("Aanvragen", "Maandelijkse kans dat een rechthebbende zonder uitkering alsnog aanvraagt."),
    "meeting_rate": ("Gesprekken", "Gesprekken met de klantmanager per maand bij gemiddelde omstandigheden."),
    "record_error_rate": ("Fouten in dossier", "Maandelijkse kans op een fout in het dossier (lijkt op een niet "
                          "gemelde wijziging)."),
    "record_fix_rate": ("Herstel door gemeente", "Maandelijkse kans dat de gemeente een fout zelf herstelt."),
    "zrm_noise": ("Ruis in ZRM", "Ruis in hoe klantmanagers de zelfredzaamheidsmatrix (ZRM) scoren."),
    "zrm_blank_rate": ("Lege ZRM-domeinen", "Aandeel ZRM-domeinen dat leeg blijft."),
    "linkage_detection": ("Koppeling vindt afwijking", "Maandelijkse kans dat de koppeling in het warehouse "
                          "een bestaande onregelmatigheid laat zien."),
    "investigation_sensitivity": ("Gevoeligheid onderzoek", "Kans dat een onderzoek een bestaande "
                                  "onregelmatigheid vindt."),
    "investigation_false_finding": ("Onterechte bevinding", "Kans dat een onderzoek bij een cliënt zonder "
                                    "onregelmatigheid toch iets 'vindt'."),
    "intent_accuracy": ("Oordeel over opzet", "Bij een proportioneel regime: kans dat opzet (of het ontbreken "
                        "ervan) juist wordt beoordeeld."),
    "score_noise": ("Ruis in de risicoscore", "Spreiding in de scores van het algoritme door alles wat het ziet "
                    "buiten de gemodelleerde kenmerken (Rotterdam gebruikte er 315); 0 = alleen de kenmerken tellen."),
    "hours_per_investigation": ("Uren per onderzoek", "Uren van een klantmanager voor één fraudeonderzoek."),
    "paperwork_hours": ("Administratie-uren", "Uren per cliënt per maand voor het verwerken van gevraagde informatie "
                        "bij volle informatielast (een derde ervan zelfs zonder last)."),
    "late_fine_share": ("Boete bij late melding", "Bij alles-of-niets: aandeel te laat zelf gemelde wijzigingen dat "
                        "toch een boete krijgt."),
    "trust_loss_investigation": ("Vertrouwensverlies door onderzoek", "Deel van het vertrouwen dat verloren gaat "
                                 "door een onderzoek (gehalveerd bij uitleg)."),
    "trust_loss_wrongful": ("Verlies door onterechte sanctie", "Deel van het vertrouwen dat verloren gaat door "
                            "een onterechte fraudesanctie."),
    "trust_gain_support": ("Herstel door steun", "Deel van het wantrouwen dat herstelt in een maand respectvolle "
                           "ondersteuning."),
    "trust_gain_voice": ("Herstel door inspraak", "Deel van het wantrouwen dat per kwartaal herstelt als de "
                         "cliëntenraad echt gehoord wordt."),
    "trust_gain_transparency": ("Herstel door uitleg", "Deel van het wantrouwen dat herstelt als men hoort wie "
                                "de gegevens bekeek en waarom."),
    "word_of_mouth": ("Mond-tot-mond", "Hoe sterk het vertrouwen naar dat van kennissen trekt, en hoe een "
                      "onterechte sanctie kennissen raakt."),
    "network_degree": ("Kennissen", "Kennissen per cliënt in het small-world-netwerk."),
    "network_rewiring": ("Herbedrading", "Aandeel willekeurig verlegde banden in het netwerk."),
    "support_effect": ("Effect ondersteuning", "Maandelijkse kans dat goede steun een ZRM-domein een stap "
                       "verbetert."),
    "continuity_effect": ("Effect continuïteit", "Extra kwaliteit van steun na een jaar met dezelfde "
                          "klantmanager."),
    "zrm_decay": ("Terugval ZRM", "Maandelijkse kans dat een ZRM-domein verslechtert (verdubbeld bij "
                  "volledige nood)."),
    "reintegration_rate": ("Kans op werk", "Maandelijkse kans op betaald werk voor een volledig zelfredzame, "
                           "goed ondersteunde cliënt."),
    "work_relapse": ("Terugval uit werk", "Maandelijkse kans dat iemand met werk weer recht op bijstand krijgt."),
    "inflow_rate": ("Instroom", "Maandelijkse kans dat iemand met werk uit beeld raakt en een nieuwe "
                    "rechthebbende instroomt."),
}

_UNITS_NL = {
    # parameter units; the units of output metrics are translated by the metric registry
    "months": "maanden", "on/off": "aan/uit", "choice": "keuze",
    "share 0-1": "aandeel 0-1", "per month": "per maand",
    "probability": "kans", "multiplier": "factor", "EUR per month": "EUR per maand",
    "EUR per hour": "EUR per uur", "EUR per client per month": "EUR per cliënt per maand",
    "per receiving client per month": "per ontvanger per maand", "share of overpayment":
    "aandeel van te veel betaald", "clients": "cliënten", "hours per month": "uren per maand",
    "extra weight": "extra gewicht", "members": "leden", "share of benefit per month":
    "aandeel uitkering per maand", "log-odds per unit trust": "log-odds per eenheid vertrouwen",
    "per yearly investigation chance": "per jaarlijkse onderzoekskans",
    "ZRM points (sd)": "ZRM-punten (sd)", "share of domains": "aandeel domeinen",
    "share of trust": "aandeel vertrouwen", "share of distrust": "aandeel wantrouwen",
    "acquaintances": "kennissen", "sd of score (logit units)": "sd van de score (logit-eenheden)",
    "hours per client per month": "uren per cliënt per maand",
}


def t(key: str, **fmt) -> str:
    """The text of `key` in the session's language (the key itself if unknown)."""
    pair = _T.get(key)
    if pair is None:
        return key
    text = pair[1] if lang.value == "nl" else pair[0]
    return text.format(**fmt) if fmt else text


def param_label(p) -> str:
    """Short label of a registry parameter."""
    if lang.value == "nl" and p.name in _PARAM_NL:
        return _PARAM_NL[p.name][0]
    return p.name.replace("_", " ").capitalize().replace(" eur", " (EUR)")


def param_help(p) -> str:
    """One-sentence help text of a registry parameter."""
    if lang.value == "nl" and p.name in _PARAM_NL:
        return _PARAM_NL[p.name][1]
    return p.meaning


def unit(u: str) -> str:
    """A parameter's or a metric's unit in the session's language."""
    if lang.value != "nl":
        return u
    return _UNITS_NL.get(u) or formatting.unit_text(u, "nl")


def metric_label(name: str) -> str:
    """Short label of a registry metric (a table row, a legend, a chart title)."""
    return metrics.get(name).label(lang.value)


def cumulative_label(name: str) -> str:
    """Label of a monthly registry metric summed from month 1 ("wrongful sanctions (cumulative)")."""
    return f"{metric_label(name)} ({t('cumulative')})"


def metric_help(name: str) -> str:
    """One-line meaning of a registry metric (hover text)."""
    return metrics.get(name).meaning(lang.value)


def metric_unit(name: str) -> str:
    """Unit of a registry metric in the session's language."""
    return metrics.get(name).unit_text(lang.value)


def num(x, **kw) -> str:
    """A number for the session's language, by the one formatter (`analysis.formatting.number`)."""
    return formatting.number(x, lang.value, **kw)


def group(g: str) -> str:
    return _GROUPS_NL.get(g, g) if lang.value == "nl" else g


def missing_translations() -> list[str]:
    """Registry parameters without a Dutch text (a test keeps this empty)."""
    from fatal_remedies.model.params import REGISTRY

    return [name for name in REGISTRY if name not in _PARAM_NL]


_EVENT_NL = {
    "CHANGE_REPORTED": "meldde een wijziging in omstandigheden op tijd",
    "CHANGE_UNREPORTED": "had een wijziging in omstandigheden die niet gemeld werd (zonder opzet)",
    "STARTED_FRAUD": "begon met opzet informatie achter te houden",
    "LATE_DISCLOSURE": "meldde een eerdere wijziging te laat en betaalt het te veel ontvangen terug",
    "RECORD_ERROR": "kreeg een fout in het gemeentelijke dossier",
    "CORRECTED_OWN_RECORD": "controleerde en herstelde het eigen dossier in de datameent",
    "FLAGGED": "werd geselecteerd voor een fraudeonderzoek",
    "NOTHING_FOUND": "werd onderzocht; er werd niets gevonden",
    "REPAYMENT": "moet te veel ontvangen bijstand terugbetalen (geen fraude vastgesteld)",
    "SANCTIONED_WRONGFULLY": "kreeg een fraudesanctie zonder enige opzet (terugvordering, boete, uitkering gestopt)",
    "SANCTIONED_FRAUD": "kreeg een sanctie voor opzettelijke fraude",
    "INFORMED": "hoorde wie de gegevens bekeek, wanneer en waarom",
    "NEW_CASEWORKER": "kreeg een nieuwe klantmanager",
    "SUPPORT_PROGRESS": "ging met ondersteuning vooruit op een domein van zelfredzaamheid",
    "FOUND_WORK": "vond betaald werk en verliet de bijstand",
    "GAVE_UP": "zag af van de bijstand waar hij of zij recht op heeft",
    "APPLIED": "vroeg bijstand aan en ontvangt die",
    "BACK_FROM_WORK": "verloor het werk en heeft weer recht op bijstand",
    "ARRIVED": "kreeg recht op bijstand",
    "SUPPORT_PRIORITY": "kreeg van het algoritme voorrang voor extra ondersteuning",
}

_ISSUE_NL = {
    "drop_proxy_features": "Stop met taal, alleenstaand ouderschap en mantelzorg als risicokenmerk",
    "separate_error_from_intent": "Behandel een niet gemelde wijziging zonder opzet als fout, niet als fraude",
    "lower_information_burden": "Vraag alleen om informatie die echt nodig is",
    "inform_clients": "Vertel cliënten wie hun gegevens bekeek, wanneer en waarom",
}

_FEATURE_NL = {
    "linkage_mismatch": "afwijking bij koppeling", "zrm_recorded_mean": "geregistreerde ZRM",
    "zrm_blank_share": "lege ZRM-domeinen", "meetings_last_year": "gesprekken vorig jaar",
    "language_barrier": "taalbarrière", "carer": "mantelzorger", "single_parent": "alleenstaande ouder",
    "age_band": "leeftijdsgroep", "variable_income": "wisselend inkomen",
    "months_on_benefit": "maanden in de bijstand", "past_findings": "eerdere bevindingen",
}
_FEATURE_EN = {"carer": "carer (mantelzorger)"}


def story_text(text: str) -> str:
    """A story sentence of the core (English) in the session's language."""
    if lang.value != "nl":
        return text
    try:
        from fatal_remedies.model.agents import EVENT_TEXT
    except ImportError:
        return text
    for ev, en in EVENT_TEXT.items():
        if en == text:
            return _EVENT_NL.get(ev.name, text)
    return text


def issue_text(issue: dict) -> str:
    if lang.value == "nl":
        return _ISSUE_NL.get(issue.get("issue", ""), issue.get("text", issue.get("issue", "")))
    return issue.get("text", issue.get("issue", ""))


def feature(name: str) -> str:
    if lang.value == "nl":
        return _FEATURE_NL.get(name, name.replace("_", " "))
    return _FEATURE_EN.get(name, name.replace("_", " "))


_TRAIT_LABEL = {
    # traits that are not audited groups; the audited groups' names are the metric registry's
    "language_barrier": metrics.GROUP_LABELS["language"],
    "low_education": ("low education", "laagopgeleid"),
}


def group_label(key: str) -> str:
    """Name of an audited group (metric registry) or of another trait."""
    pair = metrics.GROUP_LABELS.get(key) or _TRAIT_LABEL.get(key)
    if pair is None:
        return key.replace("_", " ")
    return pair[1] if lang.value == "nl" else pair[0]
