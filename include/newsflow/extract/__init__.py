"""Extract stage: fetched pages and local files become clean Article records.

``page`` runs the stage (reading, decoding, rejects); ``html`` combines newspaper4k and
trafilatura for the body; ``metadata`` reads title, authors, date and the rest from the page;
``text`` cleans scraped plain text; ``language`` detects the text's language.
"""

from newsflow.extract.page import extract_page, extract_pages, parse_paths

__all__ = ["extract_page", "extract_pages", "parse_paths"]
