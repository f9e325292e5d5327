"""Limits: what the model cannot tell you, in both languages.

A policymaker who sees "34 wrongful sanctions" on the Explore page may take
it for a forecast for their own city. This page says, in one screen, what
the figures rest on (assumptions), what the model leaves out, and why its
numbers are comparisons between scenarios under stated assumptions rather
than predictions. The text is here, beside the page, because it is this
page's content, not a label shared with others (those are in `viz.i18n`);
it follows docs/ODD.md (sections 7 and 9) and docs/VALIDATION.md.
"""

from __future__ import annotations

import html

import solara

from .. import i18n
from ..widgets import Heading, Html

TITLE = ("What the model cannot tell you", "Wat het model u niet kan vertellen")

INTRO = (
    "This is a simulation to think with, not a forecast. It shows how the parts of a bijstand administration "
    "can push each other — how a remedy against fraud can become a fatal one — under assumptions that are "
    "stated here. Read its numbers as “what follows if these assumptions hold”, not as what will happen in "
    "your municipality.",
    "Dit is een simulatie om mee te denken, geen voorspelling. Ze laat zien hoe de onderdelen van een "
    "bijstandsuitvoering elkaar kunnen versterken — hoe een middel tegen fraude een fatale remedie kan worden — "
    "onder aannames die hier staan. Lees de getallen als „wat volgt als deze aannames kloppen”, niet als wat "
    "er in uw gemeente zal gebeuren.",
)

SECTIONS: tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...] = (
    (("Its assumptions", "De aannames"), (
        ("People follow simple rules whose strengths we chose: how much trust an investigation or a wrongful "
         "sanction costs, how a heavy information burden makes people give up their benefit, how distrust and "
         "debt make fraud more likely. Most of these strengths are measured nowhere; they are set within "
         "plausible ranges (the Uncertainties on the Explore page).",
         "Mensen volgen eenvoudige regels waarvan wij de sterkte kozen: hoeveel vertrouwen een onderzoek of een "
         "onterechte sanctie kost, hoe een zware informatielast mensen doet afhaken, hoe wantrouwen en schuld "
         "fraude waarschijnlijker maken. De meeste van die sterktes zijn nergens gemeten; ze liggen binnen "
         "aannemelijke grenzen (de Onzekerheden op de pagina Verkennen)."),
        ("Only four figures are fitted to Dutch sources: the number of investigations, repayment claims, fines, "
         "and non-take-up of about 35%. Everything else follows from the rules, not from data.",
         "Maar vier cijfers zijn afgestemd op Nederlandse bronnen: het aantal onderzoeken, terugvorderingen, "
         "boetes, en een niet-gebruik van ongeveer 35%. Al het andere volgt uit de regels, niet uit data."),
        ("The risk algorithm is a simple statistical model on about a dozen features (Rotterdam's used 315), and "
         "it learns only from the cases it chose to investigate itself.",
         "Het risicoalgoritme is een eenvoudig statistisch model met een tiental kenmerken (dat van Rotterdam "
         "gebruikte er 315), en het leert alleen van de gevallen die het zelf liet onderzoeken."),
        ("A mistake in the municipality's records looks to the data warehouse exactly like a change someone did "
         "not report.",
         "Een fout in het dossier van de gemeente ziet er voor het datawarehouse precies zo uit als een wijziging "
         "die iemand niet meldde."),
        ("The people are made up: how many are mantelzorgers, single parents or have a language barrier is set "
         "by a parameter, not taken from a real register.",
         "De mensen zijn verzonnen: hoeveel er mantelzorger of alleenstaande ouder zijn of een taalbarrière "
         "hebben, ligt vast in een parameter en komt niet uit een echt register."),
    )),
    (("What is not modelled", "Wat niet in het model zit"), (
        ("Objection and appeal (bezwaar en beroep), courts, the Ombudsman, the press and politics: nothing from "
         "outside stops a harmful policy.",
         "Bezwaar en beroep, rechters, de Ombudsman, de pers en de politiek: niets van buiten houdt schadelijk "
         "beleid tegen."),
        ("Other benefits and allowances, the tax office, housing and health; debts to other creditors are "
         "folded into one debt.",
         "Andere uitkeringen en toeslagen, de Belastingdienst, wonen en gezondheid; schulden bij andere "
         "schuldeisers zijn samengevoegd tot één schuld."),
        ("The judgement of individual klantmanagers beyond a few parameters, and the labour market: the chance "
         "of finding work does not change with the economy.",
         "Het eigen oordeel van klantmanagers buiten een paar parameters, en de arbeidsmarkt: de kans op werk "
         "verandert niet met de economie."),
        ("Local politics: the client council raises an issue at fixed thresholds, and whether the municipality "
         "takes it up is a single chance.",
         "De lokale politiek: de cliëntenraad kaart iets aan bij vaste drempels, en of de gemeente het overneemt "
         "is één kans."),
    )),
    (("Why its numbers are not forecasts for a real city", "Waarom de getallen geen voorspelling zijn voor een "
      "echte stad"), (
        ("The results depend on assumptions that no data pin down. The Sensitivity page shows which of them "
         "move an outcome most; a different but equally plausible choice can change a number considerably.",
         "De uitkomsten hangen af van aannames die geen data vastleggen. De pagina Gevoeligheid laat zien welke "
         "een uitkomst het meest bewegen; een andere, even aannemelijke keuze kan een getal flink veranderen."),
        ("The intervals on the Compare page cover the chance in the model (different random draws), not the "
         "uncertainty of its assumptions: the true uncertainty is larger.",
         "De intervallen op de pagina Vergelijken gaan over het toeval in het model (andere trekkingen), niet over "
         "de onzekerheid van de aannames: de echte onzekerheid is groter."),
        ("The scenarios are pure types; a real municipality mixes control and service, and changes course.",
         "De scenario's zijn zuivere typen; een echte gemeente mengt controle en dienstverlening, en stuurt bij."),
        ("What the model is built for is the comparison: the same people, with the same chance, under two "
         "policies. Read a difference between scenarios, and its direction, rather than one number on its own.",
         "Waarvoor het model gemaakt is, is de vergelijking: dezelfde mensen, met hetzelfde toeval, onder twee "
         "beleidsvormen. Lees een verschil tussen scenario's, en de richting ervan, in plaats van één los getal."),
    )),
)


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if i18n.lang.value == "nl" else pair[0]


@solara.component
def Limits():
    with solara.Column(style="padding: 8px 16px; max-width: 900px;", classes=["limits"]):
        Heading(_pick(TITLE), 2)
        Html(html.escape(_pick(INTRO)), tag="p", classes=["limits-intro"], style="font-size: 15px;")
        for i, (title, items) in enumerate(SECTIONS):
            Heading(_pick(title), 3)
            Html("<ul>" + "".join(f"<li>{html.escape(_pick(item))}</li>" for item in items) + "</ul>",
                 classes=[f"limits-section-{i}"], style="font-size: 14px; line-height: 1.45;")
