"""Email addresses and phone numbers in texts the public reads, found and masked.

Public texts (a project's title and summary, a plan's vision, an event's description, ...) are
declared here by the apps that own them (`register_public_texts`, from their `ready()`), so the check
before a plan's submission, the admin and the open data files walk one list: a public text added
later is checked and masked by declaring it.

Phones are the shapes written in the ten member states, international (`+66 2 123 4567`,
`0084 24 3825 1234`, `+62 (0)21 ...`; any other country's after a "+") or national with the trunk 0
(`081 234 5678`, `(02) 8123 4567`, `09 123 456 789`), and Singapore's eight digits (`9123 4567`);
any other run of 7 to 12 digits only after a word such as "Tel" or "phone". Years and their ranges
(`2041-2045`), dates, amounts (`1,200,000`, `Rp 800.000.000`), percentages and round figures are
not phones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.utils.translation import gettext, override

EMAIL, PHONE = "email", "phone"

EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[\w.+%-]+"
    r"(?:@|\s?[\[(]\s?at\s?[\])]\s?)"
    r"[A-Za-z0-9-]+(?:(?:\.|\s?[\[(]\s?dot\s?[\])]\s?)[A-Za-z0-9-]+)*"
    r"(?:\.|\s?[\[(]\s?dot\s?[\])]\s?)[A-Za-z]{2,24}\b",
    re.IGNORECASE,
)
AT_RE = re.compile(r"[\[(]\s?at\s?[\])]", re.IGNORECASE)
DIGIT_RE = re.compile(r"\d")
# The digits of the member states' scripts (Thai, Lao, Myanmar, Khmer, Jawi) and full-width ones, read
# as ASCII digits for the phone shapes; one character for one, so the places found stay the text's.
ASCII_DIGITS = {
    zero + i: ord("0") + i for zero in (0x0660, 0x06F0, 0x0E50, 0x0ED0, 0x1040, 0x1090, 0x17E0, 0xFF10)
    for i in range(10)
}  # fmt: skip

# A run of digit groups joined by one separator (space, dash, dot) and brackets, maybe after + or 00;
# not the tail of a word, a decimal or an amount with thousands separators, but maybe right after a
# word's colon or dot ("Tel:+66 2 123 4567", "Tel.02 123 4567") and on either side of a slash that joins
# numbers ("02-123-4567/8", "081 234 5678/081 234 5679").
CANDIDATE_RE = re.compile(
    r"(?<![\w+,@-])(?<![\d\W_][.:])"
    r"\(?(?:\+|\b00)?\s?\(?\d{1,13}\)?"
    r"(?:(?:[ \t.\-\u2013]{1,2}|(?<=\)))\(?\d{1,13}\)?){0,7}"
    r"(?![\w@]|/(?!\d)|[.,:]\d)"
)

# Country calling code: (shortest, longest) national significant number, without the trunk 0.
COUNTRY_CODES = {
    "673": (7, 7),  # Brunei
    "855": (8, 9),  # Cambodia
    "856": (8, 10),  # Laos
    "62": (8, 12),  # Indonesia
    "60": (8, 10),  # Malaysia
    "63": (8, 10),  # Philippines
    "65": (8, 8),  # Singapore
    "66": (8, 9),  # Thailand
    "84": (9, 10),  # Vietnam
    "95": (7, 10),  # Myanmar
}
NATIONAL_LENGTHS = range(9, 14)  # with the trunk 0: Thailand's 02 123 4567 to Indonesia's 13 digits

YEAR_RANGE_RE = re.compile(r"^(?:19|20)\d\d\s?[-\u2013.]\s?(?:(?:19|20)\d\d|\d\d)$")
DATE_RE = re.compile(r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2})\b")
SINGAPORE_RE = re.compile(r"^[3689]\d{3}[ .-]?\d{4}$")
MYANMAR_SHORT_RE = re.compile(r"^\(?0\d\)?[ .-]\d{3}[ .-]?\d{3}$")  # Yangon's 01 234 567
KEYWORD_RE = re.compile(
    r"(?:\b(?:tel|telephone|phone|mobile|cell|hotline|fax|whats\s?app|viber|zalo|line|sms|hp|ph|call us|"
    r"call me|contact(?: number)?|number)\b\.?|\u260e|\U0001f4de)\s*(?:no\.?|number)?\s*[:=]?\s*$",
    re.IGNORECASE,
)
CURRENCY_RE = re.compile(r"(?:\$|usd|sgd|s\$|thb|idr|rp|myr|rm|php|vnd|khr|lak|mmk|bnd|eur|€|£)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    kind: str  # EMAIL or PHONE
    start: int
    end: int
    text: str


def _is_international_phone(span: str, digits: str) -> bool:
    if span.lstrip("( ").startswith("+"):
        rest = digits
    elif digits.startswith("00"):
        rest = digits[2:]
    else:
        return False
    for code, (shortest, longest) in COUNTRY_CODES.items():
        if rest.startswith(code):
            national = rest[len(code) :]
            if national.startswith("0"):  # +62 (0)21 ..., or a trunk 0 written after the code
                national = national[1:]
            return shortest <= len(national) <= longest and not national.startswith("0")
    # Elsewhere (a partner's office in Tokyo or Canberra): "+" and a number as long as E.164 allows.
    return span.lstrip("( ").startswith("+") and 8 <= len(rest) <= 15


def _is_phone(span: str, before: str) -> bool:
    span = span.strip()
    digits = re.sub(r"\D", "", span)
    if len(digits) < 7 or YEAR_RANGE_RE.match(span) or DATE_RE.search(span):
        return False
    if _is_international_phone(span, digits):
        return True
    if CURRENCY_RE.search(before):
        return False
    if digits.startswith("0") and digits[1:2] != "0":
        return len(digits) in NATIONAL_LENGTHS or bool(MYANMAR_SHORT_RE.match(span))
    if SINGAPORE_RE.match(span):
        head, tail = digits[:4], digits[4:]
        return not (head.endswith("00") and tail.endswith("00"))  # 8000-9000 households: a range
    return bool(KEYWORD_RE.search(before)) and len(digits) <= 12


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without a trailing dot or dash, nor a bracket that closes or opens around it."""
    while end > start and text[end - 1] in ".-\u2013":
        end -= 1
    span = text[start:end]
    if span.endswith(")") and span.count(")") > span.count("("):
        end -= 1
    if span.startswith("(") and span.count("(") > span.count(")"):
        start += 1
    elif span.startswith("(") and span.find(")") == len(span) - 1:  # (081 234 5678): the brackets stay
        start, end = start + 1, end - 1
    return start, end


def _phones(text: str) -> Iterable[Found]:
    for candidate in CANDIDATE_RE.finditer(text):
        if len(DIGIT_RE.findall(candidate.group())) < 7:  # too short for any phone: a figure
            continue
        # A run may join a phone to figures beside it ("in 2024 081 234 5678"): try its groups from
        # each start, longest first.
        pieces = [
            (m.start() + candidate.start(), m.end() + candidate.start()) for m in re.finditer(r"\S+", candidate.group())
        ]
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                start, end = pieces[i][0], pieces[j - 1][1]
                start, end = _balanced(text, start, end)
                span = text[start:end]
                if _is_phone(span, text[max(0, start - 30) : start]):
                    yield Found(PHONE, start, end, text[start:end])
                    i = j
                    break
            else:
                i += 1


def find_personal_data(text: str | None) -> list[Found]:
    """The email addresses and phone numbers in a text, in order, none overlapping."""
    if not text:
        return []
    found = []
    if "@" in text or AT_RE.search(text):  # most texts hold neither: skip the costly searches
        found = [Found(EMAIL, m.start(), m.end(), m.group()) for m in EMAIL_RE.finditer(text)]
    if len(DIGIT_RE.findall(text)) >= 7:
        taken = [(f.start, f.end) for f in found]
        phones = [Found(PHONE, p.start, p.end, text[p.start : p.end]) for p in _phones(text.translate(ASCII_DIGITS))]
        found += [p for p in phones if not any(s < p.end and p.start < e for s, e in taken)]
    return sorted(found, key=lambda f: f.start)


def kinds_in(text: str | None) -> list[str]:
    """EMAIL and/or PHONE, in that order, for what the text holds."""
    kinds = {f.kind for f in find_personal_data(text)}
    return [k for k in (EMAIL, PHONE) if k in kinds]


def mask_personal_data(text, language: str | None = None):
    """The text with each email address and phone number replaced by a note saying so, in `language`
    (the active one when None). Anything that is not a string is returned as it is."""
    if not isinstance(text, str) or not text:
        return text
    found = find_personal_data(text)
    if not found:
        return text
    with override(language) if language else nullcontext():
        notes = {EMAIL: gettext("[email removed]"), PHONE: gettext("[phone removed]")}
    parts, at = [], 0
    for f in found:
        parts += [text[at : f.start], notes[f.kind]]
        at = f.end
    return "".join(parts) + text[at:]


# Public texts ------------------------------------------------------------------------------------

PUBLIC_TEXTS: dict[str, tuple[str, ...]] = {}


def register_public_texts(model_label: str, *fields: str) -> None:
    """Declare the fields of a model ("app_label.ModelName") that the public reads: they are checked
    for personal data before a plan is submitted and when saved in the admin, and masked in files."""
    PUBLIC_TEXTS[model_label] = tuple(dict.fromkeys((*PUBLIC_TEXTS.get(model_label, ()), *fields)))


def public_texts_of(model) -> tuple[str, ...]:
    return PUBLIC_TEXTS.get(model._meta.label, ())


def personal_data_in(instance) -> list[tuple[str, list[str]]]:
    """(field name, kinds found) for each public text of the record that holds an email or a phone."""
    found = []
    for name in public_texts_of(type(instance)):
        kinds = kinds_in(getattr(instance, name, "") or "")
        if kinds:
            found.append((name, kinds))
    return found


def warning_for(kinds: list[str], where: str) -> str:
    """The warning, the same on the plan page and in the admin; `where` names the record and field."""
    if kinds == [EMAIL]:
        text = gettext("%(where)s: looks like an email address in a public text. Anyone can read it there and in "
                       "the open data; give the city's office instead.")  # fmt: skip
    elif kinds == [PHONE]:
        text = gettext("%(where)s: looks like a phone number in a public text. Anyone can read it there and in "
                       "the open data; give the city's office instead.")  # fmt: skip
    else:
        text = gettext("%(where)s: looks like an email address and a phone number in a public text. Anyone can "
                       "read them there and in the open data; give the city's office instead.")  # fmt: skip
    return text % {"where": where}
