"""Gender evidence for pronoun resolution: only reliable signals count, conflicts settle nothing."""

import pytest

from newsflow.enrich.gender import gender_near, gender_of_name, settle


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Olena Kovalenko", "she"),
        ("Volodymyr Zelenskyy", "he"),
        ("Maria Zakharova", "she"),
        ("Daria Petrova", "she"),  # feminine surname even without a known given name
        ("Yevhenia Petrova", "she"),
        ("Cho Han-bum", None),  # most Korean given names do not show gender
        ("Zakharova", None),  # one word: no evidence from the name alone
        ("Alex Morgan", None),  # ambiguous given names are left out
    ],
)
def test_gender_of_name(name: str, gender: str | None):
    assert gender_of_name(name) == gender


@pytest.mark.parametrize(
    ("text", "name", "gender"),
    [
        ("Ms. Okafor chaired the inquiry.", "Okafor", "she"),
        ("Mr. Adeyemi declined to comment.", "Adeyemi", "he"),
        ("Yoon Ha-rin, the ministry's spokeswoman, spoke first.", "Yoon Ha-rin", "she"),
        ("Gloria Park testified that she had raised concerns.", "Gloria Park", "she"),
        ("Baek Seung-ho said his institute had no view.", "Baek Seung-ho", "he"),
        # Another person before the pronoun: it may be theirs.
        ("Baek Seung-ho told Ryu Ji-hye that she was right.", "Baek Seung-ho", None),
        # A pronoun inside a quote belongs to the quoted words.
        ('Kim Min-jae said "she never called us" on Friday.', "Kim Min-jae", None),
    ],
)
def test_gender_near(nlp, text: str, name: str, gender: str | None):
    doc = nlp(text)
    start = text.index(name)
    mention = doc.char_span(start, start + len(name), alignment_mode="expand")
    assert gender_near(mention) == gender


def test_conflicting_evidence_settles_nothing():
    assert settle(["she", None, "she"]) == "she"
    assert settle(["she", "he"]) is None
    assert settle([None, None]) is None


def test_a_gendered_noun_merely_nearby_is_no_evidence(nlp):
    text = "Kim Tae-hoon met his wife in Busan."
    doc = nlp(text)
    assert gender_near(doc.char_span(0, len("Kim Tae-hoon"), alignment_mode="expand")) == "he"
    text = "Officials told Kim Tae-hoon about the daughter of a soldier."
    doc = nlp(text)
    start = text.index("Kim")
    assert gender_near(doc.char_span(start, start + 12, alignment_mode="expand")) is None


def test_an_object_pronoun_is_someone_else(nlp):
    text = "Sentencing him, Recorder Hilary Quayle told him to stand."
    doc = nlp(text)
    start = text.index("Hilary")
    assert gender_near(doc.char_span(start, start + 13, alignment_mode="expand")) is None
