"""Marks strings for translation without importing Flask: templates translate them at render."""


def N_(text):
    """Return ``text`` unchanged; pybabel extracts it (keyword N_) for the catalogues."""
    return text
