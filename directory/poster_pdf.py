"""The waiting-room poster as a one-page A4 PDF, drawn on the server with ReportLab (no browser, no system library).

The content is the HTML poster's (`paper.Poster`); it is laid out in a single
frame that shrinks to fit, so the PDF is one page whatever the data.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Frame, KeepInFrame, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate

from . import paper
from .templatetags.languages import long_date

MARGIN = 1.4 * cm
QR_SIZE = 4.2 * cm

STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=22, leading=26, spaceAfter=4),
    "lead": ParagraphStyle("lead", fontName="Helvetica", fontSize=12, leading=15, spaceAfter=6),
    "movement": ParagraphStyle(
        "movement", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=6, spaceAfter=2
    ),
    "meeting": ParagraphStyle("meeting", fontName="Helvetica", fontSize=10, leading=12.5, leftIndent=8),
    "small": ParagraphStyle("small", fontName="Helvetica", fontSize=9, leading=11),
    "help_title": ParagraphStyle("help_title", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8),
    "help": ParagraphStyle("help", fontName="Helvetica", fontSize=11, leading=14),
}


def _text(value):
    # The standard PDF fonts know Latin-1 and a few typographic signs, not thin spaces.
    return escape(str(value).replace("\u202f", " ").replace("\u2009", " "))


class QRCode(Flowable):
    """A segno QR code drawn as squares: vector, sharp at any print size."""

    def __init__(self, url, size):
        super().__init__()
        self.qr = paper.qr_code(url)
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        rows = list(self.qr.matrix_iter(scale=1, border=4))
        module = self.size / len(rows)
        drawing = Drawing(self.size, self.size)
        drawing.add(Rect(0, 0, self.size, self.size, fillColor=colors.white, strokeColor=None))
        for y, row in enumerate(rows):
            for x, dark in enumerate(row):
                if dark:
                    top = self.size - (y + 1) * module
                    drawing.add(Rect(x * module, top, module, module, fillColor=colors.black, strokeColor=None))
        drawing.drawOn(self.canv, 0, 0)


def _story(poster, title, updated_on):
    story = [
        Paragraph(_text(_("Groupes d'entraide en addictologie")), STYLES["lead"]),
        Paragraph(_text(title), STYLES["title"]),
        Paragraph(
            _text(
                _(
                    "Des personnes qui ont connu l'addiction, et leurs proches, se retrouvent près de chez vous. "
                    "Gratuit, sans inscription."
                )
            ),
            STYLES["lead"],
        ),
    ]
    for label, value in poster.criteria:
        story.append(Paragraph(_text(f"{label} : {value}"), STYLES["small"]))
    blocks = poster.blocks
    if not blocks:
        story.append(
            Paragraph(
                _text(
                    _(
                        "Aucune réunion publiée pour cette sélection à ce jour. Les lignes d'écoute ci-dessous "
                        "connaissent aussi les groupes proches."
                    )
                ),
                STYLES["lead"],
            )
        )
    for block in blocks:
        heading = ngettext("%(movement)s : %(count)s réunion", "%(movement)s : %(count)s réunions", block.count) % {
            "movement": block.movement.name,
            "count": block.count,
        }
        story.append(Paragraph(_text(heading), STYLES["movement"]))
        for meeting in block.visible:
            line = f"<b>{_text(paper.meeting_when(meeting))}</b> – {_text(paper.meeting_place(meeting))}"
            if meeting.is_demo or meeting.group.is_demo:
                line += f" <i>({_text(_('exemple'))})</i>"
            story.append(Paragraph(line, STYLES["meeting"]))
        if block.hidden_count:
            more = ngettext(
                "et %(count)s autre : voir la liste en ligne",
                "et %(count)s autres : voir la liste en ligne",
                block.hidden_count,
            ) % {"count": block.hidden_count}
            story.append(Paragraph(f"<i>{_text(more)}</i>", STYLES["meeting"]))
    story.append(Paragraph(_text(_("Besoin d'aide maintenant ?")), STYLES["help_title"]))
    story.append(Paragraph(_text(paper.HELPLINES_HOURS), STYLES["help"]))
    for line in paper.HELPLINES:
        story.append(
            Paragraph(f"<b>{_text(line.name)}</b> : {_text(line.number)} ({_text(line.answers_in)})", STYLES["help"])
        )
    story.append(Paragraph(_text(paper.EMERGENCY), STYLES["help"]))
    return story


def _footer(poster, updated_on, width):
    updated = _("Liste mise à jour le %(date)s.") % {"date": long_date(updated_on)}
    words = [
        Paragraph(_text(_("La liste à jour, à tout moment :")), STYLES["help_title"]),
        Paragraph(_text(poster.live_url), STYLES["small"]),
        Spacer(1, 4),
        Paragraph(_text(updated), STYLES["small"]),
        Paragraph(_text(_("Entraide Grand Est – %(site)s") % {"site": settings.SITE_URL}), STYLES["small"]),
    ]
    columns = [width - QR_SIZE - 0.4 * cm, QR_SIZE + 0.4 * cm]
    table = Table([[words, QRCode(poster.live_url, QR_SIZE)]], colWidths=columns)
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black)])
    )
    return table


def render(poster, title, updated_on):
    """The poster as PDF bytes: one A4 page."""
    buffer = BytesIO()
    width, height = A4
    inner_width = width - 2 * MARGIN
    footer = _footer(poster, updated_on, inner_width)
    _w, footer_height = footer.wrap(inner_width, height)
    body_height = height - 2 * MARGIN - footer_height - 0.3 * cm
    body = Frame(MARGIN, MARGIN + footer_height + 0.3 * cm, inner_width, body_height, id="body", showBoundary=0)
    bottom = Frame(
        MARGIN,
        MARGIN,
        inner_width,
        footer_height,
        id="footer",
        showBoundary=0,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def draw_footer(canvas, document):
        bottom.addFromList([footer], canvas)

    document = BaseDocTemplate(
        buffer, pagesize=A4, title=str(title), author="Entraide Grand Est", creator="Entraide Grand Est"
    )
    document.addPageTemplates([PageTemplate(id="poster", frames=[body], onPage=draw_footer)])
    # Shrinking to the frame keeps everything on one page, however many movements there are.
    fitted = KeepInFrame(inner_width - 12, body_height - 12, _story(poster, title, updated_on), mode="shrink")
    document.build([fitted])
    return buffer.getvalue()
