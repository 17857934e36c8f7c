"""Generated documents in tests: their text (DOCX), and LibreOffice, headless, for the
tests that check a file opens in it (or read a file LibreOffice wrote). LibreOffice is
skipped where it is not installed, unless CI says it must be (HIENMAU_REQUIRE_LIBREOFFICE=1)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def convert(files: dict[str, bytes], to: str, tmp_path: Path) -> dict[str, bytes]:
    """{name: content} converted to format `to` ("pdf", "ods"): {name: converted}."""
    if LIBREOFFICE is None:
        message = "LibreOffice chưa được cài: sudo apt-get install libreoffice-writer-nogui " \
                  "libreoffice-calc-nogui"
        if os.environ.get("HIENMAU_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    # A profile of its own, so a LibreOffice the user has open does not take the job.
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", to, "--outdir", str(tmp_path / to),
                    *[str(tmp_path / name) for name in files]],
                   check=True, capture_output=True, timeout=180)
    return {name: (tmp_path / to / f"{Path(name).stem}.{to}").read_bytes() for name in files}


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def docx_text(content: bytes) -> str:
    """A DOCX's paragraphs, then its tables' rows with cells joined by " | "."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    """A PDF's text, page after page, read back with pypdf (no poppler needed)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    """The base font names a PDF's pages use ("AAAAAA+LiberationSerif" → "LiberationSerif")."""
    import io

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names
