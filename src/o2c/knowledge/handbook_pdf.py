"""The handbook's PDF chapter (returns) and the reportlab code that renders it.

The PDF in ``handbook/returns-policy.pdf`` is generated, never edited: change ``RETURNS_POLICY``
below and run ``python -m o2c.knowledge.handbook_pdf`` to write it again. Sections are numbered
("1 Returns authorisation") so the PDF loader can find the headings in the extracted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HANDBOOK_DIR = Path(__file__).resolve().parent / "handbook"


@dataclass(frozen=True)
class Chapter:
    """A title, an introduction and numbered sections of plain paragraphs."""

    title: str
    introduction: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]


RETURNS_POLICY = Chapter(
    title="Returns Policy",
    introduction="Owner: Customer service with the warehouse. How customers return goods and how they "
                 "are credited.",
    sections=(
        ("Returns authorisation", (
            "Every return needs a return merchandise authorisation (RMA) number from customer service "
            "before the goods are collected. The customer gives the invoice number, the items and the "
            "reason; customer service checks the request against this policy and issues the RMA within "
            "one working day. Goods that arrive without an RMA number are refused at the warehouse.",
        )),
        ("Return time limits", (
            "Unopened goods in saleable condition may be returned within 14 days of delivery. Chilled "
            "and fresh products cannot be returned unless they were damaged or wrong on delivery. "
            "Goods past half of their shelf life are not accepted back.",
        )),
        ("Restocking fee", (
            "A return that is not our fault (the customer ordered too much or changed their mind) is "
            "charged a restocking fee of 15% of the net value, at least 25 EUR. No fee is charged for "
            "damaged, wrong or late deliveries.",
        )),
        ("Inspection and credit for returns", (
            "The warehouse inspects returned goods within three working days of receipt. Customer "
            "service then issues a credit note for the accepted quantities, referencing the original "
            "invoice and the RMA number. Rejected items are scrapped or sent back at the customer's "
            "cost, as the customer chooses.",
        )),
        ("Wrong items delivered", (
            "When we delivered the wrong product, we collect it at our cost and deliver the right one "
            "with the next route, or credit it if the customer prefers. This is a return with reason "
            "code shortage for the missing item; no restocking fee applies.",
        )),
    ),
)


def render_pdf(chapter: Chapter, target: Path) -> Path:
    """Write the chapter as a small PDF with numbered section headings."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story = [Paragraph(chapter.title, styles["Title"]), Paragraph(chapter.introduction, styles["BodyText"])]
    for number, (heading, paragraphs) in enumerate(chapter.sections, start=1):
        story += [Spacer(1, 8), Paragraph(f"{number} {heading}", styles["Heading2"])]
        story += [Paragraph(text, styles["BodyText"]) for text in paragraphs]
    document = SimpleDocTemplate(str(target), pagesize=A4, title=chapter.title, author="Brightwater Finance",
                                 invariant=1)
    document.build(story)
    return target


if __name__ == "__main__":
    print(render_pdf(RETURNS_POLICY, HANDBOOK_DIR / "returns-policy.pdf"))
