"""The certificate as a PDF (fpdf2), with the same facts as the certificate page.

The text is set in DejaVu Sans, which matplotlib ships, so any name prints (not only the
Latin-1 letters of the PDF core fonts) and the PDF needs nothing from outside the service.
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from matplotlib import get_data_path

from elearn.journey.certificates import CertificateView
from elearn.learn.presenters import long_date, module_line

FONT_DIR = Path(get_data_path()) / "fonts" / "ttf"
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
ORGANISATION = "Thames Valley and Surrey Secure Data Environment"


def certificate_pdf(certificate: CertificateView, service_name: str, check_url: str) -> bytes:
    """The certificate on one A4 page: service, name, course, date, modules with quiz scores,
    and the verification code with where to check it."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{service_name}: certificate of completion")
    pdf.set_author(service_name)
    pdf.set_creator(service_name)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_draw_color(*NHS_BLUE)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: float, bold: bool = False, colour=TEXT, gap: float = 4) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    pdf.set_y(28)
    pdf.set_left_margin(22)
    pdf.set_right_margin(22)
    line(service_name, 16, bold=True, colour=NHS_BLUE, gap=10)
    line("Certificate of completion", 26, bold=True, gap=12)
    line("This is to certify that", 12)
    line(certificate.name, 22, bold=True)
    line("has completed", 12)
    line(certificate.course_title, 16, bold=True)
    line(f"on {long_date(certificate.issued_at)}", 12, gap=10)
    line("Modules completed", 13, bold=True, gap=2)
    for module in certificate.modules:
        line(module_line(module), 11, gap=1)
    pdf.ln(10)
    line(f"Verification code: {certificate.code}", 12, bold=True, gap=2)
    line(f"Check this certificate at {check_url}", 10, gap=10)
    line(ORGANISATION, 11)
    return bytes(pdf.output())
