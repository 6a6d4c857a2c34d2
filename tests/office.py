"""Rendering exported files as their users see them: LibreOffice (Debian's package) turns
an .xlsx or .docx into PDF, poppler reads the PDF back (page count, text as laid out).

Each pytest worker converts with its own LibreOffice profile: two `soffice` processes
sharing one profile lock each other out (the second exits at once without a PDF). A
conversion costs a few seconds, so tests convert each file once per module."""

import os
import re
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT = 180  # seconds; a first start builds the profile


def _profile() -> str:
    return f"file:///tmp/lo-profile-{os.getpid()}"


def to_pdf(content: bytes, suffix: str = ".xlsx", directory: str | Path | None = None) -> Path:
    """The PDF LibreOffice renders from `content` (the bytes of an .xlsx or .docx file).
    Written into `directory` (a fresh temporary one if None); returns its path."""
    out = Path(directory or tempfile.mkdtemp(prefix="office-"))
    source = out / f"export{suffix}"
    source.write_bytes(content)
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={_profile()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT,
    )
    pdf = source.with_suffix(".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice made no PDF: {result.stdout} {result.stderr}")
    return pdf


def pdf_pages(path: str | Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def pdf_page_size(path: str | Path) -> tuple[float, float]:
    """Width and height of the first page in points (A4: 595 x 842)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M)
    return float(match.group(1)), float(match.group(2))


def is_landscape(path: str | Path) -> bool:
    width, height = pdf_page_size(path)
    return width > height


def pdf_text(path: str | Path) -> str:
    """The PDF's text as laid out (`pdftotext -layout`), pages separated by form feeds."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout
