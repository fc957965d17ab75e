"""The offer letter as a PDF (fpdf2, pure Python), and the signed copy with its audit trail.

No ORM: callers pass the letter's text and plain facts. A letter written entirely in
Latin-1 is set in the PDF core font Helvetica (nothing to embed: about 10 ms). Any other
character (a name such as "Łukasz" or "Nguyễn") switches the document to DejaVu Sans,
vendored under fonts/ with its licence, embedded as a subset: correct for every script it
covers, and slower (the font is parsed for each document: about 90 ms, bench/letters.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hiring.offers.letters import Letter

# fontTools logs every glyph of every subset at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class SignatureFacts:
    full_name: str
    statement: str
    signed_at: str  # local time, with its zone, as the audit page prints it
    ip_address: str
    user_agent: str


def latin_1(*texts: str) -> bool:
    try:
        for text in texts:
            text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class _Document(FPDF):
    def __init__(self, footer_text: str, *, unicode: bool) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.font_name = "helvetica"
        self.set_margins(22, 22, 22)
        self.set_auto_page_break(auto=True, margin=20)
        if unicode:
            self.font_name = FONT
            self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
            self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title("Offer letter")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.font_name, "", 8)
        self.set_text_color(110)
        self.cell(0, 6, f"{self.footer_text}, page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    def line_of_text(self, text: str, *, size: float = 10.5, bold: bool = False) -> None:
        self.set_font(self.font_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _letter_pages(doc: _Document, letter: Letter) -> None:
    doc.add_page()
    doc.line_of_text(letter.subject, size=15, bold=True)
    doc.ln(4)
    for paragraph in letter.body.split("\n"):
        doc.line_of_text(paragraph if paragraph.strip() else " ")


def letter_pdf(*, letter: Letter, reference: str) -> bytes:
    """The letter as the candidate downloads it (and the approvers see it)."""
    doc = _Document(reference, unicode=not latin_1(letter.subject, letter.body, reference))
    _letter_pages(doc, letter)
    return bytes(doc.output())


def signed_letter_pdf(
    *,
    letter: Letter,
    reference: str,
    signature: SignatureFacts,
    trail: list[tuple[str, str]],
) -> bytes:
    """The letter, a signature block under it, and a page of the audit trail: each event
    of the offer (when, what) and the fingerprint of the exact text signed."""
    texts = [letter.subject, letter.body, reference, *vars(signature).values()]
    texts += [part for row in trail for part in row]
    doc = _Document(reference, unicode=not latin_1(*texts))
    _letter_pages(doc, letter)
    doc.ln(6)
    doc.line_of_text("Signed electronically", size=12, bold=True)
    doc.line_of_text(signature.statement, size=9.5)
    doc.ln(2)
    doc.line_of_text(signature.full_name, size=16, bold=True)
    doc.line_of_text(f"Signed on {signature.signed_at}", size=9.5)
    doc.add_page()
    doc.line_of_text("Audit trail", size=14, bold=True)
    doc.ln(2)
    for label, value in (
        ("Document", reference),
        ("Signed by", signature.full_name),
        ("Signed at", signature.signed_at),
        ("IP address", signature.ip_address or "not known"),
        ("Browser", signature.user_agent or "not known"),
        ("Text fingerprint (SHA-256)", letter.digest),
    ):
        doc.line_of_text(f"{label}: {value}", size=9.5)
    doc.ln(3)
    doc.line_of_text("Events", size=11, bold=True)
    for when, what in trail:
        doc.line_of_text(f"{when}  {what}", size=9.5)
    return bytes(doc.output())
