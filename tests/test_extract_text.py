"""The plain-text cleaner: one test per rule, then the user's seed end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsflow.extract.text import (
    clean_text,
    drop_furniture,
    drop_signoff,
    is_caption,
    rejoin_lines,
    split_byline,
    split_captions,
    split_trailing_repeat,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "korea-times-nk-troops-ukraine.txt"


@pytest.mark.parametrize(
    "sentence",
    [
        "Farmers inspect a flooded field in Gimpo, Aug. 3, in this photo provided by the city.",
        "This photo shows a damaged apartment block in Odesa, Ukraine, March 2.",
        "Foreign Minister Cho Tae-yul, left, and his Polish counterpart shake hands in Warsaw.",
        "Protesters wave flags outside the embassy in Seoul, Nov. 1.",
        "A convoy of trucks is seen near the border (left) in a file photo.",
    ],
)
def test_caption_sentences_are_recognised(sentence: str) -> None:
    assert is_caption(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry said Thursday that talks would resume next week.",
        "Analysts expect exports to recover in the second half of the year.",
        "He left the meeting early, officials said.",
    ],
)
def test_report_sentences_are_not_captions(sentence: str) -> None:
    assert not is_caption(sentence)


def test_caption_glued_to_paragraph_by_credit_is_split() -> None:
    lines = [
        "This photo shows rescue workers at the site in Daegu, May 4. AP-Yonhap Officials "
        "said the cause of the fire was still under investigation.",
    ]
    body, captions = split_captions(lines)
    assert captions == ["This photo shows rescue workers at the site in Daegu, May 4. AP-Yonhap"]
    assert body == ["Officials said the cause of the fire was still under investigation."]


def test_caption_line_with_credit_on_next_line_is_split() -> None:
    lines = [
        "Prime Minister Han, center, visits a shipyard in Ulsan, Feb. 9.",
        "Yonhap The government plans to expand shipbuilding subsidies, officials said.",
    ]
    body, captions = split_captions(lines)
    assert captions == ["Prime Minister Han, center, visits a shipyard in Ulsan, Feb. 9. Yonhap"]
    assert body == ["The government plans to expand shipbuilding subsidies, officials said."]


@pytest.mark.parametrize("credit", ["Yonhap", "AP-Yonhap", "EPA-Yonhap", "AFP", "Getty Images"])
def test_agency_credits_leave_the_body(credit: str) -> None:
    line = f"Two officials, left, pose for a photo in Geneva, June 2. {credit} The talks went on."
    body, captions = split_captions([line])
    assert body == ["The talks went on."]
    assert captions[0].endswith(credit)


def test_a_report_citing_an_agency_is_not_a_caption() -> None:
    lines = ["Exports rose 5 percent in May. Reuters reported that chip sales led the gain."]
    assert split_captions(lines) == (lines, [])


def test_lone_closing_quote_goes_back_to_its_line() -> None:
    lines = ['He said, "We will not wait any longer.', '" The minister left.']
    assert rejoin_lines(lines) == ['He said, "We will not wait any longer."', "The minister left."]


def test_closing_quote_and_period_on_their_own_line() -> None:
    assert rejoin_lines(['"This matters a great deal.', '".']) == ['"This matters a great deal."']


def test_hyphenated_continuation_is_rejoined_without_space() -> None:
    lines = ["a direct conflict with the U.S.", "-led alliance, he said."]
    assert rejoin_lines(lines) == ["a direct conflict with the U.S.-led alliance, he said."]


def test_line_broken_mid_sentence_is_rejoined() -> None:
    lines = ["The committee will meet on", "Friday to review the bill."]
    assert rejoin_lines(lines) == ["The committee will meet on Friday to review the bill."]


def test_furniture_lines_are_dropped() -> None:
    assert drop_furniture(["Body text.", "Top", "Advertisement", "More body."]) == [
        "Body text.",
        "More body.",
    ]


def test_repeated_headline_and_standfirst_at_end_are_dropped() -> None:
    lead = "The city will open three new night bus routes in March, officials said Monday."
    lines = [
        lead + " The routes cover the eastern districts.",
        "Officials said more would come.",
        "City adds night buses",
        lead,
    ]
    body, title = split_trailing_repeat(lines)
    assert title == "City adds night buses"
    assert body == lines[:2]


def test_byline_is_taken_out_and_standfirst_kept_apart() -> None:
    lines = [
        "Rates hold steady as inflation cools: analysts By Jane Roe The central bank kept its "
        "policy rate unchanged on Thursday.",
        "More text.",
    ]
    body, authors, standfirst = split_byline(lines)
    assert authors == ["Jane Roe"]
    assert standfirst == "Rates hold steady as inflation cools: analysts"
    assert body == ["The central bank kept its policy rate unchanged on Thursday.", "More text."]


def test_two_authors_in_byline() -> None:
    _, authors, _ = split_byline(["By Kim Min-ji and Park Joon-ho", "The story begins here."])
    assert authors == ["Kim Min-ji", "Park Joon-ho"]


def test_reporter_signoff_with_email_is_dropped() -> None:
    assert drop_signoff(["Last paragraph.", "Kim Soo-ah ksa@example.com"]) == ["Last paragraph."]


def test_title_from_first_line_when_no_repeat() -> None:
    cleaned = clean_text(
        "Port strike enters second week\nDock workers in Busan stayed off the job "
        "for a seventh day on Monday, union leaders said."
    )
    assert cleaned.title == "Port strike enters second week"
    assert cleaned.text.startswith("Dock workers")


# ---------------------------------------------------------------- the user's seed


@pytest.fixture(scope="module")
def seed() -> object:
    return clean_text(SEED.read_text(encoding="utf-8"))


def test_seed_title_and_author(seed) -> None:
    assert seed.title == "Did North Korea deploy troops to Ukraine?"
    assert seed.authors == ["Lee Hyo-jin"]


def test_seed_captions_and_credits_leave_the_body(seed) -> None:
    assert len(seed.captions) == 3
    assert seed.captions[0].endswith("Oct. 4. Yonhap")
    assert seed.captions[1].endswith("Jan. 6. Reuters-Yonhap")
    assert seed.captions[2].endswith("June 19. AP-Yonhap")
    for phrase in ("in this photo", "This photo shows", "smile during their meeting"):
        assert phrase not in seed.text
    assert not re.search(r"\b(?:Reuters-Yonhap|AP-Yonhap|Yonhap)\b", seed.text)


def test_seed_lines_are_rejoined(seed) -> None:
    lines = seed.text.split("\n")
    assert not [line for line in lines if re.match(r"^[\"”’]", line) and len(line) < 3]
    assert not [line for line in lines if re.match(r"^[\"”’](?:\s|[.,]|$)", line)]
    assert "U.S.-led military alliance" in seed.text
    assert seed.text.rstrip().endswith('taking it very seriously."')


def test_seed_furniture_and_repeats_are_gone(seed) -> None:
    lines = seed.text.split("\n")
    assert "Top" not in lines
    assert "Did North Korea deploy troops to Ukraine?" not in seed.text
    standfirst = "The likelihood of North Korea deploying a large number of combat forces"
    assert seed.text.count(standfirst) == 1
    assert seed.text.startswith(standfirst)
    assert "By Lee Hyo-jin" not in seed.text
