#!/usr/bin/env python3
"""Makes the bad files the intake tests refuse or warn about (outputs committed).

    python3 tests/data/intake/make.py
"""
import shutil
import zipfile
from pathlib import Path

from docx import Document
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_body(path, body):
    """A minimal DOCX whose document.xml body is `body`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>')


def p(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def table(rows):
    out = "<w:tbl>"
    for row in rows:
        out += "<w:tr>" + "".join(f"<w:tc>{p(c)}</w:tc>" for c in row) + "</w:tr>"
    return out + "</w:tbl>"


HEAD = ["Capability", "Evidence", "Narrative"]
HEADER = p("Education provider: University of Testing") + p("Programme name: MSc Test") + p("Award: MSc")


def pack(name, rows, extra_body="", pdf=True):
    d = HERE / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir()
    docx_with_body(d / "mapping.docx", HEADER + extra_body + table([HEAD] + rows))
    if pdf:
        simple_pdf(d / "spec.pdf", ["Spec page one", "Spec page two"])
    (d / "intake.toml").write_text('id = "S-TEST-1"\n\n[[documents]]\nfile = "spec.pdf"\nid = "E01"\ntitle = "Programme specification"\n')
    return d


def simple_pdf(path, pages, password=None, image_page=False):
    c = canvas.Canvas(str(path), invariant=1, encrypt=password)
    for text in pages:
        c.drawString(72, 700, text)
        c.showPage()
    if image_page:
        c.rect(100, 100, 300, 300, fill=1)
        c.showPage()
    c.save()


def main():
    # Refused files.
    (HERE / "legacy.doc").write_bytes(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 504)
    (HERE / "encrypted.docx").write_bytes(
        bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 56 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 400
    )
    simple_pdf(HERE / "password.pdf", ["secret"], password="letmein")
    with zipfile.ZipFile(HERE / "dotdot.docx", "w") as z:
        z.writestr("word/document.xml", f"<w:document {W}/>")
        z.writestr("../../evil.xml", "x")
    with zipfile.ZipFile(HERE / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                f.write(block)
    (HERE / "not-a-pdf.pdf").write_bytes(b"hello, I am text")
    # Warned files.
    docx_with_body(HERE / "tracked.docx", "<w:p><w:r><w:t>kept</w:t></w:r><w:ins><w:r><w:t> added</w:t></w:r></w:ins><w:del><w:r><w:delText> removed</w:delText></w:r></w:del></w:p>")
    docx_with_body(HERE / "comments.docx", '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>text</w:t></w:r></w:p>')
    simple_pdf(HERE / "scanned.pdf", ["a text page"], image_page=True)
    # Packs.
    pack("pack-ok", [["MPF 1.1", "E01 p.2", "Taught in module one."], ["MPF 1.2", "Programme spec p.1", "Loosely cited."]])
    pack("pack-unknown-code", [["MPF 9.9", "E01 p.1", "No such capability."], ["MPF 1.1", "E01 p.1", "Fine."]])
    pack("pack-two-rows", [["MPF 1.1", "E01 p.1", "First."], ["MPF 1.1", "E01 p.2", "Second."]])
    pack("pack-missing-doc", [["MPF 1.1", "Staff handbook p.3", "Not in the pack."]])
    pack("pack-beyond-pages", [["MPF 1.1", "E01 p.12", "The spec has two pages."]])
    d = pack("pack-same-file", [["MPF 1.1", "E01 p.1", "Fine."]])
    shutil.copy(d / "spec.pdf", d / "spec-copy.pdf")
    d = HERE / "pack-no-table"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    docx_with_body(d / "mapping.docx", HEADER + table([["Code", "Evidence"], ["XYZ 1", "E01"]]))
    d = HERE / "pack-pdf-mapping"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    simple_pdf(d / "mapping-document-2.pdf", ["MPF 1.1 | E01 p.1"])
    print("wrote", HERE)


if __name__ == "__main__":
    main()
