"""Writes corpus/*.gold.json from the hand-made annotation lists below.

Each entry: (text to find, which occurrence (0-based), category, replacement or None, note[, also-accepted
categories]). Offsets are computed here so that they are exact code-point offsets into the file; the lists are the
human judgement. Run: python corpus/tools/build_gold.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent

SPUTNIK = "000_9d2a160825c0186a.txt"
AFP = "003_1374c92416c258b1.txt"
CAPTION = "Syrian army and militias fight for Palmyra"
CAPTION2 = "Syrian government army and militia fight for Palmyra"
GENERAL_VIEW = ("A general view shows part of a palace complex, which has been recaptured by Syrian government forces, "
                "on the western edge of Palmyra in this picture provided by SANA on March 24, 2016.")

ANNOTATIONS = {
    SPUTNIK: {
        "language": "en",
        "source_language": "ru",
        "origin": "Sputnik International web page, scraped to plain text (shared/seeds)",
        "errors": [
            ("- Sputnik International\n", 0, "boilerplate", "", "site name left from the page header"),
            ("World\n", 0, "boilerplate", "", "section label from the navigation"),
            ("Get the latest news from around the world, live coverage, off-beat stories, features and analysis.\n", 0,
             "boilerplate", "", "site tagline"),
            ("© Sputnik / Mikhail Voskresenskiy / Go to the mediabank", 0, "boilerplate", "",
             "photo credit glued to its caption (mediabankSyrian)"),
            (CAPTION + " - Sputnik International\n", 0, "duplication", "", "caption repeated with a site suffix",
             ("boilerplate",)),
            ("Subscribe\n", 0, "boilerplate", "", "UI button"),
            ("Views of Syria' liberated Palmyra - Sputnik International\n", 0, "boilerplate", None,
             "thumbnail of a related article"),
            ("First Images of Palmyra’s Ancient Artifacts Damaged by Daesh Revealed\n", 0, "boilerplate", None,
             "headline of a related article"),
            ("Without doubts", 0, "grammar", "Without doubt", "idiom"),
            ("world-renown", 0, "grammar", "world-renowned", "adjective form"),
            ("© Sputnik / Mikhail Voskresenskiy / Go to the mediabank", 1, "boilerplate", "", "photo credit"),
            (CAPTION + " - Sputnik International\n", 1, "duplication", "", "caption repeated with a site suffix",
             ("boilerplate",)),
            (CAPTION + "\n\nSecurity", 0, "duplication", "", "caption printed a third time", (), len(CAPTION) + 1),
            ("Forces loyal to Syria's President Bashar al-Assad gather at a palace complex on the western edge of "
             "Palmyra in this picture provided by SANA on March 24, 2016. - Sputnik International\n", 0, "boilerplate",
             None, "thumbnail caption of a related article"),
            ("Palmyra Liberation: Syrian Army Officer Reveals Details of Operation\n", 0, "boilerplate", None,
             "headline of a related article"),
            ("Bashar Assad", 0, "terminology", "Bashar al-Assad", "written Bashar al-Assad earlier in the text"),
            ("© Sputnik / Michael Alaeddin / Go to the mediabank", 0, "boilerplate", "", "photo credit"),
            (CAPTION2 + " - Sputnik International\n", 0, "duplication", "", "caption repeated with a site suffix",
             ("boilerplate",)),
            (CAPTION2 + "\n\n\"In order", 0, "duplication", "", "caption printed a third time", (), len(CAPTION2) + 1),
            (CAPTION + " - Sputnik International\nDesert Falcons Thank Vladimir Putin for Support in Liberation of "
             "Palmyra\n", 0, "boilerplate", None, "thumbnail and headline of a related article"),
            ("© REUTERS / SANA/Handout", 0, "boilerplate", "", "photo credit glued to its caption (HandoutA)"),
            (GENERAL_VIEW + " - Sputnik International\n", 0, "duplication", "", "caption repeated with a site suffix",
             ("boilerplate",)),
            (GENERAL_VIEW + "\n\n\"UNESCO", 0, "duplication", "", "caption printed a third time", (),
             len(GENERAL_VIEW) + 1),
            ("Newsfeed\n", 0, "boilerplate", "", "comment widget"),
            ("0\n", 0, "boilerplate", "", "comment counter"),
            ("To participate in the discussion\n", 0, "boilerplate", "", "comment widget"),
            ("log in or register\n", 0, "boilerplate", "", "comment widget"),
            ("loader\n", 0, "boilerplate", "", "comment widget"),
            ("Chats\n", 0, "boilerplate", "", "chat widget"),
            ("Заголовок открываемого материала", 0, "boilerplate", "", "Russian UI string of the page template",
             ("untranslated",)),
        ],
    },
    AFP: {
        "language": "en",
        "source_language": "fr",
        "origin": "AFP story in French, machine-translated to English, scraped from a WordPress page (shared/seeds)",
        "errors": [
            ('<style type="text/css"> .wpb_animate_when_almost_visible { opacity: 1; }</style>\n', 0, "markup", "",
             "CSS of the page template"),
            ("The Syrian regime retook the city of Palmyra\n\n", 1, "duplication", "", "headline printed twice"),
            ("(EI)", 0, "terminology", "(IS)", "French acronym, État islamique; does not match its definition"),
            ("by taking him the city", 0, "mistranslation", "by taking the city from it", "French 'en lui prenant'"),
            ("of its main strongholds", 0, "mistranslation", "from its main strongholds", "French 'de'"),
            ("EI", 1, "terminology", "IS", "French acronym"),
            ("in the Syrian conflict in Russia", 0, "mistranslation", "of Russia in the Syrian conflict",
             "word order of the French"),
            ("prorégime", 0, "untranslated", "pro-regime", "French word"),
            ("IE", 0, "terminology", "IS", "acronym drift: EI, IE and IU for IS"),
            ("Al-Alianiyé", 0, "untranslated", None, "French transliteration of an Arabic place name"),
            ("his mission", 0, "mistranslation", "its mission", "French 'sa': the army is not a man"),
            ("she restores", 0, "mistranslation", "it restores", "French 'elle': the army"),
            ("the resumption of the old city", 0, "mistranslation", "the recapture of the ancient city",
             "French 'reprise'"),
            ("IU", 0, "terminology", "IS", "acronym drift"),
            ("( OSDH)", 0, "punctuation", "(OSDH)", "space inside the parenthesis"),
            ("OSDH", 0, "terminology", "SOHR", "French acronym that does not match its English definition"),
            ("members prorégime", 0, "untranslated", "pro-regime fighters", "French word and word order"),
            ("EI", 2, "terminology", "IS", "French acronym"),
            ("UNESCO World Heritage of UNESCO", 0, "duplication", "UNESCO World Heritage", "repeated"),
            ("Deir Ezzor", 0, "terminology", "Deir ez-Zor", "French spelling"),
            ("Raqa", 0, "terminology", "Raqqa", "French spelling"),
            ("fiefs", 0, "untranslated", "strongholds", "French 'fiefs'"),
            ("EI", 3, "terminology", "IS", "French acronym"),
            ("Sokhné", 0, "untranslated", "Sukhnah", "French transliteration", ("terminology",)),
            ("Raqa", 1, "terminology", "Raqqa", "French spelling"),
            ("Deir Ezzor", 1, "terminology", "Deir ez-Zor", "French spelling"),
            ("Raqa", 2, "terminology", "Raqqa", "French spelling"),
            ("EI", 4, "terminology", "IS", "French acronym"),
            ("OSDH", 1, "terminology", "SOHR", "French acronym"),
            ("it remains", 0, "mistranslation", "there remain", "French 'il reste'"),
            ("jihadis who", 0, "terminology", "jihadists", "written jihadists elsewhere in the text", (), 7),
            ("OSDH", 2, "terminology", "SOHR", "French acronym"),
            ("responsible atrocities", 0, "mistranslation", None, "truncated, garbled sentence start"),
            ("EI", 5, "terminology", "IS", "French acronym"),
            ("reduced dust funeral towers", 0, "mistranslation", "reduced funeral towers to dust", "French word order"),
            ("Arc de Triomphe", 0, "untranslated", "Arch of Triumph", "French name of Palmyra's monumental arch"),
            ("EI", 6, "terminology", "IS", "French acronym"),
            ("Kobanî", 0, "untranslated", "Kobani", "French transliteration", ("terminology",)),
            ("EI", 7, "terminology", "IS", "French acronym"),
            ("his stronghold", 0, "mistranslation", "its stronghold", "French 'son': IS is not a man"),
            ("EI", 8, "terminology", "IS", "French acronym"),
            ("a ultraradical", 0, "grammar", "an ultraradical", "article"),
            ("there is one month", 0, "mistranslation", "a month ago", "French 'il y a un mois'"),
            ("Share Post\n", 0, "boilerplate", "", "UI button"),
            ("Written by\n", 0, "boilerplate", "", "author-box label"),
            ("It works", 0, "mistranslation", "He works as", "French 'il travaille': the author is a man"),
        ],
    },
}


def locate(text: str, needle: str, occurrence: int) -> tuple[int, int]:
    """Start and end of the n-th match; a space in the needle also matches a no-break space."""
    pattern = re.compile("".join("[ \u00a0]" if c == " " else re.escape(c) for c in needle))
    matches = list(pattern.finditer(text))
    if len(matches) <= occurrence:
        raise SystemExit(f"not found: {needle!r} #{occurrence}")
    return matches[occurrence].span()


def build() -> None:
    for name, spec in ANNOTATIONS.items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        errors = []
        for entry in spec["errors"]:
            needle, occurrence, category, replacement, note, *rest = entry
            accept = list(rest[0]) if rest else []
            start, end = locate(text, needle, occurrence)
            if len(rest) > 1:
                end = start + rest[1]
            errors.append({"start": start, "end": end, "text": text[start:end], "category": category,
                           "replacement": replacement, "accept": accept, "note": note})
        errors.sort(key=lambda e: (e["start"], e["end"]))
        gold = {"file": name, "language": spec["language"], "source_language": spec["source_language"],
                "origin": spec["origin"], "words": len(text.split()), "errors": errors}
        target = CORPUS / (name.removesuffix(".txt") + ".gold.json")
        target.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{target.name}: {len(errors)} annotations")


if __name__ == "__main__":
    build()
