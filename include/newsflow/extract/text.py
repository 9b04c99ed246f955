"""Clean scraped article text: captions and agency credits out, broken lines rejoined.

Scraped text (copied from a browser or a naive HTML-to-text tool) carries the page around the
article: photo captions glued to the next paragraph with the agency credit between them, lines
broken inside a sentence or a quotation, page furniture, and the headline with its standfirst
repeated after the article. Each rule below is a small function so it can be tested alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Agencies and photo sources that credit a picture, alone or combined ("Reuters-Yonhap").
_AGENCY = (
    r"(?:Yonhap|Reuters|AP|AFP|EPA|UPI|Xinhua|KCNA|Kyodo|Bloomberg|Getty\s+Images|Newsis|"
    r"News1|NEWS1|TASS|Sputnik|Anadolu|dpa|ANSA|Korea\s+Times(?:\s+(?:file|photo))?|"
    r"Joint\s+Press\s+Corps|Presidential\s+Office|Ministry\s+of\s+\w+(?:\s+\w+)?)"
)
CREDIT = (
    rf"(?:{_AGENCY}(?:\s*[-/]\s*{_AGENCY})*"
    rf"|(?:Courtesy|Photo)\s+(?:of|by)\s+[A-Z][\w.&' -]{{1,40}}?)"
)
_CREDIT_LINE = re.compile(rf"^\s*(?:\(?\s*{CREDIT}\s*\)?)\s*$")
# A caption sentence at the start of a line, directly followed by a credit, then the body.
_CAPTION_THEN_CREDIT = re.compile(
    rf"^(?P<caption>.{{15,500}}?[.!?)])\s+\(?(?P<credit>{CREDIT})\)?(?:\s+(?P<rest>\S.*))?$",
    re.DOTALL,
)
_LEADING_CREDIT = re.compile(rf"^\(?(?P<credit>{CREDIT})\)?\s+(?P<rest>[A-Z\"“'‘].*)$", re.DOTALL)

# What makes a sentence a photo caption rather than prose.
_PHOTO_WORDS = re.compile(
    r"\b(?:(?:this|the|a|file)\s+photo|photos?\s+(?:shows?|taken|provided|released)|pictured|"
    r"in\s+this\s+(?:photo|picture|image|file\s+photo)|photo\s+(?:carried|released|provided)|"
    r"carried\s+by|poses?\s+for\s+(?:a\s+)?(?:photo|picture)s?|image\s+shows?)\b",
    re.IGNORECASE,
)
_POSITION = re.compile(
    r",\s+(?:(?:second|third)\s+from\s+)?(?:left|right|center|centre|front|rear|top|bottom)"
    r"(?:\s+(?:row|front))?\s*,|\((?:left|right|center|centre)\)",
    re.IGNORECASE,
)
_PHOTO_ACTION = re.compile(
    r"\b(?:smile|smiles|pose|poses|wave|waves|gesture|gestures|shake\s+hands|shakes\s+hands|"
    r"looks?\s+on|are\s+seen|is\s+seen|attend|attends|visit|visits|inspect|inspects|walk|walks)\b",
    re.IGNORECASE,
)
_DATED_END = re.compile(
    r"\b(?:Jan|Feb|March|April|May|June|July|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?"
    r"\s*[.)]?$"
)

# Short lines that are page furniture, not article text.
FURNITURE = frozenset(
    s.casefold()
    for s in (
        "Top",
        "Back to top",
        "Go to top",
        "Advertisement",
        "ADVERTISEMENT",
        "Share",
        "Print",
        "Email",
        "Tweet",
        "Comments",
        "Related articles",
        "Related Articles",
        "Read more",
        "Subscribe",
        "Close",
        "Menu",
        "Skip to content",
        "Sponsored",
        "Most popular",
        "Share this article",
        "Copy link",
        "Listen to this article",
    )
)

_CLOSING_QUOTES = "\"”’'"
_LONE_CLOSING_QUOTE = re.compile(r"^(?P<quote>[\"”’])(?P<punct>[.,;:!?]*)(?:\s+(?P<rest>.*))?$")
_NAME_WORD = r"[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
_BYLINE = re.compile(
    rf"(?:^|(?<=\s))By\s+(?P<names>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
    rf"(?:\s*(?:,|and|&)\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})*)"
)
_TERMINAL = tuple(".!?" + _CLOSING_QUOTES + ")")
# A line ending in one of these words stops mid-sentence, whatever starts the next line.
_DANGLING = re.compile(
    r"\s(?:a|an|the|of|on|in|at|to|for|from|with|by|and|or|but|that|as|than|into|about)$"
)


@dataclass
class CleanText:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    standfirst: str | None = None  # the deck before the byline; a summary, not body text


def is_caption(sentence: str) -> bool:
    """Whether a sentence describes a photo (as opposed to reporting something)."""
    if _PHOTO_WORDS.search(sentence) or _POSITION.search(sentence):
        return True
    return bool(_PHOTO_ACTION.search(sentence) and _DATED_END.search(sentence.strip()))


def drop_furniture(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip().casefold() not in FURNITURE]


def rejoin_lines(lines: list[str]) -> list[str]:
    """Undo line breaks inside a sentence or a quotation.

    A line that starts with a lone closing quote mark gives the mark (and its punctuation) back
    to the line before; a line starting with a hyphenated continuation ("-led") or a lowercase
    word continues the line before.
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out:
            quote = _LONE_CLOSING_QUOTE.match(line)
            if quote:
                punct = quote["punct"]
                if punct and out[-1].endswith(tuple(punct[:1])):
                    punct = punct[1:]  # 'serious.' + '".' -> 'serious."', not 'serious.".'
                out[-1] += quote["quote"] + punct
                line = (quote["rest"] or "").strip()
                if not line:
                    continue
            elif re.match(r"^-\w", line):
                out[-1] += line
                continue
            elif not out[-1].endswith(_TERMINAL) and (
                line[:1].islower() or _DANGLING.search(out[-1])
            ):
                out[-1] += " " + line
                continue
        out.append(line)
    return out


def split_captions(lines: list[str]) -> tuple[list[str], list[str]]:
    """Move photo captions and their credits out of the text: (lines, captions)."""
    body: list[str] = []
    captions: list[str] = []
    pending: str | None = None  # a caption line still waiting for its credit on the next line
    for line in lines:
        if pending is not None:
            lead = _LEADING_CREDIT.match(line)
            if lead or _CREDIT_LINE.match(line):
                credit = lead["credit"] if lead else line.strip(" ()")
                captions.append(f"{pending} {credit}")
                pending = None
                if not lead:
                    continue
                line = lead["rest"]
            else:
                body.append(pending)
                pending = None
        if _CREDIT_LINE.match(line):
            if captions:
                captions[-1] = f"{captions[-1]} {line.strip(' ()')}"
            continue
        match = _CAPTION_THEN_CREDIT.match(line)
        if match and is_caption(match["caption"]):
            captions.append(f"{match['caption']} {match['credit']}")
            if match["rest"]:
                body.append(match["rest"])
            continue
        if line.endswith((".", ")")) and is_caption(line) and len(line) < 500:
            pending = line
            continue
        body.append(line)
    if pending is not None:
        body.append(pending)
    return body, captions


def _byline_names(names: str) -> list[str]:
    return [n for n in re.split(r"\s*(?:,|\band\b|&)\s*", names) if n]


def split_byline(
    lines: list[str], search_lines: int = 3
) -> tuple[list[str], list[str], str | None]:
    """Find 'By Name' near the top: (lines without it, authors, standfirst before it)."""
    for index, line in enumerate(lines[:search_lines]):
        match = _BYLINE.search(line)
        if not match:
            continue
        names_text = match["names"]
        after = line[match.end() :]
        # The byline runs into the next sentence ("By Lee Hyo-jin The likelihood ..."): a
        # capitalised word followed by a lowercase one starts that sentence; give it back.
        words = names_text.split()
        while len(words) > 1 and after.strip()[:1].islower():
            after = f" {words.pop()}{after}"
        authors = [n for n in _byline_names(" ".join(words)) if len(n.split()) <= 4]
        if not authors:
            continue
        before = line[: match.start()].strip()
        rest = [after.strip()] if after.strip() else []
        if index == 0 and before:
            # Text ahead of the byline on the article's first line is the deck (standfirst).
            return [*rest, *lines[1:]], authors, before
        pieces = [p for p in (before, *rest) if p]
        return [*lines[:index], *pieces, *lines[index + 1 :]], authors, None
    return lines, [], None


_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def drop_signoff(lines: list[str]) -> list[str]:
    """Drop a reporter's sign-off ('Kim Soo-ah ksa@example.com') closing the article."""
    while lines and _EMAIL.search(lines[-1]) and len(lines[-1].split()) <= 10:
        lines = lines[:-1]
    return lines


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _is_headline(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 25 and not line.endswith((".", ",", ";", ":"))


def split_trailing_repeat(lines: list[str]) -> tuple[list[str], str | None]:
    """Drop a headline + standfirst repeated after the article; return the headline as title."""
    if len(lines) < 3:
        return lines, None
    end = len(lines)
    earlier = _squash(" ".join(lines[: end - 2]))
    standfirst_dropped = False
    while end > 1 and len(_squash(lines[end - 1])) >= 40 and _squash(lines[end - 1]) in earlier:
        end -= 1
        standfirst_dropped = True
        earlier = _squash(" ".join(lines[: max(end - 2, 1)]))
    if standfirst_dropped and end > 1 and _is_headline(lines[end - 1]):
        return lines[: end - 1], lines[end - 1]
    if standfirst_dropped:
        return lines[:end], None
    return lines, None


def clean_text(raw: str) -> CleanText:
    """Article text, title, authors and captions from scraped plain text."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = drop_furniture([line for line in lines if line])
    lines = rejoin_lines(lines)
    lines, captions = split_captions(lines)
    lines, title = split_trailing_repeat(lines)
    lines, authors, standfirst = split_byline(drop_signoff(lines))
    if (
        title is None
        and lines
        and _is_headline(lines[0])
        and not lines[0].endswith("?")
        and len(lines) > 1
    ):
        # A short first line without sentence punctuation is the headline.
        title, lines = lines[0], lines[1:]
    return CleanText(
        text="\n".join(lines),
        title=title,
        authors=authors,
        captions=captions,
        standfirst=standfirst,
    )
