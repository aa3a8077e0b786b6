"""CSV cells that a spreadsheet will not run as formulas."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    # A leading apostrophe makes Excel and LibreOffice show the text instead of evaluating it.
    # Plain negative numbers are left alone: they are data, not formulas.
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
