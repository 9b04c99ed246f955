"""Quotes and speakers, on sentences and articles written for these tests (real spaCy model)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from newsflow.enrich.entities import extract_entities
from newsflow.enrich.quotes import find_quote_spans, find_quotes
from newsflow.records import Quote
from newsflow.settings import PROJECT_ROOT, Settings

SEED = PROJECT_ROOT / "seeds" / "korea-times-nk-troops-ukraine.txt"


@pytest.fixture(scope="module")
def quotes_of(nlp, gazetteer):
    def run(text: str) -> list[Quote]:
        doc = nlp(text)
        quotes = find_quotes(doc, extract_entities(doc, "t", gazetteer), "t", gazetteer)
        for quote in quotes:
            assert doc.text[quote.start : quote.end] == quote.text
            assert 0.0 <= quote.confidence <= 1.0
        return quotes

    return run


def _bench():
    """The benchmark module (bench/ is not a package on the test path)."""
    path = PROJECT_ROOT / "bench" / "bench_quotes.py"
    spec = importlib.util.spec_from_file_location("bench_quotes_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _only(quotes: list[Quote], kind: str) -> list[Quote]:
    return [q for q in quotes if q.type == kind]


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_spans(text)]


# --- quotation marks ---------------------------------------------------------------------------


def test_spans_straight_double_quotes():
    assert _texts('He said, "We stay." Then "we go," she said.') == ["We stay.", "we go,"]


def test_spans_curly_double_quotes():
    assert _texts("“Nobody leaves,” the mayor said.") == ["Nobody leaves,"]


def test_spans_single_curly_quotes_skip_apostrophes_and_possessives():
    text = "‘The soldiers’ families can’t wait for Kyiv’s answer,’ she said."
    assert _texts(text) == ["The soldiers’ families can’t wait for Kyiv’s answer,"]


def test_spans_straight_single_quotes():
    assert _texts("'We will be back,' he said.") == ["We will be back,"]


def test_spans_guillemets_with_inner_spaces():
    assert _texts("« Nous restons ici », a-t-il dit.") == [" Nous restons ici "]


def test_spans_mismatched_marks_pair_up():
    assert _texts('“Who is involved is not your concern," she said.') == [
        "Who is involved is not your concern,"
    ]


def test_spans_nested_quote_stays_inside_its_host():
    text = "‘They call it a “special operation”, but it is a war,’ he said."
    assert _texts(text) == ["They call it a “special operation”, but it is a war,"]


def test_spans_multi_paragraph_quote_reopens_without_closing():
    text = "“First paragraph of the quote.\n“Second paragraph,” she said.\nNext."
    assert _texts(text) == ["First paragraph of the quote.\n“Second paragraph,"]


def test_spans_stray_closing_mark_at_line_start_ends_the_quote():
    text = 'He said, “The talks failed.\n" Later that day the envoy left.'
    assert _texts(text) == ["The talks failed.\n"]


def test_spans_unclosed_quote_stops_at_paragraph_end():
    text = "She said, “We will rebuild the bridge.\nThe council met later.\nIt adjourned."
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["We will rebuild the bridge."]
    assert not spans[0].closed


# --- direct quotes and attribution -------------------------------------------------------------


def test_speaker_after_with_straight_quotes(quotes_of):
    quotes = quotes_of('"The bridge will reopen in March," Mayor Hanna Kowalczyk said on Monday.')
    [quote] = _only(quotes, "direct")
    assert quote.text == "The bridge will reopen in March"
    assert (quote.speaker, quote.speaker_type, quote.cue) == ("Hanna Kowalczyk", "person", "say")


def test_inverted_said_x(quotes_of):
    text = "“We will not retreat from Kharkiv,” said General Oleh Marchuk, the regional commander."
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker == "Oleh Marchuk"
    assert quote.speaker_text is not None and "Marchuk" in quote.speaker_text


def test_speaker_before_with_colon(quotes_of):
    text = "The ambassador, Petra Lindqvist, told reporters: “Our position has not changed.”"
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker == "Petra Lindqvist"
    assert quote.cue == "tell"


def test_speaker_before_with_comma_in_single_quotes(quotes_of):
    text = "Defence analyst Rhys Morgan said, ‘The drones changed everything in the south.’"
    [quote] = _only(quotes_of(text), "direct")
    assert (quote.speaker, quote.text) == (
        "Rhys Morgan",
        "The drones changed everything in the south.",
    )


def test_guillemet_quote(quotes_of):
    text = "« We are ready for talks at any moment », said Viktor Orlenko, a negotiator."
    [quote] = _only(quotes_of(text), "direct")
    assert quote.text == "We are ready for talks at any moment"
    assert quote.speaker == "Viktor Orlenko"


def test_multi_sentence_quote_is_one_quote(quotes_of):
    text = '"The grain is loaded. The ships leave tonight," port director Ana Petrova said.'
    [quote] = _only(quotes_of(text), "direct")
    assert quote.text == "The grain is loaded. The ships leave tonight"


def test_multi_paragraph_quote(quotes_of):
    text = (
        "Olga Danylenko, a nurse, described the night the hospital lost power.\n"
        "“We moved the babies by torchlight. Nobody panicked.\n"
        "“By dawn the generator was running again,” Danylenko said.\n"
    )
    [quote] = _only(quotes_of(text), "direct")
    assert quote.text.startswith("We moved the babies") and quote.text.endswith("again")
    assert quote.speaker == "Olga Danylenko"


def test_interrupted_quote_gives_two_rows_with_one_speaker(quotes_of):
    text = (
        '"The first convoy is through," Governor Ivan Sydorenko said, "and the second leaves now."'
    )
    direct = _only(quotes_of(text), "direct")
    assert [q.text for q in direct] == ["The first convoy is through", "and the second leaves now."]
    assert {q.speaker for q in direct} == {"Ivan Sydorenko"}


def test_standalone_quote_continues_previous_speaker(quotes_of):
    text = (
        '"Prices doubled in a month," said shop owner Mykola Hrytsenko. '
        '"People buy only bread now."'
    )
    direct = _only(quotes_of(text), "direct")
    assert [q.speaker for q in direct] == ["Mykola Hrytsenko", "Mykola Hrytsenko"]
    assert direct[1].cue is None and direct[1].confidence < direct[0].confidence


# --- speakers ----------------------------------------------------------------------------------


def test_pronoun_resolves_to_latest_named_speaker(quotes_of):
    text = (
        "Economist Sarah Whitlock said inflation would fall next year.\n"
        '"The worst is behind us," she said.'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert (quote.speaker, quote.speaker_text) == ("Sarah Whitlock", "she")


def test_pronoun_prefers_subject_of_its_own_paragraph(quotes_of):
    text = (
        '"We lost the vote," said councillor Tom Baines.\n'
        'Mayor Rita Osei, asked about her plans, laughed. "Ask me next year," she said.'
    )
    direct = _only(quotes_of(text), "direct")
    assert direct[-1].speaker == "Rita Osei"


def test_short_name_resolves_to_full_name(quotes_of):
    text = (
        "Park Min-seo, a lawmaker from the ruling party, visited the border town on Friday.\n"
        '"The shelters here are not ready," Park said.'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert (quote.speaker, quote.speaker_text) == ("Park Min-seo", "Park")


def test_organisation_speaker_keeps_organisation_and_country(quotes_of):
    text = (
        "South Korea's National Intelligence Service said, "
        '"More units are being prepared for deployment."'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker == "National Intelligence Service"
    assert (quote.speaker_type, quote.speaker_country) == ("organisation", "KR")


def test_generic_ministry_takes_country_from_possessive(quotes_of):
    text = 'Japan\'s foreign ministry said, "We are monitoring the situation with great concern."'
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker == "Ministry of Foreign Affairs (Japan)"
    assert (quote.speaker_type, quote.speaker_country) == ("organisation", "JP")


def test_generic_ministry_takes_country_from_previous_sentence(quotes_of):
    text = (
        "Seoul summoned the Russian ambassador on Tuesday. "
        'The foreign ministry said, "This cooperation threatens our security."'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert (quote.speaker_type, quote.speaker_country) == ("organisation", "KR")


def test_ministry_without_country_nearby_gets_none(quotes_of):
    text = 'The foreign ministry said, "We will respond in due course to the allegations."'
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker_type == "organisation"
    assert quote.speaker_country is None


def test_anonymous_source_is_never_named(quotes_of):
    text = (
        "Defence Minister Rustem Umerov spoke in the morning. "
        "A senior official, speaking on condition of anonymity, said, "
        '"The second wave of troops has already crossed the border."'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert (quote.speaker, quote.speaker_type) == (None, "anonymous")


def test_definite_description_refers_back_to_the_anonymous_source(quotes_of):
    text = (
        "An aid worker who asked not to be named said the road was cut.\n"
        '"We have food for four days," the worker said.'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker_type == "anonymous" and quote.speaker is None


# --- mixed and indirect quotes -----------------------------------------------------------------


def test_mixed_quote_fragment_in_reported_speech(quotes_of):
    text = (
        "Opposition leader Marta Kos said the deal was “a betrayal of farmers” and vowed to fight."
    )
    [quote] = _only(quotes_of(text), "mixed")
    assert (quote.text, quote.speaker) == ("a betrayal of farmers", "Marta Kos")


def test_mixed_quote_with_framing_verb_by_a_named_speaker(quotes_of):
    text = "President Alar Kivi called the drone strike a “deliberate provocation” on Sunday."
    [quote] = _only(quotes_of(text), "mixed")
    assert quote.speaker == "Alar Kivi" and quote.cue == "call"


@pytest.mark.parametrize(
    ("sentence", "cue", "reported"),
    [
        (
            "Minister Lena Varga said that the pipeline would reopen on Monday.",
            "say",
            "the pipeline would reopen on Monday",
        ),
        (
            "Colonel Dmytro Savchuk told reporters the bridge had been destroyed overnight.",
            "tell",
            "the bridge had been destroyed overnight",
        ),
        (
            "Analyst Joon Kim noted that the missiles had a range of 600 kilometres.",
            "note",
            "the missiles had a range of 600 kilometres",
        ),
        (
            "Professor Irina Volk suggested the sanctions were starting to bite.",
            "suggest",
            "the sanctions were starting to bite",
        ),
        (
            "According to the Ministry of Unification, the talks were cancelled last week.",
            "according to",
            "the talks were cancelled last week",
        ),
        (
            "Senator Paul Reid warned that the aid package could stall in the Senate.",
            "warn",
            "the aid package could stall in the Senate",
        ),
        (
            "Engineer Sofia Lind pointed out that the dam had not been inspected since 2019.",
            "point out",
            "the dam had not been inspected since 2019",
        ),
        (
            "The harvest was the worst in a decade, farmer Bohdan Kravets said.",
            "say",
            "The harvest was the worst in a decade",
        ),
    ],
)
def test_indirect_quote_with_cue(quotes_of, sentence, cue, reported):
    [quote] = _only(quotes_of(sentence), "indirect")
    assert (quote.cue, quote.text) == (cue, reported)
    assert quote.speaker is not None


def test_indirect_quote_said_in_a_statement_that(quotes_of):
    text = "The White House said in a statement that Washington shared the concerns of its allies."
    [quote] = _only(quotes_of(text), "indirect")
    assert quote.text == "Washington shared the concerns of its allies"
    assert quote.speaker_type == "organisation"


def test_according_to_in_mid_sentence_reports_the_clause_before(quotes_of):
    text = "Hospitals were not affected, according to the health department, as they use wells."
    quotes = [q for q in _only(quotes_of(text), "indirect") if q.cue == "according to"]
    assert [q.text for q in quotes] == ["Hospitals were not affected"]


def test_dateline_is_not_the_speaker(quotes_of):
    text = (
        "MOSCOW — Russia's defence ministry on Wednesday said that no foreign units "
        "were taking part in the fighting."
    )
    [quote] = _only(quotes_of(text), "indirect")
    assert quote.speaker_type == "organisation" and quote.speaker_country == "RU"


def test_she_is_not_resolved_to_a_man_already_called_he(quotes_of):
    text = (
        "Teacher Iryna Koval has taught underground since spring.\n"
        "Governor Petro Sobol wrote that four people had been killed. "
        "‘The enemy targets homes,’ he wrote.\n"
        "Koval’s class meets again on Monday. ‘The children call it the bunker school,’ she said."
    )
    direct = _only(quotes_of(text), "direct")
    assert [q.speaker for q in direct] == ["Petro Sobol", "Iryna Koval"]


def test_indirect_quote_with_pronoun_speaker(quotes_of):
    text = "Mayor Vitali Bondar visited the site. He said the water supply was restored."
    [quote] = _only(quotes_of(text), "indirect")
    assert quote.speaker == "Vitali Bondar"


def test_reports_and_refusals_are_not_indirect_quotes(quotes_of):
    text = (
        "Several reports suggest that the convoy was hit. "
        "General Anna Holm declined to say whether troops had crossed the river."
    )
    assert _only(quotes_of(text), "indirect") == []


# --- scare quotes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The term “special military operation” is used by Moscow for its invasion.",
        "The so-called “shadow fleet” carries most of the oil.",
        "Russia launched what it calls a “special military operation” in 2022.",
        "Soldiers call the tactic “meat assaults”, a phrase now common at the front.",
        "The “peace plan” was published on Friday without any signatures.",
        "The singer Maya Lund said her new album “Northern Lights” would come out in May.",
    ],
)
def test_scare_quotes_are_not_quotes(quotes_of, sentence):
    assert quotes_of(sentence) == []


def test_no_text_no_quotes(quotes_of):
    assert quotes_of("") == []
    assert quotes_of('" " “ ”') == []


# --- the seed article and the annotated samples ------------------------------------------------


# --- generalised attribution (issue 4) ---------------------------------------------------------


def _speakers(quotes: list[Quote], kind: str | None = None) -> list[str | None]:
    return [q.speaker for q in quotes if kind is None or q.type == kind]


def test_role_from_title_and_name_resolves_a_later_role_noun(quotes_of):
    text = (
        "Chinese Ambassador to Japan Liu Wenhao met officials on Monday.\n"
        '"We want calm waters," the diplomat said.\n'
        "The ambassador stressed that Beijing had no plans to send ships."
    )
    quotes = quotes_of(text)
    assert _speakers(quotes) == ["Liu Wenhao", "Liu Wenhao"]


def test_role_noun_with_two_holders_prefers_the_unqualified_one(quotes_of):
    text = (
        "Trade Minister Oh Jae-sung met Deputy Trade Minister Ryu Hana in Busan.\n"
        '"Exports will recover," the minister told reporters.'
    )
    [quote] = _only(quotes_of(text), "direct")
    assert quote.speaker == "Oh Jae-sung"


def test_appositive_name_after_a_role_phrase(quotes_of):
    text = "A spokeswoman for the regional water board, Greta Lindqvist, said the dam was safe."
    [quote] = _only(quotes_of(text), "indirect")
    assert (quote.speaker, quote.text) == ("Greta Lindqvist", "the dam was safe")


def test_shared_surname_follows_the_speaker_before(quotes_of):
    text = (
        "Health Minister Lee Na-young said the clinics would stay open. "
        'Opposition leader Lee Sang-ho called the plan "a rescue for nobody."\n'
        '"The doctors will be paid on time," the minister said.\n'
        "Lee said the ministry had found the money in its reserve fund."
    )
    indirect = _only(quotes_of(text), "indirect")
    assert indirect[-1].speaker == "Lee Na-young"


def test_cue_inside_a_reported_clause_keeps_the_outer_speaker(quotes_of):
    text = (
        "Analyst Maya Brandt spoke after the vote.\n"
        'She added that the board had asked the bank to explain "every missing cent."'
    )
    [quote] = _only(quotes_of(text), "mixed")
    assert quote.speaker == "Maya Brandt"


def test_agency_relaying_a_source_credits_the_source(quotes_of):
    text = (
        "TASS quoted a defence ministry official as saying that the drills were "
        '"purely defensive in nature."'
    )
    [quote] = [q for q in quotes_of(text) if q.type != "indirect"]
    assert (quote.speaker, quote.speaker_type) == (None, "anonymous")


def test_generic_institutions_map_to_the_named_institution(quotes_of):
    text = (
        "The Joint Chiefs of Staff said the North had fired two missiles. "
        'The military said it was "tracking every launch."\n'
        "The National Intelligence Service briefed lawmakers, and the spy agency said it had "
        "seen new activity at the site.\n"
        'Hanseong Shipping denied the report. "We obey every rule," the company said.'
    )
    quotes = quotes_of(text)
    assert _speakers(quotes) == [
        "Joint Chiefs of Staff",
        "Joint Chiefs of Staff",
        "National Intelligence Service",
        "Hanseong Shipping",
    ]
    assert quotes[-1].speaker_type == "organisation"


def test_company_tagged_as_a_person_speaks_as_an_organisation(quotes_of):
    [quote] = quotes_of('"We obey every rule," Hanseong Shipping said in a statement.')
    assert (quote.speaker, quote.speaker_type) == ("Hanseong Shipping", "organisation")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "South Korea's defence ministry said it would hold drills next week.",
            "Ministry of National Defense (South Korea)",
        ),
        (
            "The Russian Foreign Ministry said the talks would resume in Geneva.",
            "Ministry of Foreign Affairs (Russia)",
        ),
        (
            "The Ukrainian Ministry of Energy said the grid was stable again.",
            "Ministry of Energy (Ukraine)",
        ),
    ],
)
def test_national_institutions_follow_the_naming_convention(quotes_of, text, speaker):
    [quote] = quotes_of(text)
    assert quote.speaker == speaker


def test_passive_stated_by_attribution(quotes_of):
    text = (
        '"The bridge will reopen in May," – this was stated by the head of the regional '
        "administration, Serhii Lysak."
    )
    [quote] = quotes_of(text)
    assert quote.speaker == "Serhii Lysak"


def test_in_the_words_of_with_colon_and_with_a_fragment(quotes_of):
    text = (
        'In the words of the mayor, Ihor Terekhov: "The city has survived worse."\n'
        'In the words of one engineer, the plant is "held together with tape."'
    )
    quotes = quotes_of(text)
    assert [(q.speaker, q.speaker_type) for q in quotes if q.type != "indirect"] == [
        ("Ihor Terekhov", "person"),
        (None, "anonymous"),
    ]


def test_as_x_put_it_and_a_colon_after_the_speaker_sentence(quotes_of):
    text = (
        "Economist Hana Sato spoke at the forum.\n"
        'As Sato put it: "Nobody prints money forever."\n'
        'Her colleague Tomas Ruiz was more sceptical: "The central bank will blink first."'
    )
    quotes = quotes_of(text)
    assert _speakers(quotes) == ["Hana Sato", "Tomas Ruiz"]


def test_quote_after_a_sentence_about_a_person(quotes_of):
    text = (
        "Coach Dana Whitfield watched the final minutes from the bench.\n"
        'Asked whether the team could still qualify, she laughed. "Ask me in June."'
    )
    [quote] = quotes_of(text)
    assert quote.speaker == "Dana Whitfield"


def test_has_spoken_of_and_what_one_official_called(quotes_of):
    text = (
        'Kallas has spoken of a "long winter" for Europe.\n'
        'What one official called "sanctions theatre" continued all week.'
    )
    quotes = quotes_of(text)
    assert [(q.text, q.speaker_type) for q in quotes] == [
        ("long winter", "person"),
        ("sanctions theatre", "anonymous"),
    ]


def test_hyphenated_given_name_stays_whole(quotes_of):
    text = (
        '"The sanctions will not bite," said Park Sun-woo, a professor at Korea University.\n'
        '"Nobody believes the numbers," Park said.'
    )
    assert _speakers(quotes_of(text), "direct") == ["Park Sun-woo", "Park Sun-woo"]


def test_quote_after_a_sentence_about_a_role_noun_and_an_unnamed_colon_source(quotes_of):
    text = (
        "Regional governor Anna Kovacs toured the flooded villages on Sunday.\n"
        'Asked about the dams, the governor sighed. "They were built for another climate."\n'
        'As one farmer put it: "The river has moved into my kitchen."'
    )
    assert [(q.speaker, q.speaker_type) for q in quotes_of(text)] == [
        ("Anna Kovacs", "person"),
        (None, "anonymous"),
    ]


def test_appositive_company_is_the_later_company(quotes_of):
    text = (
        "Norvik, a logistics firm based in Gdansk, said the trucks would run late. "
        "The firm added that drivers were already waiting at the border."
    )
    assert _speakers(_only(quotes_of(text), "indirect")) == ["Norvik", "Norvik"]


def test_media_quoting_any_noun_as_saying_credits_that_source(quotes_of):
    text = (
        "State television quoted a pro-government blogger as saying that the convoy carried "
        '"foreign mercenaries."'
    )
    [quote] = _only(quotes_of(text), "mixed")
    assert (quote.speaker, quote.speaker_type) == (None, "anonymous")


def test_appositive_role_after_a_hyphenated_name(quotes_of):
    text = (
        "Shin Ye-jin, a tax accountant in Daegu, was unimpressed. "
        '"Nobody reads these forms," the accountant said.'
    )
    [quote] = quotes_of(text)
    assert quote.speaker == "Shin Ye-jin"


def test_that_clause_with_a_quoted_part_keeps_the_plain_part(quotes_of):
    text = (
        'Nurse Ola Berg said the ward was full and that patients were being "stacked in corridors."'
    )
    quotes = quotes_of(text)
    assert [(q.type, q.text) for q in quotes] == [
        ("indirect", "the ward was full"),
        ("mixed", "stacked in corridors."),
    ]


def test_inverted_report_of_two_joined_clauses_is_one_quote(quotes_of):
    text = (
        "The bridge reopened on Monday, but heavy trucks are still banned, the city "
        "transport department said."
    )
    [quote] = quotes_of(text)
    assert quote.text == "The bridge reopened on Monday, but heavy trucks are still banned"


def test_embassy_takes_the_nationality_and_city(quotes_of):
    [quote] = quotes_of('China\'s embassy in Tokyo called the report "pure fiction."')
    assert quote.speaker == "Chinese Embassy in Tokyo"


def test_role_noun_goes_to_the_only_person_named_in_its_paragraph(quotes_of):
    text = (
        "Interior Secretary Paula Grant visited the camp on Friday. "
        '"Every family here will have a roof by winter," the department chief said.'
    )
    [quote] = quotes_of(text)
    assert quote.speaker == "Paula Grant"


def test_country_specific_ministry_names(quotes_of):
    [quote] = quotes_of("Japan's defence ministry said the missile fell outside its waters.")
    assert quote.speaker == "Ministry of Defense (Japan)"


def test_institution_kind_before_a_name_and_a_later_reference(quotes_of):
    text = (
        "Mobile network company Kyivstar, which lost two masts, said service was back. "
        "The company said in a statement that it had added backup batteries."
    )
    assert _speakers(_only(quotes_of(text), "indirect")) == ["Kyivstar", "Kyivstar"]


def test_counterpart_borrows_the_role_in_its_paragraph(quotes_of):
    text = (
        "Finance Minister Jonas Berg opened the talks in Oslo.\n"
        "His Danish counterpart, Mette Lund, was less upbeat. "
        '"The numbers do not add up," the minister said.'
    )
    [quote] = quotes_of(text)
    assert quote.speaker == "Mette Lund"


def test_media_report_relays_the_subject_of_the_reported_clause(quotes_of):
    text = (
        "Prime Minister Ana Lopes sent a message to the troops hailing their "
        '"unbreakable courage," the state broadcaster reported.'
    )
    [quote] = quotes_of(text)
    assert quote.speaker == "Ana Lopes"


def test_two_that_clauses_are_two_indirect_quotes(quotes_of):
    text = (
        "Minister Elena Varga said that the border would stay open and that trucks "
        "would be checked at random."
    )
    assert [q.text for q in _only(quotes_of(text), "indirect")] == [
        "the border would stay open",
        "trucks would be checked at random",
    ]


def test_inverted_reported_speech_is_an_indirect_quote(quotes_of):
    text = (
        "Three drones were shot down over the capital overnight, the air force said on "
        "Sunday.\nThe attack caused no casualties, President Maia Sandu said in her evening "
        "address."
    )
    indirect = _only(quotes_of(text), "indirect")
    assert [(q.text, q.speaker_type) for q in indirect] == [
        ("Three drones were shot down over the capital overnight", "organisation"),
        ("The attack caused no casualties", "person"),
    ]
    assert indirect[1].speaker == "Maia Sandu"


def test_according_to_national_intelligence_names_the_agency(quotes_of):
    text = (
        "The National Intelligence Service briefed lawmakers on Monday.\n"
        "According to South Korean intelligence, the North has sent more shells."
    )
    indirect = _only(quotes_of(text), "indirect")
    assert indirect[-1].speaker == "National Intelligence Service"


def test_phrase_cue_gives_way_to_the_speech_verb(quotes_of):
    text = 'Yoon called the launch "a reckless act," according to his spokesperson Kim Tae-hyo.'
    [quote] = _only(quotes_of(text), "mixed")
    assert quote.speaker != "Kim Tae-hyo"


def _seed_text() -> str:
    from newsflow.extract import parse_paths

    record = next(iter(parse_paths([str(SEED)], None, Settings.from_env())))
    assert record.get("text"), record
    return record["text"]


def test_seed_article_quotes(quotes_of):
    quotes = quotes_of(_seed_text())
    direct = _only(quotes, "direct")
    speakers = [(q.speaker, q.speaker_type) for q in direct]
    assert speakers == [
        ("Volodymyr Zelenskyy", "person"),
        ("Maria Zakharova", "person"),
        ("Yang Moo-jin", "person"),
        ("Yang Moo-jin", "person"),
        ("Cho Han-bum", "person"),
        (None, "anonymous"),
        ("National Intelligence Service", "organisation"),
        ("Ministry of Foreign Affairs (South Korea)", "organisation"),
    ]
    assert direct[-1].speaker_country == "KR" and direct[-1].speaker_text == "The foreign ministry"
    assert direct[3].speaker_text == "he"
    indirect_speakers = {q.speaker for q in _only(quotes, "indirect")}
    assert {"Yang Moo-jin", "Cho Han-bum", "Ministry of Unification"} <= indirect_speakers
    assert not any(q.text == "special military operation" for q in quotes)


def test_annotated_samples_meet_the_targets(nlp, gazetteer):
    bench = _bench()
    samples = bench.own_samples()
    assert len(samples) >= 6
    total = bench.Score()
    for sample in samples:
        total.add(
            bench.score_sample(
                sample, bench.newsflow_predict(nlp(sample.text), gazetteer), gazetteer
            )
        )
    assert total.recall >= 0.85, total.misses
    assert total.precision >= 0.9, total.false_alarms
    assert total.speaker_accuracy >= 0.9, total.wrong_speakers
    assert total.indirect_recall >= 0.5
    assert total.scare_predicted == 0


def test_every_gold_quote_is_in_its_sample():
    for sample in _bench().own_samples():
        for gold in sample.gold:
            assert gold.start >= 0, (sample.name, gold.text)


def test_textacy_baseline_runs_on_the_samples(nlp, gazetteer):
    bench = _bench()
    sample = bench.own_samples()[0]
    found = bench.textacy_predict(nlp(sample.text))
    assert all(sample.text[p.start : p.end] == p.text for p in found)


def test_samples_dir_exists():
    assert Path(PROJECT_ROOT / "seeds" / "quotes").is_dir()


REAL_PAGES = PROJECT_ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "html"


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="shared benchmark pages are not here")
def test_real_pages_give_well_formed_quotes(quotes_of):
    """Messy real text (any language, stray marks) never breaks the finder or its offsets."""
    import gzip

    import trafilatura

    pages = sorted(REAL_PAGES.glob("*.html.gz"))[:8]
    found = 0
    for page in pages:
        with gzip.open(page, "rt", errors="replace") as handle:
            text = trafilatura.extract(handle.read()) or ""
        quotes = quotes_of(text)  # checks offsets and confidence of every quote
        for quote in quotes:
            if quote.speaker_start is not None:
                assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
        found += len(quotes)
    assert found > 0


# --- speaker rules from the round-1 error analysis (sentences written for these tests) --------


def _with_ents(nlp, gazetteer, text: str, ents: list[tuple[str, str]]) -> list[Quote]:
    """Quotes of ``text`` after setting the NER's output to ``ents`` ((surface, label) pairs,
    each at its last occurrence), to reproduce a tagging the model gave on a real article."""
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.rindex(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None
        spans.append(span)
    doc.ents = spans
    return find_quotes(doc, extract_entities(doc, "t", gazetteer), "t", gazetteer)


def test_bare_surname_expands_to_a_full_name_the_ner_left_untagged(nlp, gazetteer):
    text = (
        "Taras Hordiyenko finished third in the sprint final in Busan on Friday.\n\n"
        '"The track was slow and I was tired," Hordiyenko told reporters after the race.'
    )
    # The model left the full name at the sentence start untagged and tagged only the surname.
    [quote] = _with_ents(nlp, gazetteer, text, [("Busan", "GPE"), ("Hordiyenko", "PERSON")])
    assert quote.speaker == "Taras Hordiyenko"


def test_pronoun_follows_the_person_a_quoteless_paragraph_is_about(quotes_of):
    text = (
        'Mirela Vukic, the club\'s captain, said the win was "for the whole town."\n\n'
        '"We trained for this all winter," coach Dong-hyun Baek said.\n\n'
        "Vukic, who turned 34 in March, has now played 300 games for the club.\n\n"
        'Asked about retirement, she smiled. "Not this year, and maybe not next year either. '
        'I still love this game."'
    )
    quotes = quotes_of(text)
    last = next(q for q in quotes if q.text.startswith("Not this year"))
    assert last.speaker == "Mirela Vukic"


def test_pronoun_keeps_the_speaker_when_the_previous_paragraph_quotes_them(quotes_of):
    text = (
        "Petra Lindqvist, an analyst at the Nordhaven Institute, said the pact was weak. "
        '"It has no teeth," she said. The pact, signed by President Anton Marek in May, has '
        "not come into force, and Marek has sent it back to parliament.\n\n"
        '"Without a vote, nothing binds anyone," she said.'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("Without a vote"))
    assert quote.speaker == "Petra Lindqvist"


def test_title_swept_into_the_name_still_introduces_a_role(nlp, gazetteer):
    text = (
        "Belarusian Foreign Ministry Spokeswoman Alina Dorosh held a briefing on Thursday.\n\n"
        '"We have heard nothing new from our partners in months," the diplomat said.'
    )
    # The model tagged the title with the name as one PERSON.
    ents = [("Belarusian", "NORP"), ("Spokeswoman Alina Dorosh", "PERSON")]
    quote = next(q for q in _with_ents(nlp, gazetteer, text, ents) if q.type == "direct")
    assert quote.speaker == "Alina Dorosh"


def test_bare_institution_takes_the_fuller_mention_before_it(quotes_of):
    text = (
        "Russia's embassy in Seoul declined to comment on Monday. On Tuesday the embassy "
        'described the newspaper report as "a crude provocation by hostile media."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("a crude provocation"))
    assert (quote.speaker, quote.speaker_type) == ("Russian Embassy in Seoul", "organisation")


def test_name_used_as_a_modifier_is_not_the_company(quotes_of):
    text = (
        "Orlan Marine Works won an order for six LNG tankers worth $900 million on Monday. "
        'The shipbuilder said the vessels would be delivered "by the end of 2029."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("by the end"))
    assert quote.speaker == "Orlan Marine Works"


def test_fragment_in_what_a_body_was_asked_belongs_to_the_reporter(quotes_of):
    text = (
        'City health director Moon Ga-eun said the air was unsafe. "Stay inside," Moon said. '
        "She added that the council had asked schools to refrain from outdoor classes "
        '"for the health of every child in the city."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("for the health"))
    assert quote.speaker == "Moon Ga-eun"


def test_shared_surname_goes_to_the_one_just_named_in_the_paragraph(quotes_of):
    text = (
        "Transport Minister Park Ji-hoon said the bridge would reopen in June.\n\n"
        '"We will not cut corners," Park Ji-hoon said.\n\n'
        "Engineer Park Min-seo, who inspected the bridge in April, disagreed. "
        '"The cables need a full year of work," Park said.'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("The cables"))
    assert quote.speaker == "Park Min-seo"


def test_definite_role_after_an_indefinite_introduction_stays_anonymous(quotes_of):
    text = (
        "Professor Helen Marsh said the sanctions had worked. "
        '"The reserves are shrinking fast," she said.\n\n'
        'One Treasury official was blunter. As the official put it: "Nobody can live on '
        'promises for ever."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("Nobody can"))
    assert (quote.speaker, quote.speaker_type) == (None, "anonymous")


def test_role_owned_by_a_country_is_named_in_the_next_paragraph(quotes_of):
    text = (
        "Finland's ambassador to Japan on Monday urged Tokyo to ease visa rules "
        '"for the sake of our students."\n\n'
        "Speaking in Osaka, Ambassador Sanna Heikkila said exchange numbers had halved."
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("for the sake"))
    assert quote.speaker == "Sanna Heikkila"


def test_subjectless_clause_misparse_takes_the_governing_subject(quotes_of):
    # The parser reads "claims" as a verb with no subject; the embassy did the calling.
    text = (
        "In a post on its Telegram channel, the embassy called the NHK claims "
        '"another fabrication designed to drag Japan into the dispute." It gave no other details.'
    )
    [quote] = quotes_of(text)
    assert (quote.speaker_text, quote.speaker_type) == ("the embassy", "organisation")


def test_parenthetical_cue_reports_the_clause_it_interrupts(quotes_of):
    text = (
        "Dr Ingrid Solberg has studied the fishing dispute for a decade. A ban, she argued, "
        "would give the trawler fleets 'a reason to sail further north'."
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("a reason to"))
    assert (quote.type, quote.speaker) == ("mixed", "Ingrid Solberg")


def test_what_an_unnamed_source_called_is_an_anonymous_fragment(quotes_of):
    text = (
        "For now, the likeliest ending is what one Kremlin insider called ‘frozen hostility’: "
        "fewer talks, more patrols."
    )
    # The parser reads "insider called ..." as "an insider (who was) called ...".
    quote = next(q for q in quotes_of(text) if q.text.startswith("frozen hostility"))
    assert (quote.speaker, quote.speaker_type) == (None, "anonymous")


def test_closing_cue_parsed_as_a_conjunct_still_reports_the_clause(quotes_of):
    # The parser joins "... said" to the main verb as a conjunct after the comma.
    text = (
        'Any delivery of Japanese radars to Taipei would "ruin" ties between Tokyo and '
        "Beijing, Chinese Foreign Ministry Spokeswoman Hua Lin said at a briefing on Monday."
    )
    [quote] = quotes_of(text)
    assert (quote.text, quote.type, quote.speaker) == ("ruin", "mixed", "Hua Lin")


# --- issue 4: general repairs (organisation names, name spans, who spoke) -------------------


def test_national_government_is_named_government_of_country(quotes_of):
    text = 'The Japanese government said on Friday that it "firmly rejects" the new fishing quota.'
    quote = next(q for q in quotes_of(text) if q.text == "firmly rejects")
    assert (quote.speaker, quote.speaker_type) == ("Government of Japan", "organisation")


def test_embassy_keeps_the_city_it_is_in(quotes_of):
    text = (
        "The Chinese Embassy in Tokyo later said in a statement that the visit had "
        '"damaged mutual trust."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("damaged"))
    assert quote.speaker == "Chinese Embassy in Tokyo"


def test_country_word_before_a_ministry_moves_into_the_brackets(quotes_of):
    text = (
        "The DPRK Foreign Ministry said in a statement on Sunday that the drills were "
        '"a rehearsal for invasion."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("a rehearsal"))
    assert quote.speaker == "Ministry of Foreign Affairs (North Korea)"


def test_place_left_on_a_name_by_a_title_is_dropped(quotes_of):
    text = (
        "The talks resumed on Friday.\n\nMinister of Foreign Affairs of Ukraine Andrii Sybiha, "
        "speaking at a meeting with his Latvian counterpart in Riga, stressed that "
        '"every delay costs lives."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("every delay"))
    assert quote.speaker == "Andrii Sybiha"


def test_gazetteer_name_completes_a_short_name(quotes_of):
    text = (
        "North Korean Foreign Minister Choe Son Hui arrived in Minsk on Tuesday.\n\n"
        'Choe told her hosts the two countries would "stand shoulder to shoulder."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("stand shoulder"))
    assert quote.speaker == "Choe Son-hui"


def test_statement_issued_by_a_party_is_the_party_speaking(quotes_of):
    text = (
        "The Green Party issued a statement accusing the city council of "
        '"dragging its feet" on the flood barrier.'
    )
    quote = next(q for q in quotes_of(text) if q.text == "dragging its feet")
    assert quote.speaker == "Green Party"


def test_fragment_in_a_reported_clause_is_the_reporters(quotes_of):
    text = (
        "Admiral Yoon Tae-sik was asked how many boats had been seen. Yoon replied that the "
        'coast guard had counted "about forty" vessels near the island.'
    )
    quote = next(q for q in quotes_of(text) if q.text == "about forty")
    assert quote.speaker == "Yoon Tae-sik"


def test_pronoun_subject_of_a_reported_clause_is_the_reporter(quotes_of):
    text = (
        "Critics said the police had overreached. The Ministry of Justice said that it had "
        'acted "entirely within its powers."'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("entirely"))
    assert quote.speaker == "Ministry of Justice"


def test_role_after_an_unnamed_speaker_stays_anonymous(quotes_of):
    text = (
        'Defence Minister Ana Petrescu said the line "will hold."\n\n'
        "A company commander who gave only his first name, Radu, told our reporter the "
        "shelling had eased.\n\n"
        '"We sleep four hours a night and we are grateful for them," the officer said.'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("We sleep"))
    assert (quote.speaker, quote.speaker_type) == (None, "anonymous")


def test_opinion_and_put_it_attribute_a_full_quote(quotes_of):
    text = (
        "Ingrid Dahl, an economist at the Bergen Institute, studies the herring trade.\n\n"
        '"Prices will double before the summer is over," the economist believes.\n\n'
        "As Dahl put it to me, 'Nobody in this town remembers a worse season.'"
    )
    quotes = quotes_of(text)
    assert _only(quotes, "indirect") == []
    speakers = {q.text[:6]: q.speaker for q in _only(quotes, "direct")}
    assert speakers == {"Prices": "Ingrid Dahl", "Nobody": "Ingrid Dahl"}


def test_long_phrase_after_what_she_calls_is_her_words_short_label_is_not(quotes_of):
    text = (
        "Mayor Ruth Okafor wants the depot sold. The council, she argues, is running on what "
        "she calls 'money we borrowed from our grandchildren'. Her rival dismissed this as "
        'what he called a "fairy tale".'
    )
    quotes = quotes_of(text)
    fragment = next(q for q in quotes if q.text.startswith("money we"))
    assert (fragment.type, fragment.speaker) == ("mixed", "Ruth Okafor")
    assert not any(q.text.startswith("fairy tale") for q in quotes)


def test_commentary_calling_something_a_name_is_the_outlets(quotes_of):
    text = (
        "The Korean Central News Agency on Monday carried a commentary calling the naval drills "
        'a "reckless war rehearsal" staged by Washington.'
    )
    quote = next(q for q in quotes_of(text) if q.text == "reckless war rehearsal")
    assert (quote.type, quote.speaker) == ("mixed", "Korean Central News Agency")


def test_fragment_a_named_person_is_reported_to_have_said_stays_theirs(quotes_of):
    text = (
        "Foreign Minister Anna Berg said that Chancellor Otto Reiss had promised "
        '"full and lasting support" for the plan.'
    )
    quote = next(q for q in quotes_of(text) if q.text.startswith("full and"))
    assert quote.speaker == "Otto Reiss"


# One rule each: the direct quote in the text is attributed to this speaker (and type, if given).
DIRECT_SPEAKER_CASES = [
    pytest.param(
        (
            "Earlier, Polish Ambassador to the Republic of Korea Jan Wrobel met business leaders. "
            '"Trade between our countries has doubled in five years," the ambassador said.'
        ),
        "Jan Wrobel",
        None,
        id="role_with_a_place_named_with_of",
    ),
    pytest.param(
        (
            "Oh Se-ri, a structural engineer in Daegu, was doubtful. "
            '"The concrete is forty years old," the engineer said.'
        ),
        "Oh Se-ri",
        None,
        id="definite_role_after_a_named_introduction_is_that_person",
    ),
    pytest.param(
        (
            '"The talks will continue next week," – this was stated by Deputy Head of the Office '
            "of the President of Ukraine Oleh Savchuk after a meeting in Kyiv."
        ),
        "Oleh Savchuk",
        None,
        id="title_with_a_gazetteer_office_introduces_the_person",
    ),
    pytest.param(
        (
            "Rep. Han So-yeon of the Justice Party spoke next.\n\n"
            '"Our pilots have never trained at night. Theirs have," Han said.'
        ),
        "Han So-yeon",
        "person",
        id="surname_tagged_as_a_nationality_is_the_person",
    ),
    pytest.param(
        (
            "President Milan Horvat addressed parliament on Thursday. Opposition leader Vera Kos "
            'said the plan was "a gift to our neighbours."\n\n'
            '"We will not trade our ports for promises," the head of state stressed.'
        ),
        "Milan Horvat",
        None,
        id="head_of_state_refers_back_to_the_president",
    ),
    # The parser joins the heading to the next line and hangs "Our reporter" on it.
    pytest.param(
        (
            "09:15 GMT – From our Lviv bureau\n\n"
            "Our reporter Dana Moss sends this from the railway station:\n\n"
            '"The platforms are packed. Families sleep on their bags and nobody knows when the '
            'next train leaves."'
        ),
        "Dana Moss",
        "person",
        id="quote_handed_over_under_a_liveblog_heading_is_the_correspondents",
    ),
    pytest.param(
        (
            "Talks on the grain corridor resumed in Istanbul.\n\n"
            "“Every ship that sails is a small victory,” – this was stated by Deputy Head of the "
            "Office of the President Halyna Moroz during a call with the ambassadors of the "
            "Baltic states."
        ),
        "Halyna Moroz",
        "person",
        id="person_ending_a_long_role_phrase_is_the_speaker",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "speaker_type"), DIRECT_SPEAKER_CASES)
def test_direct_quote_speaker(quotes_of, text: str, speaker: str, speaker_type: str | None):
    quote = next(q for q in quotes_of(text) if q.type == "direct")
    assert quote.speaker == speaker
    if speaker_type is not None:
        assert quote.speaker_type == speaker_type


# One rule each: the quote opening with ``opening`` has this speaker and speaker type.
SPEAKER_CASES = [
    pytest.param(
        (
            "ROME, June 4 (Wire) - Foreign Minister Carla Russo on Tuesday dismissed the "
            'criticism, saying that Italy "owes no one an apology" for the deal.'
        ),
        "owes no one",
        "Carla Russo",
        "person",
        id="comma_dateline_is_not_the_subject",
    ),
    pytest.param(
        (
            "Officials in Tallinn gave few details.\n\n"
            "A border guard in Narva, who asked not to be identified because he was not "
            "allowed to brief the press, said crossings had slowed.\n\n"
            '"We see maybe twenty cars a day now. Last spring it was hundreds," he said.'
        ),
        "We see maybe",
        None,
        "anonymous",
        id="pronoun_after_an_unnamed_subject_stays_anonymous",
    ),
    pytest.param(
        (
            '"The budget is fair," Mayor Ines Rocha said.\n\n'
            "A second councillor, Tomas Lindqvist of the Green group, was less sure.\n\n"
            '"Fair to whom? Not to the bus riders," he said.'
        ),
        "Fair to whom",
        "Tomas Lindqvist",
        "person",
        id="pronoun_after_a_role_subject_named_in_apposition",
    ),
    pytest.param(
        (
            '"I signed what I was given," Helen Marsh said.\n\n'
            '"So you never read the contracts?" Derek Osei asked her.\n\n'
            '"Not every page," she replied.'
        ),
        "Not every page",
        "Helen Marsh",
        "person",
        id="reply_to_a_question_is_not_the_askers",
    ),
    pytest.param(
        (
            "10:40 GMT - Olena Marchuk has again urged allies to hurry with air defence. "
            '"We cannot wait for spring," she said in a video address.'
        ),
        "We cannot wait",
        "Olena Marchuk",
        "person",
        id="a_live_blog_timestamp_is_not_part_of_the_name",
    ),
    pytest.param(
        (
            "For Park Jin-ho, a retired admiral who led the navy's mine warfare school, the "
            "plan comes late.\n\n"
            '"We trained for this for thirty years," the former admiral said.'
        ),
        "We trained",
        "Park Jin-ho",
        "person",
        id="a_sentence_opening_preposition_is_not_part_of_the_name",
    ),
    pytest.param(
        (
            "The Baltic Shipping Union declined to comment on the charges. In a statement on "
            'Monday, it said the allegations were "entirely invented."'
        ),
        "entirely invented",
        "Baltic Shipping Union",
        "organisation",
        id="it_is_the_organisation_just_made_the_subject",
    ),
    pytest.param(
        (
            "Port Harlow Rovers beat Westport 3-1 on Saturday.\n\n"
            "The Rovers also confirmed that striker Luis Ferro had signed a new contract. "
            '"Luis belongs here," the club said in a statement.'
        ),
        "Luis belongs",
        "Port Harlow Rovers",
        "organisation",
        id="the_club_is_the_team_just_made_the_subject",
    ),
    pytest.param(
        (
            "Foreign Minister Anton Vesely met his Slovak counterpart. The top Czech diplomat "
            "praised the talks.\n\n"
            "Meanwhile, ministry spokeswoman Petra Novak said the statements were "
            '"deeply unhelpful."\n\n'
            '"Prague will not be lectured," the diplomat added.'
        ),
        "Prague will not",
        "Petra Novak",
        "person",
        id="added_carries_on_from_the_last_speaker",
    ),
    pytest.param(
        (
            '"We were told to wait," said Tom Reed, who ran the depot for a decade.\n\n'
            '"Nobody ever came back to us."'
        ),
        "Nobody ever came",
        "Tom Reed",
        "person",
        id="a_quote_alone_in_the_next_paragraph_continues_the_speaker",
    ),
    pytest.param(
        (
            "Goalkeeper Lena Fischer saved two penalties.\n\n"
            'A reporter asked, "Will you play next season?"\n\n'
            '"Ask my knees," the 31-year-old said.'
        ),
        "Ask my knees",
        "Lena Fischer",
        "person",
        id="an_age_refers_back_and_an_answer_is_not_the_askers",
    ),
    pytest.param(
        (
            "Spokesman Piotr Wall told reporters that President Tomas Lind had been briefed. "
            'He denied the reports, calling them "pure fiction."'
        ),
        "pure fiction",
        "Piotr Wall",
        "person",
        id="a_subject_inside_a_reported_clause_is_not_the_pronouns",
    ),
    pytest.param(
        (
            "Ruth Calder, the painter, died on Monday. Her son, David Calder, confirmed the "
            "death.\n\n"
            'In her last interview, Ms. Calder said: "I painted what I could not say."'
        ),
        "I painted",
        "Ruth Calder",
        "person",
        id="an_honorific_picks_the_bearer_of_that_gender",
    ),
    pytest.param(
        (
            "One of the prisoners, a 30-year-old driver, spoke to reporters on Monday.\n\n"
            '"I want to go home," he said.'
        ),
        "I want to go home",
        None,
        "anonymous",
        id="one_of_a_group_stays_anonymous",
    ),
    pytest.param(
        (
            '"We were surprised," said Dr. Ana Ruiz, a chemist who led the tests. '
            '"The samples were clean."'
        ),
        "The samples",
        "Ana Ruiz",
        "person",
        id="a_relative_clause_does_not_hand_over_the_next_quote",
    ),
    pytest.param(
        (
            "Estonia's foreign intelligence agency said that Russia had fired 40 missiles and "
            'that their accuracy had "improved sharply" since May.'
        ),
        "improved sharply",
        "Foreign Intelligence Agency",
        "organisation",
        id="an_intelligence_agency_is_not_a_news_agency_relaying",
    ),
    pytest.param(
        (
            "In Kherson, shelling has intensified, a medic with the 35th Brigade told the Herald. "
            "He asked to be identified only by his call sign.\n\n"
            '"We sleep in our boots," he said.'
        ),
        "We sleep",
        None,
        "anonymous",
        id="he_after_an_unnamed_source_before_told",
    ),
    pytest.param(
        (
            '"The pace has not changed," Col. Ivan Petrenko, a spokesman for the General Staff, '
            "told reporters."
        ),
        "The pace",
        "Ivan Petrenko",
        "person",
        id="an_abbreviated_title_does_not_end_the_attribution",
    ),
    pytest.param(
        (
            "Deputy Minister of Energy of the Russian Federation Pavel Sokolov told reporters "
            "the line would open in May.\n\n"
            '"We are ahead of schedule," the deputy minister said.'
        ),
        "We are ahead",
        "Pavel Sokolov",
        "person",
        id="a_long_state_media_title_introduces_the_name_that_ends_it",
    ),
    pytest.param(
        ('"The rules have changed," said Councilwoman Dana Pruitt.'),
        "The rules",
        "Dana Pruitt",
        "person",
        id="a_council_title_is_not_part_of_the_name",
    ),
    pytest.param(
        (
            '"Every letter is a risk," said Ms. Olena Dovzhenko, 52, who teaches in Lviv.\n\n'
            "Her neighbour, Petro Hlib, agreed.\n\n"
            '"I keep a bag by the door," the 52-year-old said.'
        ),
        "I keep a bag",
        "Olena Dovzhenko",
        "person",
        id="an_age_is_the_person_introduced_with_it",
    ),
    pytest.param(
        (
            "Bremen (Eurowire) - German shipbuilder Nordwerft Marine said Tuesday it would "
            'close a dock, blaming costs it called "the worst in a generation."'
        ),
        "the worst",
        "Nordwerft Marine",
        "organisation",
        id="a_title_case_dateline_is_not_the_subject",
    ),
    pytest.param(
        ('Lower Saxony\'s labour minister, Greta Holm, called the plan "a bad day for the coast."'),
        "a bad day",
        "Greta Holm",
        "person",
        id="a_region_owning_the_role_is_not_the_name",
    ),
    pytest.param(
        'The IG Bau union said it would "resist every closure."',
        "resist every",
        "IG Bau",
        "organisation",
        id="the_name_before_a_generic_kind_is_the_organisation",
    ),
    pytest.param(
        (
            "Rep. Oh Min-ho of the Justice Party asked the first question.\n\n"
            "Oh said the ministry had ignored the warnings. "
            '"Nobody read them," he said.'
        ),
        "Nobody read",
        "Oh Min-ho",
        "person",
        id="the_surname_oh_is_not_an_interjection",
    ),
    pytest.param(
        (
            "Spokeswoman Irina Volkova criticised the decision to add two banks to the list. "
            'She described it as "a hostile act."'
        ),
        "a hostile act",
        "Irina Volkova",
        "person",
        id="adding_things_to_a_list_is_not_a_speech_cue",
    ),
    pytest.param(
        (
            "Yoon Suk Yeol spoke hours after a call with U.S. President-elect Donald Trump. "
            "The presidential office said the two had discussed the deployment."
        ),
        "the two had discussed",
        "South Korean Presidential Office",
        "organisation",
        id="an_office_belongs_to_the_country_of_the_person_just_discussed",
    ),
    pytest.param(
        (
            "In the harbour town of Kessby, ferryman Olav Brun, 61, was already at sea when "
            "the storm warning came.\n\n"
            '"We just kept going," he said.'
        ),
        "We just kept going",
        "Olav Brun",
        "person",
        id="a_person_left_without_a_verb_by_the_parser_is_still_the_subject",
    ),
    pytest.param(
        (
            "Japan on Monday imposed sanctions on three Russian tankers. The Ministry of "
            'Foreign Affairs said the ships had made "repeated voyages" to Nakhodka.'
        ),
        "repeated voyages",
        "Ministry of Foreign Affairs (Japan)",
        "organisation",
        id="a_ministry_named_without_a_country_is_the_actors",
    ),
    pytest.param(
        'U.S. Space Command said the test posed "no danger" to satellites.',
        "no danger",
        "U.S. Space Command",
        "organisation",
        id="a_proper_institution_name_keeps_its_country_word",
    ),
    pytest.param(
        (
            "Rep. Kang Min-jae of the main opposition Justice Party welcomed the decision but "
            'called it "two years late."'
        ),
        "two years late",
        "Kang Min-jae",
        "person",
        id="a_lawmaker_of_a_party_is_not_the_party",
    ),
    pytest.param(
        (
            "Harwick Rovers sacked their coach last night.\n\n"
            'The club said in a statement that he had left "by mutual consent."'
        ),
        "by mutual consent",
        "Harwick Rovers",
        "organisation",
        id="the_club_is_the_team_named_before_it",
    ),
    pytest.param(
        (
            "Kim Ha-eun, 29, who left Hyesan in 2022, said the trial had been "
            '"held in a football stadium."'
        ),
        "held in a football",
        "Kim Ha-eun",
        "person",
        id="an_age_in_commas_is_not_the_subject",
    ),
    pytest.param(
        (
            "Tigist Bekele, who led for most of the race, was gracious in defeat. "
            '"She was simply stronger today," the Ethiopian said.'
        ),
        "She was simply",
        "Tigist Bekele",
        "person",
        id="the_nationality_refers_to_the_person",
    ),
    pytest.param(
        (
            'The Korean Central News Agency called the report "a farce" and said Seoul would '
            '"pay dearly."'
        ),
        "pay dearly",
        "Korean Central News Agency",
        "organisation",
        id="a_news_agency_saying_is_its_own_speaker",
    ),
    pytest.param(
        (
            "In Bishkek, Kyrgyzstan's Ministry of Economy said the country "
            '"strictly complies" with the rules.'
        ),
        "strictly complies",
        "Ministry of Economy (Kyrgyzstan)",
        "organisation",
        id="a_ministry_owned_by_a_country_the_gazetteer_lacks",
    ),
    pytest.param(
        (
            "Ukraine's state grid company, Ukrenergo, blamed the shelling, calling the damage "
            '"severe."'
        ),
        "severe",
        "Ukrenergo",
        "organisation",
        id="a_company_named_in_apposition",
    ),
    pytest.param(
        (
            "About 900 children remain in the area, regional governor Ivan Hrytsak said on "
            'Telegram, urging parents not to wait "until the last day."'
        ),
        "until the last day",
        "Ivan Hrytsak",
        "person",
        id="a_participle_speaks_with_its_governing_verbs_subject",
    ),
    pytest.param(
        (
            "Councillor Ray Dunn backed the plan.\n\n"
            "Jamal Reed, a 29-year-old teacher, told the council members he had been priced "
            "out of the city.\n\n"
            '"I love this city," he said.'
        ),
        "I love this city",
        "Jamal Reed",
        "person",
        id="he_is_the_person_the_previous_paragraph_was_about",
    ),
    pytest.param(
        'Artist Kerry Pike said she was "absolutely gutted."',
        "absolutely gutted",
        "Kerry Pike",
        "person",
        id="an_occupation_before_a_full_name_is_a_title",
    ),
    pytest.param(
        (
            "One of those who signed up is a 38-year-old former miner, who asked that his "
            "name not be published.\n\n"
            '"I was earning very little underground," he said.'
        ),
        "I was earning",
        None,
        "anonymous",
        id="one_of_those_whose_name_is_withheld_stays_anonymous",
    ),
    pytest.param(
        (
            "North Korea's military, in a statement carried by state media, accused the South "
            'of a "serious provocation."'
        ),
        "serious provocation",
        "Korean People's Army",
        "organisation",
        id="a_countrys_military_is_its_armed_forces_in_the_gazetteer",
    ),
    pytest.param(
        (
            "Trade Secretary Ramon dela Cruz announced the cut on Monday.\n\n"
            '"We listened to the farmers," dela Cruz said.'
        ),
        "We listened",
        "Ramon dela Cruz",
        "person",
        id="a_surname_with_its_particle_is_the_full_name",
    ),
    pytest.param(
        (
            "Families said the International Committee of the Red Cross had done too little.\n\n"
            'The ICRC said it had "no regular access" to the camps.'
        ),
        "no regular access",
        "International Committee of the Red Cross",
        "organisation",
        id="an_acronym_is_the_full_name_used_before",
    ),
    pytest.param(
        ('"The drones came at night," Captain First Rank Oleg Sidorov told reporters.'),
        "The drones came",
        "Oleg Sidorov",
        "person",
        id="a_naval_rank_is_not_part_of_the_name",
    ),
    pytest.param(
        (
            "SEOUL, Nov. 27 (Wire) -- A forum debated nuclear weapons on Friday.\n\n"
            "The Ministry of Foreign Affairs said Seoul remained "
            '"firmly committed" to the treaty.'
        ),
        "firmly committed",
        "Ministry of Foreign Affairs (South Korea)",
        "organisation",
        id="a_ministry_without_a_country_takes_the_datelines",
    ),
    pytest.param(
        '"When that whistle stops, this town goes quiet," said fitter Bob Kearney.',
        "When that whistle",
        "Bob Kearney",
        "person",
        id="a_lower_case_descriptor_is_not_part_of_the_name",
    ),
    pytest.param(
        (
            "The exchange, Linbay Asia, has frozen withdrawals since the theft. "
            '"No client will lose a coin," the company said.'
        ),
        "No client",
        "Linbay Asia",
        "organisation",
        id="the_company_is_the_one_named_in_apposition_before",
    ),
    pytest.param(
        (
            "In a statement after the vote, the Harbor Transit Authority said it would keep one "
            'night route. "This is a painful but temporary measure," the statement said.'
        ),
        "This is a painful",
        "Harbor Transit Authority",
        "organisation",
        id="a_statement_speaks_for_its_author",
    ),
    pytest.param(
        (
            "Laura Finch said she had warned the board twice.\n\n"
            '"Nobody listened," Victor Hale said. "Not me, not anyone."\n\n'
            '"I have the emails," she said.'
        ),
        "I have the emails",
        "Laura Finch",
        "person",
        id="she_skips_a_man_named_by_a_given_name",
    ),
    pytest.param(
        (
            "Ms. Okafor chaired the inquiry. Her deputy, Dele Mensah, read the findings.\n\n"
            '"We found no fraud, only neglect," Mensah said. "That is bad enough."\n\n'
            '"The report speaks for itself," she said.'
        ),
        "The report speaks",
        "Okafor",
        "person",
        id="she_is_the_woman_named_with_an_honorific",
    ),
    pytest.param(
        (
            "The Northvale Rowing Association cancelled its spring regatta.\n\n"
            "The association's board said in a statement that the river was "
            '"simply too high to race safely."'
        ),
        "simply too high",
        "Northvale Rowing Association",
        "organisation",
        id="a_board_speaks_for_its_organisation",
    ),
    pytest.param(
        (
            "The Chilean Embassy in Canberra rejected the report on Monday.\n\n"
            "Separately, the embassy said the visit had been "
            '"planned for months and is entirely routine."'
        ),
        "planned for months",
        "Chilean Embassy in Canberra",
        "organisation",
        id="the_embassy_is_the_embassy_named_before",
    ),
    pytest.param(
        (
            "A volunteer at the Westbrook Community Tool Library said demand had doubled.\n\n"
            'The tool library said it would "open two evenings a week from March."'
        ),
        "open two",
        "Westbrook Community Tool Library",
        "organisation",
        id="a_definite_description_ending_an_earlier_name_is_that_organisation",
    ),
]


@pytest.mark.parametrize(("text", "opening", "speaker", "speaker_type"), SPEAKER_CASES)
def test_quote_speaker(quotes_of, text: str, opening: str, speaker: str | None, speaker_type: str):
    quote = next(q for q in quotes_of(text) if q.text.startswith(opening))
    assert (quote.speaker, quote.speaker_type) == (speaker, speaker_type)


def test_a_bare_surname_after_an_honorific_resolves(nlp, gazetteer):
    # Regression: gender evidence is gathered while the resolver is built, and "Mrs." before a
    # bare surname shared by two people asks for it; this crashed the whole article. Without
    # entities from the entity stage the resolver uses the parser's own, surnames left bare.
    doc = nlp('Ruth Calder and David Calder arrived. "We are tired," Mrs. Calder said.')
    quotes = find_quotes(doc, [], "a1", gazetteer)
    assert [(q.text, q.speaker) for q in quotes] == [("We are tired", "Ruth Calder")]
