"""The browser app's logic without a browser: URL state, translations, report, serving."""

from __future__ import annotations

import json
import re

import pytest
import typer

from fatal_remedies.model.params import REGISTRY, ParamError
from fatal_remedies.viz import i18n, serve, urlstate

SCENARIOS = ["baseline", "control", "service", "datameent", "reversal"]


def test_url_round_trip():
    st = urlstate.ViewState(lang="nl", scenario="service", overrides={"transparency": 0.5, "purpose_binding": False},
                            clients=700, seed=3, compare=("control", "reversal", "explore"), reps=4, months=36)
    back, errors = urlstate.parse(urlstate.encode(st), SCENARIOS)
    assert errors == []
    assert back == st


def test_an_uploaded_scenario_is_not_put_in_the_link():
    st = urlstate.ViewState(compare=("control", "datameent", "uploaded"))
    assert "cmp=control,datameent" in urlstate.encode(st)
    assert "cmp" not in urlstate.encode(urlstate.ViewState(compare=("control", "uploaded")))


def test_url_defaults_are_left_out():
    assert urlstate.encode(urlstate.ViewState()) == "scenario=control"


@pytest.mark.parametrize("query,needle", [
    ("p.information_burden=7", "from 0 to 1"),
    ("p.no_such_thing=1", "unknown parameter"),
    ("p.n_clients=5", "run setting"),
    ("scenario=../../etc/passwd", "unknown scenario"),
    ("clients=0", "from 100 to 50000"),
    ("clients=abc", "integer"),
    ("reps=1.5", "integer"),
    ("cmp=control", "2 to 4"),
    ("cmp=control,nowhere", "unknown scenario"),
    ("lang=de", "en or nl"),
    ("what=1", "unknown item"),
    ("p.sanction_regime=maybe", "one of all_or_nothing, proportional"),
])
def test_bad_url_items_are_dropped_with_a_message(query, needle):
    st, errors = urlstate.parse(f"scenario=service&{query}", SCENARIOS)
    assert len(errors) == 1 and needle in errors[0]
    assert "\n" not in errors[0]
    assert st.overrides == {}


def test_url_values_are_coerced_by_the_registry():
    st, errors = urlstate.parse("p.sanction_months=4&p.purpose_binding=true&p.fine_rate=0.5", SCENARIOS)
    assert errors == []
    assert st.overrides == {"sanction_months": 4, "purpose_binding": True, "fine_rate": 0.5}
    with pytest.raises(ParamError):
        urlstate.check_override("sanction_months", "4.5")


def test_every_parameter_and_text_is_in_dutch_and_english():
    assert i18n.missing_translations() == []
    for key, pair in i18n._T.items():
        assert len(pair) == 2 and all(pair), key
    try:
        i18n.lang.set("nl")
        assert i18n.t("nav_explore") == "Verkennen"
        for name in REGISTRY:
            assert i18n.param_label(REGISTRY[name]) and i18n.param_help(REGISTRY[name])
        from fatal_remedies.model.agents import EVENT_TEXT

        for text in EVENT_TEXT.values():
            assert i18n.story_text(text) != text, text
    finally:
        i18n.lang.set("en")
    assert i18n.t("nav_explore") == "Explore"


def test_dutch_terms_are_kept():
    i18n.lang.set("en")
    from fatal_remedies.model import metrics
    from fatal_remedies.viz.pages.lesson import STEPS

    english = " ".join([p[0] for p in i18n._T.values()] + [p[0] for p in metrics.GROUP_LABELS.values()]
                       + [m.label_en + " " + m.meaning_en for m in metrics.REGISTRY.values()]
                       + [v[0] for step in STEPS for v in step.values()]).lower()
    for term in ("bijstand", "klantmanager", "cliëntenraad", "mantelzorger"):
        assert term in english


def test_metric_labels_and_units_come_from_the_registry_not_from_the_app():
    from fatal_remedies.model import metrics
    from fatal_remedies.viz.pages import compare

    pairs = {(m.label_en, m.label_nl) for m in metrics.REGISTRY.values()}
    # (the population chart's status names, "st_*", are categories of people, not metrics)
    copies = [k for k, pair in i18n._T.items() if tuple(pair) in pairs and not k.startswith("st_")]
    assert copies == [], f"metric labels copied into viz/i18n.py: {copies}"
    assert not hasattr(compare, "METRIC_LABELS")
    try:
        for lang in ("en", "nl"):
            i18n.lang.set(lang)
            for key in compare.TABLE_METRICS:
                assert compare.metric_label(key) == metrics.get(key).label(lang)
            assert compare.metric_label("cum_wrongful_sanctions") == (
                "onterechte sancties (cumulatief)" if lang == "nl" else "wrongful sanctions (cumulative)")
            for p in REGISTRY.values():  # every unit on screen is translated
                # ("exponent" is the same word in Dutch)
                assert lang == "en" or i18n.unit(p.unit) != p.unit or p.unit in ("EUR", "0-1", "exponent"), p.unit
            for m in metrics.REGISTRY.values():
                assert lang == "en" or i18n.unit(m.unit) != m.unit or m.unit in ("EUR", "0-1"), m.unit
    finally:
        i18n.lang.set("en")


def test_explore_charts_and_compare_tables_use_the_registry_and_the_formatter():
    import pandas as pd

    from fatal_remedies.model.run import simulate
    from fatal_remedies.viz.pages import compare
    from fatal_remedies.viz.pages.explore import chart_options

    df = simulate("control", clients=300, months=3, seed=1)
    try:
        i18n.lang.set("nl")
        names = [s["name"] for s in chart_options(df)["sanctions"]["series"]]
        assert names == ["onterechte sancties", "gevonden fraude"]
        res = {"names": ["a", "b"], "table": pd.DataFrame([
            {"scenario": sc, "metric": "net_cost_eur_total", "mean": 1234567.8, "ci_low": 0.25,
             "ci_high": 2e6, "reps": 2} for sc in ("a", "b")])}
        html_nl = compare.summary_table_html(res)
        assert "1.234.568" in html_nl and "0,250" in html_nl and "2.000.000" in html_nl
        # one replication: no interval, said in words (was "[–, –]")
        one = {**res, "table": res["table"].assign(ci_low=float("nan"), ci_high=float("nan"), reps=1)}
        html_one = compare.summary_table_html(one)
        assert "geen interval" in html_one and "[" not in html_one.split("</th>")[-1]
        assert "netto kosten" in html_nl and "(EUR)" in html_nl
        i18n.lang.set("en")
        html_en = compare.summary_table_html(res)
        assert "1,234,568" in html_en and "0.250" in html_en and "net cost" in html_en
    finally:
        i18n.lang.set("en")


def test_report_is_self_contained(tmp_path):
    from fatal_remedies.model.scenario import load_scenario
    from fatal_remedies.viz.pages.compare import compute
    from fatal_remedies.viz.report import build

    res = compute([load_scenario("control"), load_scenario("service")], reps=2, clients=300, months=6, seed=1)
    text = build(res)
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("<svg") == 4
    assert re.search(r"<(script|link|img|iframe)\b", text) is None
    assert re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text) is None
    assert "<metadata>" not in text
    for s in res["seeds"]:
        assert str(s) in text
    assert "information_burden" in text and res["version"] in text


def test_results_dirs_are_found_not_typed(tmp_path, monkeypatch):
    from fatal_remedies.viz.pages import sensitivity

    d = tmp_path / "sweep1"
    (d / "parts").mkdir(parents=True)
    (d / "manifest.json").write_text(json.dumps({"method": "lhs"}))
    (d / "parts" / "manifest.json").write_text("{}")
    monkeypatch.setenv("FATAL_REMEDIES_RESULTS", str(tmp_path))
    found = sensitivity.known_result_dirs()
    assert found[f"{tmp_path.name}/sweep1"] == d
    assert not any("parts" in k for k in found)


def test_server_stays_offline():
    env = serve.server_env({})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")
    assert serve.missing_assets() == [], "solara-assets is not installed"


def test_ui_command_is_registered():
    from fatal_remedies.viz.cli import register

    app = typer.Typer()

    @app.command()
    def other() -> None:  # a second command, so Typer keeps sub-commands
        pass

    register(app)
    from typer.testing import CliRunner

    out = CliRunner().invoke(app, ["ui", "--help"])
    assert out.exit_code == 0 and "--port" in out.output and "--host" in out.output


def test_uploaded_scenario_is_checked_like_a_file():
    from fatal_remedies.viz import session
    from fatal_remedies.viz.pages.compare import on_upload

    session.param_errors.set({})
    on_upload({"name": "mine.toml", "data": b'name = "mine"\nextends = "control"\n[params]\ninformation_burden = 0.4\n'})
    sc = session.uploaded.value
    assert sc is not None and sc.name == "mine (upload)" and sc.params["information_burden"] == 0.4
    on_upload({"name": "bad.toml", "data": b'extends = "control"\n[params]\ninformation_burden = 4\n'})
    msg = session.param_errors.value["_upload"]
    assert "information_burden" in msg and "from 0 to 1" in msg and "/tmp" not in msg
    on_upload({"name": "huge.toml", "data": b"#" * 100_000})
    assert "larger than" in session.param_errors.value["_upload"]


def test_an_upload_cannot_make_the_server_read_its_files(tmp_path):
    """`extends` and `use` of an uploaded file may name only built-in scenarios (docs/SECURITY.md)."""
    from fatal_remedies.viz import session
    from fatal_remedies.viz.pages.compare import on_upload

    secret = tmp_path / "secret.toml"
    secret.write_text('name = "secret"\ndescription = "x"\nextends = "control"\n[params]\ntransparency = 0.123\n')
    session.param_errors.set({})
    session.uploaded.set(None)
    for body in (f'name = "x"\nextends = "{secret}"\n',
                 f'name = "x"\nextends = "control"\n[[changes]]\nmonth = 2\nuse = "{secret}"\n'):
        on_upload({"name": "probe.toml", "data": body.encode()})
        assert "_upload" in session.param_errors.value, body
        assert session.uploaded.value is None


# ---- plain language and Dutch numbers (issue 12, item 4) ------------------------------------------------

CODE_NAME = re.compile(r"[a-z]+_[a-z_]+")


@pytest.mark.parametrize("typed,lang,read", [
    ("0,35", "nl", "0.35"), ("0.35", "nl", "0.35"), ("10.000", "nl", "10000"), ("1.234,5", "nl", "1234.5"),
    ("-0,5", "nl", "-0.5"), (" 0,35 ", "nl", "0.35"), ("10,000", "en", "10000"), ("0.35", "en", "0.35"),
    ("abc", "nl", "abc"),
])
def test_typed_numbers_are_read_in_the_pages_language(typed, lang, read):
    assert urlstate.typed_number(typed, lang) == read


def test_a_dutch_field_shows_a_comma_and_reads_it_back_to_the_links_form():
    from fatal_remedies.viz.widgets import field_text

    p = REGISTRY["information_burden"]
    for value in (0.35, 0.0, 1.0, 0.00075):
        shown = field_text(value, "nl")
        assert "." not in shown
        assert p.coerce(urlstate.typed_number(shown, "nl")) == value
        assert urlstate.typed_number(shown, "nl") == field_text(value, "en")
    assert field_text(300, "nl") == "300"


def test_whole_number_fields_read_dutch_grouping_and_refuse_in_the_pages_language():
    assert urlstate.check_int("clients", "10.000", "nl") == 10_000
    assert urlstate.check_int("clients", "10,000", "en") == 10_000
    with pytest.raises(ParamError, match="^vul een geheel getal in van 100 tot 50.000$"):
        urlstate.check_int("clients", "abc", "nl")
    with pytest.raises(ParamError, match="^enter a whole number from 1 to 240$"):
        urlstate.check_int("months", "241", "en")
    # a link is read as written, and its message names the link's item
    with pytest.raises(ParamError, match="'clients'"):
        urlstate.check_int("clients", "10.000")


def test_a_new_parameter_without_words_fails_the_translation_check(monkeypatch):
    import dataclasses

    from fatal_remedies.model import params

    new = dataclasses.replace(params.REGISTRY["report_skill"], name="brand_new_parameter")
    monkeypatch.setitem(params.REGISTRY, "brand_new_parameter", new)
    missing = i18n.missing_translations()
    assert "brand_new_parameter" in missing and "brand_new_parameter (English label)" in missing
    choice = dataclasses.replace(params.REGISTRY["caseload"], choices=("rotating", "fixed", "shared_desk"))
    monkeypatch.setitem(params.REGISTRY, "caseload", choice)
    assert "caseload=shared_desk" in i18n.missing_translations()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_identifier_in_what_the_app_writes_about_parameters_and_metrics(lang):
    """Labels, help texts, units, choices and metric meanings as the app shows them, in both languages."""
    from fatal_remedies.model import metrics

    try:
        i18n.lang.set(lang)
        texts = {}
        for p in REGISTRY.values():
            texts[f"param {p.name}"] = " ".join([i18n.param_label(p), i18n.param_help(p), i18n.unit(p.unit)]
                                                + [i18n.choice_label(p, c) for c in p.choices])
        for m in metrics.REGISTRY.values():
            texts[f"metric {m.name}"] = " ".join([i18n.metric_label(m.name), i18n.metric_help(m.name),
                                                  i18n.metric_unit(m.name)])
        for key in i18n._T:
            texts[f"text {key}"] = i18n.t(key)
        texts["norms"] = " ".join(s for _, s in i18n.norm_sentences())
        bad = {k: CODE_NAME.findall(v) for k, v in texts.items() if CODE_NAME.search(v)}
        assert bad == {}
        assert [n for n, _ in i18n.norm_sentences()] == ["FAIR", "FACT", "ROBUST", "SHARED"]
    finally:
        i18n.lang.set("en")


def test_council_evidence_and_traits_are_written_in_words():
    try:
        for lang, flagged, told in (("en", "Single parent flagged 1.53 times as often as others",
                                     "only 40% of clients are told who looked"),
                                    ("nl", "Alleenstaande ouder 1,53 keer zo vaak gesignaleerd als anderen",
                                     "maar 40% van de cliënten hoort wie keek")):
            i18n.lang.set(lang)
            assert i18n.evidence_text("single_parent flagged 1.53x as often as others").lower() == flagged.lower()
            assert i18n.evidence_text("only 40% of clients are told who looked") == told
            assert not CODE_NAME.search(i18n.trait_text("age_band", "27-44"))
        assert i18n.trait_text("literacy", 0.62) == "geletterdheid: 0,62"
    finally:
        i18n.lang.set("en")


@pytest.mark.parametrize("query,needle", [
    ("p.information_burden=7", "van 0 tot 1"), ("p.no_such_thing=1", "onbekende parameter"),
    ("clients=0", "geheel getal van 100 tot 50000"), ("cmp=control", "2 tot 4"), ("what=1", "onbekend onderdeel"),
    ("p.sanction_regime=maybe", "een van all_or_nothing, proportional"), ("scenario=x", "onbekend scenario"),
])
def test_a_dutch_link_reports_its_bad_items_in_dutch(query, needle):
    st, errors = urlstate.parse(f"lang=nl&{query}", SCENARIOS)
    assert len(errors) == 1 and needle in errors[0], errors
    assert st.lang == "nl"
