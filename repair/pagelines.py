"""The lines of a whole scraped page, described for a furniture classifier (data in, data out).

In the spirit of jusText and trafilatura, but on plain text, with no markup to lean on: each non-blank line gets
a vector of general signals (its length, the share of the page language's stop words, its final punctuation, its
shape, its position relative to the main block of prose, the run of short lines around it, credits, dates and
counters), and `repair.detectors.furniture` weighs them with a linear model trained on labelled pages
(scripts/train_furniture.py). Nothing here knows a site or a page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from repair.languages import stop_words, stop_word_languages
from repair.web_words import UI_WORDS

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
_COLON_END = re.compile(r":\s*$")
# a credit or a source anywhere in a line: "© Noah Addis", "Foto: dpa", "(AP Photo/Luca Bruno)", "Źródło: ..."
CREDIT = re.compile(
    r"©|\(c\)\s|\bcopyright\b|\ball rights reserved\b|"
    r"\b(?:foto|fotos|photo|photos|bild|bilder|image|images|picture|credit|credits|quelle|source|źródło|"
    r"fuente|crédit|crédits|imagen|immagine|fonte|zdjęcie|фото|источник|grafik|illustration|video)\s*:",
    re.IGNORECASE)
_AGENCY_PHOTO = re.compile(r"\b(?:AP|AFP|Reuters|dpa|EPA|Getty Images?)\s*(?:Photo|Foto|/)", re.IGNORECASE)
_DATE = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
    r"\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|janv|févr|avr|juil|"
    r"sept|déc|ene|abr|ago|dic|gen|mag|giu|lug|set|ott|sty|lut|kwi|maj|cze|lip|sie|wrz|paź|lis|gru)\w*\.?\s+\d{4}|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2},?\s+\d{4}|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE)
_SEPARATORS = re.compile(r"\s[|»›·•/]\s|^\s*[»›·•|]|[|»›]\s*$")
_LINKISH = re.compile(r"https?://|www\.|@\w|\b[\w.-]+\.(?:com|de|org|net|fr|es|pl|it|ru|info)\b", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\s*[\W\d_]*\d[\W\d_]*$")
_COUNTER = re.compile(r"^\s*\(?\d+\)?\s+[^\W\d_]+\s*$")

#: a line of this many words or more, mostly stop words and ending a sentence, is prose
PROSE_WORDS = 12
PROSE_STOPS = 0.2
SHORT_WORDS = 4
#: what a line that is not prose costs the main block (in prose words)
BLOCK_TOLL = 8
WINDOW = 3

FEATURES = (
    "bias", "log_words", "log_chars", "stop_share", "sentence_end", "colon_end", "digit_share", "capital_share",
    "prose", "before_main", "after_main", "log_distance_to_prose", "short_around", "log_words_around",
    "credit", "date", "number_only", "counter", "separators", "linkish", "repeated", "headline_shape",
    "prose_around", "first_word_capital", "no_letters", "log_short_run", "no_stop_words",
    "stop_density_length", "in_main_block", "log_distance_to_main_block",
    "ui_share", "ui_any", "ui_around",
)


@dataclass(frozen=True)
class PageLine:
    start: int
    end: int
    text: str
    features: tuple[float, ...]


def page_language(words: list[str], candidates: tuple[str, ...] | None = None) -> str | None:
    """The language whose stop words cover most of the page's words (None when none has a hit)."""
    best, best_hits = None, 0
    for code in candidates or stop_word_languages():
        stops = stop_words(code)
        hits = sum(1 for word in words if word in stops)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def main_block(basic: list[tuple[int, float, bool, bool]]) -> tuple[int, int]:
    """The run of lines richest in prose (the largest sum of prose words, less a toll per other line): the
    article's body, as jusText and trafilatura look for the densest block of text. (first, last) line index."""
    best, best_start, best_end = 0.0, 0, -1
    running, start = 0.0, 0
    for i, (n, _share, _ends, prose) in enumerate(basic):
        if running <= 0:
            running, start = 0.0, i
        running += min(n, 40) if prose else -BLOCK_TOLL
        if running > best:
            best, best_start, best_end = running, start, i
    return best_start, best_end


def page_lines(text: str, language: str | None = None) -> list[PageLine]:
    """The non-blank lines of a page with their signals; `language` None: the page's stop words decide it."""
    raw: list[tuple[int, int, str, list[str]]] = []
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        if line.strip():
            raw.append((position, end, line, [w.lower() for w in _WORD.findall(line)]))
        position = end + 1
    if not raw:
        return []
    if language is None:
        language = page_language([w for *_, words in raw for w in words])
    stops = stop_words(language) if language else frozenset()
    basic = []
    for _, _, line, words in raw:
        n = len(words)
        share = sum(1 for w in words if w in stops) / n if n else 0.0
        ends = bool(_SENTENCE_END.search(line))
        basic.append((n, share, ends, n >= PROSE_WORDS and share >= PROSE_STOPS and ends))
    prose_at = [i for i, b in enumerate(basic) if b[3]]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (len(raw), -1)
    counts: dict[str, int] = {}
    for _, _, line, _ in raw:
        key = " ".join(line.split())
        counts[key] = counts.get(key, 0) + 1
    lines = []
    nearest_before = -10**6
    next_prose = [10**6] * len(raw)
    upcoming = 10**6
    for i in range(len(raw) - 1, -1, -1):
        if basic[i][3]:
            upcoming = i
        next_prose[i] = upcoming
    block_start, block_end = main_block(basic)
    ui = [sum(1 for w in words if w in UI_WORDS) / len(words) if words else 0.0 for *_, words in raw]
    short_run = [0] * len(raw)
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and basic[j][0] <= SHORT_WORDS:
            j += 1
        for k in range(i, j):
            short_run[k] = j - i
        i = max(j, i + 1)
    for i, (start, end, line, words) in enumerate(raw):
        n, share, ends, prose = basic[i]
        if prose:
            nearest_before = i
        distance = min(i - nearest_before, next_prose[i] - i)
        around = [basic[j] for j in range(max(0, i - WINDOW), min(len(raw), i + WINDOW + 1)) if j != i]
        short_around = sum(1 for b in around if b[0] <= SHORT_WORDS) / len(around) if around else 0.0
        words_around = sum(math.log1p(b[0]) for b in around) / len(around) if around else 0.0
        prose_around = sum(1 for b in around if b[3]) / len(around) if around else 0.0
        near = [ui[j] for j in range(max(0, i - WINDOW), min(len(raw), i + WINDOW + 1)) if j != i]
        ui_around = sum(near) / len(near) if near else 0.0
        stripped = line.strip()
        chars = len(stripped)
        digits = sum(c.isdigit() for c in stripped) / chars
        raw_words = line.split()
        capitals = sum(1 for w in raw_words if w[:1].isupper()) / len(raw_words)
        headline = n >= 4 and not ends and capitals >= 0.5 and chars <= 150
        features = (
            1.0, math.log1p(n), math.log1p(chars), share, float(ends), float(bool(_COLON_END.search(line))),
            digits, capitals, float(prose), float(i < first), float(i > last), math.log1p(min(distance, 50)),
            short_around, words_around, float(bool(CREDIT.search(line) or _AGENCY_PHOTO.search(line))),
            float(bool(_DATE.search(line))), float(bool(_NUMBER_ONLY.match(line))),
            float(bool(_COUNTER.match(line))), float(bool(_SEPARATORS.search(line))),
            float(bool(_LINKISH.search(line))), float(counts[" ".join(line.split())] > 1), float(headline),
            prose_around, float(stripped[:1].isupper()), float(n == 0), math.log1p(short_run[i]),
            float(n > 0 and share == 0), share * math.log1p(n),
            float(block_start <= i <= block_end),
            math.log1p(min(max(block_start - i, i - block_end, 0), 50)),
            ui[i], float(ui[i] > 0), ui_around,
        )
        lines.append(PageLine(start, end, line, features))
    return lines
