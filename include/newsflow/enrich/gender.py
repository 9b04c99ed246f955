"""Grammatical gender evidence for people named in an article.

"he"/"she" can only be resolved well when the candidates' genders are known; news text gives
them away in a few reliable ways: an honorific ("Ms. Park"), a gendered role noun ("the
spokeswoman"), a pronoun the same sentence uses for its subject ("Park testified that she ..."),
a common given name, or an East Slavic surname's gendered ending ("Zakharova"). Each function
here returns "he", "she" or None (no evidence); none guesses from anything weaker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Span


def _lexicon(words: str, gender: str) -> dict[str, str]:
    return dict.fromkeys(words.split(), gender)


HONORIFIC_GENDER = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she", "sir": "he"}
HONORIFIC_GENDER |= {"dame": "she", "lord": "he", "lady": "she"}

GENDERED_NOUNS = {
    **_lexicon(
        """
        spokeswoman chairwoman congresswoman businesswoman councilwoman policewoman
        sportswoman anchorwoman actress mother wife daughter sister grandmother widow woman
        girl aunt niece
        """,
        "she",
    ),
    **_lexicon(
        """
        spokesman chairman congressman businessman councilman policeman sportsman anchorman
        actor father husband son brother grandfather widower man boy uncle nephew
        """,
        "he",
    ),
}

# Common given names whose gender is near certain in English-language news about the region
# and in general stories. Ambiguous names (Alex, Sasha, Jordan, most Korean names) are left out.
GIVEN_NAMES = {
    **_lexicon(
        """
        mary maria marie anna anne ann elizabeth sarah susan linda karen lisa nancy laura
        emily emma olivia sophie sophia hannah rachel rebecca helen catherine katherine kate
        claire jennifer jessica amanda michelle angela julia julie margaret patricia barbara
        marion hilary ursula kamala hillary nicola theresa victoria grace alice ruth jane joan
        diane priya gloria ines irene natalie natalia nataliya natalya olena olga oksana
        iryna irina yulia yuliia tetiana tatiana tatyana svitlana svetlana lyudmila liudmyla
        halyna galina kateryna ekaterina yekaterina mariya mariia daria darya alina
        anastasia anastasiia valentina veronika viktoria viktoriya larysa larisa yelena
        elena ella ekaterina marina inna
        """,
        "she",
    ),
    **_lexicon(
        """
        john james robert michael william david richard joseph thomas charles christopher
        daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
        george edward ronald timothy jason jeffrey ryan jacob gary nicholas eric stephen
        jonathan larry justin scott brandon frank benjamin gregory samuel raymond patrick
        alexander jack dennis jerry tyler aaron henry peter adam harold douglas nathan
        zachary walter kyle carl arthur gerald roger keith jeremy terry lawrence sean
        christian albert joe ethan austin jesse willie billy bruce bryan ralph roy jordan
        eugene wayne louis alan juan gabriel boris emmanuel olaf keir rishi mark martin
        volodymyr vladimir dmitry dmytro sergei sergey serhiy serhii andriy andrii andrei
        andrey oleksandr oleksiy oleksii aleksandr alexei alexey mykhailo mikhail mykola
        nikolai ivan ihor igor yuriy yuri viktor vitali vitaliy vitaly oleg oleh pavlo pavel
        petro pyotr kyrylo kirill maksym maxim denys denis ruslan roman vasyl vasily valeriy
        valery anatoliy anatoly yevgeny yevhen evgeny rustem arseniy arseny taras bohdan
        victor vincent hugo stanislav yaroslav vyacheslav konstantin kostiantyn leonid
        gennady heorhiy georgy
        grigory hryhoriy ramzan
        """,
        "he",
    ),
}


def gender_of_name(name: str) -> str | None:
    """ "Olena Kovalenko" -> "she" (given name); "Daria Petrova" -> "she" (a feminine East
    Slavic surname, -ova/-eva/-skaya); "Cho Han-bum" -> None: no reliable evidence."""
    words = [w.strip(".,").casefold() for w in name.split()]
    if len(words) < 2:
        return None
    if words[0] in GIVEN_NAMES:
        return GIVEN_NAMES[words[0]]
    if len(words[-1]) > 5 and words[-1].endswith(("ova", "eva", "skaya")):
        return "she"
    return None


def gender_near(mention: Span) -> str | None:
    """Evidence around one mention of a person: the honorific before it, a gendered role noun
    in apposition or as its title, and a he/she/his/her later in the same sentence when no
    other person comes in between."""
    doc = mention.doc
    before = doc[mention.start - 1] if mention.start > 0 else None
    if before is not None and before.lower_.rstrip(".") in HONORIFIC_GENDER:
        return HONORIFIC_GENDER[before.lower_.rstrip(".")]
    root = mention.root
    # The role as a title before the name ("Spokeswoman Kim") or in apposition either way
    # ("Kim, the ministry's spokeswoman", "the spokeswoman, Kim"), never a noun merely nearby.
    roles = list(doc[max(0, mention.start - 2) : mention.start])
    roles += [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        roles.append(root.head)
    nouns = {GENDERED_NOUNS[t.lower_] for t in roles if t.lower_ in GENDERED_NOUNS}
    if len(nouns) == 1:
        return nouns.pop()
    if mention.root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    for token in doc[mention.end : mention.sent.end]:
        if token.ent_type_ == "PERSON" or token.text in ("“", '"', "‘"):
            return None  # another person, or quoted words whose "she" is someone else's
        # A subject or possessive pronoun: "Park testified that she had", "Baek said his";
        # an object ("Quayle told him") is usually someone else.
        subject_or_possessive = token.dep_ in ("nsubj", "nsubjpass") or token.tag_ == "PRP$"
        if token.lower_ in ("he", "his") and subject_or_possessive:
            return "he"
        if token.lower_ in ("she", "her") and subject_or_possessive:
            return "she"
    return None


def settle(evidence: Iterable[str | None]) -> str | None:
    """One gender from several pieces of evidence; conflicting evidence settles nothing."""
    counts = Counter(e for e in evidence if e is not None)
    if len(counts) != 1:
        return None
    return next(iter(counts))
