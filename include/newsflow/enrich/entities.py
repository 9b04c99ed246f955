"""Canonical entity mentions from a parsed spaCy Doc.

spaCy's spans are close to what we want but not quite: they carry determiners and possessives
("the Kim Jong-un", "North Korea's"), photo credits glued to the next name ("Yonhap Pyongyang"),
short forms ("Putin", "Yang") and transliteration variants. Each mention is trimmed (offsets kept
exact), matched against the gazetteer, resolved to a full name used in the same article and given
a country, from the gazetteer or from a national modifier just before it ("Russian President X").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsflow.enrich.gazetteer import Gazetteer, GazetteerEntry, lookup_key
from newsflow.records import Entity

logger = logging.getLogger(__name__)

# Labels that name something; numbers, dates and the like are kept as spaCy found them.
# fmt: off
NAME_LABELS = frozenset({
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
})
# News agencies whose credit lines ("Yonhap", "Reuters-Yonhap", "AP/AFP") end photo captions and
# run into the next sentence in scraped text, where NER glues them to the following name.
AGENCY_CREDITS = frozenset({
    "yonhap", "reuters", "ap", "afp", "epa", "efe", "dpa", "ansa", "upi", "xinhua", "tass",
    "kcna", "kyodo", "newsis", "news1", "ukrinform", "interfax", "getty", "shutterstock",
    "bloomberg", "anadolu", "sputnik", "ria",
})
# Tokens that may sit between or after credits ("Reuters-Yonhap", "Getty Images", "AP Photo").
CREDIT_GLUE = frozenset({"-", "/", "–", "—", "images", "photo", "photos", "pool", "file"})
# Labels where a leading or trailing credit is stripped; an ORG may really start with one
# ("Reuters Institute"), and is left alone unless the gazetteer knows what remains.
CREDIT_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC"})
DETERMINERS = frozenset({"the", "a", "an"})
DASHES = frozenset({"-", "–", "—", "--"})
LINKERS = frozenset({"ADP", "CCONJ", "SCONJ"})
# Lower-case particles inside personal names ("Ramon dela Paz", "Ursula von der Leyen").
NAME_PARTICLES = frozenset(
    {"de", "del", "dela", "della", "da", "di", "du", "van", "von", "der", "den", "le", "la", "bin"}
)
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
# Honorifics and titles NER sometimes includes in a PERSON span ("President Putin").
# Offices news prints before a name ("Councilwoman Dana Pruitt", "Recorder Hilary Quayle");
# the speaker stage strips the same list.
OFFICE_TITLES = frozenset({
    "councilman", "councilwoman", "councillor", "councilor", "alderman", "alderwoman",
    "assemblyman", "assemblywoman", "congressman", "congresswoman", "representative", "justice",
    "commissioner", "inspector", "detective", "sheriff", "superintendent", "bishop",
    "archbishop", "rabbi", "imam", "pastor", "reverend", "recorder", "magistrate", "constable",
    "cllr",
})
TITLES = OFFICE_TITLES | frozenset({
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "president",
    "gen", "gen.", "general", "lt", "lt.", "col", "col.", "adm", "adm.", "sen", "sen.", "rep",
    "rep.", "gov", "gov.", "sgt", "sgt.", "cpl", "cpl.", "capt", "capt.", "maj", "maj.",
    "sergeant", "corporal", "captain", "colonel", "lieutenant", "commander", "admiral",
    "chairman", "chairwoman", "premier", "minister", "prime", "spokesman", "spokeswoman",
    "spokesperson", "leader", "comrade", "marshal", "ambassador", "envoy", "governor", "mayor",
    "judge", "lawmaker", "senator", "deputy", "secretary", "director", "professor", "coach",
    "organizer", "organiser", "owner", "chef", "analyst", "researcher", "rev", "rev.", "artist",
    "striker", "midfielder", "defender", "goalkeeper", "photographer", "singer",
})
# fmt: on
# Word classes allowed between a national modifier and the name it qualifies
# ("Russia's foreign ministry spokesperson Maria Zakharova", "North Korean leader Kim").
_MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_MODIFIER_WINDOW = 6
_COUNTRY_LABELS = frozenset({"GPE", "NORP"})
_MAX_NAME_TOKENS = 6


@dataclass
class _Mention:
    first: int  # token index, inclusive
    last: int  # token index, exclusive
    start: int
    end: int
    text: str
    label: str
    entry: GazetteerEntry | None
    canonical: str = ""
    country: str | None = None
    role: str | None = None


def extract_entities(doc: Doc, article_id: str, gazetteer: Gazetteer) -> list[Entity]:
    """Canonical entity mentions of a parsed article, in text order."""
    mentions = [m for m in (_mention(ent, gazetteer) for ent in doc.ents) if m is not None]
    mentions = sorted(mentions + _missed_names(doc, mentions, gazetteer), key=lambda m: m.start)
    mentions = _join_particles(doc, mentions)
    _assign_gazetteer(mentions)
    _assign_modifier_countries(doc, mentions)
    _resolve_short_forms(mentions)
    _fold_spellings(mentions)
    _propagate_countries(mentions)
    return [
        Entity(
            article_id=article_id,
            start=m.start,
            end=m.end,
            text=m.text,
            label=m.label,
            canonical=m.canonical,
            country=m.country,
            role=m.role,
        )
        for m in mentions
    ]


def _mention(ent: Span, gazetteer: Gazetteer) -> _Mention | None:
    doc, label = ent.doc, ent.label_
    first, last = _first_line(doc, ent.start, ent.end)
    if label not in NAME_LABELS:
        first, last = _strip_edges(doc, first, last, names=False)
        return _make(doc, first, last, label, None) if first < last else None
    first = _after_spaced_dash(doc, first, last)
    if label == "PERSON":
        first = _given_name_before(doc, first)
    first, last = _strip_edges(doc, first, last, names=True)
    if first >= last:
        return None
    entry = gazetteer.lookup(doc[first:last].text)
    if entry is None:
        trimmed = _strip_credits(doc, first, last)
        if trimmed != (first, last):
            remainder = gazetteer.lookup(doc[trimmed[0] : trimmed[1]].text)
            if label in CREDIT_LABELS or remainder is not None:
                (first, last), entry = trimmed, remainder
        if label == "PERSON" and entry is None:
            first = _strip_titles(doc, first, last)
        first, last = _strip_edges(doc, first, last, names=True)
        if first >= last or (label == "PERSON" and doc[first:last].text.lower() in TITLES):
            return None  # nothing left, or a bare title ("Sgt" before "Sgt. Mykhailo Boiko")
        if entry is None:
            entry = gazetteer.lookup(doc[first:last].text)
    if entry is not None and entry.type != label:
        label = entry.type  # the gazetteer knows better ("Ukrainian" is NORP, not GPE)
    return _make(doc, first, last, label, entry)


def _join_particles(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """ "Ramon" + "dela" + "Paz" tagged as two people: one name with its particle."""
    joined: list[_Mention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        gap = doc[previous.last : mention.first] if previous is not None else None
        if (
            previous is not None
            and previous.label == mention.label == "PERSON"
            and gap is not None
            and len(gap) <= 2
            and all(t.lower_ in NAME_PARTICLES for t in gap)
            and (len(gap) > 0 or doc[mention.first].lower_ in NAME_PARTICLES)
        ):
            joined[-1] = _make(doc, previous.first, mention.last, "PERSON", previous.entry)
            continue
        joined.append(mention)
    return joined


def _missed_names(doc: Doc, mentions: list[_Mention], gazetteer: Gazetteer) -> list[_Mention]:
    """Gazetteer names NER did not tag ("pressure by Kyiv").

    Only a whole run of proper nouns counts, so a common word that spells an alias ("us") or
    one word of an unknown longer name ("Igor Putin") is never taken for a known name.
    """
    covered = {i for m in mentions for i in range(m.first, m.last)}
    found: list[_Mention] = []
    index = 0
    while index < len(doc):
        if doc[index].pos_ != "PROPN" or index in covered:
            index += 1
            continue
        last = index + 1
        while last < len(doc) and (
            doc[last].pos_ == "PROPN" or (doc[last].tag_ == "HYPH" and not doc[last].whitespace_)
        ):
            last += 1
        run = doc[index:last]
        if last - index <= _MAX_NAME_TOKENS and not any(i in covered for i in range(index, last)):
            entry = gazetteer.lookup(run.text)
            if entry is not None and (len(lookup_key(run.text)) > 2 or run.text.isupper()):
                found.append(_make(doc, index, last, entry.type, entry))
        index = last
    return found


def _make(doc: Doc, first: int, last: int, label: str, entry: GazetteerEntry | None) -> _Mention:
    span = doc[first:last]
    return _Mention(first, last, span.start_char, span.end_char, span.text, label, entry)


def _first_line(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """The first line of a span that has a letter or digit: NER runs across line breaks into
    headings and captions ("Walmart\n\nNew Price Drop"), and no name spans paragraphs."""
    start = first
    for index in range(first, last + 1):
        if index == last or (doc[index].is_space and "\n" in doc[index].text):
            if any(ch.isalnum() for t in doc[start:index] for ch in t.text):
                return start, index
            start = index + 1
    return first, last


def _after_spaced_dash(doc: Doc, first: int, last: int) -> int:
    """ "BST - Volodymyr Zelenskyy", "SEOUL — Cho Hyun": a name never contains a dash with
    spaces around it, so what precedes one (a timestamp, a dateline) is not part of it."""
    for index in range(last - 2, first, -1):
        token = doc[index]
        if token.text in DASHES and token.whitespace_ and doc[index - 1].whitespace_:
            return index + 1
    return first


def _given_name_before(doc: Doc, first: int) -> int:
    """ "Choe Kum Hui" tagged from "Kum": a capitalised name word left out just before a
    person's name belongs to it (titles are stripped later)."""
    if first == 0:
        return first
    before = doc[first - 1]
    if (
        before.pos_ == "PROPN"
        and before.is_alpha
        and before.is_title
        and not before.ent_type_
        and not before.is_stop
        and before.lower_ not in TITLES
        and before.whitespace_
        and "\n" not in before.whitespace_
    ):
        return first - 1
    return first


def _strip_edges(doc: Doc, first: int, last: int, *, names: bool) -> tuple[int, int]:
    """Drop edge whitespace and punctuation; for names also determiners, possessives and a
    sentence's opening preposition or conjunction ("For Choi Byung-ho, ...")."""
    while first < last and (
        doc[first].is_space
        or doc[first].is_punct
        or (names and doc[first].lower_ in DETERMINERS and last - first > 1)
        or (names and last - first > 1 and doc[first].is_stop and doc[first].pos_ in LINKERS)
    ):
        first += 1
    while last > first and (
        doc[last - 1].is_space
        or doc[last - 1].is_punct
        or (names and last - first > 1 and _is_possessive(doc[last - 1]))
    ):
        last -= 1
    return first, last


def _is_possessive(token: Token) -> bool:
    return token.tag_ == "POS" or token.text in POSSESSIVES


def _strip_credits(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Drop agency credits at either edge ("Yonhap Pyongyang" -> "Pyongyang")."""
    start, end = first, last
    while start < end and doc[start].lower_ in AGENCY_CREDITS:
        start += 1
        while start < end and doc[start].lower_ in CREDIT_GLUE:
            start += 1
    while end > start and (
        doc[end - 1].lower_ in AGENCY_CREDITS
        or (doc[end - 1].lower_ in CREDIT_GLUE and _credit_before(doc, start, end - 1))
    ):
        end -= 1
    if start >= end or not any(t.is_alpha for t in doc[start:end]):
        return first, last  # nothing but credits: leave the span to the gazetteer and labels
    return start, end


def _credit_before(doc: Doc, start: int, index: int) -> bool:
    while index > start and doc[index - 1].lower_ in CREDIT_GLUE:
        index -= 1
    return index > start and doc[index - 1].lower_ in AGENCY_CREDITS


def _strip_titles(doc: Doc, first: int, last: int) -> int:
    """Drop titles and lower-case descriptors before a name ("President", "fitter Bob Kearney")."""
    while (
        last - first > 1
        and (
            doc[first].lower_ in TITLES
            or (doc[first].text.islower() and doc[first].lower_ not in NAME_PARTICLES)
        )
        and doc[first + 1].pos_ == "PROPN"
    ):
        first += 1
    return first


def _assign_gazetteer(mentions: list[_Mention]) -> None:
    for m in mentions:
        if m.entry is not None:
            m.canonical, m.country, m.role = m.entry.canonical, m.entry.country, m.entry.role
        else:
            m.canonical = " ".join(m.text.split())


def _assign_modifier_countries(doc: Doc, mentions: list[_Mention]) -> None:
    """Give a person or organisation the country of a national modifier right before it."""
    owner = {i: m for m in mentions for i in range(m.first, m.last)}
    for m in mentions:
        if m.country is not None or m.label not in {"PERSON", "ORG"}:
            continue
        index = m.first - 1
        while index >= 0 and m.first - index <= _MODIFIER_WINDOW:
            before = owner.get(index)
            if before is not None:
                if before.label in _COUNTRY_LABELS and before.country is not None:
                    m.country = before.country
                break
            token = doc[index]
            if not (token.pos_ in _MODIFIER_POS or token.tag_ in {"POS", "HYPH"}):
                break
            index -= 1


def _name_parts(text: str) -> list[str]:
    return [key for key in (lookup_key(part) for part in text.split()) if key]


def _looks_like_full_name(text: str) -> bool:
    """Two to five capitalised words without digits: NER's PERSON spans include junk such as
    "rang Taylor" or "Thunderbolt 3 Apple" that must not capture a later "Taylor"."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and words[0][:1].isupper()
        and words[-1][:1].isupper()
        and not any(ch.isdigit() for ch in text)
    )


def _resolve_short_forms(mentions: list[_Mention]) -> None:
    """Map a one-word PERSON ("Yang", "Putin") to a full name used in the same article.

    Family-name-first ("Yang Moo-jin") and family-name-last ("Vladimir Putin") names both match;
    when several full names share the word ("Kim"), the nearest one before the mention wins,
    as a reporter names a person in full before shortening. The gazetteer is the fallback.
    """
    full: list[tuple[_Mention, tuple[str, str]]] = []
    for m in mentions:
        if m.label == "PERSON" and _looks_like_full_name(m.text):
            parts = _name_parts(m.text)
            full.append((m, (parts[0], parts[-1])))
    for m in mentions:
        if m.label != "PERSON":
            continue
        parts = _name_parts(m.text)
        if len(parts) != 1:
            continue
        candidates = [f for f, edges in full if parts[0] in edges]
        if not candidates:
            continue
        before = [f for f in candidates if f.start < m.start]
        target = before[-1] if before else candidates[0]
        m.canonical = target.canonical
        m.role = target.role or m.role
        if target.country is not None or m.entry is None:
            m.country = target.country or m.country


def _fold_spellings(mentions: list[_Mention]) -> None:
    """Within an article, spellings of an unknown name that differ only in punctuation or case
    ("Lee Hyo-jin", "Lee Hyo Jin") share the first spelling as canonical."""
    first_seen: dict[tuple[str, str], str] = {}
    for m in mentions:
        if m.entry is not None or m.label not in NAME_LABELS:
            continue
        key = (m.label, lookup_key(m.canonical))
        m.canonical = first_seen.setdefault(key, m.canonical)


def _propagate_countries(mentions: list[_Mention]) -> None:
    known: dict[tuple[str, str], str] = {}
    for m in mentions:
        if m.country is not None:
            known.setdefault((m.label, m.canonical), m.country)
    for m in mentions:
        if m.country is None:
            m.country = known.get((m.label, m.canonical))
