"""PDF documents with Vietnamese text: fpdf2 with Liberation Serif (metrically Times New
Roman, the face of Vietnamese administrative papers; SIL Open Font License, in
`hienmau/fonts/`). Pure Python: nothing to install beside the package, nothing fetched.
"""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "LiberationSerif"
_STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}


# ISO 216 sizes in mm, portrait (fpdf2 warns about its own A5 table).
PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210)}


def new_document(orientation: str = "L", page_format: str = "A5") -> FPDF:
    """An empty document with the serif face registered in its four styles."""
    document = FPDF(orientation=orientation, unit="mm", format=PAGE_SIZES[page_format])
    for style, name in _STYLES.items():
        document.add_font(FAMILY, style, str(FONTS / f"{FAMILY}-{name}.ttf"))
    document.set_font(FAMILY, size=12)
    document.set_auto_page_break(False)
    return document
