"""Entity post-processing on real spaCy output (sample texts written for these tests)."""

from __future__ import annotations

from spacy.language import Language

from newsflow.enrich.entities import extract_entities
from newsflow.enrich.gazetteer import Gazetteer
from newsflow.enrich.model import load_model, model_version
from newsflow.records import Entity
from newsflow.settings import Settings


def entities_of(nlp: Language, gazetteer: Gazetteer, text: str) -> list[Entity]:
    entities = extract_entities(nlp(text), "a1", gazetteer)
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text, entity
        assert entity.article_id == "a1"
    return entities


def find(entities: list[Entity], text: str) -> list[Entity]:
    return [e for e in entities if e.text == text]


def test_model_keeps_what_entities_and_quotes_need(nlp: Language) -> None:
    for component in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"):
        assert component in nlp.pipe_names
    assert "senter" not in nlp.pipe_names
    assert load_model(Settings().spacy_model) is nlp  # cached per process
    assert model_version(nlp) == nlp.meta["version"]
    doc = nlp("The minister said on Monday that talks would resume.")
    assert [t.lemma_ for t in doc if t.dep_ == "ROOT"] == ["say"]
    assert len(list(doc.sents)) == 1


def test_determiners_and_possessives_are_stripped(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "The Kim Jong-un regime has expanded North Korea's missile program, officials said."
    entities = entities_of(nlp, gazetteer, text)
    kim = find(entities, "Kim Jong-un")
    assert kim and kim[0].start == text.index("Kim") and kim[0].label == "PERSON"
    north = find(entities, "North Korea")
    assert north and north[0].canonical == "North Korea" and north[0].country == "KP"
    assert not [e for e in entities if e.text.lower().startswith("the ") or "'s" in e.text]


def test_transliteration_variants_fold(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "South Korean President Yun Suk-yeol met the leader of the DPRK. Kim Jong Un did not "
        "comment. Ukrainian President Volodymyr Zelensky spoke to reporters in Kiev on Monday."
    )
    by_text = {e.text: e for e in entities_of(nlp, gazetteer, text)}
    assert by_text["Yun Suk-yeol"].canonical == "Yoon Suk Yeol"
    assert by_text["Yun Suk-yeol"].country == "KR"
    assert by_text["Kim Jong Un"].canonical == "Kim Jong-un"
    assert by_text["Volodymyr Zelensky"].canonical == "Volodymyr Zelenskyy"
    assert by_text["Kiev"].canonical == "Kyiv" and by_text["Kiev"].country == "UA"
    assert by_text["DPRK"].canonical == "North Korea" and by_text["DPRK"].label == "GPE"


def test_metonyms_keep_surface_and_map_country(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "Officials in Pyongyang said the talks were useful, while the Kremlin said Moscow was "
        "not involved and Seoul asked for details."
    )
    by_text = {e.text: e for e in entities_of(nlp, gazetteer, text)}
    assert (by_text["Pyongyang"].canonical, by_text["Pyongyang"].country) == ("Pyongyang", "KP")
    assert (by_text["Kremlin"].canonical, by_text["Kremlin"].country) == ("Kremlin", "RU")
    assert (by_text["Moscow"].canonical, by_text["Moscow"].country) == ("Moscow", "RU")
    assert (by_text["Seoul"].canonical, by_text["Seoul"].country) == ("Seoul", "KR")


def test_short_forms_resolve_to_full_names_in_the_article(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    text = (
        "Park Ji-hoon, a professor at Hanguk University, said the plan would fail. "
        "Park added that the ministry had not consulted experts. "
        "The bakery owner Maria Santos disagreed. Santos said the plan was sound."
    )
    entities = entities_of(nlp, gazetteer, text)
    assert {e.canonical for e in find(entities, "Park")} == {"Park Ji-hoon"}  # family name first
    assert {e.canonical for e in find(entities, "Santos")} == {"Maria Santos"}  # family name last


def test_short_forms_fall_back_to_the_gazetteer(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Putin's spokesman said the decision was final. Later, Zelensky rejected the offer."
    entities = entities_of(nlp, gazetteer, text)
    putin = find(entities, "Putin")
    assert putin and putin[0].canonical == "Vladimir Putin" and putin[0].country == "RU"
    assert {e.canonical for e in find(entities, "Zelensky")} == {"Volodymyr Zelenskyy"}


def test_ambiguous_short_form_takes_the_nearest_full_name_before_it(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    text = (
        "Kim Jong-un inspected a missile factory on Friday, state media said. On Saturday his "
        "sister Kim Yo-jong issued a statement criticising the drills. Kim said Seoul would "
        "regret the decision."
    )
    entities = entities_of(nlp, gazetteer, text)
    kims = [e for e in entities if e.text == "Kim" and e.label == "PERSON"]
    assert kims, [(e.text, e.label) for e in entities]
    assert {e.canonical for e in kims} == {"Kim Yo-jong"}


def test_agency_credits_are_split_from_the_following_name(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    text = (
        "Visitors crowd a market in Busan, March 3. Yonhap Seoul is preparing a new budget, "
        "the finance ministry said. A view of the port in Odesa, May 2. Reuters-Yonhap Kuleba "
        "told the conference that grain exports had resumed. Soldiers rest near the front "
        "line, April 9. AP-Yonhap Lee Min-ho, a researcher at the Sejong Institute, said the "
        "drills were routine. Lee said the North would respond."
    )
    entities = entities_of(nlp, gazetteer, text)
    credits = ("yonhap", "reuters", "ap ", "ap-")
    people = [e for e in entities if e.label == "PERSON"]
    assert not [e for e in people if e.text.lower().startswith(credits)], people
    seoul = find(entities, "Seoul")
    assert seoul and seoul[0].label == "GPE" and seoul[0].country == "KR"
    assert seoul[0].start == text.index("Seoul")
    assert {e.canonical for e in find(entities, "Kuleba")} == {"Dmytro Kuleba"}
    assert find(entities, "Lee Min-ho")
    assert {e.canonical for e in find(entities, "Lee")} == {"Lee Min-ho"}


def test_national_modifier_gives_unknown_people_a_country(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    text = (
        "Russian deputy minister Oleg Vasnetsov visited the plant. Vasnetsov said output "
        "would double. South Korean lawmaker Han Seo-yeon disagreed."
    )
    entities = entities_of(nlp, gazetteer, text)
    assert {e.country for e in entities if e.canonical == "Oleg Vasnetsov"} == {"RU"}
    assert {e.country for e in find(entities, "Han Seo-yeon")} == {"KR"}


def test_offsets_index_the_text_exactly(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "  “Who is involved is none of their concern,” Russia’s foreign ministry spokesperson "
        "Maria Zakharova said.\r\n\r\nNorth Korea’s envoy left Kyiv’s embassy quarter.\n"
    )
    entities = entities_of(nlp, gazetteer, text)  # asserts text[start:end] == entity.text
    zakharova = find(entities, "Maria Zakharova")
    assert zakharova and zakharova[0].country == "RU"
    assert find(entities, "North Korea")


def test_gazetteer_names_missed_by_ner_are_added(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "The claims could be used as leverage by Kyiv to increase pressure on its allies. "
        "Let us know what you think, the editors wrote."
    )
    entities = entities_of(nlp, gazetteer, text)
    kyiv = find(entities, "Kyiv")
    assert kyiv and (kyiv[0].canonical, kyiv[0].country) == ("Kyiv", "UA")
    assert not find(entities, "us")  # a pronoun that spells an alias is not a country


def test_a_name_never_runs_across_a_line_break(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Deals at Walmart\n\nNew Price Drop on TVs this week."
    doc = nlp(text)
    # The small model sometimes glues a heading to the name before it; reproduce that span.
    start, end = text.index("Walmart"), text.index(" on TVs")
    doc.ents = [doc.char_span(start, end, label="ORG")]
    (entity,) = extract_entities(doc, "a1", gazetteer)
    assert (entity.text, entity.start, entity.end) == ("Walmart", start, start + len("Walmart"))


def test_titles_are_not_part_of_names(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "Organizer Beth Harmon said the fair raised about $12,000 for the library. "
        '"The barrels are worn out," said Sgt. Mykola Hrytsenko, who leads a mortar crew.'
    )
    people = [e for e in entities_of(nlp, gazetteer, text) if e.label == "PERSON"]
    assert [e.text for e in people] == ["Beth Harmon", "Mykola Hrytsenko"]
