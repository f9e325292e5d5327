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

import re

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
    "nav_limits": ("What it cannot tell", "Wat het niet zegt"),
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
    # ---- two views of one month (viz/pages/dashboard_view.py) --------------------------------
    "dash_title": ("Two views of the same month", "Twee blikken op dezelfde maand"),
    "dash_shows": ("What the dashboard shows", "Wat het dashboard laat zien"),
    "dash_lived": ("What clients live", "Wat cliënten meemaken"),
    "dash_this_month": ("month {m}", "maand {m}"),
    "dash_quarter": ("months {a}–{b}", "maanden {a}–{b}"),
    "dash_fraud_found": ("fraud found (all fraud sanctions)", "gevonden fraude (alle fraudesancties)"),
    "dash_recovered": ("money recovered (claims + fines)", "teruggehaald geld (terugvorderingen + boetes)"),
    "dash_cost_per": ("cost per person receiving", "kosten per ontvanger"),
    "dash_sentence": ("The dashboard shows {found} fraud cases found in months {a}–{b}; it does not show "
                      "the {wrongful} people sanctioned without intent.",
                      "Het dashboard toont {found} gevonden fraudegevallen in maanden {a}–{b}; het toont niet "
                      "de {wrongful} mensen die zonder opzet een sanctie kregen."),
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
    "cmp_too_large": ("The file is larger than {n} bytes.", "Het bestand is groter dan {n} bytes."),
    "cmp_no_interval": ("(one replication: no interval)", "(één herhaling: geen interval)"),
    "cmp_method": ("Intervals: 95% Student-t interval of the replicate mean, cut off where the quantity "
                   "cannot go (below 0 for counts and amounts, outside 0-1 for shares and 0-1 scores such as trust).",
                   "Intervallen: 95%-Student-t-interval van het gemiddelde over de herhalingen, afgekapt "
                   "waar de grootheid niet kan komen (onder 0 voor aantallen en bedragen, buiten 0-1 voor "
                   "aandelen en scores op 0-1 zoals vertrouwen)."),
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
    "cmp_norms_note": ("The four sets of norms of the paper this model follows (Van Zoonen 2019), measured in "
                       "each run; ↑ higher is better, ↓ lower is better; hover over a name for its definition.",
                       "De vier normensets uit het artikel waarop dit model berust (Van Zoonen 2019), gemeten in "
                       "elke run; ↑ hoger is beter, ↓ lager is beter; wijs een naam aan voor de definitie."),
    "metric": ("metric", "maatstaf"),
    "cmp_explore_option": ("{label}: the Explore page's scenario ({name}) with your changes",
                           "{label}: het scenario van Verkennen ({name}) met uw wijzigingen"),
    # ---- values, fields, errors -------------------------------------------------------------
    "on": ("on", "aan"),
    "off": ("off", "uit"),
    "bad_number": ("{label}: enter a number from {lo} to {hi}", "{label}: vul een getal in van {lo} tot {hi}"),
    "bad_int": ("{label}: enter a whole number from {lo} to {hi}",
                "{label}: vul een geheel getal in van {lo} tot {hi}"),
    "step_ms": ("step {ms} ms", "stap {ms} ms"),
    # ---- sensitivity ------------------------------------------------------------------------
    "sens_intro": ("Results of sensitivity sweeps: many runs with the uncertain parameters varied, to see which "
                   "of them move an outcome most. They are made on the command line (fatal-remedies sweep); this "
                   "page only draws what the sweep computed.",
                   "Resultaten van gevoeligheidsanalyses: veel runs waarin de onzekere parameters variëren, om te "
                   "zien welke een uitkomst het meest bewegen. Ze worden gemaakt op de opdrachtregel "
                   "(fatal-remedies sweep); deze pagina tekent alleen wat de analyse berekende."),
    "sens_pick": ("Results directory", "Resultatenmap"),
    "sens_none": ("No sweep results found. Run for example: fatal-remedies sweep --scenario control "
                  "--method morris --samples 8 --reps 1 --clients 1000 --months 60 --out results/morris",
                  "Geen resultaten gevonden. Draai bijvoorbeeld: fatal-remedies sweep --scenario control "
                  "--method morris --samples 8 --reps 1 --clients 1000 --months 60 --out results/morris"),
    "sens_manifest": ("How the sweep was made", "Hoe de analyse is gemaakt"),
    "sens_tables": ("Tables", "Tabellen"),
    "sens_plots": ("Plots", "Grafieken"),
    "sens_where": ("Looked in", "Gezocht in"),
    "sens_not_analysed": ("This sweep has not been analysed yet: run fatal-remedies analyze on its directory.",
                          "Deze analyse is nog niet uitgewerkt: draai fatal-remedies analyze op de map."),
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
    "lesson_under_control": ("under control", "onder controle"),
    "lesson_under_service": ("under service", "onder dienstverlening"),
    "lesson_series_reversal": ("control, service from month {switch}",
                               "controle, vanaf maand {switch} dienstverlening"),
    "lesson_series_service": ("service from the start", "dienstverlening vanaf het begin"),
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

_PARAM_EN: dict[str, str] = {
    # English label of each registry parameter: a name read by a person, not the identifier in scenario
    # files ("Zrm decay" and "Giveup rate" were code names with spaces); the help is the registry's meaning
    "n_clients": "Number of people", "months": "Months",
    "algorithm_purpose": "What the algorithm ranks for", "drop_proxy_features": "Leave out proxy features",
    "retrain_interval": "Retrain every", "training_window": "Training window", "score_noise": "Noise in the risk score",
    "transparency": "Transparency", "client_record_access": "Clients see their own record (datameent)",
    "consent_sharing": "Share data only with consent", "investigation_capacity": "Investigation capacity",
    "sanction_regime": "Sanction regime", "fine_rate": "Fine", "sanction_months": "Months the benefit stops",
    "information_burden": "Information burden", "caseload": "Caseload",
    "rotation_rate": "Chance of a new caseworker", "clients_per_caseworker": "Clients per caseworker",
    "caseworker_hours": "Hours per caseworker", "support_priority": "Priority in support",
    "council_data_access": "Client council has data access", "council_responsiveness": "Council is heard",
    "council_size": "Council members", "benefit_eur": "Benefit (bijstandsnorm)", "hourly_cost_eur": "Cost per hour",
    "warehouse_cost_eur": "Cost of the warehouse", "overpayment_eur": "Overpaid amount",
    "debt_repayment": "Debt repayment", "hardship_scale_eur": "Debt scale of hardship",
    "share_language_barrier": "Share with a language barrier", "share_single_parent": "Share of single parents",
    "share_carer": "Share of mantelzorgers (carers)", "share_low_education": "Share with low education",
    "initial_trust": "Trust at the start", "initial_non_take_up": "Non-take-up at the start",
    "life_event_rate": "Chance of a change to report", "report_skill": "Skill at reporting",
    "burden_reporting_effect": "Effect of the burden on reporting", "late_disclosure": "Late reporting",
    "fraud_base_rate": "Base chance of fraud", "fraud_trust_sensitivity": "Fraud and trust",
    "fraud_hardship_sensitivity": "Fraud and hardship", "deterrence": "Deterrence",
    "giveup_rate": "Giving up the benefit", "giveup_burden_sensitivity": "Giving up and burden",
    "giveup_trust_sensitivity": "Giving up and distrust", "takeup_rate": "Applying for the benefit",
    "meeting_rate": "Meetings", "record_error_rate": "Errors in the record",
    "record_fix_rate": "Municipality corrects errors", "zrm_noise": "Noise in the ZRM score",
    "zrm_blank_rate": "Blank ZRM domains", "linkage_detection": "Linkage finds a mismatch",
    "investigation_sensitivity": "Investigations find what is there",
    "investigation_false_finding": "Investigations find what is not there",
    "hours_per_investigation": "Hours per investigation", "paperwork_hours": "Paperwork hours",
    "late_fine_share": "Fine for late reporting", "intent_accuracy": "Judging intent",
    "trust_loss_investigation": "Trust lost by an investigation",
    "trust_loss_wrongful": "Trust lost by a wrongful sanction", "trust_gain_support": "Trust regained by support",
    "trust_gain_voice": "Trust regained by a voice",
    "word_of_mouth": "Word of mouth", "network_degree": "Acquaintances", "network_rewiring": "Network rewiring",
    "support_effect": "Effect of support", "continuity_effect": "Effect of continuity",
    "zrm_decay": "Falling back on the ZRM", "reintegration_rate": "Chance of work",
    "work_relapse": "Losing work again", "inflow_rate": "Inflow",
}

_CHOICE: dict[str, dict[str, tuple[str, str]]] = {
    # what each value of a choice parameter is called on screen (the values themselves are for files and links)
    "algorithm_purpose": {"none": ("nothing: random audits", "niets: steekproef"),
                          "fraud": ("fraud risk", "frauderisico"),
                          "support": ("need for support", "behoefte aan steun")},
    "sanction_regime": {"all_or_nothing": ("all-or-nothing", "alles-of-niets"),
                        "proportional": ("proportional", "proportioneel")},
    "caseload": {"rotating": ("rotating caseworkers", "wisselende klantmanagers"),
                 "fixed": ("a fixed caseworker (vaste klantmanager)", "een vaste klantmanager")},
}

# Dutch label and help text of each registry parameter; the English help is the registry's own
# `meaning` (with a choice's values written as `choice_label` writes them), the English label is `_PARAM_EN`'s.
_PARAM_NL: dict[str, tuple[str, str]] = {
    "n_clients": ("Aantal personen", "Aantal personen in de gesimuleerde populatie."),
    "months": ("Maanden", "Aantal gesimuleerde maanden."),
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
    "sanction_regime": ("Sanctieregime", "Alles-of-niets: elke onregelmatigheid telt als fraude (terugvordering, "
                        "boete, stopzetting); proportioneel: een fout is geen fraude."),
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
                         "het hoogst rangschikt (alleen als het algoritme rangschikt naar behoefte aan steun)."),
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
    return _PARAM_EN.get(p.name) or p.name.replace("_", " ").capitalize()


def param_help(p) -> str:
    """One-sentence help text of a registry parameter (a choice's values as `choice_label` writes them)."""
    if lang.value == "nl" and p.name in _PARAM_NL:
        return plain_names(_PARAM_NL[p.name][1])
    text = p.meaning
    for value in p.choices:
        if "_" in value:  # the registry's meaning names a value by its identifier ("all_or_nothing: ...")
            label = choice_label(p, value)
            text = re.sub(rf"(^|(?<=[;.] )){re.escape(value)}\b", label[:1].upper() + label[1:], text, count=1)
            text = re.sub(rf"\b{re.escape(value)}\b", label, text)
    return plain_names(text)


_IDENTIFIER = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b(?:\s*=\s*([a-z_]+)\b)?")


def plain_names(text: str) -> str:
    """`text` with every identifier written as a person reads it: a parameter or a metric by its label
    ("algorithm_purpose = support" -> "what the algorithm ranks for: need for support"), anything else
    without underscores. A safety net for registry meanings that name another parameter or a column."""
    from fatal_remedies.model.params import REGISTRY

    def words(hit: re.Match) -> str:
        name, value = hit.group(1), hit.group(2)
        p = REGISTRY.get(name)
        if p is not None and value is not None and value in p.choices:
            label = param_label(p)
            return f"{label[:1].lower()}{label[1:]}: {choice_label(p, value)}"
        shown = name_text(name)
        shown = shown[:1].lower() + shown[1:] if name in REGISTRY else shown
        return shown + (hit.group(0)[len(name):] if value is not None else "")

    return _IDENTIFIER.sub(words, text)


def choice_label(p, value: str) -> str:
    """What one value of a choice parameter is called on screen ("all-or-nothing", "alles-of-niets")."""
    pair = _CHOICE.get(p.name, {}).get(value)
    if pair is None:
        return str(value).replace("_", " ")
    return pair[1] if lang.value == "nl" else pair[0]


def on_off(value: bool) -> str:
    """An on/off parameter's state in words."""
    return t("on") if value else t("off")


def param_value(p, value) -> str:
    """A parameter's value as a person reads it: a choice's label, on/off, or a number in the session's format."""
    if p.type == "bool":
        return on_off(bool(value))
    if p.type == "choice":
        return choice_label(p, value)
    return num(value, style="general")


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
    """One-line meaning of a registry metric (hover text), with no identifier in it (`plain_names`)."""
    return plain_names(metrics.get(name).meaning(lang.value))


def metric_unit(name: str) -> str:
    """Unit of a registry metric in the session's language."""
    return metrics.get(name).unit_text(lang.value)


def num(x, **kw) -> str:
    """A number for the session's language, by the one formatter (`analysis.formatting.number`)."""
    return formatting.number(x, lang.value, **kw)


def group(g: str) -> str:
    return _GROUPS_NL.get(g, g) if lang.value == "nl" else g


def missing_translations() -> list[str]:
    """Registry parameters, choice values and scenarios without a plain English or Dutch text (a test keeps
    this empty, so a new parameter, choice or built-in scenario without its words fails it)."""
    from fatal_remedies.model.params import REGISTRY

    out = [name for name in REGISTRY if name not in _PARAM_NL]
    out += [f"{name} (English label)" for name in REGISTRY if name not in _PARAM_EN]
    out += [f"{p.name}={c}" for p in REGISTRY.values() for c in p.choices if c not in _CHOICE.get(p.name, {})]
    from fatal_remedies.model.scenario import list_scenarios

    out += [f"scenario {name}" for name, _ in list_scenarios() if name not in _SCENARIO_NL]
    return out


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


_SCENARIO_NL = {
    # Dutch description of each built-in scenario (its English one is the scenario file's `description`)
    "baseline": "Geen datawarehouse of algoritme: willekeurige controles met dezelfde capaciteit, wisselende "
                "klantmanagers, alles-of-niets-sancties, geen sturing op een dashboard.",
    "control": "Datasturing, stap voor stap gegroeid: het begint bescheiden (een klein datawarehouse, "
               "steekproeven, korte stopzettingen) en een gemeente die op haar dashboard stuurt met een "
               "controleblik, verscherpt haar hefbomen en start dataprojecten (een vollediger datawarehouse, een "
               "frauderisico-algoritme) zolang er fraude gevonden wordt; belemmerde cliëntenraad, wisselende "
               "klantmanagers, alles-of-niets-sancties.",
    "datameent": "Datameent: het scenario dienstverlening (service) plus cliënten die hun eigen dossier inzien en "
                 "verbeteren, gegevens delen met toestemming en volledige transparantie.",
    "reversal": "Controle in maand 1-60, daarna dienstverlening vanaf maand 61: herstellen vertrouwen en gebruik?",
    "service": "Dienstverlening: data gebonden aan ondersteuning (een steunalgoritme, geen risicoscores); "
               "onderzoek alleen na signalen van klantmanagers en tips; een vaste klantmanager met een kleinere "
               "caseload; een cliëntenraad met toegang tot data; een fout is geen fraude; lage informatielast; "
               "transparantie; een gemeente die met een dienstverleningsblik stuurt.",
}
_CHANGE_NL = {
    ("reversal", 61): "De gemeente stapt over van controle naar dienstverlening.",
}


def scenario_description(name: str, english: str) -> str:
    """A scenario's one-line description in the session's language (an uploaded one keeps its own)."""
    if lang.value == "nl":
        return _SCENARIO_NL.get(name, english)
    return english


def change_description(scenario: str, month: int, english: str) -> str:
    """A scenario's timed change ("The municipality switches from control to service.") in the session's language."""
    if lang.value == "nl":
        return _CHANGE_NL.get((scenario, month), english)
    return english


NORMS: tuple[tuple[str, tuple[str, str]], ...] = (
    # the scorecard's four sets of norms (Van Zoonen 2019), one sentence each, for the reader of the table
    ("FAIR", ("FAIR is about the data: are the records and the fraud labels the algorithm learns from correct?",
              "FAIR gaat over de data: kloppen de dossiers en de fraudelabels waarvan het algoritme leert?")),
    ("FACT", ("FACT is about the algorithm: does it treat groups alike, is it right about whom it flags, does it "
              "look at no more data than needed, and are people told who looked?",
              "FACT gaat over het algoritme: behandelt het groepen gelijk, klopt wie het signaleert, kijkt het niet "
              "naar meer gegevens dan nodig, en horen mensen wie keek?")),
    ("ROBUST", ("ROBUST is about the organisation: does it keep people's trust, spend its hours on support, help "
                "people back to work and avoid wrongful sanctions year after year?",
                "ROBUST gaat over de organisatie: houdt ze het vertrouwen van mensen, besteedt ze haar uren aan "
                "ondersteuning, helpt ze mensen aan werk en voorkomt ze onterechte sancties, jaar na jaar?")),
    ("SHARED", ("SHARED is about society: does the policy leave no group worse off than others, do people who are "
                "entitled keep their benefit, and is the client council heard?",
                "SHARED gaat over de samenleving: laat het beleid geen groep slechter af dan andere, houden "
                "rechthebbenden hun uitkering, en wordt de cliëntenraad gehoord?")),
)


def norm_sentences() -> list[tuple[str, str]]:
    """(norm, one sentence) for FAIR, FACT, ROBUST and SHARED in the session's language."""
    return [(norm, pair[1] if lang.value == "nl" else pair[0]) for norm, pair in NORMS]


def norms_explained_html() -> str:
    """The scorecard's note and its four norms, one sentence each, as an HTML list (Compare and the report)."""
    import html as _html

    items = "".join(f"<li class='norm-{norm.lower()}'>{_html.escape(text)}</li>" for norm, text in norm_sentences())
    return (f"<p style='margin: 4px 0'>{_html.escape(t('cmp_norms_note'))}</p>"
            f"<ul class='norms-explained' style='margin: 0 0 8px 0; font-size: 13px'>{items}</ul>")


_EVIDENCE = (
    # the council's evidence as the core writes it (English), and the same words in both languages
    (re.compile(r"^(?P<group>\w+) flagged (?P<x>[\d.]+)x as often as others$"),
     ("{group} flagged {x} times as often as others", "{group} {x} keer zo vaak gesignaleerd als anderen")),
    (re.compile(r"^(?P<pct>\d+)% of fraud sanctions had no intent$"),
     ("{pct}% of fraud sanctions had no intent", "{pct}% van de fraudesancties zonder opzet")),
    (re.compile(r"^non-take-up is (?P<pct>\d+)%$"),
     ("non-take-up is {pct}%", "niet-gebruik is {pct}%")),
    (re.compile(r"^only (?P<pct>\d+)% of clients are told who looked$"),
     ("only {pct}% of clients are told who looked", "maar {pct}% van de cliënten hoort wie keek")),
    (re.compile(r"^members' own experience$"), ("members' own experience", "eigen ervaring van de leden")),
    (re.compile(r"^a member was investigated without explanation$"),
     ("a member was investigated without explanation", "een lid werd zonder uitleg onderzocht")),
)


def evidence_text(text: str) -> str:
    """The council's evidence for an issue in the session's language, with a group's name, not its code."""
    for pattern, pair in _EVIDENCE:
        hit = pattern.match(str(text))
        if hit:
            fmt = dict(hit.groupdict())
            if "group" in fmt:
                fmt["group"] = group_label(fmt["group"])
                fmt["group"] = fmt["group"][:1].upper() + fmt["group"][1:]
            if "x" in fmt:
                fmt["x"] = num(float(fmt["x"]), decimals=2)
            return (pair[1] if lang.value == "nl" else pair[0]).format(**fmt)
    return str(text).replace("_", " ")


_TRAIT_NAME = {
    # the person's traits that are not yes/no (yes/no traits are named by `group_label`)
    "age_band": ("age", "leeftijd"), "literacy": ("literacy", "geletterdheid"),
    "complexity": ("complexity of the case", "complexiteit van de situatie"),
}


def trait_text(key: str, value) -> str:
    """One of a person's traits with its value ("age: 27-44", "geletterdheid: 0,62")."""
    pair = _TRAIT_NAME.get(key)
    name = (pair[1] if lang.value == "nl" else pair[0]) if pair else key.replace("_", " ")
    shown = num(value, decimals=2) if isinstance(value, float) else str(value)
    return f"{name}: {shown}"


_SENS_COLUMNS = {
    # column headings of the tables a sweep's analysis writes (analysis/sensitivity.py, analysis/discover.py)
    "outcome": ("outcome", "uitkomst"), "parameter": ("parameter", "parameter"),
    "parameter_1": ("first parameter", "eerste parameter"), "parameter_2": ("second parameter", "tweede parameter"),
    "mu": ("mean effect μ", "gemiddeld effect μ"),
    "mu_star": ("mean absolute effect μ*", "gemiddeld absoluut effect μ*"),
    "mu_star_conf": ("± 95% of μ*", "± 95% van μ*"),
    "sigma": ("spread of the effects σ", "spreiding van de effecten σ"),
    "S1": ("first-order index S1", "eerste-orde-index S1"), "S1_conf": ("± 95% of S1", "± 95% van S1"),
    "ST": ("total index ST", "totale index ST"), "ST_conf": ("± 95% of ST", "± 95% van ST"),
    "S2": ("joint index S2", "gezamenlijke index S2"), "S2_conf": ("± 95% of S2", "± 95% van S2"),
    "delta": ("delta index", "delta-index"), "delta_conf": ("± 95% of delta", "± 95% van delta"),
    "delta_balanced": ("delta index (balanced)", "delta-index (gebalanceerd)"),
    "minimum": ("minimum", "minimum"), "mean": ("mean", "gemiddelde"), "median": ("median", "mediaan"),
    "maximum": ("maximum", "maximum"), "CV": ("coefficient of variation", "variatiecoëfficiënt"),
    "points": ("points", "punten"), "N": ("sample size N", "steekproefgrootte N"),
    "total_variance": ("total variance", "totale variantie"), "noise_variance": ("noise variance", "ruisvariantie"),
    "noise_share": ("share of noise", "aandeel ruis"),
    "noise_share_of_means": ("share of noise in the means", "aandeel ruis in de gemiddelden"),
    "reps": ("replications", "herhalingen"), "box": ("box", "box"), "lo": ("from", "van"), "hi": ("to", "tot"),
    "sweep_lo": ("sweep from", "analyse van"), "sweep_hi": ("sweep to", "analyse tot"),
    "qp": ("significance (qp)", "significantie (qp)"), "unit": ("unit", "eenheid"), "run_id": ("run", "run"),
    "sample": ("sample", "steekproefpunt"), "rep": ("replication", "herhaling"), "seed": ("seed", "seed"),
    "status": ("status", "status"), "error": ("error", "fout"),
    # the manifest's items
    "method": ("method", "methode"), "samples": ("samples", "steekproefpunten"), "clients": ("people", "personen"),
    "months": ("months", "maanden"), "n_points": ("points", "punten"), "scenario": ("scenario", "scenario"),
    "factors": ("parameters varied", "gevarieerde parameters"),
}

_SENS_FILES = {
    # what each table or plot of a sweep's analysis shows (file name without its outcome and extension)
    "morris_indices": ("Morris screening: the effect of each parameter",
                       "Morris-screening: het effect van elke parameter"),
    "morris_convergence": ("Morris screening as the sample grows", "Morris-screening bij een groeiende steekproef"),
    "morris": ("Morris screening", "Morris-screening"),
    "sobol_indices": ("Sobol indices: the share of the variation each parameter explains",
                      "Sobol-indices: het deel van de variatie dat elke parameter verklaart"),
    "sobol_s2": ("Sobol indices of pairs of parameters", "Sobol-indices van paren parameters"),
    "sobol_convergence": ("Sobol indices as the sample grows", "Sobol-indices bij een groeiende steekproef"),
    "sobol": ("Sobol indices", "Sobol-indices"),
    "pawn_indices": ("PAWN indices", "PAWN-indices"), "pawn": ("PAWN indices", "PAWN-indices"),
    "delta_indices": ("Delta indices", "Delta-indices"), "delta": ("Delta indices", "Delta-indices"),
    "delta_convergence": ("Delta indices as the sample grows", "Delta-indices bij een groeiende steekproef"),
    "noise": ("Noise between replications", "Ruis tussen herhalingen"),
    "missing": ("Runs that failed", "Mislukte runs"),
    "prim_trajectory": ("Scenario discovery: the boxes found", "Scenario-ontdekking: de gevonden boxen"),
    "prim_boxes": ("Scenario discovery: the limits of each box", "Scenario-ontdekking: de grenzen van elke box"),
    "prim_tradeoff": ("Scenario discovery", "Scenario-ontdekking"),
}


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if lang.value == "nl" else pair[0]


def sens_column(name: str) -> str:
    """A heading of a sweep table in words (a column the app does not know is shown without underscores)."""
    pair = _SENS_COLUMNS.get(name)
    return _pick(pair) if pair else str(name).replace("_", " ")


def sens_file(stem: str, outcome: str | None = None) -> str:
    """What a table or plot of a sweep shows, from its file name ("morris_wrongful_sanctions_total" with its
    outcome -> "Morris screening: wrongful sanctions")."""
    if outcome and stem.endswith("_" + outcome):
        base = stem[: -len(outcome) - 1]
        head = _pick(_SENS_FILES[base]) if base in _SENS_FILES else base.replace("_", " ")
        return f"{head}: {name_text(outcome)}"
    for key in sorted(_SENS_FILES, key=len, reverse=True):
        if stem == key or stem.startswith(key + "_"):
            return _pick(_SENS_FILES[key]) + stem[len(key):].replace("_", " ")
    return stem.replace("_", " ")


def name_text(name) -> str:
    """A parameter's or a metric's name as a person reads it (its label), anything else without underscores."""
    from fatal_remedies.model.params import REGISTRY

    name = str(name)
    if name in REGISTRY:
        return param_label(REGISTRY[name])
    if name in metrics.REGISTRY:
        return metric_label(name)
    return name.replace("_", " ")


def _merge_model_texts() -> None:
    """Add the texts of the parameters, choices, events and issues that came with the municipality model."""
    from . import i18n_model as t

    _PARAM_EN.update(t.PARAM_EN)
    _PARAM_NL.update(t.PARAM_NL)
    _PARAM_NL.update(t.PARAM_NL_UPDATE)
    _GROUPS_NL.update(t.GROUP_NL)
    _EVENT_NL.update(t.EVENT_NL)
    _ISSUE_NL.update(t.ISSUE_NL)
    _UNITS_NL.update(t.UNITS_NL)
    for name, values in t.CHOICE_EN.items():
        _CHOICE.setdefault(name, {}).update({v: (en, t.CHOICE_NL[name][v]) for v, en in values.items()})


_merge_model_texts()
from . import i18n_lesson as _lesson  # noqa: E402,F401  (the lesson's words merge themselves into _T)
from . import i18n_sensitivity  # noqa: E402,F401 - adds the Sensitivity page's texts to _T
