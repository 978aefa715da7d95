"""Untrusted text: strip terminal control sequences and bidi controls, cut very long values,
and defuse CSV cells a spreadsheet would run as formulas."""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC, DCS...) first, then any remaining C0/C1 control character
# except tab and newline, DEL, and the bidirectional controls (BIDI below).
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS / PM / APC / SOS ... ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: object, limit: int | None = None, *, single_line: bool = False) -> str:
    """Return `value` as safe plain text: no control sequences, optionally one line and cut."""
    if value is None:
        return ""
    text = str(value)
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    if single_line:
        text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


# Bidirectional controls: they reorder what the terminal shows ("invoice\u202egpj.exe" reads as
# "invoiceexe.jpg"), so untrusted text loses them along with the control characters.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# A CSV cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cell(value: object) -> object:
    """A value as a CSV cell: cleaned text with a leading ' when a spreadsheet would run it as a
    formula (= + - @ tab CR); numbers, '-5' included, and None stay as they are."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


_JSON_UNSAFE = re.compile("[\x7f-\x9f" + BIDI + "]")


def json_safe(document: str) -> str:
    """JSON text (ensure_ascii=False) with DEL, the C1 controls and the bidi controls written as
    \\uXXXX escapes: the same values for a script, nothing a terminal acts on. json.dumps already
    escapes C0 controls, and these characters can only occur inside strings."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 minute', '60 minutes', '1,200 rows': the count and the word in the right number
    (`words` for an irregular plural: plural(2, 'entity', 'entities'))."""
    form = word if count == 1 else (words or word + "s")
    return f"{count:,} {form}"
