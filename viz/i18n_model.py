"""Texts of the parameters, groups, choices, events and council issues that came with the municipality model (0.3.0).

`viz/i18n.py` merges these tables into its own (`_PARAM_EN`, `_PARAM_NL`, `_GROUPS_NL`, `_CHOICE`,
`_EVENT_NL`, `_ISSUE_NL`, `_UNITS_NL`), so each text is written once; `i18n.missing_translations()`
checks that every registry parameter, choice value and event has its words. The Dutch follows the
registry's English `meaning` (model/params.py) sentence for sentence, without code names: the
reader is a policymaker or a member of a cliëntenraad.
"""

from __future__ import annotations

PARAM_NL: dict[str, tuple[str, str]] = {
    # ---- data practice ----------------------------------------------------------------------
    "warehouse_linkage": ("Koppeling datawarehouse", "Aandeel van de gemeentelijke registraties dat op één plek "
                          "gekoppeld is, zodat afwijkingen zichtbaar worden (0 = geen datawarehouse)."),
    "purpose_binding": ("Doelbinding", "Gegevens die voor ondersteuning gekoppeld zijn, worden niet gebruikt om "
                        "fraudeonderzoeken te kiezen (doelbinding uit de AVG)."),
    # ---- enforcement ------------------------------------------------------------------------
    "random_audits": ("Steekproefcontroles", "Onderzoekscapaciteit die overblijft na signalen en tips (en niet "
                      "door een fraudealgoritme wordt gebruikt) gaat naar willekeurige controles; uit: alleen "
                      "signalen, tips en afwijkingen in het datawarehouse worden onderzocht."),
    "false_finding_months": ("Terugvordering bij onterechte bevinding", "Aantal maanden te veel betaald dat de "
                             "gemeente terugvordert na een onterechte bevinding van een onderzoek (er was niets)."),
    "reinvestigation_bar_months": ("Wachttijd voor nieuw onderzoek", "Maanden na een onderzoek voordat dezelfde "
                                   "persoon opnieuw voor onderzoek gekozen kan worden."),
    "objection_rate": ("Bezwaar na fraudesanctie", "Aandeel van wie met opzet fraudeerde en een sanctie kreeg, "
                       "dat bezwaar of beroep aantekent."),
    "objection_rate_wrongful": ("Bezwaar na onterechte sanctie", "Aandeel van wie zonder opzet een sanctie kreeg, "
                                "dat bezwaar of beroep aantekent."),
    "objection_success": ("Kans dat bezwaar slaagt", "Kans dat een bezwaar tegen een onterechte sanctie gegrond "
                          "is: terugvordering, boete en opgelopen achterstanden worden vergoed, met een "
                          "schadevergoeding."),
    # ---- client council ---------------------------------------------------------------------
    "obstructed_weight": ("Gehoor voor raad zonder data", "Welk deel van het gehoor een cliëntenraad zonder "
                          "toegang tot data (alleen de eigen ervaring van de leden) krijgt: die wordt grotendeels "
                          "genegeerd."),
    "escalation_months": ("Maanden tot escalatie", "Maanden dat een genegeerd punt van de cliëntenraad openstaat "
                          "voordat de raad het escaleert (pers, ombudsman)."),
    "escalation_effect": ("Effect van escalatie", "Kans dat een geëscaleerd punt alsnog wordt overgenomen; anders "
                          "wordt het gesloten."),
    "council_step": ("Stap bij overgenomen punt", "Hoe ver een overgenomen punt van de cliëntenraad een "
                     "beleidsknop verschuift, als deel van het bereik van die knop."),
    "council_ratio_alarm": ("Alarmgrens verschil tussen groepen", "Verhouding tussen de signalerings- of "
                            "sanctiekans van een groep en die van de rest, vanaf waar een cliëntenraad met data "
                            "het verschil aankaart."),
    "council_hardship_alarm": ("Alarmgrens verschil in nood", "Verschil in gemiddelde nood (0-1) tussen een groep "
                               "en alle rechthebbenden, vanaf waar een cliëntenraad met data het verschil "
                               "aankaart."),
    "council_wrongful_alarm": ("Alarmgrens onterechte sancties", "Aandeel fraudesancties zonder opzet vanaf waar "
                               "de cliëntenraad vraagt fouten en opzet uit elkaar te houden."),
    "council_ntu_alarm": ("Alarmgrens niet-gebruik", "Niet-gebruik vanaf waar de cliëntenraad vraagt "
                          "rechthebbenden actief op te zoeken (en, bij een hoge informatielast, om minder last)."),
    "council_burden_alarm": ("Alarmgrens informatielast", "Informatielast vanaf waar de cliëntenraad vraagt die "
                             "te verlagen."),
    "council_trust_alarm": ("Alarmgrens vertrouwen", "Gemiddeld vertrouwen van de leden waaronder een "
                            "cliëntenraad zonder data klaagt over de informatielast."),
    "council_error_alarm": ("Alarmgrens fouten in dossiers", "Aandeel ontvangers met een fout in het dossier "
                            "(gezien in de datameent of bij controle) vanaf waar een cliëntenraad met data vraagt "
                            "de dossiers te herstellen."),
    "council_support_alarm": ("Alarmgrens tijd voor steun", "Ondersteuningsuren per ontvanger per maand waaronder "
                              "de cliëntenraad zegt dat cliënten te lang op hulp wachten."),
    # ---- the municipality and its dashboard -------------------------------------------------
    "dashboard": ("Sturen op dashboard", "De gemeente stuurt elk kwartaal op een dashboard en verschuift haar "
                  "beleidsknoppen naar haar kijk op de cijfers; uit: de knoppen blijven waar het scenario ze "
                  "zet."),
    "framing": ("Kijk van de gemeente", "Hoe de gemeente haar dashboard leest: bij controle leiden gevonden fraude "
                "en stijgende uitgaven tot meer controle; bij dienstverlening reageert ze op de cliëntenraad, de "
                "tevredenheid en het niet-gebruik."),
    "dashboard_shows_non_take_up": ("Dashboard toont niet-gebruik", "Of het dashboard het niet-gebruik laat zien "
                                    "(de meeste gemeenten meten het niet)."),
    "fraud_tolerance": ("Aanvaarde fraude", "Gevonden fraude per 1.000 ontvangers per kwartaal die een gemeente "
                        "met een controlekijk accepteert; vindt ze meer, dan verscherpt ze de controle, vindt ze "
                        "minder, dan versoepelt ze."),
    "spending_pressure": ("Druk van de uitgaven", "Hoe sterk stijgende uitgaven (uitkeringen en uitvoering, "
                          "vergeleken met een jaar eerder) de druk tot meer controle vergroten."),
    "municipality_step": ("Tempo van de gemeente", "Hoe snel de gemeente een beleidsknop verschuift: het deel van "
                          "de afstand tot het maximum (of minimum) van die knop per kwartaal, bij volle druk."),
    "data_project_months": ("Doorlooptijd dataproject", "Maanden van de opdracht voor een dataproject (meer "
                            "koppeling in het datawarehouse, een fraudealgoritme) tot het werkt; Enschede "
                            "plande een half jaar en deed er 3,5 jaar over."),
    "cap_investigation_capacity": ("Maximale onderzoekscapaciteit", "Hoogste onderzoekscapaciteit waartoe een "
                                   "gemeente met een controlekijk doorgroeit."),
    "cap_information_burden": ("Maximale informatielast", "Hoogste informatielast waartoe een gemeente met een "
                               "controlekijk doorgroeit."),
    "cap_sanction_months": ("Langste stopzetting", "Langste stopzetting van de uitkering waartoe een gemeente met "
                            "een controlekijk doorgroeit."),
    "cap_warehouse_linkage": ("Maximale koppeling", "Hoogste koppeling in het datawarehouse waartoe een gemeente "
                              "met een controlekijk doorgroeit."),
    "satisfaction_target": ("Doel tevredenheid", "Tevredenheid (het gemiddelde vertrouwen van ontvangers in de "
                            "enquête) waaronder een gemeente met een dienstverleningskijk de informatielast "
                            "verlaagt."),
    "ntu_target": ("Doel niet-gebruik", "Niet-gebruik waarboven een gemeente met een dienstverleningskijk (als "
                   "haar dashboard het toont) rechthebbenden actief opzoekt."),
    "outreach": ("Actief opzoeken", "Rechthebbenden zonder uitkering actief benaderen (brieven, huisbezoeken, "
                 "inloopspreekuren): zo vragen meer mensen aan."),
    "outreach_effect": ("Effect van actief opzoeken", "Hoeveel volledig actief opzoeken de kans op een aanvraag "
                        "verhoogt (1 = verdubbelt de kans)."),
    # ---- money ------------------------------------------------------------------------------
    "warehouse_build_eur": ("Bouwkosten datawarehouse", "Kosten van het bouwen van het datawarehouse tot volledige "
                            "koppeling, per persoon in de populatie (betaald naarmate de koppeling groeit)."),
    "algorithm_cost_eur": ("Lopende kosten algoritme", "Lopende kosten van een risico- of steunalgoritme "
                           "(licenties, adviseurs, hertrainen) per persoon in de populatie."),
    "algorithm_build_eur": ("Aanschaf algoritme", "Eenmalige kosten van het laten maken van een algoritme (een "
                            "project met een marktpartij), per persoon in de populatie."),
    "investigation_cost_eur": ("Kosten per onderzoek", "Kosten van één fraudeonderzoek door het handhavingsteam, "
                               "bovenop de uren van de klantmanager."),
    "objection_cost_eur": ("Kosten per bezwaar", "Kosten voor de gemeente van het behandelen van één bezwaar of "
                           "beroep."),
    "compensation_eur": ("Schadevergoeding", "Vergoeding voor een onterechte sanctie als het bezwaar gegrond is "
                         "(bovenop het terugbetalen van terugvordering, boete en achterstanden)."),
    "sanction_arrears_share": ("Achterstanden bij stopzetting", "Achterstanden (huur, rekeningen) die iemand elke "
                               "maand oploopt zolang de uitkering gestopt is, als aandeel van de uitkering."),
    # ---- population -------------------------------------------------------------------------
    "share_variable_income": ("Aandeel wisselend inkomen", "Aandeel mensen met een wisselend inkomen (bijbaan, "
                              "onregelmatige uren)."),
    "complexity_base": ("Basiscomplexiteit", "Hoe vaak de omstandigheden veranderen van een huishouden zonder "
                        "kinderen, zorgtaken of wisselend inkomen, vergeleken met de kans op wijziging."),
    "complexity_carer": ("Complexiteit mantelzorger", "Extra complexiteit van de omstandigheden van een "
                         "mantelzorger (spaargeld van een ouder, een gedeeld huishouden)."),
    "complexity_single_parent": ("Complexiteit alleenstaande ouder", "Extra complexiteit van de omstandigheden van "
                                 "een alleenstaande ouder (inkomen van kinderen, alimentatie)."),
    "complexity_variable_income": ("Complexiteit wisselend inkomen", "Extra complexiteit van een wisselend "
                                   "inkomen (elke maand moet het verdiende bedrag gemeld worden)."),
    "literacy_language_penalty": ("Taalbarrière en papierwerk", "Hoeveel minder administratief vaardig iemand "
                                  "met een taalbarrière is."),
    "literacy_education_penalty": ("Opleiding en papierwerk", "Hoeveel minder administratief vaardig iemand met "
                                   "weinig opleiding is."),
    # ---- behaviour --------------------------------------------------------------------------
    "contact_trust_effect": ("Wantrouwen en contact", "Hoeveel wantrouwen mensen (eerlijk of niet) het contact "
                             "met hun klantmanager laat mijden: bij vertrouwen 0 dalen de gesprekken met dit "
                             "aandeel."),
    "trust_reporting_effect": ("Wantrouwen en melden", "Hoeveel wantrouwen het op tijd melden van wijzigingen "
                               "verlaagt: bij vertrouwen 0 met dit aandeel."),
    "felt_burden_offset": ("Gevoelde informatielast", "De last die iemand voelt is de informatielast maal (deze "
                           "waarde min de administratieve vaardigheid): wie het meest vaardig is, voelt (deze "
                           "waarde min 1) ervan."),
    "takeup_trust_effect": ("Wantrouwen en aanvragen", "Hoeveel wantrouwen rechthebbenden ervan weerhoudt aan te "
                            "vragen: bij vertrouwen 0 met dit aandeel."),
    "takeup_burden_effect": ("Last en aanvragen", "Hoeveel de gevoelde informatielast rechthebbenden ervan "
                             "weerhoudt aan te vragen: bij de volle gevoelde last met dit aandeel."),
    "return_after_sanction": ("Terugkeer na stopzetting", "Kans dat iemand opnieuw aanvraagt als de stopzetting "
                              "van de uitkering afloopt, bij vertrouwen 0 (de rest haakt af)."),
    "return_after_sanction_trust": ("Terugkeer en vertrouwen", "Extra kans om na een stopzetting opnieuw aan te "
                                    "vragen bij volledig vertrouwen."),
    "tip_rate": ("Kans op een tip", "Maandelijkse kans dat iemand die met opzet fraudeert via een tip wordt "
                 "aangegeven."),
    "false_tip_rate": ("Kans op een valse tip", "Maandelijkse kans dat een tip iemand aangeeft die bijstand "
                       "ontvangt en niet fraudeert."),
    # ---- data quality and investigation -----------------------------------------------------
    "error_finding_factor": ("Fout aangezien voor fraude", "Hoeveel vaker een onderzoeker of klantmanager een "
                             "fout in het dossier aanziet voor een onregelmatigheid dan een dossier zonder fout "
                             "(een afwijking in de data kan ook een falende bureaucratie zijn)."),
    "mismatch_memory_months": ("Geheugen voor afwijkingen", "Maanden dat een afwijking uit het datawarehouse als "
                               "'recent' in iemands dossier blijft voor de selectie en de risicoscore."),
    "signal_sensitivity": ("Klantmanager merkt iets op", "Kans per gesprek dat een klantmanager die de cliënt een "
                           "jaar kent een echte niet gemelde wijziging of fraude opmerkt en voor onderzoek "
                           "doorgeeft."),
    "signal_false_rate": ("Onterecht signaal", "Kans per gesprek dat een nieuwe klantmanager een cliënt zonder "
                          "onregelmatigheid voor onderzoek doorgeeft (vaker bij een fout in het dossier)."),
    "continuity_signal_effect": ("Cliënt kennen en signaleren", "Hoeveel het kennen van de cliënt (een jaar "
                                 "dezelfde klantmanager) signalen scherper maakt: een nieuwe klantmanager merkt "
                                 "dit aandeel minder op, en een bekende cliënt krijgt dit aandeel minder "
                                 "onterechte signalen."),
    "zrm_rescore_rate": ("ZRM opnieuw scoren", "Maandelijkse kans dat de klantmanager de ZRM van een cliënt "
                         "opnieuw scoort (ongeveer twee keer per jaar); een nieuwe klantmanager scoort altijd "
                         "opnieuw."),
    "paperwork_floor": ("Vaste administratie", "Aandeel van de administratie dat blijft als de gemeente alleen "
                        "vraagt wat nodig is (informatielast 0)."),
    "investigation_meetings": ("Gesprekken per onderzoek", "Gesprekken die een onderzoek toevoegt aan het aantal "
                               "contacten van de persoon."),
    # ---- trust ------------------------------------------------------------------------------
    "transparency_softening": ("Verzachting door uitleg", "Deel van het vertrouwensverlies door een onderzoek dat "
                               "wegvalt als de cliënt hoort wie keek, wanneer en waarom; uitleg voegt zelf nooit "
                               "vertrouwen toe (transparantie is een wens, geen remedie)."),
    "trust_loss_burden": ("Verlies door informatielast", "Deel van het vertrouwen dat per maand verloren gaat bij "
                          "de volle gevoelde informatielast (steeds opnieuw hetzelfde moeten aanleveren)."),
    "trust_loss_rotation": ("Verlies door wisseling", "Deel van het vertrouwen dat verloren gaat bij overdracht "
                            "aan een nieuwe klantmanager (cliënten vragen om een vaste)."),
    "scar_decay": ("Slijten van het litteken", "Hoe snel per maand het litteken van een onterechte sanctie "
                   "slijt; zolang het er is, herstelt vertrouwen alleen zo snel als het litteken slijt "
                   "(vertrouwen is sneller weg dan terug)."),
    "trust_quality_effect": ("Wantrouwen en kwaliteit van steun", "Hoeveel wantrouwen de kwaliteit van de "
                             "ondersteuning verlaagt (wie wantrouwt, vertelt minder): bij vertrouwen 0 met dit "
                             "aandeel."),
    "hearsay_share": ("Verlies van horen zeggen", "Deel van het vertrouwensverlies door een onterechte sanctie dat "
                      "een kennis voelt die ervan hoort (maal de sterkte van mond-tot-mond)."),
    "network_homophily": ("Eigen kring", "Hoeveel kennissen tot dezelfde gemeenschap horen (taalgroep en "
                          "omstandigheden: mantelzorg, alleenstaand ouderschap): 0 mengt iedereen, 1 houdt "
                          "mond-tot-mond binnen de gemeenschappen."),
    # ---- support and work -------------------------------------------------------------------
    "work_ssm_exponent": ("Zelfredzaamheid en werk", "Hoe steil de kans op werk stijgt met de zelfredzaamheid "
                          "(gemiddelde ZRM, geschaald van 0 tot 1)."),
    "work_support_effect": ("Werk dankzij steun", "Deel van de kans op werk dat van ondersteuning afhangt (de rest "
                            "komt ook zonder)."),
    "work_support_cap": ("Grootste effect van steun op werk", "Hoeveel intensieve ondersteuning de kans op werk "
                         "hoogstens vermenigvuldigt, vergeleken met gemiddelde ondersteuning."),
    "work_language_factor": ("Werk met taalbarrière", "Kans op werk met een taalbarrière, vergeleken met zonder."),
    "hardship_decay_effect": ("Nood en terugval", "Hoeveel volle nood het terugvallen op de zelfredzaamheid "
                              "vermenigvuldigt (1 = verdubbelt het)."),
    "support_ranked_share": ("Aandeel met extra steun", "Aandeel ontvangers dat het steunalgoritme voor extra "
                             "ondersteuning kiest."),
}

PARAM_NL_UPDATE: dict[str, tuple[str, str]] = {
    # existing `_PARAM_NL` entries whose English meaning changed in issue 10 (or that showed a code
    # name): replace them; and delete "warehouse" and "trust_gain_transparency", which are no longer
    # registry parameters
    "investigation_capacity": ("Onderzoekscapaciteit", "Meeste onderzoeken per maand als aandeel van de "
                               "ontvangers, langs alle routes (algoritme, steekproef, afwijking in het "
                               "datawarehouse, signaal van de klantmanager, tip); Rotterdam: ~1.250 van ~30.000 "
                               "per jaar, ongeveer 0,0035 per maand."),
    "sanction_regime": ("Sanctieregime", "Alles-of-niets: elke gevonden onregelmatigheid telt als fraude "
                        "(terugvordering, boete, stopzetting); proportioneel: een fout is geen fraude "
                        "(alleen terugbetalen, tenzij opzet is vastgesteld)."),
    "support_priority": ("Voorrang bij ondersteuning", "Extra ondersteuningsuren voor wie het steunalgoritme het "
                         "hoogst rangschikt (alleen als het algoritme voor ondersteuning rangschikt)."),
    "council_data_access": ("Cliëntenraad heeft data", "De cliëntenraad heeft toegang tot de data en controleert "
                            "elk kwartaal signaleringen, sancties en niet-gebruik per groep (Rotterdam weigerde "
                            "zijn raad die toegang)."),
    "council_responsiveness": ("Gehoor voor de cliëntenraad", "Kans dat de gemeente een punt overneemt dat een "
                               "cliëntenraad met data inbrengt."),
    "warehouse_cost_eur": ("Kosten datawarehouse", "Lopende kosten van het datawarehouse bij volledige koppeling, "
                           "per persoon in de populatie."),
    "investigation_false_finding": ("Onterechte bevinding", "Kans dat een onderzoek bij een cliënt zonder "
                                    "onregelmatigheid toch iets 'vindt' (vaker bij een fout in het dossier)."),
    "paperwork_hours": ("Administratie-uren", "Uren per cliënt per maand voor het verwerken van gevraagde "
                        "informatie bij de volle informatielast."),
    "support_effect": ("Effect ondersteuning", "Maandelijkse kans dat goede steun werkt op het domein dat in het "
                       "dossier het zwakst staat; het gaat een stap vooruit voor zover het echt zwak is."),
}

GROUP_NL: dict[str, str] = {
    "Municipality": "Gemeente",
}

CHOICE_NL: dict[str, dict[str, str]] = {
    # framing is new; the other choice parameters had no Dutch values either (the selector shows
    # the raw value), so they are here too
    "framing": {"control": "controle", "service": "dienstverlening"},
    "algorithm_purpose": {"none": "geen (steekproef)", "fraud": "frauderisico", "support": "ondersteuning"},
    "sanction_regime": {"all_or_nothing": "alles-of-niets", "proportional": "proportioneel"},
    "caseload": {"rotating": "wisselende klantmanager", "fixed": "vaste klantmanager"},
}

EVENT_NL: dict[str, str] = {
    "OBJECTION_UPHELD": "maakte bezwaar tegen de sanctie en kreeg gelijk: terugbetaling en schadevergoeding",
}

ISSUE_NL: dict[str, str] = {
    # the council's five new issue types (ClientCouncil.ISSUES), for `_ISSUE_NL`
    "outreach": "Zoek de rechthebbenden op die hun uitkering niet aanvragen",
    "fix_records": "Herstel de fouten die cliënten in hun eigen gegevens vinden",
    "close_group_gap": "Mildere terugvordering en kortere stopzettingen: één groep krijgt meer sancties of nood",
    "fixed_caseworker": "Geef elke cliënt een vaste klantmanager",
    "more_support_time": "Kleinere caseloads: cliënten wachten te lang op hulp",
}

UNITS_NL: dict[str, str] = {
    # parameter units new in issue 10 that neither `_UNITS_NL` nor the metric registry translates
    "EUR per client": "EUR per cliënt",
    "EUR per investigation": "EUR per onderzoek",
    "EUR per objection": "EUR per bezwaar",
    "EUR per upheld objection": "EUR per gegrond bezwaar",
    "exponent": "exponent",
    "meetings": "gesprekken",
    "per 1,000 receiving per quarter": "per 1.000 ontvangers per kwartaal",
    "per meeting": "per gesprek",
    "share of distance per quarter": "aandeel van de afstand per kwartaal",
    "share of range": "aandeel van het bereik",
    "share of the loss": "aandeel van het verlies",
    "share of trust per month": "aandeel vertrouwen per maand",
}


PARAM_EN: dict[str, str] = {
    # English label of each of these parameters (the help is the registry's meaning)
    "warehouse_linkage": "Warehouse linkage", "purpose_binding": "Purpose binding of data",
    "random_audits": "Random audits", "false_finding_months": "Months claimed after a false finding",
    "reinvestigation_bar_months": "Wait before a new investigation", "objection_rate": "Objections after a fraud sanction",
    "objection_rate_wrongful": "Objections after a wrongful sanction", "objection_success": "Chance an objection succeeds",
    "obstructed_weight": "Hearing for a council without data", "escalation_months": "Months before escalating",
    "escalation_effect": "Effect of escalation", "council_step": "Step of an adopted issue",
    "council_ratio_alarm": "Council alarm: gap between groups", "council_hardship_alarm": "Council alarm: hardship gap",
    "council_wrongful_alarm": "Council alarm: wrongful sanctions", "council_ntu_alarm": "Council alarm: non-take-up",
    "council_burden_alarm": "Council alarm: burden", "council_trust_alarm": "Council alarm: members' distrust",
    "council_error_alarm": "Council alarm: record errors", "council_support_alarm": "Council alarm: support time",
    "dashboard": "Steering on a dashboard", "framing": "How the municipality reads its dashboard",
    "dashboard_shows_non_take_up": "Dashboard shows non-take-up", "fraud_tolerance": "Fraud the municipality accepts",
    "spending_pressure": "Pressure from rising spending", "municipality_step": "Speed of the municipality",
    "data_project_months": "Duration of a data project", "cap_investigation_capacity": "Most investigations",
    "cap_information_burden": "Highest information burden", "cap_sanction_months": "Longest benefit stop",
    "cap_warehouse_linkage": "Most warehouse linkage", "satisfaction_target": "Satisfaction aimed for",
    "ntu_target": "Non-take-up accepted", "outreach": "Outreach", "outreach_effect": "Effect of outreach",
    "warehouse_build_eur": "Cost of building the warehouse", "algorithm_cost_eur": "Running cost of an algorithm",
    "algorithm_build_eur": "Cost of commissioning an algorithm", "investigation_cost_eur": "Cost of an investigation",
    "objection_cost_eur": "Cost of an objection", "compensation_eur": "Compensation for a wrongful sanction",
    "sanction_arrears_share": "Arrears while the benefit is stopped", "share_variable_income": "Share with a variable income",
    "complexity_base": "How often circumstances change", "complexity_carer": "Extra changes for carers",
    "complexity_single_parent": "Extra changes for single parents",
    "complexity_variable_income": "Extra changes with a variable income",
    "literacy_language_penalty": "Literacy and a language barrier", "literacy_education_penalty": "Literacy and education",
    "contact_trust_effect": "Distrust and avoiding contact", "trust_reporting_effect": "Distrust and reporting",
    "felt_burden_offset": "How the burden is felt", "takeup_trust_effect": "Distrust and applying",
    "takeup_burden_effect": "Burden and applying", "return_after_sanction": "Re-applying after a benefit stop",
    "return_after_sanction_trust": "Trust and re-applying", "tip_rate": "Tips about fraud",
    "false_tip_rate": "Tips about people who commit no fraud", "error_finding_factor": "Record errors taken for irregularities",
    "mismatch_memory_months": "Months a mismatch counts", "signal_sensitivity": "Caseworkers notice changes",
    "signal_false_rate": "Caseworkers' false signals", "continuity_signal_effect": "Knowing the client sharpens signals",
    "zrm_rescore_rate": "Rescoring the ZRM", "paperwork_floor": "Paperwork that always remains",
    "investigation_meetings": "Meetings an investigation adds", "transparency_softening": "Explanation softens the loss",
    "trust_loss_burden": "Trust lost to the burden", "trust_loss_rotation": "Trust lost to a new caseworker",
    "scar_decay": "Fading of the mark of a wrongful sanction", "trust_quality_effect": "Distrust and quality of support",
    "hearsay_share": "Trust lost on hearing of a wrongful sanction", "network_homophily": "Acquaintances within a community",
    "hardship_decay_effect": "Hardship and falling back", "work_ssm_exponent": "Self-sufficiency and work",
    "work_support_effect": "Share of work chances from support", "work_support_cap": "Most that support adds to work chances",
    "work_language_factor": "Work with a language barrier", "support_ranked_share": "Share ranked for extra support",
}

CHOICE_EN: dict[str, dict[str, str]] = {
    "framing": {"control": "control (datasturing)", "service": "service (dienstverlening)"},
}
