"""Reading what the product writes (PDF and DOCX text), and names that are hard to print."""

import io
import unicodedata

from docx import Document
from pypdf import PdfReader

# A collective whose name carries quotes and markup characters, also stored decomposed (NFD):
# every document must print it as typed.
TEAM = 'Đội "Xung kích" & <Tổ 5>'
TEAM_DEED = "Đã có thành tích \"xuất sắc\" & <tận tụy> trong phòng, chống dịch"
NFD = unicodedata.normalize("NFD", TEAM)


def pdf_text(data: bytes) -> str:
    """The PDF's text, NFC, with line wrapping undone (a name may wrap inside a table cell)."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def docx_parts(data: bytes) -> tuple[str, list[list[list[str]]]]:
    """(body paragraphs, tables as rows of cell texts) of a DOCX."""
    doc = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables]
    return body, tables


def all_text(data: bytes) -> str:
    body, tables = docx_parts(data)
    return body + "\n" + "\n".join(c for t in tables for r in t for c in r)
