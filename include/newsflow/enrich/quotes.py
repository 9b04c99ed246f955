"""Direct, mixed and indirect quotes with their speakers.

Pipeline for one article:

1. ``find_quote_spans`` pairs quotation marks on the raw text (straight, curly, single curly,
   guillemets), tolerating mixed marks (“...") and the newspaper convention that a quote going
   on into the next paragraph re-opens it without closing the previous one.
2. Each span is kept as a quote only if it looks like speech: a speech cue verb next to it
   (before: ``X said: "..."``, after: ``"...," X said`` / ``"...," said X``, both when an
   attribution interrupts the quote), or a full sentence standing alone in a quoting
   paragraph. Short terms inside a sentence with no cue ("special military operation") are
   scare quotes and dropped.
3. A span inside a sentence is kept only when a cue governs it ("said the plan was
   “reckless”"); it is ``mixed`` unless it is a quote of eight words or more with a finite
   verb that ends the sentence, which is ``direct``. Titles ("Wild Rose"), named terms ("the
   so-called “...”", "what X calls “...”") and labels given by a crowd ("soldiers call it “...”")
   are dropped.
4. Indirect quotes are the clausal complements of cue verbs ("X said (that) ...", "X said in a
   statement that ...", "told a briefing that ...", "..., X said", "A, but B, X said",
   "according to X, ...", "in the words of X, ...") that overlap no quoted span and whose
   subject can speak ("reports suggest ..." is not a quote; "declined to say whether" is
   nothing said). "said that X and that Y" gives two rows; a clause never crosses a paragraph
   break (a quote mark can make the parser glue paragraphs together).
5. Speakers are resolved by :mod:`newsflow.enrich.speakers`. A passive cue's agent spoke
   ("– this was stated by X"); "Q quoted X as saying" credits X; a cue inside another cue's
   reported clause ("she added that the ministry had asked ... to explain “...”") keeps the
   outer speaker; "X ... “...”, media reported" credits X; a verb cue beats a phrase cue
   ("according to his spokesperson" only relays). A quote with no cue takes the subject of the
   clause that hands over to it with a colon ("X was more cautious:", "As X put it:", "In the
   words of X:") or of the sentence just before it in its paragraph ("Asked ..., she smiled."),
   else continues the speaker of the quote just before it (same or previous paragraph).

An interrupted quote ("A," he said, "B.") gives two rows with the same speaker and cue. A quote
running over several paragraphs gives one row whose text keeps the inner re-opening marks.
Quote text excludes the outer marks, surrounding spaces and a trailing comma;
``doc.text[start:end] == text``. ``cue`` is the cue verb's lemma with its particle ("say",
"point out", "according to").

Confidence (a heuristic in [0, 1]): a base by type (direct 0.9, mixed 0.75, indirect 0.65) less
a penalty for how the speaker was reached (named 0, short name or anonymous source 0.05,
pronoun 0.1, description or colon hand-over 0.2, continued from the quote before 0.3, no
speaker 0.5), 0.1 more when no cue verb was found, and 0.15 more for an unclosed quote.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsflow.enrich.speakers import (
    ANONYMITY_CUES,
    PERSON_ROLE_NOUNS,
    GazetteerLike,
    Speaker,
    SpeakerResolver,
    speaker_of,
    word_set,
    words_of,
)
from newsflow.records import Entity, Quote

logger = logging.getLogger(__name__)

# Lemmas of verbs that introduce speech, direct or reported.
CUE_LEMMAS = word_set(
    """
    say tell add note warn state claim argue insist stress write explain suggest announce
    report deny confirm admit acknowledge assert allege emphasize emphasise reply respond
    answer ask declare predict estimate reveal recall conclude observe remark comment urge
    caution contend maintain point underline underscore concede complain mention tweet post
    quip promise vow pledge testify recount describe call accuse dismiss reiterate joke scoff
    counter object speak
    """
)
# Cues that only frame a fragment ("called it a “grave provocation”"), never a full quote.
FRAMING_LEMMAS = frozenset({"call", "describe", "dismiss", "accuse"})
# Cues whose complement is reported speech (indirect quotes); "call" and "describe" take none.
# Requests: what the subject asked for is reported, not words the subject said.
REQUEST_LEMMAS = frozenset({"ask", "urge"})
INDIRECT_LEMMAS = CUE_LEMMAS - FRAMING_LEMMAS - REQUEST_LEMMAS - {"post", "speak"}
# Verbs that attribute a full quote beside them ('"...," the expert believes'; "As Choi put it,
# '...'") but report no speech of their own: never cues of indirect speech.
ATTRIBUTION_LEMMAS = frozenset({"believe", "put"})
PERSONAL_PRONOUNS = word_set("i we he she they")
NAMING_VERBS = word_set(
    """
    call calls called calling describe describes described dub dubs dubbed term terms termed
    refer refers referred label labels labelled labeled brand brands branded
    """
)
# A word just before a quoted term that marks it as a name or label, not speech.
TERM_MARKERS = word_set(
    """
    term so-called dubbed word phrase slogan label titled entitled named nicknamed known
    coined
    """
)

SPEECH_MEDIA = word_set(
    """
    statement interview post letter message briefing speech address tweet email note video
    release
    """
)
# Reporters that relay someone else's words ("state media reported", "the agency reported").
# Verbs by which news media relay someone else's words ("state media reported").
RELAYING_LEMMAS = frozenset({"report", "quote", "cite", "carry", "publish", "relay"})
NEWS_MEDIA = word_set("media medium agency newspaper broadcaster television radio outlet daily tv")
# Whom a speaker tells ("told a briefing that ...").
AUDIENCES = word_set("reporters journalists lawmakers briefing audience parliament conference")
# Relations linking a cue to what was said, as labelled by spaCy's English parsers.
REPORTED_DEPS = word_set(
    """
    ccomp xcomp dobj oprd attr acomp prep conj parataxis dative pobj advmod npadvmod
    """
)
DOUBLE_OPEN = "“„"
DOUBLE_CLOSE = "”"
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
OPENERS_CONTEXT = " \t\n([{—–-/" + "“‘«„"
CLOSERS_CONTEXT = " \t\n.,;:!?)]}—–…" + "”’»"
SENTENCE_END = frozenset({".", "?", "!"})
DASHES = frozenset({"—", "–", "-", "--"})
# Titles the tokenizer may split from their full stop ("Col", ".") in '"...," Col. Baek said'.
TITLE_ABBREVIATIONS = frozenset(
    {
        "col",
        "gen",
        "lt",
        "sgt",
        "capt",
        "maj",
        "adm",
        "cmdr",
        "dr",
        "mr",
        "mrs",
        "ms",
        "rep",
        "sen",
        "gov",
        "prof",
        "rev",
        "st",
    }
)
MAX_ATTRIBUTION_TOKENS = 40  # long appositions: "X, a fellow at ... and co-author of ..., said"
MIN_STANDALONE_WORDS = 4
MIXED_MAX_WORDS = 8

OPEN, CLOSE, EITHER = "open", "close", "either"
TITLE_SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "for", "to", "at"})
# Words that follow a closing single quote but never a plural possessive ("rights’ and").
NOT_AFTER_POSSESSIVE = word_set(
    """
    he she they it we i said says added adds told wrote according and or but to in on at for
    as with which that while from by of is was are were after before when because if than so
    then the a an this his her its their over into about warned insisted noted argued
    """
)


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted text between ``start`` and ``end``; the marks sit at ``start - 1`` and ``end``."""

    start: int
    end: int
    closed: bool = True

    @property
    def outer_start(self) -> int:
        return self.start - 1

    @property
    def outer_end(self) -> int:
        return self.end + 1 if self.closed else self.end


# --- quotation marks ---------------------------------------------------------------------------


def _role(text: str, pos: int, typed: str) -> str:
    """Whether a mark opens or closes a quote, from its neighbours, else from its glyph."""
    before = text[pos - 1] if pos > 0 else "\n"
    after = text[pos + 1] if pos + 1 < len(text) else "\n"
    if before == "\n" and after in CLOSERS_CONTEXT:
        return CLOSE  # a stray closing mark at the start of a line ends the last quote
    opens = before in OPENERS_CONTEXT and not after.isspace()
    closes = before not in " \t\n" and after in CLOSERS_CONTEXT
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    return typed


def _possessive(text: str, pos: int) -> bool:
    """``soldiers’ families``: an apostrophe after a plural, not a closing single quote."""
    if pos == 0 or text[pos - 1] not in "sS" or pos + 2 >= len(text):
        return False
    if text[pos + 1] != " " or not text[pos + 2].islower():
        return False
    word = re.match(r"[a-z]+", text[pos + 2 :])
    return word is not None and word.group(0) not in NOT_AFTER_POSSESSIVE


def _marks(text: str, family: str) -> list[tuple[int, str]]:
    marks: list[tuple[int, str]] = []
    for match in re.finditer(_FAMILY_PATTERNS[family], text):
        pos, ch = match.start(), match.group(0)
        if family == "double":
            typed = OPEN if ch in DOUBLE_OPEN else CLOSE if ch in DOUBLE_CLOSE else EITHER
            marks.append((pos, _role(text, pos, typed)))
        elif family == "guillemet":
            marks.append((pos, OPEN if ch == "«" else CLOSE))
        else:
            before = text[pos - 1] if pos > 0 else "\n"
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe: it's, Russia’s
            typed = OPEN if ch == SINGLE_OPEN else CLOSE if ch == SINGLE_CLOSE else EITHER
            role = _role(text, pos, typed)
            if ch == "'" and role == EITHER:
                continue
            if role == CLOSE and _possessive(text, pos):
                continue
            if role == CLOSE and not before.isalnum() and before not in ".,!?;:":
                continue
            marks.append((pos, role))
    return marks


_FAMILY_PATTERNS = {
    "double": r"[\"“”„]",
    "single": r"['‘’]",
    "guillemet": r"[«»]",
}


def _pair(text: str, marks: list[tuple[int, str]]) -> list[QuoteSpan]:
    """Pair the marks of one family, paragraph by paragraph, tolerating stray marks."""
    spans: list[QuoteSpan] = []
    events = sorted(marks + [(m.start(), "break") for m in re.finditer(r"\n", text)])
    open_at: int | None = None
    pending_break: int | None = None  # first paragraph end inside the open quote
    for pos, role in events:
        if open_at is None:
            if role in (OPEN, EITHER):
                open_at = pos
            continue
        if role == "break":
            if pending_break is None:
                pending_break = pos
            elif text[pending_break:pos].strip():
                # Two paragraph ends with no mark: the quote was never closed.
                spans.append(QuoteSpan(open_at + 1, pending_break, closed=False))
                open_at, pending_break = None, None
            continue
        if pending_break is not None:
            at_paragraph_start = not text[pending_break:pos].strip()
            if role == OPEN and at_paragraph_start:
                pending_break = None  # the quote goes on into this paragraph
                continue
            if role == OPEN:
                spans.append(QuoteSpan(open_at + 1, pending_break, closed=False))
                open_at, pending_break = pos, None
                continue
            spans.append(QuoteSpan(open_at + 1, pos))
            open_at, pending_break = None, None
            continue
        if role == OPEN:
            open_at = pos  # the earlier opening mark was stray
            continue
        spans.append(QuoteSpan(open_at + 1, pos))
        open_at = None
    if open_at is not None:
        end = pending_break if pending_break is not None else len(text)
        spans.append(QuoteSpan(open_at + 1, end, closed=False))
    return [s for s in spans if text[s.start : s.end].strip()]


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All outermost quoted spans of ``text``, in order; nested quotes stay inside their host."""
    spans: list[QuoteSpan] = []
    for family in ("double", "guillemet", "single"):
        spans.extend(_pair(text, _marks(text, family)))
    spans.sort(key=lambda s: (s.start, -s.end))
    outer: list[QuoteSpan] = []
    for span in spans:
        if outer and span.outer_start < outer[-1].outer_end:
            continue  # inside (or tangled with) an earlier span: a quote within a quote
        outer.append(span)
    return outer


# --- classification ----------------------------------------------------------------------------


@dataclass
class _Candidate:
    span: QuoteSpan
    kind: str
    cue: Token | None
    speaker_head: Token | None
    anonymous: bool
    sentence_like: bool


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _phrase_cue(token: Token) -> bool:
    """ "according to X", "in the words of X": a cue that is no verb."""
    return (token.lower_ == "according" and _is_cue(token)) or words_of(token)


def _is_cue(token: Token) -> bool:
    if words_of(token):
        return True
    if token.lower_ == "according":
        return any(child.lower_ == "to" for child in token.children) or (
            token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
        )
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma == "put":
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children)
    if lemma == "add" and any(c.dep_ == "dobj" and c.pos_ == "NOUN" for c in token.children):
        return False  # "to add two shipping companies to its list": adding things, not words
    return lemma in CUE_LEMMAS or lemma in ATTRIBUTION_LEMMAS


def _cue_name(token: Token) -> str:
    if token.lower_ == "according":
        return "according to"
    if words_of(token):
        return "in the words of"
    particles = [c.lower_ for c in token.children if c.dep_ == "prt"]
    return " ".join([token.lemma_.lower(), *particles])


def _cue_before(
    doc: Doc, span: QuoteSpan, quote_marks: set[int], embedded: bool = False
) -> Token | None:
    """The nearest cue verb before the opening mark in the same sentence.

    The search stops at another quote's marks, except for a fragment inside a sentence
    ('said the contact was "minimal" and that he had "gone looking for it"').
    """
    text = doc.text
    first = _tokens(doc, span.outer_start, span.outer_start + 1)
    if first is None:
        return None
    before = text[: span.outer_start].rstrip()
    crosses_colon = before.endswith(":")
    steps = 0
    i = first.start - 1
    while i >= 0 and steps < MAX_ATTRIBUTION_TOKENS:
        token = doc[i]
        # A paragraph break ends the search, unless it follows "X said:".
        if "\n" in token.text_with_ws and not (crosses_colon and token.text in (":", "\n")):
            break
        if token.text in SENTENCE_END or (token.idx in quote_marks and not embedded):
            break
        if _is_cue(token) and speaker_of(token) is not None:
            return token
        i -= 1
        steps += 1
    return None


def _cue_after(doc: Doc, span: QuoteSpan, quote_marks: set[int]) -> Token | None:
    """The first cue verb after the closing mark, before the sentence ends."""
    if not span.closed:
        return None
    last = _tokens(doc, span.end, span.outer_end)
    if last is None:
        return None
    steps = 0
    i = last.end
    while i < len(doc) and steps < MAX_ATTRIBUTION_TOKENS:
        token = doc[i]
        abbreviation = (
            token.text == "."
            and not doc[i - 1].whitespace_
            and doc[i - 1].lower_ in TITLE_ABBREVIATIONS
        )
        if token.idx in quote_marks or (token.text in SENTENCE_END and not abbreviation):
            break
        if _is_cue(token) and speaker_of(token) is not None:
            return token
        if "\n" in token.text_with_ws:
            break
        i += 1
        steps += 1
    return None


def _distance(doc: Doc, cue: Token, span: QuoteSpan) -> int:
    if cue.idx < span.outer_start:
        return len(doc.text[cue.idx : span.outer_start].split())
    return len(doc.text[span.outer_end : cue.idx].split())


def _embedded(text: str, span: QuoteSpan) -> bool:
    """Whether the quote continues a clause ("said it is “looking ..."), not after , : or start."""
    before = text[: span.outer_start].rstrip(" \t")
    return bool(before) and (before[-1].isalnum() or before[-1] in "%)")


def _governed_by(cue: Token, content: Span) -> bool:
    """The quoted fragment sits in the cue's reported clause (or its object: "called the plan
    “reckless”"), not in its subject or a modifier ("citing laws that punish “discrediting”")."""
    token = next((t for t in content if not t.is_punct and not t.is_space), None)
    if token is None:
        return False
    if _phrase_cue(cue):
        # "In the words of one agent, the corridor is “...”": the phrase frames its sentence.
        anchor = cue.head if words_of(cue) else cue
        return token.sent == cue.sent and token not in set(anchor.subtree)
    left = cue.left_edge
    trailing = (
        cue.dep_ == "conj"
        and token.i < cue.i
        and left.i > 0
        and cue.doc[left.i - 1].text == ","
        and not any(c.dep_ == "cc" for c in cue.head.children if c.i < cue.i)
    )
    if (
        (cue.dep_ == "parataxis" or trailing)
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
        and token in set(cue.head.subtree)
        and token not in set(cue.subtree)
    ):
        # "Such a move, he warned, would hand them “...”" / "A ban would “...” trade, the
        # minister said" (parsed as a conjunct): the cue reports the clause it interrupts or
        # closes.
        return True
    node = token
    while node.head.i != node.i:
        if node.head.i == cue.i:
            return node.dep_ in REPORTED_DEPS or _that_clause(node)
        node = node.head
    return False


def _that_clause(token: Token) -> bool:
    """ "said only that it is ...": a clause the parser hung as advcl, marked by "that"."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in token.children
    )


def _words(content: Span) -> list[Token]:
    return [t for t in content if not t.is_punct and not t.is_space]


def _finite(content: Span) -> bool:
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in content)


def _has_verb(content: Span) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in content)


def _term_marked(doc: Doc, span: QuoteSpan) -> bool:
    """A quoted name or label: "the term “...”", "so-called “...”", "what X calls a “...”"."""
    words = re.findall(r"[\w-]+", doc.text[max(0, span.outer_start - 60) : span.outer_start])
    words = [w.lower() for w in words]
    if words and words[-1] in ("a", "an", "the", "its", "their", "his", "her", "this"):
        words = words[:-1]
    if not words:
        return False
    if words[-1] in TERM_MARKERS:
        return True
    recent = words[-5:]
    if "what" not in recent or not any(w in NAMING_VERBS for w in recent):
        return False
    # "what one official called “...”": someone's words, not a name for a thing; after a
    # pronoun ("what she calls ‘currency it can print’") only a phrase of some length is, a
    # short one is a label ("what he called an “information war”").
    between = recent[recent.index("what") + 1 :]
    long_phrase = len(doc.text[span.start : span.end].split()) >= MIN_STANDALONE_WORDS
    pronoun = long_phrase and any(w in PERSONAL_PRONOUNS for w in between)
    return not (pronoun or any(w in PERSON_ROLE_NOUNS for w in between))


def _title_like(words: list[Token]) -> bool:
    """ "Wild Rose", "Master Builder Series": a title or name in quotes, not speech."""
    if len(words) > 5:
        return False
    content = [w for w in words if w.lower_ not in TITLE_SMALL_WORDS]
    return bool(content) and all(w.text[:1].isupper() for w in content)


def _classify(doc: Doc, span: QuoteSpan, quote_marks: set[int]) -> _Candidate | None:
    content = _tokens(doc, span.start, span.end)
    if content is None:
        return None
    words = _words(content)
    if not words:
        return None
    text = doc.text
    embedded = _embedded(text, span)
    before = _cue_before(doc, span, quote_marks, embedded)
    after = _cue_after(doc, span, quote_marks)
    cues = [c for c in (before, after) if c is not None]
    if embedded:
        # A fragment belongs to the cue whose reported clause holds it.
        cues = [c for c in cues if _governed_by(c, content)]
    # 'Yoon described it as “...”, according to his spokesperson': the speech verb's subject
    # said it; the phrase names who relayed it.
    cue = min(cues, key=lambda c: (_phrase_cue(c), _distance(doc, c, span))) if cues else None
    if embedded and cue is not None:
        cue = _outer_cue(cue)
    sentence_like = (
        _has_verb(content)
        and (
            len(words) >= MIN_STANDALONE_WORDS
            # A short full sentence ("We hear them.") is speech too; a short term is not.
            or (
                len(words) >= 2
                and words[0].text[:1].isupper()
                and doc.text[span.start : span.end].rstrip()[-1:] in (".?!")
            )
        )
    )
    anonymous = bool(ANONYMITY_CUES.search(_sentence_text(doc, span)))
    if embedded:
        if cue is None or _term_marked(doc, span) or _title_like(words):
            return None
        # A long quote that runs to the end of the sentence is direct speech woven into the
        # attribution ('said it is “looking into the reports, ... true.”'); else a fragment.
        closes_sentence = doc.text[span.start : span.end].rstrip()[-1:] in (".?!")
        if (
            cue.lemma_.lower() not in FRAMING_LEMMAS
            and len(words) >= MIXED_MAX_WORDS
            and closes_sentence
            and _finite(content)
        ):
            kind = "direct"
        else:
            kind = "mixed"
        head = _relayed_source(cue, content) or speaker_of(cue)
        return _Candidate(span, kind, cue, head, anonymous, sentence_like)
    if cue is not None and cue.lemma_.lower() in FRAMING_LEMMAS:
        return None
    if cue is None and not sentence_like:
        return None  # a title or term standing alone, not speech
    if cue is not None and not sentence_like and len(words) < 2 and not span.closed:
        return None
    return _Candidate(
        span,
        "direct",
        cue,
        speaker_of(cue) if cue is not None else None,
        anonymous,
        sentence_like,
    )


def _relayed_source(cue: Token, content: Span) -> Token | None:
    """'Kim sent a letter praising the “...”, state media reported': news media relay what
    the subject of the reported clause said, when the fragment sits in that clause."""
    reporter = speaker_of(cue)
    if reporter is None or reporter.lemma_.lower() not in NEWS_MEDIA:
        return None
    if cue.lemma_.lower() not in RELAYING_LEMMAS:
        return None  # "KCNA ... said Seoul would 'pay dearly'": the agency's own words
    if reporter.lemma_.lower() == "agency" and not any(
        c.lower_ in ("news", "state") for c in reporter.children
    ):
        return None  # "the military intelligence agency said": a source, not a news agency
    first = next((t for t in content if not t.is_punct and not t.is_space), None)
    for clause in cue.children:
        if clause.dep_ != "ccomp" or first is None or first not in set(clause.subtree):
            continue
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and (
            subject.ent_type_ in ("PERSON", "ORG") or subject.pos_ == "PROPN"
        ):
            return subject
    return None


def _outer_cue(cue: Token) -> Token:
    """ "Seo added that the ministry had asked the embassy to explain “...”": a cue inside the
    reported clause of another cue is part of what that speaker reported."""
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"]
    framing = cue.lemma_.lower() in FRAMING_LEMMAS
    person = any(s.ent_type_ == "PERSON" for s in subjects)
    if _phrase_cue(cue) or (subjects and (framing or person)):
        # "what one official called “...”": a framing cue has its own speaker, and so has a
        # named person ("Kim said Putin had promised “...”"). Other cues in a reported clause
        # ("Song replied that the military had confirmed “...”", "added that the ministry had
        # asked groups to wait “...”") relay the outer speaker's words; a pronoun subject
        # ("the ministry said that it had answered “...”") is that speaker.
        return cue
    node, crossed = cue, False
    while node.head.i != node.i:
        crossed = crossed or node.dep_ == "ccomp" or _that_clause(node)
        node = node.head
        if "\n" in cue.doc.text[min(node.idx, cue.idx) : max(node.idx, cue.idx)]:
            break  # the parser joined two paragraphs
        if (
            crossed
            and _is_cue(node)
            and node.lemma_.lower() in INDIRECT_LEMMAS
            and speaker_of(node) is not None
        ):
            return node
    return cue


def _sentence_text(doc: Doc, span: QuoteSpan) -> str:
    """The text around the quote up to the sentence ends on both sides (for anonymity cues)."""
    text = doc.text
    left = max(text.rfind(".", 0, span.outer_start), text.rfind("\n", 0, span.outer_start))
    right_candidates = [
        p for p in (text.find(".", span.outer_end), text.find("\n", span.outer_end)) if p >= 0
    ]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : span.outer_start] + " " + text[span.outer_end : right]


# --- indirect quotes ---------------------------------------------------------------------------


def _reported_clause(cue: Token) -> Span | None:
    doc = cue.doc
    if _phrase_cue(cue):
        anchor = cue.head if words_of(cue) else cue  # "In" of "In the words of"
        head = anchor.head
        if head.i == anchor.i:
            return None
        phrase = sorted(t.i for t in anchor.subtree)
        sent = head.sent
        if any(not t.is_punct and not t.is_space for t in sent if t.i < phrase[0]):
            # "Hospitals were not affected, according to the department, because ...": the
            # report is what comes before the attribution.
            tokens = [t for t in sent if t.i < phrase[0]]
        else:
            tokens = [t for t in sent if t.i > phrase[-1]]
        while tokens and (tokens[0].is_punct or tokens[0].is_space):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens = tokens[:-1]
        if len(tokens) < 3:
            return None
        return doc[tokens[0].i : tokens[-1].i + 1]
    clauses = [c for c in cue.children if c.dep_ == "ccomp" or _that_clause(c)]
    if not clauses:
        # "said in a statement that ...": the parser hangs the clause on the statement.
        clauses = [
            clause
            for prep in cue.children
            if prep.dep_ == "prep" and prep.lower_ in ("in", "on")
            for medium in prep.children
            if medium.lemma_.lower() in SPEECH_MEDIA
            for clause in medium.children
            if (
                clause.dep_ in ("acl", "relcl", "ccomp")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
            )
            or _content_relcl(clause)
        ]
    if not clauses:
        # "told a briefing that Seoul had lodged a protest": a content clause the parser took
        # for a relative clause of the audience (its "that" is no argument: the clause has its
        # own subject and object).
        clauses = [
            clause
            for obj in cue.children
            if obj.dep_ in ("dobj", "dative") and obj.lemma_.lower() in SPEECH_MEDIA | AUDIENCES
            for clause in obj.children
            if _content_relcl(clause)
        ]
    paragraph_start = doc.text.rfind("\n", 0, cue.idx) + 1
    # A quote mark can glue the paragraph before onto the cue's sentence: its own clause wins.
    clauses = [c for c in clauses if c.idx >= paragraph_start] or clauses
    inverted = _inverted_clause(cue) if clauses and clauses[0].i < cue.i else None
    if inverted is not None:
        # "A, but B, the ministry said": the report is all of the sentence before the comma.
        start, end = inverted
        clause_start = -1
    elif clauses:
        start, end = clauses[0].left_edge.i, clauses[0].right_edge.i + 1
        clause_start = start
    elif cue.dep_ == "parataxis" and cue.head.pos_ in ("VERB", "AUX") and cue.head.i < cue.i:
        # "This data could be used ..., he said, ...": the report is the clause before the cue.
        start, end = cue.head.left_edge.i, cue.left_edge.i
        clause_start = -1
    elif (inverted := _inverted_clause(cue)) is not None and not clauses:
        start, end = inverted
        clause_start = -1
    else:
        return None
    # A clause never runs over a paragraph break (a headline or the paragraph before).
    paragraph_end = doc.text.find("\n", cue.idx)
    while start < end and doc[start].idx < paragraph_start:
        start += 1
    while end > start and paragraph_end >= 0 and doc[end - 1].idx >= paragraph_end:
        end -= 1
    if start + 1 < end and doc[start].is_upper and doc[start + 1].text in DASHES:
        start += 2  # "ODESA — ...": the dateline is not part of the report
    while start < end and (
        (doc[start].lower_ == "that" and (doc[start].dep_ == "mark" or start == clause_start))
        or doc[start].is_punct
        or doc[start].is_space
    ):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start < 3:
        return None
    return doc[start:end]


def _content_relcl(clause: Token) -> bool:
    """A "that" clause the parser took for a relative clause although it lacks no argument:
    its own subject and object are there ("a briefing that Pyongyang had sent workers")."""
    return (
        clause.dep_ == "relcl"
        and clause.left_edge.lower_ == "that"
        and any(c.dep_ == "nsubj" and c.lower_ != "that" for c in clause.children)
        and any(c.dep_ == "dobj" and c.lower_ != "that" for c in clause.children)
    )


def _inverted_clause(cue: Token) -> tuple[int, int] | None:
    """ "Talks stalled again, the ministry said in a statement.": the report is everything
    before the comma that precedes the cue's subject, when the parser did not link the two."""
    doc = cue.doc
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children):
        return None
    comma = subjects[-1].left_edge.i - 1
    if comma < 1 or doc[comma].text != ",":
        return None
    paragraph_start = doc.text.rfind("\n", 0, cue.idx) + 1
    start = comma
    stops = {*SENTENCE_END, "\n"}
    while start > 0 and doc[start - 1].idx >= paragraph_start and doc[start - 1].text not in stops:
        start -= 1
    if start + 1 < comma and doc[start].is_upper and doc[start + 1].text in DASHES:
        start += 2
    tokens = doc[start:comma]
    if not tokens or tokens[0].dep_ == "mark" or tokens[0].pos_ == "SCONJ":
        return None  # "After the talks ended, X said": a time, not a report
    if not any(t.tag_ in ("VBD", "VBZ", "VBP", "VBN", "MD") for t in tokens):
        return None
    return start, comma


def _that_clauses(clause: Span) -> list[Span]:
    """ "said that X and that Y": each "that" clause is a report of its own."""
    doc = clause.doc
    cuts = [
        t.i
        for t in clause
        if t.lower_ == "that"
        and t.dep_ == "mark"
        and t.head.dep_ == "conj"
        and t.i > clause.start
        and doc[t.i - 1].dep_ == "cc"
    ]
    if not cuts:
        return [clause]
    parts = []
    start = clause.start
    for cut in [*cuts, clause.end + 1]:
        end = cut - 1  # before "and"
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if end - start >= 3:
            parts.append(doc[start:end])
        start = cut + 1  # after "that"
    return parts or [clause]


def _not_said(cue: Token) -> bool:
    """ "declined to say whether", "did not say", "Asked whether": nothing was reported."""
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    if cue.dep_ == "xcomp" and cue.head.lemma_.lower() in ("decline", "refuse", "fail", "want"):
        return True
    clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    return clause is not None and any(
        c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children
    )


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


# --- assembly ------------------------------------------------------------------------------------


def _confidence(kind: str, speaker: Speaker, closed: bool, has_cue: bool) -> float:
    base = {"direct": 0.9, "mixed": 0.75, "indirect": 0.65}[kind]
    penalty = {
        "named": 0.0,
        "short_name": 0.05,
        "anonymous": 0.05,
        "pronoun": 0.1,
        "description": 0.2,
        "inherited": 0.3,
        "unknown": 0.5,
    }.get(speaker.via, 0.5)
    score = base - penalty
    if not closed:
        score -= 0.15
    if not has_cue and speaker.via != "inherited":
        score -= 0.1
    return round(max(0.05, min(1.0, score)), 2)


def _quote_text_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


PARAGRAPH_BREAK = re.compile(r"\n\s*")


def _paragraph_of(text: str, pos: int) -> int:
    """Index of the paragraph holding ``pos``: a blank line between paragraphs is one break,
    not two."""
    return len(PARAGRAPH_BREAK.findall(text, 0, pos))


def find_quotes(
    doc: Doc, entities: list[Entity], article_id: str, gazetteer: GazetteerLike | None
) -> list[Quote]:
    """Direct, mixed and indirect quotes of one parsed article, in text order."""
    text = doc.text
    spans = find_quote_spans(text)
    quote_marks = {s.outer_start for s in spans} | {s.end for s in spans if s.closed}
    candidates = [c for s in spans if (c := _classify(doc, s, quote_marks)) is not None]
    quoted = [(s.outer_start, s.outer_end) for s in spans]

    indirect: list[tuple[Token, Span]] = []
    for token in doc:
        if not (_is_cue(token) and (_phrase_cue(token) or token.lemma_.lower() in INDIRECT_LEMMAS)):
            continue
        if _overlaps(token.idx, token.idx + len(token), quoted) or _not_said(token):
            continue  # a cue inside a quote is the speaker's own words
        clause = _reported_clause(token)
        if clause is None:
            continue
        # "said X and that Y “...”": the unquoted part is still a report of its own.
        indirect.extend(
            (token, part)
            for part in _that_clauses(clause)
            if not _overlaps(part.start_char, part.end_char, quoted)
        )
    # Reported speech inside reported speech belongs to the outer quote.
    indirect = [
        (cue, clause)
        for cue, clause in indirect
        if not any(o.start <= cue.i < o.end for other, o in indirect if other is not cue)
    ]

    resolver = SpeakerResolver(doc, entities, gazetteer, quoted)
    # Named speakers first, so pronouns and descriptions can point back to any of them.
    heads = [c.speaker_head for c in candidates] + [speaker_of(t) for t, _ in indirect]
    order = sorted((h for h in heads if h is not None), key=lambda h: (_needs_antecedent(h), h.i))
    resolved: dict[int, Speaker] = {}
    for head in order:
        if head.i not in resolved:
            resolved[head.i] = resolver.resolve(head)

    quotes: list[Quote] = []
    for cue, clause in indirect:
        head = speaker_of(cue)
        speaker = resolved.get(head.i) if head is not None else None
        if speaker is None or (speaker.type == "unknown" and speaker.canonical is None):
            continue  # "reports suggest ...": not a speaker
        quotes.append(
            _make_quote(
                article_id,
                text,
                clause.start_char,
                clause.end_char,
                "indirect",
                cue,
                speaker,
                _confidence("indirect", speaker, True, True),
            )
        )

    for cand in candidates:
        speaker = resolved.get(cand.speaker_head.i) if cand.speaker_head is not None else None
        if speaker is None or (speaker.canonical is None and speaker.type == "unknown"):
            if cand.anonymous and (cand.cue is not None or speaker is not None):
                speaker = Speaker(None, "anonymous", via="anonymous")
            elif cand.cue is None:
                speaker = (
                    _introduced_by(doc, cand.span, resolver, quoted)
                    or _continued_from(text, cand.span, quotes)
                    or Speaker(None, "unknown")
                )
            else:
                speaker = speaker or Speaker(None, "unknown")
        if (
            speaker.type != "anonymous"
            and cand.anonymous
            and speaker.via in ("unknown", "description")
        ):
            speaker = Speaker(
                None, "anonymous", speaker.text, speaker.start, speaker.end, via="anonymous"
            )
        if _label_not_quote(cand, speaker):
            continue
        start, end = _quote_text_bounds(text, cand.span.start, cand.span.end)
        quotes.append(
            _make_quote(
                article_id,
                text,
                start,
                end,
                cand.kind,
                cand.cue,
                speaker,
                _confidence(cand.kind, speaker, cand.span.closed, cand.cue is not None),
            )
        )

    quotes.sort(key=lambda q: (q.start, q.end))
    logger.debug("article %s: %d quotes", article_id, len(quotes))
    return quotes


def _label_not_quote(cand: _Candidate, speaker: Speaker) -> bool:
    """ "soldiers call the tactic “meat assaults”": a name given by a crowd, not a quote."""
    if cand.cue is None or cand.cue.lemma_.lower() not in FRAMING_LEMMAS:
        return False
    if speaker.type == "unknown":
        return True
    head = cand.speaker_head
    return (
        speaker.canonical is None
        and head is not None
        and head.tag_ in ("NNS", "NNPS")
        and (not any(c.dep_ == "det" for c in head.children))
    )


def _introduced_by(
    doc: Doc, span: QuoteSpan, resolver: SpeakerResolver, quoted: Sequence[tuple[int, int]]
) -> Speaker | None:
    """A quote with no cue handed over by the clause before it, in the same paragraph:
    'Laura Brennan put the question directly: "..."', 'As X put it: "..."', 'In the words of X:
    "..."' (a colon), or 'Asked whether ..., she smiled. "..."' (a sentence about a person)."""
    text = doc.text
    before = text[: span.outer_start].rstrip()
    paragraph_start = text.rfind("\n", 0, len(before)) + 1
    if before.endswith(":"):
        end = len(before) - 1
        colon = True
    elif before[-1:] in SENTENCE_END:
        end = len(before) - 1
        colon = False
    else:
        return None
    start = max(paragraph_start, *(before.rfind(p, 0, end) + 1 for p in SENTENCE_END))
    if start >= end or _overlaps(start, end, quoted):
        return None
    tokens = [t for t in doc if start <= t.idx < end and not t.is_space]
    head = _words_of(tokens) or _segment_subject(tokens, start, end)
    if head is None:
        return None
    named = [t for t in head.subtree if t.ent_type_ in ("PERSON", "ORG")]
    role = head.lemma_.lower() in PERSON_ROLE_NOUNS
    if not (named or role or head.pos_ in ("PRON", "PROPN") or resolver.introduces(head)):
        return None
    speaker = resolver.resolve(head)
    if speaker.type == "anonymous":
        # "As one engineer put it: ...": an unnamed source, never the speaker before.
        return Speaker(None, "anonymous", speaker.text, speaker.start, speaker.end, via="anonymous")
    if speaker.canonical is None or (not colon and speaker.type != "person"):
        return None
    return Speaker(
        speaker.canonical,
        speaker.type,
        speaker.text,
        speaker.start,
        speaker.end,
        speaker.country,
        via="description",
    )


def _words_of(tokens: list[Token]) -> Token | None:
    """ "In the words of X": X."""
    for token in tokens:
        if token.lower_ == "words" and any(c.lower_ == "the" for c in token.children):
            for prep in token.children:
                if prep.lower_ == "of":
                    return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def _segment_subject(tokens: list[Token], start: int, end: int) -> Token | None:
    """The main subject of a stretch of text: the subject nearest its top verb."""

    def depth(token: Token) -> int:
        steps = 0
        while token.head.i != token.i and start <= token.head.idx < end:
            token, steps = token.head, steps + 1
        return steps

    subjects = [
        t
        for t in tokens
        if t.dep_ in ("nsubj", "nsubjpass")
        and start <= t.head.idx < end
        and t.lower_ not in ("who", "which", "that")  # a relative clause's, not the segment's
    ]
    if subjects:
        return min(subjects, key=lambda t: (depth(t), t.i))
    # The parser joined the segment to a heading before it ("13:48 GMT – From our
    # correspondent\n\nOur correspondent X sends this:"): the noun phrase opening the segment,
    # hung on the heading, is the subject of the segment's verb.
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux"]
    if not verbs or start <= verbs[0].head.idx < end:
        return None
    return next(
        (
            t
            for t in tokens
            if t.i < verbs[0].i and t.pos_ in ("NOUN", "PROPN") and not start <= t.head.idx < end
        ),
        None,
    )


def _continued_from(text: str, span: QuoteSpan, quotes: Sequence[Quote]) -> Speaker | None:
    """A quote standing alone right after another quote, direct or reported, in the same or
    the previous paragraph continues that speaker."""
    earlier = [q for q in quotes if q.end <= span.outer_start and q.speaker_type != "unknown"]
    if not earlier:
        return None
    last = max(earlier, key=lambda q: q.end)
    gap = _paragraph_of(text, span.start) - _paragraph_of(text, last.end)
    if gap > 1:
        return None
    if last.cue == "ask" or (gap == 1 and last.text.rstrip().endswith("?")):
        return None  # an answer to someone's question is not the asker's
    return Speaker(last.speaker, last.speaker_type, country=last.speaker_country, via="inherited")


def _needs_antecedent(head: Token) -> bool:
    """Pronouns, bare surnames ("Kim said") and "the <role>" descriptions are resolved after
    every full name, in text order, so each sees the speakers just before it."""
    bare_name = (
        head.pos_ == "PROPN"
        and not any(c.dep_ in ("compound", "flat") for c in head.children)
        and head.dep_ != "compound"
    )
    return (
        head.pos_ == "PRON"
        or bare_name
        or (
            any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
            and head.ent_type_ == ""
        )
    )


def _make_quote(
    article_id: str,
    text: str,
    start: int,
    end: int,
    kind: str,
    cue: Token | None,
    speaker: Speaker,
    confidence: float,
) -> Quote:
    return Quote(
        article_id=article_id,
        start=start,
        end=end,
        text=text[start:end],
        type=kind,  # type: ignore[arg-type]
        cue=_cue_name(cue) if cue is not None else None,
        speaker=speaker.canonical,
        speaker_text=speaker.text,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        speaker_type=speaker.type,
        speaker_country=speaker.country,
        confidence=confidence,
    )
