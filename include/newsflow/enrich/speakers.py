"""Who said it: resolve the subject of a speech cue to a canonical speaker.

Conventions for ``Speaker.canonical``:

* a named person -> the full name (the entity's canonical name, a short name or a pronoun
  resolved to the full name used in the article);
* a named organisation -> its canonical name from the entities or the gazetteer
  ("National Intelligence Service", "Kremlin");
* a generic institution ("the foreign ministry") -> a normalised institution name with the
  country in brackets when it is known ("Ministry of Foreign Affairs (South Korea)");
* an unnamed source ("an expert", "officials") -> ``None`` with type ``anonymous``: never guessed.

People introduced with a role ("Foreign Ministry spokeswoman Han Ji-yeon", "Russian Ambassador to
Seoul Ivan Petrov", "X, the deputy head of ...") are registered by :func:`titled_people`; a later
"the <role>" (or a word for it: "the diplomat" for an ambassador; "the deputy minister" is a role
of its own) goes to the person holding it when only one does or that person spoke last, else to
the only person named in its paragraph. A bare surname shared by two people goes to the one who
spoke last before it. Hyphenated given names stay whole ("Park Sun" tagged before "-woo").
Generic institutions name the institution the article names when the kind fits ("the spy
agency" -> "National Intelligence Service", "the company" -> the company introduced earlier);
national bodies follow "Ministry of Foreign Affairs (Russia)", "Ministry of National Defense
(South Korea)", "Russian Embassy in Seoul", "Government of Japan" (one normaliser for every
organisation speaker). Names the NER cut are repaired to the gazetteer name they start ("Choe Son"
before "Hui") and lose a place word a title left on them ("... of Ukraine Andrii Sybiha").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from newsflow.enrich.entities import NAME_PARTICLES, OFFICE_TITLES
from newsflow.enrich.gender import HONORIFIC_GENDER, gender_near, gender_of_name, settle
from newsflow.records import Entity, SpeakerType


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (long lists stay readable)."""
    return frozenset(words.split())


PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them"})
ORG_PRONOUNS = frozenset({"it"})
INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "two", "three", "many"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
KIN_WORDS = word_set(
    "son daughter father mother wife husband brother sister parent friend man woman"
)
NON_PERSON_ENTS = frozenset({"GPE", "ORG", "NORP", "FAC", "LOC", "DATE", "EVENT", "PRODUCT"})

# Nouns naming a person by role: "the researcher said" refers back to a named speaker, while
# "an expert said" / "officials said" is an unnamed source.
PERSON_ROLE_NOUNS = word_set(
    """
    analyst expert official source researcher scholar professor minister spokesperson
    spokesman spokeswoman diplomat officer commander soldier lawmaker legislator senator
    president leader adviser advisor aide observer witness resident person people insider
    director chief head representative envoy ambassador general colonel lieutenant captain
    sergeant admiral commentator economist specialist veteran member negotiator activist critic
    governor mayor secretary chairman chairwoman chair executive manager journalist reporter
    doctor nurse teacher student worker farmer defector prosecutor judge lawyer attorney
    candidate politician strategist planner pilot fighter volunteer medic survivor woman man
    villager citizen father mother son daughter wife husband brother sister parent friend
    neighbour neighbor owner driver coach player founder author writer historian scientist
    engineer pundit fan librarian employee staffer monitor inspector investigator trader
    consul attache blogger correspondent operator agent broker dealer tourist visitor
    passenger shopkeeper vendor guide priest official surgeon physician paramedic
    firefighter rescuer pharmacist mechanic electrician miner sailor principal dean rector
    curator economist ombudsman governor deputy counterpart colleague predecessor successor
    """
)
INSTITUTION_NOUNS = word_set(
    """
    ministry government office agency service police military army navy committee council
    parliament assembly court embassy department company firm kremlin administration cabinet
    regime command staff headquarters directorate bureau commission party union organisation
    organization institute university group authority authorities bank corporation statement
    spokesperson's secretariat mission delegation forces force guard prosecutors legislature
    duma senate congress white house presidency state board federation coalition alliance club
    team league newspaper broadcaster network media city town county municipality province
    prefecture intelligence shipbuilder carmaker automaker manufacturer maker exporter insurer
    lender retailer airline exchange
    """
)
# Words that make a capitalised name an organisation ("Korea Times", "Samsung Electronics").
ORG_NAME_WORDS = word_set(
    """
    times news post herald journal daily inc corp co ltd llc electronics motors airlines
    energy holdings foundation fund center centre society association school college hospital
    church club united city fc studios records press media international global shipping
    maritime logistics industries industry steel chemical chemicals systems technologies
    trading shipbuilding heavy rovers rangers wanderers athletic albion town county hotspur
    athletics tigers lions eagles bears giants kings knights warriors chiefs
    """
)
TITLE_WORDS = OFFICE_TITLES | word_set(
    """
    mr mrs ms miss dr prof professor sgt sergeant cpl corporal pte private lt lieutenant capt
    captain maj major col colonel gen general adm admiral cmdr commander gov governor sen
    senator rep president minister mayor judge ambassador sir dame lord lady rev father
    chancellor premier chairman chairwoman spokesman spokeswoman
    """
)
# Occupations news prints before a name as a title ("Artist Kerry Pike", "Striker Luis Ferro").
OCCUPATIONS = word_set(
    """
    artist painter sculptor photographer designer architect singer musician actor actress
    dancer novelist poet filmmaker striker midfielder defender goalkeeper forward guard pitcher
    rapper comedian chef farmer fisherman miner nurse
    """
)
NEWS_CREDIT_WORDS = word_set(
    """
    yonhap reuters ap afp epa getty xinhua tass efe ansa upi
    """
)
ANONYMITY_CUES = re.compile(
    r"condition of anonymity|declined to be (?:named|identified)|"
    r"asked not to be (?:named|identified)|not authori[sz]ed to speak|"
    r"requested anonymity|speaking anonymously|who (?:was|were) not named|unnamed|anonymous|"
    r"identified only by (?:his|her|their) (?:first name|call ?sign|nickname)|"
    r"(?:his|her|their) names? (?:not )?be (?:published|used|withheld|disclosed)",
    re.IGNORECASE,
)
# "foreign ministry" -> "Ministry of Foreign Affairs": the common names for common ministries.
MINISTRY_NAMES = {
    "foreign": "Ministry of Foreign Affairs",
    "defence": "Ministry of Defence",
    "defense": "Ministry of Defense",
    "interior": "Ministry of Internal Affairs",
    "unification": "Ministry of Unification",
    "finance": "Ministry of Finance",
    "justice": "Ministry of Justice",
    "health": "Ministry of Health",
    "energy": "Ministry of Energy",
    "trade": "Ministry of Trade",
    "economy": "Ministry of Economy",
    "education": "Ministry of Education",
}


# A ministry whose usual English name differs by country ("South Korea's defence ministry").
COUNTRY_MINISTRY_NAMES = {
    ("defence", "KR"): "Ministry of National Defense",
    ("defense", "KR"): "Ministry of National Defense",
    ("defence", "JP"): "Ministry of Defense",
    ("defense", "RU"): "Ministry of Defence",
    ("defense", "UA"): "Ministry of Defence",
    ("defence", "US"): "Department of Defense",
    ("defense", "US"): "Department of Defense",
}
# Country names for institution labels when the article never names the country itself.
COUNTRY_NAMES = {
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "UA": "Ukraine",
    "US": "United States",
    "JP": "Japan",
    "CN": "China",
}
NATIONALITIES = {
    "KR": "South Korean",
    "KP": "North Korean",
    "RU": "Russian",
    "UA": "Ukrainian",
    "US": "U.S.",
    "JP": "Japanese",
    "CN": "Chinese",
}
# Kinds of institution a generic mention ("the spy agency", "the military", "the company") can
# stand for, by the words of the mention, and the words that mark a named organisation (its
# name or gazetteer role) as one of that kind.
INSTITUTION_KINDS = {
    "intelligence": (frozenset({"spy", "intelligence"}), ("intelligence",)),
    "military": (
        frozenset({"military", "army", "forces", "command"}),
        ("military", "armed forces", "army", "chiefs of staff", "command"),
    ),
    # A bare "the agency" / "the service": the agency or service named last.
    "agency": (frozenset({"agency", "service"}), ("agency", "service", "intelligence")),
    "company": (
        frozenset(
            {
                "company",
                "firm",
                "operator",
                "manufacturer",
                "carrier",
                "corporation",
                "shipbuilder",
                "carmaker",
                "automaker",
                "maker",
                "exporter",
                "insurer",
                "lender",
                "retailer",
                "airline",
            }
        ),
        ("company", "firm", "corporation", "manufacturer"),
    ),
}
GOVERNMENT_WORDS = word_set(
    """
    ministry government office agency service police committee council parliament assembly
    court embassy department administration cabinet command directorate bureau commission
    party union university institute authority
    """
)


class GazetteerEntryLike(Protocol):
    canonical: str
    type: str
    country: str | None


class GazetteerLike(Protocol):
    def lookup(self, surface: str) -> GazetteerEntryLike | None: ...


@dataclass(frozen=True)
class Speaker:
    canonical: str | None
    type: SpeakerType
    text: str | None = None
    start: int | None = None
    end: int | None = None
    country: str | None = None
    # How the name was reached: "named", "short_name", "pronoun", "description", "anonymous",
    # "unknown"; the quote confidence depends on it.
    via: str = "unknown"
    plural: bool = False  # "officials": never the antecedent of "he" or "she"


# A role noun and the nouns that may refer back to it ("the diplomat" for an ambassador).
ROLE_REFERENCES = {
    "ambassador": ("diplomat", "envoy"),
    "envoy": ("diplomat",),
    "consul": ("diplomat",),
    "spokeswoman": ("spokesperson",),
    "spokesman": ("spokesperson",),
    "spokesperson": ("spokeswoman", "spokesman"),
    "lawmaker": ("legislator", "politician"),
    "legislator": ("lawmaker", "politician"),
    "general": ("commander", "officer"),
    "colonel": ("commander", "officer"),
    "analyst": ("expert", "researcher"),
    "president": ("head of state",),
    "researcher": ("expert", "analyst"),
}
# Roles that borrow another person's role: "his Estonian counterpart, Liis Randmaa" is a
# minister too when "the minister" follows in her paragraph.
SUBORDINATE_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "acl", "pcomp", "csubj"})
GOVERNING_BODIES = frozenset({"board", "management", "leadership", "trustees", "directors"})
# Verbs a news story puts before their subject ('"...," said the minister').
INVERTIBLE_CUES = frozenset(
    {"say", "add", "write", "ask", "reply", "answer", "explain", "continue", "recall", "note"}
)
REPLY_VERBS = frozenset({"reply", "answer", "respond", "retort"})
BORROWED_ROLES = frozenset({"counterpart", "colleague", "predecessor", "successor"})
ROLE_QUALIFIERS = frozenset({"deputy", "vice", "former", "acting", "assistant"})
# Words that open a name run after a role but are not part of anyone's name.
NOT_NAME_WORDS = word_set(
    """
    extraordinary plenipotentiary
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december i
    """
)


@dataclass(frozen=True)
class Titled:
    """A person introduced with a role: "Foreign Ministry spokeswoman Han Ji-yeon", "Russian
    Ambassador to Seoul Ivan Petrov", "Iryna Sova, the deputy head of ...". ``first``..``last``
    are the token indexes of the whole mention (role and name)."""

    first: int
    last: int
    name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class _Known:
    """A speaker resolved earlier in the article, for pronouns and descriptions."""

    position: int
    speaker: Speaker


def can_speak(token: Token) -> bool:
    """Whether a subject can be a source: a person, group, institution, name or pronoun
    ("the fee, reported to be ..." and "reports suggest" have no speaker)."""
    if token.pos_ == "PRON":
        return token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | ORG_PRONOUNS | {
            "i",
            "we",
            "you",
            "who",
            "which",
            "that",
            "one",
            "some",
            "many",
            "others",
            "most",
        }
    if token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or token.pos_ == "PROPN":
        return True
    if age_reference(token) or (token.dep_ == "intj" and token.text.istitle()):
        return True
    if any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in token.children):
        return True  # "His father, Luis, said"
    if (
        token.text[:1].isupper()
        and token.is_alpha
        and not token.is_stop
        and (not token.is_sent_start or token.tag_ in ("NN", "NNP", "FW"))
    ):
        return True  # a capitalised name the tagger missed ("Ha said", "Zelenskyy wrote")
    lemma = token.lemma_.lower()
    return (
        lemma in PERSON_ROLE_NOUNS
        or lemma in INSTITUTION_NOUNS
        or token.lower_ in (PERSON_ROLE_NOUNS | INSTITUTION_NOUNS)
        or _names_earlier_organisation(token)
    )


def _names_earlier_organisation(token: Token) -> bool:
    """ "The tool library said" after "the Westbrook Community Tool Library": a definite noun
    that ends an organisation's name used before refers to that organisation."""
    if token.pos_ != "NOUN" or not any(c.lower_ == "the" for c in token.children):
        return False
    return any(
        e.label_ == "ORG" and e.end <= token.i and e[-1].lower_ == token.lower_
        for e in token.doc.ents
    )


DASHES = frozenset({"—", "–", "-", "--"})


def _named_before_age(token: Token) -> Token | None:
    """The last word of the person named right before an age in commas ("Lee Eun-ha, 27,"),
    when the parser took the age for the subject."""
    doc = token.doc
    if not token.like_num or token.i < 2 or doc[token.i - 1].text != ",":
        return None
    name = doc[token.i - 2]
    return name if name.ent_type_ == "PERSON" else None


def age_reference(token: Token) -> bool:
    """ "the 61-year-old": a person referred to by age ("61", "-", "year", "-", "old")."""
    doc = token.doc
    return (
        token.lower_ == "old"
        and token.i >= 4
        and doc[token.i - 2].lower_ == "year"
        and (doc[token.i - 3].like_num or doc[token.i - 4].like_num)
    )


def _dateline(token: Token) -> bool:
    """ "MOSCOW — Russia's defence ministry said", "SEOUL, Nov 26 (Wire) - ...": a capitalised
    place opening the paragraph and closed by a dash within a few words is the dateline, not
    the subject."""
    doc = token.doc
    if not (len(token.text) > 1 and token.i + 1 < len(doc) and token.text[:1].isupper()):
        return False
    if token.is_upper and doc[token.i + 1].text in DASHES:
        return True
    opens_paragraph = token.i == 0 or "\n" in doc[token.i - 1].text_with_ws
    # "Frankfurt (Eurowire) - ...": a place opening the paragraph, then the agency.
    place = token.is_upper or token.ent_type_ in ("GPE", "LOC")
    return (
        opens_paragraph
        and place
        and doc[token.i + 1].text in (",", "(")
        and any(t.text in DASHES or t.text.endswith("/ -") for t in doc[token.i + 2 : token.i + 12])
    )


NAME_TOKEN = re.compile(r"^[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*$")
HONORIFICS = word_set("mr mrs ms miss dr prof sir dame lord lady rev")


def _name_word(token: Token) -> bool:
    return (
        bool(NAME_TOKEN.match(token.text))
        and token.lower_ not in NOT_NAME_WORDS
        # "For Choi Byung-ho, ...": a capitalised preposition opening the sentence.
        and not (token.is_stop and token.pos_ in ("ADP", "CCONJ", "SCONJ", "DET", "PRON"))
        and token.lower_ not in INSTITUTION_NOUNS
        and token.lower_ not in ORG_NAME_WORDS
    )


def _role_word(token: Token) -> bool:
    if token.lower_.rstrip(".") in TITLE_WORDS:
        return True
    if token.lemma_.lower() not in PERSON_ROLE_NOUNS:
        return False
    before = token.doc[token.i - 1] if token.i > 0 else None
    if (
        token.lower_ in KIN_WORDS
        and token.text[:1].isupper()
        and before is not None
        and before.pos_ == "PROPN"
        and before.lower_.rstrip(".") not in TITLE_WORDS
        and before.lemma_.lower() not in PERSON_ROLE_NOUNS
    ):
        return False  # "Choe Son Hui" untagged: a capitalised kin word after a name is a name
    # "Son" in "Choe Son-hui" is a name, not a son; but a title the NER swept into the name
    # ("Spokeswoman Maria Zakharova" tagged PERSON as a whole) still opens it.
    return token.ent_type_ != "PERSON" or (
        token.ent_iob_ == "B"
        and token.lower_ not in KIN_WORDS
        and token.i + 1 < len(token.doc)
        and token.doc[token.i + 1].ent_type_ == "PERSON"
    )


def name_run(doc: Doc, start: int) -> int:
    """End (exclusive) of the run of name words from ``start``; hyphenated parts stay joined
    ("Seo Tae-min" is tokenised Seo, Tae, -, min). A role word in the run ends it empty: a
    later title ("Deputy Foreign Minister Kim") introduces the name itself."""
    k = start
    while k < len(doc):
        token = doc[k]
        if _name_word(token):
            if _role_word(token):
                return start
            k += 1
            continue
        if (
            k > start
            and token.lower_ in NAME_PARTICLES
            and k + 1 < len(doc)
            and _name_word(doc[k + 1])
        ):
            k += 1  # "Ramon dela Paz", "Ursula von der Leyen"
            continue
        glued = (
            k > start
            and token.text in ("-", "‐")
            and not doc[k - 1].whitespace_
            and not token.whitespace_
            and k + 1 < len(doc)
            and doc[k + 1].is_alpha
        )
        if not glued:
            break
        k += 2
    return k


def _hyphen_tail(token: Token) -> bool:
    """ "bin" of "Soo-bin": the lower-case part after a hyphen inside a name."""
    doc = token.doc
    return (
        token.i >= 2
        and token.is_alpha
        and doc[token.i - 1].text == "-"
        and not doc[token.i - 1].whitespace_
        and not doc[token.i - 2].whitespace_
        and _name_word(doc[token.i - 2])
    )


def _run_around(doc: Doc, i: int) -> tuple[int, int]:
    """The name run holding token ``i`` (for appositions: "Iryna Sova, the deputy head")."""
    start = i
    while start > 0 and (
        (_name_word(doc[start - 1]) and not _role_word(doc[start - 1]))
        or (doc[start - 1].text == "-" and not doc[start - 1].whitespace_)
    ):
        start -= 1
    while start < i and not _name_word(doc[start]):
        start += 1
    return start, max(name_run(doc, start), i + 1)


def _roles_before(doc: Doc, i: int) -> frozenset[str]:
    """Role nouns ending at token ``i``; "Deputy Foreign Minister" gives "deputy minister", a
    role of its own ("the minister" is someone else)."""
    roles = set()
    last = i
    while i >= 0 and _role_word(doc[i]):
        if doc[i].lower_.rstrip(".") not in HONORIFICS:
            roles.add(doc[i].lemma_.lower() if doc[i].tag_ != "NNP" else doc[i].lower_)
        i -= 1
    window = [t.lower_ for t in doc[max(0, i - 2) : last] if not t.is_punct]
    qualifier = next((w for w in window if w in ROLE_QUALIFIERS), None)
    if qualifier is not None:
        roles = {f"{qualifier} {role}" for role in roles}
    return frozenset(roles)


def role_key(head: Token) -> str:
    """ "the deputy minister" -> "deputy minister"; "the diplomat" -> "diplomat"."""
    noun = head.lemma_.lower()
    if noun == "head" and any(
        p.lower_ == "of" and any(c.lower_ == "state" for c in p.children) for p in head.children
    ):
        noun = "head of state"
    qualifier = next(
        (c.lower_ for c in head.children if c.lower_ in ROLE_QUALIFIERS and c.i < head.i), None
    )
    return f"{qualifier} {noun}" if qualifier else noun


def titled_people(doc: Doc, is_place: Callable[[str], bool]) -> list[Titled]:
    """People introduced with a role, in text order. ``is_place`` says whether a run of words
    is a place or institution ("Ambassador to South Korea Anatoly V." loses "South Korea")."""
    found: list[Titled] = []
    for token in doc:
        if not _role_word(token):
            continue
        first = token.i
        while first > 0 and _role_word(doc[first - 1]):
            first -= 1
        j = token.i + 1
        abbreviated = j < len(doc) and doc[j].text == "." and not token.whitespace_
        if abbreviated:
            j += 1  # "Sgt. Mykhailo Boiko"
        with_place = j < len(doc) and doc[j].lower_ in ("to", "of", "for", "in")
        if with_place:
            j += 1
            if j < len(doc) and doc[j].lower_ == "the":
                j += 1
        # A place whose name has lower-case words ("Ambassador to the Republic of Korea
        # Georgy Zinoviev"): the name starts after the longest place.
        place_end = (
            next(
                (k for k in range(min(len(doc), j + 6), j + 1, -1) if is_place(doc[j:k].text)),
                None,
            )
            if with_place
            else None
        )
        if place_end is not None and name_run(doc, place_end) - place_end >= 2:
            found.append(
                Titled(
                    first,
                    name_run(doc, place_end) - 1,
                    doc[place_end : name_run(doc, place_end)].text,
                    _roles_before(doc, token.i),
                )
            )
            continue
        end = name_run(doc, j)
        if end == j:
            continue
        if with_place:
            # The place and the name run together: keep what follows the longest place.
            cut = next(
                (k for k in range(end - 1, j, -1) if is_place(doc[j:k].text)),
                None,
            )
            if cut is None:
                continue
            j = cut
        if doc[j].is_sent_start and j > token.i + 1 and not (abbreviated and j == token.i + 2):
            continue
        if with_place and end - j < 2:
            continue
        found.append(Titled(first, end - 1, doc[j:end].text, _roles_before(doc, token.i)))
    for token in doc:
        # Appositions: "a spokesman for X, Andrii V., said" / "Iryna Sova, the deputy head".
        if token.dep_ != "appos" or any(t.first <= token.i <= t.last for t in found):
            continue
        role, named = (token, token.head) if _role_word(token) else (None, token)
        if role is None and token.pos_ == "PROPN":
            # The name may hang on the end of the role's phrase: "the deputy head of the grid
            # operator, Iryna Sova" (appos of "operator").
            node = token.head
            for _ in range(4):
                if _role_word(node):
                    role = node
                    break
                if node.dep_ not in ("pobj", "prep", "compound") or node.head.i == node.i:
                    break
                node = node.head
        if role is None or named.pos_ != "PROPN" or not (_name_word(named) or _hyphen_tail(named)):
            continue
        start, end = _run_around(doc, named.i)
        if end - start < 2 or not all(
            _name_word(t) or t.text == "-" or _hyphen_tail(t) for t in doc[start:end]
        ):
            continue
        if end < len(doc) and doc[end].tag_ == "POS":
            continue  # "North Rhine-Westphalia's economy minister, X": an owner, not the name
        first = min(role.left_edge.i, start)
        last = max(role.right_edge.i, end - 1)
        found.append(Titled(first, last, doc[start:end].text, frozenset({role_key(role)})))
    found += _long_titles(doc, found)
    return sorted((_without_place(t, is_place) for t in found), key=lambda t: t.first)


TITLE_LINKS = frozenset({"of", "the", "for", "and", "to", "on", "in"})


def _long_titles(doc: Doc, found: list[Titled]) -> list[Titled]:
    """State-media style titles the rules above miss: "Deputy Minister of Transport of the
    Russian Federation Alexei Gorbunov told", "Governor of Primorsky Krai Vadim Orlov said".
    The title runs through capitalised words and small links; the person is the run of two or
    three name words that ends it (the last two, if the run is longer: the place before the
    name is unknown)."""
    covered = {i for t in found for i in range(t.first, t.last + 1)}
    extra: list[Titled] = []
    for token in doc:
        if token.i in covered or not _role_word(token) or not token.text[:1].isupper():
            continue
        end = token.i + 1
        while (
            end < len(doc)
            and end - token.i <= 16
            and (
                doc[end].text[:1].isupper()
                or doc[end].lower_ in TITLE_LINKS
                or (doc[end].text in ("-", "‐") and not doc[end].whitespace_)
                or _hyphen_tail(doc[end])
            )
        ):
            end += 1
        start = end
        while start > token.i + 1 and (
            _name_word(doc[start - 1])
            or (doc[start - 1].text in ("-", "‐") and not doc[start - 1].whitespace_)
            or _hyphen_tail(doc[start - 1])
        ):
            start -= 1
        words = [t for t in doc[start:end] if t.text not in ("-", "‐") and not _hyphen_tail(t)]
        if (
            len(words) < 2
            or end - token.i < 4
            or doc[start - 1].lower_ not in TITLE_LINKS | {t.lower_ for t in doc[token.i : start]}
        ):
            continue
        if len(words) > 3:
            words = words[-2:]
        start = words[0].i
        if any(i in covered for i in range(token.i, end)):
            continue
        extra.append(Titled(token.i, end - 1, doc[start:end].text, frozenset({role_key(token)})))
        covered.update(range(token.i, end))
    return extra


def _without_place(titled: Titled, is_place: Callable[[str], bool]) -> Titled:
    """Drop a place word the role's phrase left on the name ("Minister of Foreign Affairs of
    Ukraine Andrii Sybiha" gives "Andrii Sybiha"); two name words always stay."""
    words = titled.name.split()
    while len(words) > 2 and is_place(words[0]):
        words = words[1:]
    return replace(titled, name=" ".join(words))


def words_of(token: Token) -> bool:
    """ "in the words of X": a phrase cue like "according to"."""
    doc = token.doc
    return (
        token.lower_ == "words"
        and token.i >= 2
        and doc[token.i - 1].lower_ == "the"
        and doc[token.i - 2].lower_ == "in"
        and any(c.lower_ == "of" for c in token.children)
    )


MEDIA_NOUNS = word_set(
    "statement report release communique document letter post readout commentary editorial"
)


def _source_of_medium(obj: Token) -> Token:
    """ "according to a statement from the Council": the Council, not the statement."""
    if obj.lemma_.lower() not in MEDIA_NOUNS:
        return obj
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
            source = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if source is not None:
                return source
    return obj


def speaker_of(cue: Token) -> Token | None:
    """The token naming who spoke: the subject of the cue, or the object of "according to" or
    "in the words of"."""
    if words_of(cue):
        of = next(c for c in cue.children if c.lower_ == "of")
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return _source_of_medium(obj)
        return None
    for agent in cue.children:
        # "... – this was stated by X": the passive's agent spoke.
        if agent.dep_ == "agent":
            by = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if by is not None and can_speak(by):
                return by
    verb = cue
    for _ in range(4):
        subjects = [
            c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not _dateline(c)
        ] or [
            # "SEOUL — Russian Ambassador ... told": the parser hangs the subject on the dateline.
            a
            for c in verb.children
            if c.dep_ in ("nsubj", "nsubjpass") and _dateline(c)
            for a in c.children
            if a.dep_ == "appos"
        ]
        if not subjects:
            # '"...," the 24-year-old said': the parser hangs the age on the verb; "Oh said"
            # (the Korean surname) is read as an interjection.
            subjects = [
                c
                for c in verb.children
                if c.i < verb.i
                and (
                    age_reference(c)
                    or (c.dep_ == "intj" and c.i == verb.i - 1 and c.text[:1].isupper())
                )
            ]
        subject = subjects[-1] if subjects else None
        if subject is not None and (named := _named_before_age(subject)) is not None:
            subject = named  # "Lee Eun-ha, 27, ... said": "27" parsed as the subject
        if verb is not cue and verb.lemma_.lower() in ("quote", "cite"):
            # "KCNA quoted a ministry spokesman as saying": the source quoted spoke.
            source = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if source is not None and (can_speak(source) or source.pos_ == "NOUN"):
                return source
        if subject is not None and can_speak(subject):
            return subject
        # "X said and added", "X was quoted as saying", "X dismissed reports that ...,
        # calling them ...": the subject sits on a governing verb.
        climb = ("conj", "xcomp", "pcomp", "advcl") if subject is None else ("advcl", "acl")
        misparsed = subject is None and verb.tag_ in ("VBZ", "VBD", "VBP")
        if misparsed:
            # A finite verb with no subject is a misparse ("the embassy called the NIS claims
            # '...'" read "claims" as a verb): the governing verb's subject spoke.
            climb += ("ccomp", "oprd")
        if verb.dep_ in climb + ("ccomp",) * (subject is not None) and verb.head.i != verb.i:
            verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else verb.head.head
        else:
            break
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return None  # a subject that cannot speak: not a speech cue here
    if (
        cue.dep_ == "acl"
        and cue.head.i < cue.i
        and any(c.dep_ == "det" and c.lower_ == "what" for c in cue.head.children)
        and can_speak(cue.head)
    ):
        # "what one official called “...”" parsed as "an official (who was) called": the
        # noun after "what" is who did the calling.
        return cue.head
    if cue.dep_ == "acl" and cue.head.lemma_.lower() in MEDIA_NOUNS:
        # "X issued a statement accusing Y of “...”": the statement's author, not Y, spoke.
        source = _source_of_medium(cue.head)
        if source.i != cue.head.i:
            return source
        issuer = next(
            (c for c in cue.head.head.children if c.dep_ == "nsubj" and can_speak(c)), None
        )
        if cue.head.dep_ == "dobj" and issuer is not None:
            return issuer
    if cue.lemma_.lower() not in INVERTIBLE_CUES:
        return _subject_elsewhere(cue)
    # Inverted attribution the parser did not label: '"...," said the minister.'
    for child in cue.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "appos", "oprd") and child.pos_ in (
            "PROPN",
            "NOUN",
        ):
            return child
    return None


def _subject_elsewhere(cue: Token) -> Token | None:
    """The speaker of a subject-less cue that is never inverted, where the parser put it."""
    if cue.tag_ == "VBG" and cue.head.pos_ == "VERB" and cue.head.i != cue.i:
        # "..., Melnyk said on Telegram, urging parents not to wait": the participle's
        # speaker is the governing verb's.
        governing = speaker_of(cue.head)
        if governing is not None:
            return governing
    if cue.tag_ in ("VBD", "VBZ", "VBP"):
        # "In a statement carried by KCNA, Kim Yo Jong, the leader's sister, accused Seoul of":
        # the parser hung the subject on the phrase before; the nearest name before the verb
        # that is not the object of a preposition spoke.
        for token in reversed(cue.doc[cue.sent.start : cue.i]):
            if (
                token.ent_type_ in ("PERSON", "ORG")
                and token.ent_iob_ != "B"
                and (token.i + 1 < cue.i and cue.doc[token.i + 1].ent_type_ == token.ent_type_)
            ):
                continue  # inside a longer name: its last word is checked instead
            if token.ent_type_ in ("PERSON", "ORG") and token.dep_ in ("appos", "nsubj"):
                return token
    return None


def mention_span(head: Token) -> Span:
    """The subject phrase up to its head plus trailing name parts, without appositions."""
    doc = head.doc
    start = head.left_edge.i
    end = head.i + 1
    while end < len(doc) and doc[end].dep_ in ("compound", "flat") and doc[end].head == head:
        end += 1
    # Leave out leading punctuation, quote marks and photo credits ("AP-Yonhap Another expert").
    while start < head.i and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ in NEWS_CREDIT_WORDS
    ):
        start += 1
    return doc[start:end]


class SpeakerResolver:
    """Resolve speaker mentions of one article; remembers speakers for later pronouns."""

    def __init__(
        self,
        doc: Doc,
        entities: Sequence[Entity],
        gazetteer: GazetteerLike | None,
        quoted: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string from the tokens on every access
        self.quoted = list(quoted)  # quoted text: names in it are not the narrator's
        self.gazetteer = gazetteer
        self.entities = sorted(entities, key=lambda e: e.start) or [
            Entity(
                article_id="",
                start=e.start_char,
                end=e.end_char,
                text=e.text,
                label=e.label_,
                canonical=e.text,
            )
            for e in doc.ents
        ]
        self.known: list[_Known] = []
        self.titled = [
            t
            for t in titled_people(doc, self._is_place)
            if not any(s <= doc[t.first].idx < e for s, e in self.quoted)
        ]
        self._untagged: dict[str, list[tuple[int, str]]] = {}  # bare name -> full names
        self.gender: dict[str, str] = {}  # canonical name -> "he" / "she"
        self.gender = self._genders()  # (name expansion consults the genders known so far)
        # ISO code -> the country's name as the article's own mentions spell it in the gazetteer.
        self.country_names: dict[str, str] = {}
        for entity in self.entities:
            entry = self._lookup(entity.canonical) if entity.label == "GPE" else None
            if entry is not None and entry.country and getattr(entry, "role", None) == "country":
                self.country_names.setdefault(entry.country, entry.canonical)

    def _genders(self) -> dict[str, str]:
        """The gender of each person the article names, where the text or the name shows it."""
        evidence: dict[str, list[str | None]] = {}
        for entity in self.entities:
            if not (entity.label == "PERSON" or self._person_like(entity)):
                continue
            if any(s <= entity.start < e for s, e in self.quoted):
                continue
            mention = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            name = self._entity_name(entity)
            if mention is None or not name:
                continue
            name = self._full_name(name, entity.start)
            evidence.setdefault(name, []).extend((gender_near(mention), gender_of_name(name)))
        genders = {name: settle(found) for name, found in evidence.items()}
        return {name: gender for name, gender in genders.items() if gender is not None}

    # --- public -------------------------------------------------------------------------------

    def resolve(self, head: Token | None) -> Speaker:
        """Resolve the speaker whose mention is headed by ``head`` (None: nobody named)."""
        if head is None:
            return Speaker(None, "unknown")
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head  # "Cho, who said ...": the relative clause's noun
        at_head = self._entity_at(head)
        institution = head.pos_ == "NOUN" and head.lemma_.lower() in INSTITUTION_NOUNS
        if not institution and (
            at_head is None or head.lower_ in TITLE_WORDS or at_head.label in ("GPE", "NORP")
        ):
            # "The club's manager, Graham Holt, said": the apposition names the speaker; also
            # through a role the parser hung on a place ("North Rhine-Westphalia's economy
            # minister, Petra Lindemann, called", with "Rhine" as the subject).
            appositions = [c for c in head.children if c.dep_ == "appos"]
            appositions += [g for c in appositions for g in c.children if g.dep_ == "appos"]
            for child in appositions:
                named = self._entity_at(child)
                if named is not None and (named.label == "PERSON" or self._person_like(named)):
                    head = child
                    break
        titled = (
            self._titled_at(head) or self._titled_in_role_phrase(head) or self._member_before(head)
        )
        if titled is not None:
            speaker = self._titled_speaker(titled)
            self.known.append(_Known(speaker.start or head.idx, speaker))
            return speaker
        span = mention_span(head)
        entity = self._entity_at(head)
        if entity is not None and (entity.start < span.start_char or entity.end > span.end_char):
            # The mention covers the whole name ("The Ministry of Unification").
            widened = self.doc.char_span(
                min(entity.start, span.start_char),
                max(entity.end, span.end_char),
                alignment_mode="expand",
            )
            span = widened if widened is not None else span
        speaker = self._resolve_span(head, span)
        if speaker.type == "organisation" and speaker.canonical:
            speaker = self._normalise_organisation(speaker, head)
        if speaker.canonical is not None or speaker.type == "anonymous":
            self.known.append(_Known(span.start_char, speaker))
        return speaker

    def introduces(self, head: Token) -> bool:
        """Whether ``head`` lies in a mention that introduces a person with a role."""
        return self._titled_at(head) is not None

    def _titled_at(self, head: Token) -> Titled | None:
        if head.pos_ == "PRON":
            return None
        return next((t for t in self.titled if t.first <= head.i <= t.last), None)

    def _member_before(self, head: Token) -> Titled | None:
        """ "Rep. Yoo Ji-hoon of the main opposition People Power Party welcomed", parsed with
        the party as the subject: the person introduced just before "of the ...", when the
        verb has no other subject."""
        entity = self._entity_at(head)
        if entity is None or entity.label != "ORG" or head.dep_ != "nsubj":
            return None
        start = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if start is None:
            return None
        for titled in self.titled:
            link = self.doc[titled.last + 1 : start.start]
            if (
                titled.last < start.start
                and len(link) <= 5
                and link
                and link[0].lower_ == "of"
                and all(t.is_lower or t.is_punct for t in link)
            ):
                return titled
        return None

    def _titled_in_role_phrase(self, head: Token) -> Titled | None:
        """ "Deputy Head of the Office of the President Iryna Kovalchuk": the person the role's
        own phrase ends with, when the parser made the role the head."""
        if head.pos_ == "PRON" or head.lemma_.lower() not in PERSON_ROLE_NOUNS:
            return None
        inside = {t.i for t in head.subtree}
        return next(
            (
                t
                for t in self.titled
                if t.first > head.i
                and t.first in inside
                and t.last in inside
                and t.last == head.right_edge.i
            ),
            None,
        )

    def _titled_speaker(self, titled: Titled) -> Speaker:
        span = self.doc[titled.first : titled.last + 1]
        name_at = span.text.rfind(titled.name)
        name = self._full_name(
            _strip_title(titled.name) or titled.name, span.start_char + max(name_at, 0)
        )
        entry = self._lookup(name)
        country = entry.country if entry is not None and entry.type == "PERSON" else None
        country = country or self._country_in(
            span,
            skip=(span.start_char + name_at, span.start_char + name_at + len(titled.name)),
        )
        return Speaker(
            name,
            "person",
            span.text,
            span.start_char,
            span.end_char,
            country,
            via="named" if " " in titled.name else "short_name",
        )

    def _role_holder(self, head: Token) -> Speaker | None:
        """ "the diplomat" after "Russian Ambassador ... Ivan Petrov": the person last introduced
        with that role, when only one person held it so far or that person spoke last."""
        noun = role_key(head)

        def refers(role: str) -> bool:
            qualifier, _, base = role.rpartition(" ")
            references = ROLE_REFERENCES.get(base, ())
            return noun == role or noun in {f"{qualifier} {r}".strip() for r in references}

        paragraph_start = self.text.rfind("\n", 0, head.idx) + 1
        borrowed = [
            t
            for t in self.titled
            if t.last < head.i
            and self.doc[t.first].idx >= paragraph_start
            and t.roles
            and {r.rpartition(" ")[2] for r in t.roles} <= BORROWED_ROLES
        ]
        if borrowed:
            return self._titled_speaker(borrowed[-1])
        holders = [t for t in self.titled if t.last < head.i and any(refers(r) for r in t.roles)]
        if not holders:
            return None
        latest = max(holders, key=lambda t: t.first)
        names = {self._full_name(t.name, self.doc[t.first].idx) for t in holders}
        if len(names) > 1:
            spoke = [k for k in self.known if k.position < head.idx and k.speaker.type == "person"]
            last = max(spoke, key=lambda k: k.position).speaker if spoke else None
            if last is None or last.canonical not in names:
                return None
            return last
        return self._titled_speaker(latest)

    def _is_place(self, text: str) -> bool:
        entry = self._lookup(text)
        return entry is not None and entry.type in ("GPE", "ORG", "LOC", "NORP", "FAC")

    def previous(self, position: int, want: str) -> Speaker | None:
        """The speaker of type ``want`` mentioned last before ``position``."""
        earlier = [k for k in self.known if k.position < position and k.speaker.type == want]
        return max(earlier, key=lambda k: k.position).speaker if earlier else None

    # --- resolution -----------------------------------------------------------------------------

    def _resolve_span(self, head: Token, span: Span) -> Speaker:
        where = {"text": span.text, "start": span.start_char, "end": span.end_char}
        lower = head.lower_
        if head.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS | ORG_PRONOUNS:
            return self._pronoun(lower, head, where)
        entity = self._entity_at(head)
        if entity is not None and self._company_tagged_person(entity):
            # "Hanseong Shipping said", tagged PERSON: a company.
            return self._organisation(entity.canonical, entity, span, where)
        if entity is not None and (entity.label == "PERSON" or self._person_like(entity)):
            return self._person(entity, head, span, where)
        if entity is not None and entity.label in ("ORG", "GPE", "NORP") and " " not in entity.text:
            full = self._full_name(entity.text, entity.start)
            if full != entity.text and self._lookup(entity.text) is None:
                # "Steenburgen said" tagged ORG ("Han said" tagged NORP): the surname of a
                # person named earlier.
                return Speaker(full, "person", via="short_name", **where)
        if entity is not None and entity.label in ("ORG", "GPE", "NORP", "FAC"):
            if entity.label == "NORP" and head.tag_ == "NNPS":  # "Ukrainians said": a group
                return Speaker(None, "anonymous", via="anonymous", **where)
            if entity.label == "NORP" and _definite(head) and head.tag_ in ("NN", "NNP", "JJ"):
                # "the Ethiopian said": one person, referred to by nationality.
                found = self._only_person_nearby(head) or self.previous(head.idx, "person")
                if found is not None:
                    return replace(found, via="description", **where)
            return self._organisation(entity.canonical, entity, span, where)
        entry = self._lookup(span.text) or self._lookup(head.text)
        if entry is not None and entry.type == "PERSON":
            return Speaker(entry.canonical, "person", country=entry.country, via="named", **where)
        if entry is not None and entry.type in ("ORG", "GPE"):
            return Speaker(
                entry.canonical, "organisation", country=entry.country, via="named", **where
            )
        lemma = head.lemma_.lower()
        kinds = [c for c in head.children if c.dep_ == "compound" and c.i < head.i]
        if (
            head.text[:1].isupper()
            and not head.is_sent_start
            and any(c.lemma_.lower() in INSTITUTION_NOUNS for c in kinds)
        ):
            # "Energy company DTEK said": the name after the kind of institution.
            return Speaker(head.text, "organisation", via="named", **where)
        if _indefinite(head) and (ANONYMITY_CUES.search(head.sent.text) or _who_clause(head)):
            # "A border guard, who asked not to be identified, said": a person, not the Border
            # Guard service.
            return Speaker(None, "anonymous", via="anonymous", **where)
        if lemma in ("statement", "communique", "readout") and _definite(head):
            # '"...," the statement said' after "the agency said in a statement": its author.
            author = self._organisation_subject(head) or self.previous(head.idx, "organisation")
            if author is not None:
                return replace(author, via="description", **where)
        if lemma in INSTITUTION_NOUNS or lower in INSTITUTION_NOUNS:
            return self._institution(head, span, where)
        if head.pos_ == "NOUN" and _definite(head) and lemma not in PERSON_ROLE_NOUNS:
            named = self._named_before(head, span)
            if named is not None:  # "the association" after "The Northvale Rowing Association"
                return replace(named, via="description")
        if lemma in PERSON_ROLE_NOUNS or lower in PERSON_ROLE_NOUNS:
            return self._role(head, span, where)
        if age_reference(head):
            # "the 61-year-old said": the person the story is about at this point.
            found = (
                self._aged(head)
                or self._only_person_nearby(head)
                or self.previous(head.idx, "person")
                or self._person_named_before(head)
            )
            if found is not None:
                return replace(found, via="description", **where)
        if head.text[:1].isupper() and " " in self._full_name(head.text, head.idx):
            # A short name the NER missed ("Ha said"): the full name used earlier.
            return Speaker(
                self._full_name(head.text, head.idx), "person", via="short_name", **where
            )
        if any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in head.children):
            return Speaker(None, "anonymous", via="anonymous", **where)  # "one bank CEO said"
        if head.pos_ == "PROPN":
            # A name the NER missed: keep the surface form rather than dropping the speaker,
            # the whole run of name words if the parser split it ("Choe Son Hui said").
            start, end = _run_around(self.doc, head.i)
            run = self.doc[start:end]
            if len(span) == 1 and 2 <= len(run) <= 4 and end == head.i + 1:
                entry = self._lookup(run.text)
                if entry is not None and entry.type == "PERSON":
                    return Speaker(
                        entry.canonical, "person", country=entry.country, via="named", **where
                    )
                if entry is None and not self._is_place(run.text):
                    return Speaker(run.text, "person", via="named", **where)
            kind: SpeakerType = "organisation" if head.lower_ in ORG_NAME_WORDS else "person"
            return Speaker(_strip_det(span.text), kind, via="named", **where)
        return Speaker(None, "unknown", **where)

    def _pronoun(self, lower: str, head: Token, where: dict) -> Speaker:
        position = head.idx
        if lower in PERSON_PRONOUNS:
            gender = "she" if lower in ("she", "her") else "he"
            found = self._person_antecedent(head, gender)
            unknown = found is None or not (
                self.gender.get(found.canonical or "") or gender_of_name(found.canonical or "")
            )
            if gender == "she" and unknown:
                # Most people quoted in news whose gender the text never shows are men, so a
                # woman named shortly before is the likelier "she" than someone unknown from
                # an earlier paragraph; someone named in the pronoun's own paragraph stays.
                paragraph_start = self.text.rfind("\n", 0, head.idx) + 1
                named_here = found is not None and found.canonical in {
                    k.speaker.canonical
                    for k in self.known
                    if paragraph_start <= k.position < head.idx
                } | {e.canonical for e in self.entities if paragraph_start <= e.start < head.idx}
                if not named_here:
                    found = self._recent_woman(head) or found
            if found is not None:
                if found.canonical is not None:
                    self.gender.setdefault(found.canonical, gender)
                return Speaker(
                    found.canonical,
                    found.type,
                    country=found.country,
                    via="pronoun" if found.canonical else "anonymous",
                    **where,
                )
        elif lower in ORG_PRONOUNS:
            found = self._organisation_subject(head) or self.previous(position, "organisation")
            if found is not None:
                return Speaker(
                    found.canonical, "organisation", country=found.country, via="pronoun", **where
                )
        return Speaker(None, "unknown", **where)

    def _paragraph_start(self, position: int, back: int = 0) -> int:
        """Where the paragraph holding ``position`` starts, or the one ``back`` paragraphs
        before it (blank lines between paragraphs skipped)."""
        start = self.text.rfind("\n", 0, position) + 1
        for _ in range(back):
            previous_end = len(self.text[:start].rstrip())
            start = self.text.rfind("\n", 0, previous_end) + 1 if previous_end else 0
        return start

    def _people_named(self, start: int, end: int) -> Iterator[tuple[int, Speaker]]:
        """People the article names between ``start`` and ``end``, outside quotes, latest
        first."""
        for entity in reversed(self.entities):
            if entity.label != "PERSON" or not start <= entity.start < end:
                continue
            if any(s <= entity.start < e for s, e in self.quoted):
                continue
            person = self._entity_person(entity)
            if person is not None:
                yield entity.start, person

    def _recent_woman(self, head: Token) -> Speaker | None:
        """The latest person known to be a woman, named or quoted in this paragraph or the two
        before it, outside quotes."""
        floor = self._paragraph_start(head.idx, back=2)
        candidates = [
            (k.position, k.speaker)
            for k in self.known
            if floor <= k.position < head.idx
            and self.gender.get(k.speaker.canonical or "") == "she"
        ]
        candidates += [
            (at, person)
            for at, person in self._people_named(floor, head.idx)
            if self.gender.get(person.canonical or "") == "she"
        ]
        return max(candidates, key=lambda item: item[0])[1] if candidates else None

    def _person_antecedent(self, head: Token, gender: str) -> Speaker | None:
        """For "he"/"she": the latest singular speaker or named subject in the same paragraph,
        else the latest person speaker; skipping anyone already called by the other pronoun,
        and, for a reply ("she replied"), whoever asked the question just before."""
        asker: str | None = None
        # The quote before the reply's own sentence: a question means someone asked it.
        asked = max((e for s, e in self.quoted if s < head.sent.start_char), default=0)
        if head.head.lemma_.lower() in REPLY_VERBS and "?" in self.text[asked - 3 : asked]:
            spoke = [k for k in self.known if k.position < head.idx]
            asker = max(spoke, key=lambda k: k.position).speaker.canonical if spoke else None

        def fits(speaker: Speaker) -> bool:
            if speaker.plural or speaker.type not in ("person", "anonymous"):
                return False
            if asker is not None and speaker.canonical == asker:
                return False
            known_gender = self.gender.get(speaker.canonical or "")
            return known_gender is None or known_gender == gender

        paragraph_start = self.text.rfind("\n", 0, head.idx) + 1
        local = [
            (k.position, k.speaker)
            for k in self.known
            if paragraph_start <= k.position < head.idx and fits(k.speaker)
        ]
        subject = self._paragraph_subject(head)
        if subject is not None and fits(subject[1]):
            local.append(subject)
        if local:
            return max(local, key=lambda item: item[0])[1]
        # No one in the pronoun's own paragraph: the last person the previous paragraph quoted,
        # named or not ("A drone commander, who asked not to be named, described them as '...'
        # \n\n'...,' he said"); if it quotes nobody, its person subject, since the narrative
        # has moved on to that person. A subject who never speaks does not displace a speaker.
        before = self._paragraph_start(head.idx, back=1)
        spoke_before = [
            k
            for k in self.known
            if before <= k.position < paragraph_start
            and fits(k.speaker)
            and (k.speaker.type == "anonymous" or k.speaker.canonical)
        ]
        if spoke_before:
            return max(spoke_before, key=lambda k: k.position).speaker
        previous_subject = (
            self._paragraph_subject(head, before, paragraph_start) if paragraph_start else None
        )
        if previous_subject is not None and fits(previous_subject[1]):
            return previous_subject[1]
        earlier = sorted(
            (
                k
                for k in self.known
                if k.position < head.idx and k.speaker.type == "person" and fits(k.speaker)
            ),
            key=lambda k: k.position,
        )
        if earlier:
            return earlier[-1].speaker
        return self._recent_person_entity(head)

    def _paragraph_subject(
        self, head: Token, start: int | None = None, end: int | None = None
    ) -> tuple[int, Speaker] | None:
        """The latest person who is a grammatical subject earlier in the pronoun's paragraph
        (or in the character range ``start``..``end``), outside quotes ("Okafor, asked ...,
        smiled. 'Ask me in the spring,' she said.")."""
        text = self.text
        paragraph_start = text.rfind("\n", 0, head.idx) + 1 if start is None else start
        stop = head.idx if end is None else end
        for token in reversed(self.doc[: head.i]):
            if token.idx >= stop:
                continue
            if token.idx < paragraph_start:
                break
            if (
                token.dep_ == "ROOT"
                and token.pos_ in ("VERB", "AUX")
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
            ):
                # "In the port of Wakkanai, fisherman Tetsuo Kimura, 58, was already at sea":
                # a verb left without a subject; the person named just before it is the one.
                person = self._person_before_verb(token, paragraph_start)
                if person is not None:
                    return person
            # A noun phrase opening the paragraph is its subject even when the parser ran the
            # sentence on from the paragraph before.
            if token.dep_ in ("nsubj", "nsubjpass") and _named_before_age(token) is not None:
                token = _named_before_age(token)
            opens = token.pos_ == "NOUN" and token.left_edge.idx == paragraph_start
            # "..., a drone operator with the brigade told the Courier": the phrase right before
            # a speech verb is its subject, however the parser attached it.
            after = token.right_edge.i + 1
            tells = (
                token.pos_ == "NOUN"
                and after < len(self.doc)
                and self.doc[after].lemma_.lower() in ("say", "tell")
            )
            if token.dep_ not in ("nsubj", "nsubjpass") and not (opens or tells):
                continue
            if any(s <= token.idx < e for s, e in self.quoted):
                continue
            if token.head.dep_ in SUBORDINATE_CLAUSES and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in token.head.head.children
            ):
                # "Peskov told reporters that Putin had been informed. He denied ...": a
                # subject inside a reported or subordinate clause is not what "he" picks up
                # (unless the main verb has no subject of its own: then the parser misplaced it).
                continue
            if token.pos_ == "NOUN" or _one_of(token):
                described = self._described_person(token)
                if described is not None:
                    return token.idx, described
                continue
            if token.pos_ != "PROPN":
                continue
            entity = self._entity_at(token)
            if entity is not None and (entity.label == "PERSON" or self._person_like(entity)):
                name = self._entity_name(entity)
                name = self._full_name(name, token.idx)
                if name:
                    country = self._person_country(entity, name)
                    return token.idx, Speaker(name, "person", country=country)
            elif entity is None or (
                # "Vukic, who ..." tagged GPE: the surname of a person named earlier.
                entity.label in ("ORG", "GPE", "NORP")
                and " " not in entity.text
                and self._lookup(entity.text) is None
            ):
                name = self._full_name(token.text, token.idx)
                if name != token.text:
                    return token.idx, Speaker(name, "person")
        return None

    def _person_before_verb(self, verb: Token, floor: int) -> tuple[int, Speaker] | None:
        """The last person named in ``verb``'s sentence before it, outside quotes."""
        return next(self._people_named(max(verb.sent.start_char, floor), verb.idx), None)

    def _described_person(self, token: Token) -> Speaker | None:
        """A person subject named by description: "A second lawmaker, Rep. Oh Dong-hyun, ..."
        is that person; "One caller, who gave his name only as ...", "an officer" nobody named
        is anonymous. Definite roles ("the minister") are left to the role resolution."""
        if token.tag_ != "NN" and not _one_of(token):
            return None
        for child in token.children:
            entity = self._entity_at(child) if child.dep_ == "appos" else None
            if entity is not None and entity.label == "PERSON":
                return self._entity_person(entity)
        if _one_of(token):
            return Speaker(None, "anonymous")  # "one of the men, a 26-year-old rifleman,"
        speaks = token.head.lemma_.lower() in ("say", "tell") and token.lemma_.lower() not in (
            INSTITUTION_NOUNS
        )
        if token.lemma_.lower() not in PERSON_ROLE_NOUNS and not (_who_clause(token) or speaks):
            return None
        return Speaker(None, "anonymous") if _indefinite(token) else None

    def _aged(self, head: Token) -> Speaker | None:
        """ "the 41-year-old" after "Oksana Hrytsenko, 41, ...": the person introduced with that
        age, the usual way news gives one."""
        number = next((t.text for t in self.doc[max(0, head.i - 4) : head.i] if t.like_num), None)
        if number is None:
            return None
        introduced = list(
            re.finditer(
                rf"\b([A-Z][^\W\d_][\w'’-]*(?:\s+[A-Z][\w'’-]+){{0,2}}),\s+{re.escape(number)}\b",
                self.text[: head.idx],
            )
        )
        if not introduced:
            return None
        match = introduced[-1]
        name = _strip_title(match.group(1))
        if not name or self._is_place(name):
            return None
        name = self._full_name(name, match.start(1) + match.group(1).find(name))
        entry = self._lookup(name)
        country = entry.country if entry is not None and entry.type == "PERSON" else None
        return Speaker(name, "person", country=country)

    def _person_named_before(self, head: Token) -> Speaker | None:
        """The latest person named anywhere before ``head``, outside quotes."""
        return next((person for _, person in self._people_named(0, head.idx)), None)

    def _recent_person_entity(self, head: Token) -> Speaker | None:
        """The latest PERSON named in this or the previous two sentences (no speaker known)."""
        sent_starts = [s.start_char for s in self.doc.sents if s.start_char <= head.idx]
        floor = sent_starts[-3] if len(sent_starts) >= 3 else 0
        for entity in reversed(self.entities):
            if entity.label == "PERSON" and floor <= entity.start < head.idx:
                return self._entity_person(entity)
        return None

    def _person(self, entity: Entity, head: Token, span: Span, where: dict) -> Speaker:
        name = _strip_title(_strip_credit(entity.canonical))
        if not name:
            # "said Sgt. Mykhailo Boiko": the title was tagged apart from the name after it.
            following = next(
                (
                    e
                    for e in self.entities
                    if e.label == "PERSON" and entity.end <= e.start <= entity.end + 3
                ),
                None,
            )
            if following is None:
                return Speaker(None, "unknown", **where)
            entity, name = following, _strip_title(following.canonical)
        name = self._repaired_name(name, entity.end)
        surface = _strip_title(_strip_credit(entity.text))
        if " " not in surface and surface.casefold() in name.casefold().split():
            # A bare surname the entity stage expanded on its own: redo it here, where the
            # speakers so far are known ("Kim said" after "the minister said").
            name = surface
        full = self._full_name(name, entity.start)
        via = "named" if full == name and " " in name else "short_name"
        if full != name:
            entry = self._lookup(full)
            country = entry.country if entry is not None else None
        else:
            country = self._person_country(entity, full)
        if country is None:
            country = self._country_in(span, skip=(entity.start, entity.end))
        return Speaker(full, "person", country=country, via=via, **where)

    def _entity_person(self, entity: Entity) -> Speaker | None:
        """The person an entity names, under the article's full form of the name."""
        name = self._entity_name(entity)
        if not name:
            return None
        name = self._full_name(name, entity.start)
        return Speaker(name, "person", country=self._person_country(entity, name))

    def _entity_name(self, entity: Entity) -> str:
        """A person entity's name without titles or photo credits, its span repaired."""
        return self._repaired_name(_strip_title(_strip_credit(entity.canonical)), entity.end)

    def _repaired_name(self, name: str, end: int) -> str:
        """Repair a name span the NER cut wrong: "Park Sun" tagged before "-woo" runs on to the
        end of the hyphenated part; "Choe Son" before "Hui" runs on to the gazetteer name it
        starts; a place word glued on from a title ("... of Ukraine Andrii Sybiha") is dropped."""
        rest = re.match(r"[-‐][^\W\d_]+\b", self.text[end : end + 20])
        if rest is not None and name and self.text[:end].endswith(name.split()[-1]):
            return name + rest.group(0)
        following = re.match(r"(?:\s+[A-Z][^\W\d_]*(?:-[^\W\d_]+)?){1,2}", self.text[end:])
        if name and following is not None and self.text[:end].endswith(name.split()[-1]):
            words = following.group(0).split()
            for size in range(len(words), 0, -1):
                entry = self._lookup(" ".join([name, *words[:size]]))
                if entry is not None and entry.type == "PERSON":
                    return entry.canonical
        words = name.split()
        while len(words) > 2 and self._is_place(words[0]):
            words = words[1:]
        return " ".join(words)

    def _person_like(self, entity: Entity) -> bool:
        """A personal name the NER labelled ORG ("Grace Adeyemi"): two or three capitalised
        words, none naming an institution, unknown to the gazetteer."""
        if entity.label != "ORG" or self._lookup(entity.canonical) is not None:
            return False
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None or not 2 <= len(span) <= 3:
            return False
        return all(
            t.pos_ == "PROPN"
            and t.text[:1].isupper()
            and t.is_alpha
            and t.lower_ not in INSTITUTION_NOUNS
            and t.lower_ not in ORG_NAME_WORDS
            for t in span
        )

    def _person_country(self, entity: Entity, name: str) -> str | None:
        if entity.country:
            return entity.country
        entry = self._lookup(name)
        return entry.country if entry is not None and entry.type == "PERSON" else None

    def _full_name(self, name: str, position: int) -> str:
        """Expand a bare name ("Cho") to the full name used in the article ("Cho Han-bum")."""
        if " " in name and name.split()[0] in NAME_PARTICLES:
            # "dela Paz said" after "Ramon dela Paz": a surname with its particle.
            fuller = [
                self._entity_name(e)
                for e in self.entities
                if e.label == "PERSON"
                and e.start < position
                and self._entity_name(e).casefold().endswith(" " + name.casefold())
            ]
            return fuller[-1] if fuller else name
        if " " in name:
            return name
        entry = self._lookup(name)
        if entry is not None and entry.type == "PERSON":
            return entry.canonical
        key = name.casefold()

        def bearer(candidate: str | None) -> bool:
            parts = [p.casefold() for p in (candidate or "").split()]
            return len(parts) > 1 and key in parts

        known = sorted(
            (
                (k.position, k.speaker.canonical)
                for k in self.known
                if k.speaker.type == "person" and bearer(k.speaker.canonical)
            ),
            key=lambda item: item[0],
        )
        people = [e for e in self.entities if e.label == "PERSON" or self._person_like(e)]
        named = sorted(
            [(e.start, self._entity_name(e)) for e in people]
            + [(self.doc[t.first].idx, t.name) for t in self.titled],
            key=lambda item: item[0],
        )
        named = [(at, n) for at, n in named if bearer(n)] or self._untagged_bearers(key)
        honorific = re.search(
            r"\b(Mr|Mrs|Ms|Miss)\.?\s*$", self.text[max(0, position - 6) : position]
        )
        if honorific is not None:
            # "Ms. Abernathy" in a family of Abernathys: only a bearer who can be a woman.
            wanted = HONORIFIC_GENDER[honorific.group(1).casefold()]

            def may_be(candidate: str | None) -> bool:
                gender = self.gender.get(candidate or "") or gender_of_name(candidate or "")
                return gender in (None, wanted)

            known = [(at, n) for at, n in known if may_be(n)]
            named = [(at, n) for at, n in named if may_be(n)]
        # Two people share the surname ("Kim"): one named in full earlier in this paragraph,
        # after the last of them spoke, is the one meant ("Activist Kim Jae-won rejected it.
        # '...,' Kim said."); else the one who spoke last before this mention, else the one
        # named last before it, else the first named after it.
        paragraph_start = self.text.rfind("\n", 0, position) + 1
        last_spoke = max((at for at, _ in known if at < position), default=-1)
        local = [
            n for at, n in reversed(named) if max(paragraph_start, last_spoke + 1) <= at < position
        ]
        if local:
            return local[0]
        for pool in (
            [n for at, n in reversed(known) if at < position],
            [n for at, n in reversed(named) if at < position],
            [n for at, n in known if at >= position],
            [n for at, n in named if at >= position],
        ):
            if pool:
                return pool[0]
        return name

    def _untagged_bearers(self, key: str) -> list[tuple[int, str]]:
        """Full names the NER missed ("Maksym Kovalenko scored ..." left untagged at the start
        of a sentence): runs of two or three name words ending in the bare name ``key``, outside
        quotes and unknown to the gazetteer as a place or institution."""
        if key in self._untagged:
            return self._untagged[key]
        found: list[tuple[int, str]] = []
        for token in self.doc:
            if token.lower_ != key or token.pos_ != "PROPN":
                continue
            if any(s <= token.idx < e for s, e in self.quoted):
                continue
            start, end = _run_around(self.doc, token.i)
            run = self.doc[start:end]
            if not 2 <= len(run) <= 3 or end != token.i + 1:
                continue
            # A personal name the NER labelled a nationality or place ("Marcus Oyelaran" as
            # NORP) still counts; an organisation, date or the like does not.
            if any(
                t.pos_ != "PROPN"
                or t.ent_type_ in NON_PERSON_ENTS - {"NORP", "GPE"}
                or not _name_word(t)
                for t in run
            ):
                continue
            if self._is_place(run.text) or self._is_place(run[0].text):
                continue
            found.append((run.start_char, run.text))
        self._untagged[key] = found
        return found

    def _national_entry(
        self, noun: str, head: Token, country: str | None
    ) -> GazetteerEntryLike | None:
        """The gazetteer's body for a bare institution noun in the story's country: "North
        Korea's military" -> "North Korean military" (the Korean People's Army); "The Navy said"
        in a story about the U.S. -> "U.S. Navy"."""
        context = country or self._country_nearby(head)[1] or self._dateline_country()
        if context not in NATIONALITIES:
            return None
        return self._lookup(f"{NATIONALITIES[context]} {noun}")

    def _dateline_country(self) -> str | None:
        """The country of the place the story is filed from ("SEOUL, Nov. 27 (Yonhap) --")."""
        first = next((t for t in self.doc if not t.is_space), None)
        if first is None or not _dateline(first):
            return None
        entry = self._lookup(first.text.title()) or self._lookup(first.text)
        return entry.country if entry is not None else None

    def _expanded_acronym(self, name: str, before: int) -> str | None:
        """ "The ICRC" after "the International Committee of the Red Cross": the full name
        used earlier whose initials spell the acronym."""
        if not (name.isupper() and 2 <= len(name) <= 6 and name.isalpha()):
            return None
        for entity in reversed(self.entities):
            if entity.label != "ORG" or entity.start >= before:
                continue
            words = [
                w
                for w in _strip_det(entity.canonical).split()
                if w.casefold() not in ("of", "the", "for", "and", "on", "in")
            ]
            if len(words) == len(name) and "".join(w[0] for w in words).upper() == name:
                return _strip_det(entity.canonical)
        return None

    def _organisation(self, canonical: str, entity: Entity, span: Span, where: dict) -> Speaker:
        expanded = self._expanded_acronym(_strip_det(canonical), entity.start)
        if expanded is not None:
            canonical = expanded
        entry = self._lookup(canonical) or self._lookup(entity.text)
        if entry is None and " " not in _strip_det(canonical):
            entry = self._national_entry(_strip_det(canonical), span.root, entity.country)
        head = span.root
        if entry is None and head.lower_ in INSTITUTION_NOUNS and _strip_det(entity.text).islower():
            # "defence ministry" tagged ORG: a generic institution, named by convention.
            return self._institution(head, span, where)
        name = entry.canonical if entry is not None else _strip_det(canonical)
        country = entity.country or (entry.country if entry is not None else None)
        if entry is None:
            national = self._national_institution(name)
            if national is not None:
                name, country = national
        if country is None:
            country = self._country_in(span, skip=(entity.start, entity.end))
        owner = next(
            (
                e
                for e in self.entities
                if e.label == "GPE"
                and span.start_char <= e.start < span.end_char
                and not entity.start <= e.start < entity.end
            ),
            None,
        )
        if country is None and owner is not None and name.startswith("Ministry"):
            # "Kyrgyzstan's Ministry of Economy and Commerce", a country without an ISO code
            # in the gazetteer: its name as written.
            named = f"{name} ({_strip_det(owner.canonical)})"
            return Speaker(named, "organisation", via="named", **where)
        if country is None and name.startswith(("Ministry of", "Ministry for")):
            # "South Korea on Friday imposed sanctions ... The Ministry of Foreign Affairs said":
            # a ministry named without its country belongs to the one just discussed, else to
            # the country of the dateline.
            country = self._country_nearby(span.root)[1] or self._dateline_country()
        return Speaker(name, "organisation", country=country, via="named", **where)

    def _institution(self, head: Token, span: Span, where: dict) -> Speaker:
        """A generic institution ("the foreign ministry", "Russia's defence ministry")."""
        named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None and head.lemma_.lower() not in PERSON_ROLE_NOUNS:
            # "Ukraine's state nuclear company, Energoatom, blamed": the apposition names it.
            start, end = _run_around(self.doc, named.i)
            name = self.doc[start:end].text if end > start else named.text
            entry = self._lookup(name)
            country = self._country_in(span, skip=(-1, -1))
            return Speaker(
                entry.canonical if entry is not None else name,
                "organisation",
                country=(entry.country if entry is not None else None) or country,
                via="named",
                **where,
            )
        proper = [
            t
            for t in span
            if t.text[:1].isupper()
            and t.pos_ == "PROPN"
            and t.lower_ not in MINISTRY_NAMES
            and t.lower_ not in INSTITUTION_NOUNS
            and t.ent_type_ not in ("GPE", "NORP")
        ]
        if head.pos_ == "PROPN" and head.text[:1].isupper() and proper:
            # "U.S. Indo-Pacific Command said", untagged: a proper name, not a description to
            # resolve to another organisation of the same kind.
            name = _strip_det(span.text)
            entry = self._lookup(name)
            return Speaker(
                entry.canonical if entry is not None else name,
                "organisation",
                country=entry.country if entry is not None else None,
                via="named",
                **where,
            )
        named_inside = next(
            (
                e
                for e in self.entities
                if e.label == "ORG" and span.start_char <= e.start and e.end <= head.idx
            ),
            None,
        )
        if named_inside is not None and head.text.islower():
            # "The IG Metall union said": the name is the organisation, the noun its kind.
            mention = self.doc.char_span(
                named_inside.start, named_inside.end, alignment_mode="expand"
            )
            if mention is not None and mention.end == head.i:
                return self._organisation(named_inside.canonical, named_inside, mention, where)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if head.lemma_.lower() in GOVERNING_BODIES and owner is not None:
            # "The food bank's current board said": the board speaks for its organisation.
            found = self._resolve_span(owner, mention_span(owner))
            if found.type == "organisation" and found.canonical:
                return replace(found, **where)
        bare = [t for t in span if not t.is_punct and t.dep_ != "det"] == [head]
        named = self._named_before(head, span) if _definite(head) and owner is None else None
        if named is not None:
            # "The Russian Embassy in Seoul rejected ... the embassy said", "the food bank"
            # after "the Harbor City Community Food Bank": the organisation named before.
            return replace(named, **where, via="description")
        if bare and _definite(head):
            # "the ministry" after "Russia's defence ministry": the same institution.
            found = self._same_noun(head)
            if found is not None and found.type == "organisation":
                return Speaker(
                    found.canonical,
                    "organisation",
                    country=found.country,
                    via="description",
                    **where,
                )
            earlier = self._earlier_description(head)
            if earlier is not None and earlier.dep_ == "appos" and earlier.head.pos_ == "PROPN":
                # "OVD-Info, an independent group that ... The group said": the name it
                # described.
                named = self._entity_at(earlier.head)
                if named is not None and named.label in ("ORG", "PERSON", "GPE"):
                    found = self._organisation(
                        named.canonical, named, mention_span(earlier.head), {}
                    )
                    return replace(found, via="description", **where)
            if earlier is not None:
                # "Russia's embassy in Seoul rejected ... the embassy called": the fuller
                # mention before, though it said nothing, names the institution.
                found = self._institution(earlier, mention_span(earlier), where)
                return Speaker(
                    found.canonical,
                    found.type,
                    country=found.country,
                    via="description",
                    **where,
                )
        if bare and _definite(head):
            # "The Tides also announced ... the club said": the organisation the story is
            # about at this point.
            subject = self._organisation_subject(head, named_only=True)
            if subject is not None:
                return replace(subject, **where, via="description")
        country_name, country = self._country_named_in(span)
        entry = self._national_entry(head.text, head, country)
        if entry is not None:
            return Speaker(
                entry.canonical, "organisation", country=entry.country, via="named", **where
            )
        named = self._named_institution(head, span, country)
        if named is not None:
            return named
        if country is None:
            country_name, country = self._country_nearby(head)
        if country is not None and not country_name:
            country_name = COUNTRY_NAMES.get(country, country)
        if country_name == country:
            country_name = COUNTRY_NAMES.get(country, country)
        if head.lemma_.lower() == "embassy" and country in NATIONALITIES:
            # "Russia's embassy in Seoul" -> "Russian Embassy in Seoul"
            city = next(
                (
                    c
                    for prep in head.children
                    if prep.dep_ == "prep" and prep.lower_ == "in"
                    for c in prep.children
                    if c.dep_ == "pobj" and c.ent_type_ == "GPE"
                ),
                None,
            )
            name = f"{NATIONALITIES[country]} Embassy" + (f" in {city.text}" if city else "")
            return Speaker(name, "organisation", country=country, via="description", **where)
        owners = {t.i for t in span if t.dep_ == "poss" for t in t.subtree}
        words = [
            t
            for t in span
            if t.pos_ in ("NOUN", "PROPN", "ADJ")
            and t.ent_type_ not in ("GPE", "NORP")
            and t.i not in owners
        ]
        base = " ".join(t.text for t in words).strip() or head.text
        name = base[:1].upper() + base[1:]
        if head.lemma_.lower() == "ministry" and len(words) >= 2:
            name = COUNTRY_MINISTRY_NAMES.get(
                (words[0].lower_, country or ""),
                MINISTRY_NAMES.get(words[0].lower_, name.title()),
            )
        elif head.lemma_.lower() == "ministry":
            name = "Ministry"
        else:
            name = " ".join(w.capitalize() if w.islower() else w for w in base.split())
        entry = self._lookup(name)
        if entry is not None:
            return Speaker(
                entry.canonical,
                "organisation",
                country=entry.country or country,
                via="named",
                **where,
            )
        if country_name:
            name = f"{name} ({country_name})"
        return Speaker(name, "organisation", country=country, via="description", **where)

    def _normalise_organisation(self, speaker: Speaker, head: Token) -> Speaker:
        """One naming convention for every organisation speaker, however it was reached: a
        leading country word moves into the country ("DPRK Foreign Ministry" -> "Ministry of
        Foreign Affairs (North Korea)"), a national government is "Government of Japan", an
        embassy keeps its city ("Russian Embassy in Seoul")."""
        name = speaker.canonical or ""
        known = self._lookup(name)
        if known is not None:
            return replace(
                speaker, canonical=known.canonical, country=known.country or speaker.country
            )
        country = speaker.country
        base, _, bracket = name.partition(" (")
        words = base.split()
        for size in (2, 1):
            if len(words) <= size:
                continue
            entry = self._lookup(" ".join(words[:size]))
            if entry is None or entry.type not in ("NORP", "GPE") or not entry.country:
                continue
            if words[size].casefold() == "embassy":
                break  # "Russian Embassy": the nationality is part of the name
            generic = set(MINISTRY_NAMES) | INSTITUTION_NOUNS | {"of", "the", "and", "affairs"}
            if any(w.casefold() not in generic for w in words[size:]):
                break  # "U.S. Indo-Pacific Command": a proper name keeps its country word
            country, words = entry.country, words[size:]
            bracket = ""
            break
        base = " ".join(words)
        folded = base.casefold().split()
        if len(folded) == 2 and folded[1] == "ministry" and folded[0] in MINISTRY_NAMES:
            base = COUNTRY_MINISTRY_NAMES.get((folded[0], country or ""), MINISTRY_NAMES[folded[0]])
        country_name = COUNTRY_NAMES.get(country, country) if country else None
        if folded == ["government"] and country_name:
            return replace(speaker, canonical=f"Government of {country_name}", country=country)
        embassy = next((t for t in (head, *head.children) if t.lower_ == "embassy"), None)
        if folded and folded[-1] == "embassy" and " in " not in base and embassy is not None:
            # "in Seoul" right after the name, wherever the parser attached it.
            after = self.doc[embassy.i + 1 : embassy.i + 3]
            if len(after) == 2 and after[0].lower_ == "in" and after[1].ent_type_ == "GPE":
                city = next((e for e in self.doc.ents if e.start == after[1].i), None)
                base = f"{base} in {city.text if city is not None else after[1].text}"
        entry = self._lookup(base)
        if entry is not None:
            return replace(speaker, canonical=entry.canonical, country=entry.country or country)
        if bracket:
            canonical = f"{base} ({bracket}"
        elif country_name and base.startswith("Ministry"):
            canonical = f"{base} ({country_name})"
        else:
            canonical = base
        return replace(speaker, canonical=canonical, country=country)

    def _organisation_subject(self, head: Token, named_only: bool = False) -> Speaker | None:
        """The organisation that is the latest grammatical subject before ``head`` in its
        sentence or the one before ("Russia's Defence Ministry did not comment ... it accused";
        "The Tides also announced ... the club said"), outside quotes; with ``named_only``
        only a named one."""
        sentences = [s for s in self.doc.sents if s.start <= head.i]
        floor = sentences[-2].start if len(sentences) >= 2 else 0
        for token in reversed(self.doc[floor : head.i]):
            if token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ == "PRON":
                continue
            if any(s <= token.idx < e for s, e in self.quoted):
                continue
            entity = self._entity_at(token)
            company = entity is not None and self._company_tagged_person(entity)
            if entity is not None and (
                (entity.label == "ORG" and not self._person_like(entity)) or company
            ):
                span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
                if span is None:
                    continue
                full = self._longest_organisation_name(entity)
                where = {"text": span.text, "start": span.start_char, "end": span.end_char}
                found = self._organisation(full.canonical, full, span, where)
                return self._normalise_organisation(found, span.root)
            appos = next(
                (c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None
            )
            if entity is None and appos is not None and token.lemma_.lower() in INSTITUTION_NOUNS:
                # "The exchange, Linbay Asia, has frozen withdrawals": the name in apposition.
                return self._institution(token, mention_span(token), {})
            if not named_only and entity is None and token.lemma_.lower() in INSTITUTION_NOUNS:
                found = self._institution(token, mention_span(token), {})
                if found.canonical:
                    return self._normalise_organisation(found, token)
        return None

    def _company_tagged_person(self, entity: Entity) -> bool:
        """An organisation the NER tagged PERSON: named with a business word ("Hanseong
        Shipping", "Harwick Rovers") or right after its kind ("German shipbuilder Nordwerft
        Marine"), and unknown to the gazetteer."""
        if entity.label != "PERSON" or self._lookup(entity.canonical) is not None:
            return False
        if " " in entity.text and entity.text.split()[-1].casefold() in ORG_NAME_WORDS:
            return True
        before = self.text[: entity.start].rstrip().rsplit(None, 1)
        return bool(before) and before[-1] in INSTITUTION_NOUNS and before[-1].islower()

    def _longest_organisation_name(self, entity: Entity) -> Entity:
        """ "The Tides" after "the Port Ellis Tides": the fuller name used earlier."""
        key = _strip_det(entity.canonical).casefold()
        fuller = [
            e
            for e in self.entities
            if e.label == "ORG"
            and e.start < entity.start
            and len(e.canonical) > len(key)
            and _strip_det(e.canonical).casefold().endswith(" " + key)
        ]
        return fuller[-1] if fuller else entity

    def _named_before(self, head: Token, span: Span) -> Speaker | None:
        """The latest organisation named earlier, outside quotes, whose name ends with the
        description's words ("the food bank": "... Community Food Bank") or, for a bare noun,
        whose name is headed by it ("the embassy": "The Russian Embassy in Seoul")."""
        words = [t.lower_ for t in span if not t.is_punct and t.dep_ != "det"]
        if not words or words[-1] != head.lower_:
            return None
        for entity in reversed(self.entities):
            if entity.label != "ORG" or entity.start >= span.start_char:
                continue
            if any(s <= entity.start < e for s, e in self.quoted):
                continue
            mention = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if mention is None:
                continue
            names = [t.lower_ for t in mention if not t.is_punct and t.dep_ != "det"]
            headed = len(words) == 1 and mention.root.lemma_.lower() == head.lemma_.lower()
            if names[-len(words) :] == words or headed:
                where = {"text": span.text, "start": span.start_char, "end": span.end_char}
                found = self._organisation(entity.canonical, entity, mention, where)
                return self._normalise_organisation(found, mention.root)
        return None

    def _earlier_mentions(self, head: Token) -> Iterator[Token]:
        """Earlier uses of the same noun as ``head``, latest first, outside quotes."""
        lemma = head.lemma_.lower()
        for token in reversed(self.doc[: head.i]):
            if token.lemma_.lower() != lemma or token.pos_ != "NOUN":
                continue
            if any(s <= token.idx < e for s, e in self.quoted):
                continue
            yield token

    def _earlier_description(self, head: Token) -> Token | None:
        """The latest earlier mention of the same institution noun with more to it than an
        article ("Russia's embassy in Seoul" before "the embassy"), outside quotes."""
        for token in self._earlier_mentions(head):
            if any(
                c.dep_ in ("poss", "amod", "compound", "prep") and c.i != head.i
                for c in token.children
            ):
                return token
        return None

    def _national_institution(self, name: str) -> tuple[str, str] | None:
        """ "Ukrainian Ministry of Infrastructure" -> "Ministry of Infrastructure (Ukraine)": a
        government body named with its nationality first takes the country in brackets."""
        words = name.split()
        for size in (2, 1):
            if len(words) < size + 2:
                continue
            entry = self._lookup(" ".join(words[:size]))
            rest = words[size:]
            if entry is None or entry.type not in ("NORP", "GPE") or not entry.country:
                continue
            country = COUNTRY_NAMES.get(entry.country, entry.country)
            body, link = rest[0].casefold(), rest[1].casefold()
            if body in ("ministry", "department", "embassy", "office") and link in ("of", "for"):
                return f"{' '.join(rest)} ({country})", entry.country
            if len(rest) == 2 and link == "ministry":
                # "Russian Foreign Ministry" -> "Ministry of Foreign Affairs (Russia)"
                ministry = COUNTRY_MINISTRY_NAMES.get((body, entry.country))
                ministry = ministry or MINISTRY_NAMES.get(body)
                if ministry:
                    return f"{ministry} ({country})", entry.country
        return None

    def _named_institution(self, head: Token, span: Span, country: str | None) -> Speaker | None:
        """ "the spy agency" / "the military" / "the company": the organisation of that kind the
        article names, nearest before the mention (else after), of the same country if known."""
        words = {t.lower_ for t in span} | {head.lemma_.lower()}
        kind = next(
            (k for k, (nouns, _) in INSTITUTION_KINDS.items() if words & nouns),
            None,
        )
        if kind is None:
            return None
        marks = INSTITUTION_KINDS[kind][1]
        found: list[tuple[int, Speaker]] = []
        for entity in self.entities:
            business = entity.text.split()[-1].casefold() in ORG_NAME_WORDS
            if not (entity.label == "ORG" or (kind == "company" and business)):
                continue  # ("Hanseong Shipping" tagged PERSON is still a company)
            if span.start_char <= entity.start < span.end_char:
                continue
            if any(s <= entity.start < e for s, e in self.quoted):
                continue
            mention = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if mention is not None and _modifier(mention.root):
                continue  # "LNG carriers": a name used as an attribute refers to no body
            entry = self._lookup(entity.canonical) or self._lookup(entity.text)
            name = entry.canonical if entry is not None else _strip_det(entity.canonical)
            described = f"{name} {getattr(entry, 'role', None) or ''}".casefold()
            if kind == "company" and entry is None:
                fits = not (set(name.casefold().split()) & GOVERNMENT_WORDS)
            else:
                fits = any(m in described for m in marks)
            code = entity.country or (entry.country if entry is not None else None)
            if not fits or (country and code and code != country):
                continue
            distance = head.idx - entity.start if entity.start < head.idx else 10**6 + entity.start
            found.append((distance, Speaker(name, "organisation", country=code)))
        noun = head.lemma_.lower()
        for known in self.known:
            # Organisations reached without an entity ("Ukrainian military intelligence said",
            # "Energy company DTEK said").
            canonical = known.speaker.canonical
            if known.speaker.type != "organisation" or not canonical or known.position >= head.idx:
                continue
            entry = self._lookup(canonical)
            described = f"{canonical} {getattr(entry, 'role', None) or ''}".casefold()
            introduced = noun in re.findall(r"\w+", (known.speaker.text or "").casefold())
            if introduced or (kind != "company" and any(m in described for m in marks)):
                found.append((head.idx - known.position, known.speaker))
        for token in self.doc[: head.i]:
            # "Ukrzaliznytsia, the state railway company, said ...": the company named before.
            if (
                token.dep_ == "appos"
                and token.lemma_.lower() == head.lemma_.lower()
                and token.head.pos_ == "PROPN"
                and token.head.i < token.i
            ):
                named = self._entity_at(token.head)
                entry = self._lookup(named.canonical if named else token.head.text)
                name = (
                    entry.canonical
                    if entry is not None
                    else _strip_det(named.canonical if named else token.head.text)
                )
                code = entry.country if entry is not None else None
                found.append(
                    (head.idx - token.head.idx, Speaker(name, "organisation", country=code))
                )
        if not found:
            return None
        best = min(found, key=lambda item: item[0])[1]
        return Speaker(
            best.canonical,
            "organisation",
            span.text,
            span.start_char,
            span.end_char,
            best.country or country,
            via="description",
        )

    def _role(self, head: Token, span: Span, where: dict) -> Speaker:
        """A person named by role: anonymous unless it is a definite reference back."""
        sentence = head.sent.text
        if (
            (_definite(head) or _owned_by_name(head))
            and head.tag_ in ("NN", "NNP")
            and not ANONYMITY_CUES.search(sentence)
            and not self._introduced_unnamed(head)
        ):
            found = (
                self._adding_speaker(head)
                or self._role_holder(head)
                or self._same_noun(head)
                or self._only_person_nearby(head)
                or self._unnamed_last(head)
                or self.previous(head.idx, "person")
                or self._named_next(head)
            )
            if found is not None:
                return Speaker(
                    found.canonical,
                    found.type,
                    country=found.country,
                    via="description" if found.canonical else "anonymous",
                    **where,
                )
        return Speaker(
            None, "anonymous", via="anonymous", plural=head.tag_ in ("NNS", "NNPS"), **where
        )

    def _adding_speaker(self, head: Token) -> Speaker | None:
        """ "Spokeswoman Maria Zakharova said ... '...,' the diplomat added": "added" carries on
        from whoever spoke last, when that was one named person in this or the previous
        paragraph."""
        if head.head.lemma_.lower() != "add":
            return None
        floor = self._paragraph_start(head.idx, back=1)
        spoke = [k for k in self.known if floor <= k.position < head.idx]
        if not spoke:
            return None
        last = max(spoke, key=lambda k: k.position).speaker
        return last if last.type == "person" and last.canonical and not last.plural else None

    def _unnamed_last(self, head: Token) -> Speaker | None:
        """ "A battalion commander told us ... '...,' the officer said": when the last to speak
        before the mention was one unnamed person, the definite role is that person, not the
        last person named."""
        earlier = [k for k in self.known if k.position < head.idx]
        if not earlier:
            return None
        last = max(earlier, key=lambda k: k.position).speaker
        if last.type == "anonymous" and not last.plural:
            return Speaker(None, "anonymous")
        return None

    def _named_next(self, head: Token) -> Speaker | None:
        """ "Ukraine's ambassador ... urged Seoul ...\n\n... Ambassador Oksana Kravets said":
        with nobody before it, a definite role is named by the first person introduced with
        that role in the same or the next paragraph."""
        noun = role_key(head)
        text = self.text
        paragraph_end = text.find("\n", head.idx)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        next_start = len(text) - len(text[paragraph_end:].lstrip())
        next_end = text.find("\n", next_start)
        next_end = len(text) if next_end < 0 else next_end
        for titled in self.titled:
            at = self.doc[titled.first].idx
            if not head.idx < at < next_end:
                continue
            if any(r.rpartition(" ")[2] == noun.rpartition(" ")[2] for r in titled.roles):
                return self._titled_speaker(titled)
        return None

    def _introduced_unnamed(self, head: Token) -> bool:
        """ "one Whitehall official called it ... As the official put it": the latest earlier
        mention of the same noun (outside quotes) is indefinite and names nobody."""
        for token in self._earlier_mentions(head):
            indefinite = any(
                c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in token.children
            )
            # "Jang Soo-bin, a maritime lawyer," / "a lawyer, Jang Soo-bin," name the person.
            named = (
                any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in token.children)
                or (
                    token.dep_ == "appos"
                    and token.head.pos_ == "PROPN"
                    and token.head.ent_type_ not in NON_PERSON_ENTS  # not a misparse on "Korea"
                )
                or any(t.first <= token.i <= t.last for t in self.titled)
            )
            return indefinite and not named
        return False

    def _only_person_nearby(self, head: Token) -> Speaker | None:
        """ "Chief Cabinet Secretary Mori ... condemned it. '...,' the top government spokesman
        said": with one person named in the paragraph so far, the role is theirs."""
        paragraph_start = self.text.rfind("\n", 0, head.idx) + 1
        names = {
            self._full_name(t.name, self.doc[t.first].idx)
            for t in self.titled
            if paragraph_start <= self.doc[t.first].idx < head.idx
        }
        names |= {
            self._full_name(self._entity_name(e), e.start)
            for e in self.entities
            if e.label == "PERSON"
            and paragraph_start <= e.start < head.idx
            and not any(s <= e.start < end for s, end in self.quoted)
        }
        names.discard("")
        if not names and paragraph_start:
            # Nobody named yet in this paragraph: one person introduced with a role in the
            # previous paragraph ("... Spokeswoman Maria Zakharova said.\n\n'...,' the
            # diplomat said").
            previous_end = len(self.text[:paragraph_start].rstrip())
            before = self.text.rfind("\n", 0, previous_end) + 1
            names = {
                self._full_name(t.name, self.doc[t.first].idx)
                for t in self.titled
                if before <= self.doc[t.first].idx < previous_end
            }
        if len(names) != 1:
            return None
        name = names.pop()
        entry = self._lookup(name)
        country = entry.country if entry is not None and entry.type == "PERSON" else None
        return Speaker(name, "person", country=country)

    def _same_noun(self, head: Token) -> Speaker | None:
        """The latest speaker whose own mention used this noun ("an officer" ... "the officer")."""
        noun = head.lower_
        earlier = [
            k
            for k in self.known
            if k.position < head.idx
            and k.speaker.text
            and noun in re.findall(r"\w+", k.speaker.text.casefold())
        ]
        return max(earlier, key=lambda k: k.position).speaker if earlier else None

    # --- countries --------------------------------------------------------------------------------

    def _country_in(self, span: Span, skip: tuple[int, int]) -> str | None:
        return self._country_named_in(span, skip)[1]

    def _country_named_in(
        self, span: Span, skip: tuple[int, int] = (-1, -1)
    ) -> tuple[str | None, str | None]:
        """A country named inside the mention ("South Korea's", "Ukrainian President")."""
        for entity in self.entities:
            if entity.label not in ("GPE", "NORP"):
                continue
            if (
                span.start_char <= entity.start
                and entity.end <= span.end_char
                and not (skip[0] <= entity.start < skip[1])
            ):
                found = self._country_of(entity)
                if found[1] is not None:
                    return found
        return None, None

    def _country_nearby(self, head: Token) -> tuple[str | None, str | None]:
        """The country of the nearest place or organisation named in this or the previous
        sentence, before the mention; a nationality adjective ("North Korean troops") only when
        nothing else is named there, since it usually describes something else."""
        sentences = [s for s in self.doc.sents if s.start_char <= head.idx]
        window_start = sentences[-2].start_char if len(sentences) >= 2 else 0
        # "Yoon spoke after a call with U.S. President-elect Trump. The presidential office
        # said": the country of the person the previous sentence is about comes first.
        for sentence in sentences[-2:-1]:
            subject = next(
                (t for t in sentence if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None
            )
            entity = self._entity_at(subject) if subject is not None else None
            if entity is not None and entity.label == "PERSON" and entity.country:
                return self.country_names.get(entity.country, entity.country), entity.country
            if entity is not None and entity.label in ("GPE", "ORG"):
                # "South Korea on Friday imposed sanctions on Russian ships": the actor's country.
                found = self._country_of(entity)
                if found[1] is not None:
                    return found
        adjectives: list[tuple[str | None, str | None]] = []
        for entity in reversed(self.entities):
            if not window_start <= entity.start < head.idx:
                continue
            if entity.label in ("GPE", "ORG"):
                found = self._country_of(entity)
                if found[1] is not None:
                    return found
            elif entity.label == "NORP":
                adjectives.append(self._country_of(entity))
        codes = {code for _, code in adjectives if code is not None}
        # Nationality adjectives of two countries ("North Korean leader ... Russian President"):
        # no safe guess.
        return adjectives[0] if len(codes) == 1 and adjectives[0][1] else (None, None)

    def _country_of(self, entity: Entity) -> tuple[str | None, str | None]:
        """(country name, ISO code) of a place, people or organisation mention."""
        entry = self._lookup(entity.canonical) or self._lookup(entity.text)
        code = entity.country or (entry.country if entry is not None else None)
        if code is None:
            return None, None
        return self.country_names.get(code, code), code

    def _lookup(self, surface: str) -> GazetteerEntryLike | None:
        if self.gazetteer is None or not surface.strip():
            return None
        return self.gazetteer.lookup(surface)

    def _entity_at(self, head: Token) -> Entity | None:
        for entity in self.entities:
            if entity.start <= head.idx < entity.end:
                return entity
        return None


def _indefinite(token: Token) -> bool:
    return any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in token.children)


def _one_of(token: Token) -> bool:
    """ "one of the men", "one of the officers": somebody not named."""
    return token.lower_ == "one" and any(
        c.lower_ == "of"
        and any(p.tag_ in ("NNS", "NNPS") or p.lower_ in ("those", "them") for p in c.children)
        for c in token.children
    )


def _who_clause(token: Token) -> bool:
    """ "A border guard in Narva, who asked ...": a "who" clause in the phrase marks a person,
    wherever the parser attached it."""
    return any(
        t.lower_ == "who"
        and t.dep_ in ("nsubj", "nsubjpass")
        # "A letter from Marion Adeyemi, who was too ill ...": the clause describes the person
        # named, not the letter.
        and t.head.head.ent_type_ != "PERSON"
        for t in token.subtree
    )


def _modifier(token: Token) -> bool:
    """Whether a name modifies a common noun ("LNG" in "LNG carriers") rather than naming a
    participant of its own."""
    return token.dep_ in ("compound", "amod", "nmod") and token.head.pos_ == "NOUN"


def _owned_by_name(head: Token) -> bool:
    """ "Ukraine's ambassador": a role owned by a named country or body is one person."""
    return any(c.dep_ == "poss" and c.ent_type_ in ("GPE", "ORG", "NORP") for c in head.children)


def _definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def _strip_title(name: str) -> str:
    """ "Colonel Lee Sung-jun" -> "Lee Sung-jun", "Artist Kerry Pike" -> "Kerry Pike"; a bare
    title becomes "". A role word goes only when a full name (two words) is left."""
    parts = name.split()
    while (
        len(parts) > 2
        and parts[0].casefold() in ("first", "second", "third")
        and (parts[1].casefold() == "rank")
    ):
        parts = parts[2:]  # "Captain First Rank Vladimir Orlov"
    while parts and (
        (parts[0][:1].islower() and parts[0] not in NAME_PARTICLES and len(parts) > 1)
        or parts[0].rstrip(".").casefold() in TITLE_WORDS
        or (len(parts) > 2 and parts[0].casefold() in PERSON_ROLE_NOUNS | OCCUPATIONS)
    ):
        parts = parts[1:]
    return " ".join(parts)


def _strip_credit(name: str) -> str:
    """Drop a photo-credit word glued to a name by the page layout ("Reuters-Yonhap Yang")."""
    parts = name.split()
    while len(parts) > 1 and parts[0].split("-")[-1].casefold() in NEWS_CREDIT_WORDS:
        parts = parts[1:]
    return " ".join(parts)
