"""Codes people copy by hand from paper or a screen: a receipt's case number and query code, a
supervisor's code from a letter. Spaces, dashes, lower case and the full-width letters and
digits of a Chinese input method (ＰＹ２０２６…) are forgiven; what is left must match exactly."""

import re
import unicodedata


def normalize_code(typed):
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", typed or "")).upper()


def normalize_number(typed):
    """A case number, forgiven as a code is."""
    return normalize_code(typed)
