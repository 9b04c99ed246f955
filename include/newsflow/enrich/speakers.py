"""Who said it: resolve the subject of a speech cue to a canonical speaker.

Conventions for ``Speaker.canonical``:

* a named person -> the full name (the entity's canonical name, a short name or a pronoun
  resolved to the full name used in the article);
* a named organisation -> its canonical name from the entities or the gazetteer
  ("National Intelligence Service", "Kremlin");
* a generic institution ("the foreign ministry") -> a normalised institution name with the
  country in brackets when it is known ("Ministry of Foreign Affairs (South Korea)");
* an unnamed source ("an expert", "officials") -> ``None`` with type ``anonymous``: never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from newsflow.records import Entity, SpeakerType


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (long lists stay readable)."""
    return frozenset(words.split())


PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them"})
ORG_PRONOUNS = frozenset({"it"})
INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "two", "three", "many"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})

# Nouns naming a person by role: "the researcher said" refers back to a named speaker, while
# "an expert said" / "officials said" is an unnamed source.
PERSON_ROLE_NOUNS = word_set(
    """
    analyst expert official source researcher scholar professor minister spokesperson
    spokesman spokeswoman diplomat officer commander soldier lawmaker legislator senator
    president leader adviser advisor aide observer witness resident person people insider
    director chief head representative envoy ambassador general colonel lieutenant captain
    sergeant commentator economist specialist veteran member negotiator activist critic
    governor mayor secretary chairman chairwoman chair executive manager journalist reporter
    doctor nurse teacher student worker farmer defector prosecutor judge lawyer attorney
    candidate politician strategist planner pilot fighter volunteer medic survivor woman man
    villager citizen father mother son daughter wife husband brother sister parent friend
    neighbour neighbor owner driver coach player founder author writer historian scientist
    engineer pundit fan librarian employee staffer monitor inspector investigator trader
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
    prefecture
    """
)
# Words that make a capitalised name an organisation ("Korea Times", "Samsung Electronics").
ORG_NAME_WORDS = word_set(
    """
    times news post herald journal daily inc corp co ltd llc electronics motors airlines
    energy holdings foundation fund center centre society association school college hospital
    church club united city fc studios records press media international global
    """
)
TITLE_WORDS = word_set(
    """
    mr mrs ms miss dr prof professor sgt sergeant cpl corporal pte private lt lieutenant capt
    captain maj major col colonel gen general adm admiral cmdr commander gov governor sen
    senator rep president minister mayor councillor councilor judge ambassador sir dame lord
    lady rev father chancellor premier
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
    r"requested anonymity|speaking anonymously|who (?:was|were) not named|unnamed|anonymous",
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
    )


def _dateline(token: Token) -> bool:
    """ "MOSCOW — Russia's defence ministry said": the dateline is not the subject."""
    doc = token.doc
    return (
        token.is_upper
        and len(token.text) > 1
        and token.i + 1 < len(doc)
        and doc[token.i + 1].text in ("—", "–", "-", "--")
    )


def speaker_of(cue: Token) -> Token | None:
    """The token naming who spoke: the subject of the cue, or the object of "according to"."""
    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return obj
        return None
    verb = cue
    for _ in range(4):
        subjects = [
            c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not _dateline(c)
        ]
        subject = subjects[-1] if subjects else None
        if subject is not None and can_speak(subject):
            return subject
        # "X said and added", "X was quoted as saying", "X dismissed reports that ...,
        # calling them ...": the subject sits on a governing verb.
        climb = ("conj", "xcomp", "pcomp", "advcl") if subject is None else ("advcl", "acl")
        if verb.dep_ in climb + ("ccomp",) * (subject is not None) and verb.head.i != verb.i:
            verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else verb.head.head
        else:
            break
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return None  # a subject that cannot speak: not a speech cue here
    # Inverted attribution the parser did not label: '"...," said the minister.'
    for child in cue.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "appos", "oprd") and child.pos_ in (
            "PROPN",
            "NOUN",
        ):
            return child
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
        self.gender: dict[str, str] = {}  # canonical name -> the pronoun used for it
        # ISO code -> the country's name as the article's own mentions spell it in the gazetteer.
        self.country_names: dict[str, str] = {}
        for entity in self.entities:
            entry = self._lookup(entity.canonical) if entity.label == "GPE" else None
            if entry is not None and entry.country and getattr(entry, "role", None) == "country":
                self.country_names.setdefault(entry.country, entry.canonical)

    # --- public -------------------------------------------------------------------------------

    def resolve(self, head: Token | None) -> Speaker:
        """Resolve the speaker whose mention is headed by ``head`` (None: nobody named)."""
        if head is None:
            return Speaker(None, "unknown")
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head  # "Cho, who said ...": the relative clause's noun
        if self._entity_at(head) is None or head.lower_ in TITLE_WORDS:
            # "The club's manager, Graham Holt, said": the apposition names the speaker.
            for child in head.children:
                named = self._entity_at(child)
                if (
                    child.dep_ == "appos"
                    and named is not None
                    and (named.label == "PERSON" or self._person_like(named))
                ):
                    head = child
                    break
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
        if speaker.canonical is not None or speaker.type == "anonymous":
            self.known.append(_Known(span.start_char, speaker))
        return speaker

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
        if entity is not None and (entity.label == "PERSON" or self._person_like(entity)):
            return self._person(entity, head, span, where)
        if entity is not None and entity.label in ("ORG", "GPE") and " " not in entity.text:
            full = self._full_name(entity.text, entity.start)
            if full != entity.text and self._lookup(entity.text) is None:
                # "Steenburgen said" tagged ORG: the surname of a person named earlier.
                return Speaker(full, "person", via="short_name", **where)
        if entity is not None and entity.label in ("ORG", "GPE", "NORP", "FAC"):
            if entity.label == "NORP" and head.tag_ == "NNPS":  # "Ukrainians said": a group
                return Speaker(None, "anonymous", via="anonymous", **where)
            return self._organisation(entity.canonical, entity, span, where)
        entry = self._lookup(span.text) or self._lookup(head.text)
        if entry is not None and entry.type == "PERSON":
            return Speaker(entry.canonical, "person", country=entry.country, via="named", **where)
        if entry is not None and entry.type in ("ORG", "GPE"):
            return Speaker(
                entry.canonical, "organisation", country=entry.country, via="named", **where
            )
        lemma = head.lemma_.lower()
        if lemma in INSTITUTION_NOUNS or lower in INSTITUTION_NOUNS:
            return self._institution(head, span, where)
        if lemma in PERSON_ROLE_NOUNS or lower in PERSON_ROLE_NOUNS:
            return self._role(head, span, where)
        if head.text[:1].isupper() and " " in self._full_name(head.text, head.idx):
            # A short name the NER missed ("Ha said"): the full name used earlier.
            return Speaker(
                self._full_name(head.text, head.idx), "person", via="short_name", **where
            )
        if any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in head.children):
            return Speaker(None, "anonymous", via="anonymous", **where)  # "one bank CEO said"
        if head.pos_ == "PROPN":
            # A name the NER missed: keep the surface form rather than dropping the speaker.
            return Speaker(_strip_det(span.text), "person", via="named", **where)
        return Speaker(None, "unknown", **where)

    def _pronoun(self, lower: str, head: Token, where: dict) -> Speaker:
        position = head.idx
        if lower in PERSON_PRONOUNS:
            gender = "she" if lower in ("she", "her") else "he"
            found = self._person_antecedent(head, gender)
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
            found = self.previous(position, "organisation")
            if found is not None:
                return Speaker(
                    found.canonical, "organisation", country=found.country, via="pronoun", **where
                )
        return Speaker(None, "unknown", **where)

    def _person_antecedent(self, head: Token, gender: str) -> Speaker | None:
        """For "he"/"she": the latest singular speaker or named subject in the same paragraph,
        else the latest person speaker; skipping anyone already called by the other pronoun."""

        def fits(speaker: Speaker) -> bool:
            if speaker.plural or speaker.type not in ("person", "anonymous"):
                return False
            known_gender = self.gender.get(speaker.canonical or "")
            return known_gender is None or known_gender == gender

        paragraph_start = self.doc.text.rfind("\n", 0, head.idx) + 1
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

    def _paragraph_subject(self, head: Token) -> tuple[int, Speaker] | None:
        """The latest person who is a grammatical subject earlier in the pronoun's paragraph,
        outside quotes ("Okafor, asked ..., smiled. 'Ask me in the spring,' she said.")."""
        text = self.doc.text
        paragraph_start = text.rfind("\n", 0, head.idx) + 1
        for token in reversed(self.doc[: head.i]):
            if token.idx < paragraph_start:
                break
            if token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ != "PROPN":
                continue
            if any(s <= token.idx < e for s, e in self.quoted):
                continue
            entity = self._entity_at(token)
            if entity is not None and (entity.label == "PERSON" or self._person_like(entity)):
                name = self._full_name(_strip_title(_strip_credit(entity.canonical)), token.idx)
                if name:
                    country = self._person_country(entity, name)
                    return token.idx, Speaker(name, "person", country=country)
            elif entity is None:
                name = self._full_name(token.text, token.idx)
                if name != token.text:
                    return token.idx, Speaker(name, "person")
        return None

    def _recent_person_entity(self, head: Token) -> Speaker | None:
        """The latest PERSON named in this or the previous two sentences (no speaker known)."""
        sent_starts = [s.start_char for s in self.doc.sents if s.start_char <= head.idx]
        floor = sent_starts[-3] if len(sent_starts) >= 3 else 0
        for entity in reversed(self.entities):
            if entity.label == "PERSON" and floor <= entity.start < head.idx:
                name = self._full_name(_strip_title(_strip_credit(entity.canonical)), entity.start)
                return Speaker(name, "person", country=self._person_country(entity, name))
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
        if " " in name:
            return name
        entry = self._lookup(name)
        if entry is not None and entry.type == "PERSON":
            return entry.canonical
        key = name.casefold()
        candidates = [
            k.speaker.canonical
            for k in reversed(self.known)
            if k.speaker.type == "person" and k.speaker.canonical
        ]
        people = [e for e in self.entities if e.label == "PERSON" or self._person_like(e)]
        before = [e for e in people if e.start < position]
        after = [e for e in people if e.start > position]
        candidates += [_strip_title(_strip_credit(e.canonical)) for e in reversed(before)]
        candidates += [_strip_title(_strip_credit(e.canonical)) for e in after]
        for candidate in candidates:
            parts = [p.casefold() for p in candidate.split()]
            if len(parts) > 1 and key in parts:
                return candidate
        return name

    def _organisation(self, canonical: str, entity: Entity, span: Span, where: dict) -> Speaker:
        entry = self._lookup(canonical) or self._lookup(entity.text)
        name = entry.canonical if entry is not None else _strip_det(canonical)
        country = entity.country or (entry.country if entry is not None else None)
        if country is None:
            country = self._country_in(span, skip=(entity.start, entity.end))
        return Speaker(name, "organisation", country=country, via="named", **where)

    def _institution(self, head: Token, span: Span, where: dict) -> Speaker:
        """A generic institution ("the foreign ministry", "Russia's defence ministry")."""
        bare = [t for t in span if not t.is_punct and t.dep_ != "det"] == [head]
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
        country_name, country = self._country_named_in(span)
        if country is None:
            country_name, country = self._country_nearby(head)
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
            name = MINISTRY_NAMES.get(words[0].lower_, name.title())
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

    def _role(self, head: Token, span: Span, where: dict) -> Speaker:
        """A person named by role: anonymous unless it is a definite reference back."""
        sentence = head.sent.text
        if _definite(head) and head.tag_ == "NN" and not ANONYMITY_CUES.search(sentence):
            found = self._same_noun(head) or self.previous(head.idx, "person")
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


def _definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def _strip_title(name: str) -> str:
    """ "Colonel Lee Sung-jun" -> "Lee Sung-jun"; a bare title becomes ""."""
    parts = name.split()
    while parts and parts[0].rstrip(".").casefold() in TITLE_WORDS:
        parts = parts[1:]
    return " ".join(parts)


def _strip_credit(name: str) -> str:
    """Drop a photo-credit word glued to a name by the page layout ("Reuters-Yonhap Yang")."""
    parts = name.split()
    while len(parts) > 1 and parts[0].split("-")[-1].casefold() in NEWS_CREDIT_WORDS:
        parts = parts[1:]
    return " ".join(parts)
