"""Masking personal data in a letter before it is published (信件公开).

Pure functions over text: the office reviews what comes out and may edit it further; the
case's own text is never touched. Each kind of data has its own rule so that one can be
tested alone; ``redact`` applies them all, most specific first (an ID number contains runs of
digits that would otherwise look like a phone number).
"""

import re

# What replaces each kind of data: plain words, so a reader sees that something was removed.
ID_MASK = "[身份证号]"
PHONE_MASK = "[电话]"
EMAIL_MASK = "[邮箱]"
NAME_MASK = "[姓名]"
PLATE_MASK = "[车牌]"

# GB 11643-1999: the 18th character is a checksum of the first 17.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# 18 characters not glued to other digits or letters, so a longer number is left alone.
ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Province abbreviation, the city letter, an optional separator, then five characters (six for
# new-energy plates); 警/学/挂 plates end in their own character.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE = re.compile(
    rf"[{PROVINCES}][A-HJ-NP-Z][·•・ ]?(?:[A-HJ-NP-Z0-9]{{6}}|[A-HJ-NP-Z0-9]{{4,5}}[警学挂]"
    rf"|[A-HJ-NP-Z0-9]{{5}})(?![A-Za-z0-9])"
)


def id_number_valid(text):
    """Whether ``text`` is an 18-character resident ID number whose check character is right."""
    if len(text) != 18 or not text[:17].isdigit() or not text[:17].isascii():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def mask_id_numbers(text):
    """ID numbers with a valid check character; other 18-digit runs (an order number, a bank
    reference) stay, since hiding them would make the letter unreadable for no gain."""
    return ID_CANDIDATE.sub(lambda m: ID_MASK if id_number_valid(m.group(1)) else m.group(0), text)


def mask_phones(text):
    return LANDLINE.sub(PHONE_MASK, MOBILE.sub(PHONE_MASK, text))


def mask_emails(text):
    return EMAIL.sub(EMAIL_MASK, text)


def mask_plates(text):
    return PLATE.sub(PLATE_MASK, text)


def mask_names(text, names):
    """Every given name (the contact name typed at filing), longest first so that a full name
    is not left half masked by a shorter one. One-character names are skipped: masking a
    single character would blank ordinary words."""
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len,
                       reverse=True):
        text = text.replace(name, NAME_MASK)
    return text


def redact(text, names=()):
    """``text`` with ID numbers, e-mail addresses, phone numbers, car plates and ``names``
    masked."""
    text = mask_id_numbers(text or "")
    text = mask_emails(text)
    text = mask_phones(text)
    text = mask_plates(text)
    return mask_names(text, names)
