"""The pilot report as a PDF (fpdf2), from the same protected figures as the web report.

It opens with the date, the group and the threshold, then a contents list and the summary, and
gives every figure as a table (the web report adds the charts; each chart there draws a table
given here). Tables repeat their headings on each new page. Text is set in DejaVu Sans, which
matplotlib ships, so quotation marks and any letter print.
"""

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from markupsafe import Markup
from matplotlib import get_data_path

FONT_DIR = Path(get_data_path()) / "fonts" / "ttf"
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
HEAD = FontFace(emphasis="BOLD", fill_color=(232, 237, 238))


def _plain(cell: dict) -> str:
    """A table cell's words: its text, or its HTML without the tags."""
    if "html" in cell:
        return Markup(cell["html"]).striptags()
    return str(cell.get("text", ""))


class Report:
    def __init__(self, title: str, service_name: str) -> None:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_title(title)
        pdf.set_author(service_name)
        pdf.set_creator(service_name)
        pdf.set_lang("en-GB")
        pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_margins(15, 15, 15)
        self.pdf = pdf

    def heading(self, text: str, level: int = 1) -> None:
        pdf = self.pdf
        size = {0: 20, 1: 15, 2: 12}[level]
        if level == 1 and pdf.get_y() > pdf.h - 60:
            pdf.add_page()  # no heading alone at the foot of a page
        pdf.ln(3 if level else 0)
        if level:
            pdf.start_section(text, level=level - 1)
        pdf.set_font("DejaVu", "B", size)
        pdf.set_text_color(*(NHS_BLUE if level <= 1 else TEXT))
        pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def text(self, text: str, size: float = 10, bold: bool = False) -> None:
        if not text:
            return
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*TEXT)
        pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def bullets(self, items: Sequence[str]) -> None:
        for n, item in enumerate(items, start=1):
            self.text(f"{n}. {item}")

    def table(self, caption: str, head: Sequence[dict | str], rows: Sequence[Sequence[dict]]):
        if not rows:
            return
        pdf = self.pdf
        self.text(caption, size=9.5, bold=True)
        pdf.set_font("DejaVu", "", 8.5)
        widths = [3] + [1] * (len(head) - 1) if len(head) > 2 else [3, 1][: len(head)]
        with pdf.table(col_widths=widths, headings_style=HEAD, line_height=4.5,
                       text_align="LEFT", first_row_as_headings=True) as table:  # fmt: skip
            heading = table.row()
            for cell in head:
                heading.cell(cell if isinstance(cell, str) else _plain(cell))
            for row in rows:
                line = table.row()
                for cell in row:
                    line.cell(_plain(cell))
        pdf.ln(4)


def _contents(pdf: FPDF, outline) -> None:
    """The contents list, drawn once every section's page is known."""
    pdf.set_font("DejaVu", "B", 15)
    pdf.set_text_color(*NHS_BLUE)
    pdf.cell(0, 9, "Contents", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(*TEXT)
    for section in outline:
        if section.level:
            continue
        link = pdf.add_link(page=section.page_number)
        pdf.cell(150, 6, section.name, link=link)
        pdf.cell(0, 6, str(section.page_number), align="R", link=link,
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip


def report_pdf(data: dict, service_name: str) -> bytes:
    """The report's sections in the web report's order, summary first."""
    doc = Report("Pilot report", service_name)
    pdf = doc.pdf
    pdf.add_page()
    doc.heading(f"{service_name}: pilot report", level=0)
    doc.text(data["produced"], bold=True)
    doc.text(f"Figures for: {data['group']}.")
    doc.text(data["notice"] or "")
    doc.text(data["threshold"])
    doc.text(data["content"])
    doc.text(
        "Only learners who agreed to the pilot evaluation are counted, and no one is named. "
        "“not shown” marks a hidden count."
    )
    pdf.insert_toc_placeholder(_contents, pages=1)

    summary = data["summary"]
    doc.heading("Summary")
    doc.heading("Completions and certificates", 2)
    doc.text(summary["completions"]["sentence"])
    doc.text(summary["completions"]["modules"])
    doc.heading("Learning gain: the knowledge check", 2)
    doc.text(summary["knowledge"]["summary"] if summary["knowledge"]
             else "The course has no knowledge check asked at the start and the end.")  # fmt: skip
    doc.heading("Confidence before and after, per learning outcome", 2)
    if summary["confidence"]:
        doc.text(summary["confidence"]["summary"])
        doc.table("Change in mean confidence per learning outcome",
                  ["Learning outcome", "Paired learners", "Before", "After", "Change"],
                  summary["confidence_rows"])  # fmt: skip
    doc.heading("Pages most in need of attention", 2)
    doc.bullets([f"{p.title}: {'; '.join(p.reasons)}." for p in summary["pages"]]
                or ["No page has enough shown figures to rank."])  # fmt: skip
    doc.heading("Questions most in need of attention", 2)
    doc.bullets([f"{q.title}: {'; '.join(q.reasons)}." for q in summary["questions"]]
                or ["No question has enough shown first attempts to rank."])  # fmt: skip
    doc.heading("What changed since the previous content revision", 2)
    doc.text(summary["revision"]["sentence"])
    for item in summary["revision"]["items"]:
        doc.text(f"• {item['text']}")

    doc.heading("Registered, started and completed")
    doc.text(data["funnel"]["summary"])
    doc.table(f"Learners by module ({data['funnel']['registered']} registered)",
              ["Module", "Started", "Completed"], data["funnel"]["rows"])  # fmt: skip
    doc.text(data["time"]["summary"])
    doc.table("Median time from starting to completing a module",
              ["Module", "Median time", "Learners"], data["time"]["rows"])  # fmt: skip

    doc.heading("Drop-off within modules")
    for module in data["dropoff"]:
        doc.heading(f"Module {module['number']}: {module['title']}", 2)
        doc.text(module["summary"])
        doc.table(f"Learners who reached each page, module {module['number']}",
                  ["Page", "Reached the page", "Went no further"], module["rows"])  # fmt: skip

    doc.heading("Groups side by side")
    for kind, comparison in (("community role", data["by_role"]), ("cohort", data["by_cohort"])):
        doc.table(f"Figures by {kind}, beside everyone's", comparison["head"], comparison["rows"])
        doc.text(comparison["note"])

    doc.heading("Over time")
    weekly = data["weekly"]
    doc.text(weekly["summary"] or "There are no registrations, completions or page answers yet.")
    doc.table("Week by week (weeks start on Monday)",
              ["Week", "Registrations", "Course completions", "Page answers saying helpful"],
              weekly["rows"])  # fmt: skip
    around = data["around"]
    if around is None:
        doc.text("Only one content revision has been published, so there is nothing to compare.")
    else:
        doc.text(f"Before and after revision {around['revision'].number}, published "
                 f"{around['revision'].published_at:%-d %B %Y}.")  # fmt: skip
        doc.table("Pages it changed: share of answers saying helpful",
                  ["Page", "Before", "After", "Change"], around["pages"])  # fmt: skip
        doc.table("Questions it changed: share of first attempts answered right",
                  ["Question", "Before", "After", "Change"], around["questions"])  # fmt: skip

    doc.heading("Quizzes")
    doc.text("Figures use each learner's first attempt. Facility is the share who answered "
             "correctly; discrimination is the facility among the top 27% of scorers minus the "
             "bottom 27%.")  # fmt: skip
    for quiz in data["quizzes"]:
        doc.heading(f"Module {quiz['number']}: {quiz['title']}", 2)
        doc.text(quiz["summary"])
        if quiz["enough"]:
            doc.table(f"First-attempt scores, module {quiz['number']}", ["Score", "Learners"],
                      quiz["distribution_rows"])  # fmt: skip
            doc.table(f"Questions, module {quiz['number']}",
                      ["Question", "Facility", "Discrimination", "Most chosen wrong answer"],
                      quiz["question_rows"])  # fmt: skip

    doc.heading("Surveys")
    if data["knowledge"]:
        doc.heading("Learning gain: the knowledge check", 2)
        doc.text(data["knowledge"]["about"])
        doc.text(data["knowledge"]["summary"])
        doc.table("Mean right answers in the knowledge check, paired learners",
                  ["Paired learners", "Start", "End", "Learning gain"],
                  data["knowledge"]["rows"])  # fmt: skip
    if data["confidence"]:
        doc.heading("Confidence before and after the course", 2)
        doc.text(data["confidence"]["summary"])
    for survey in data["surveys"]:
        doc.heading(survey["title"], 2)
        if survey["likert"]:
            doc.text(survey["likert"]["summary"])
            doc.table(f"Statements in “{survey['title']}”", survey["likert"]["head"],
                      survey["likert"]["rows"])  # fmt: skip
        for choice in survey["choices"]:
            if choice["enough"]:
                doc.table(f"{choice['text']} ({choice['answers']} answers)",
                          ["Answer", "Learners", "Share"], choice["rows"])  # fmt: skip
            else:
                doc.text(f"{choice['text']}: too few learners answered, so figures are not shown.")

    doc.heading("Page feedback")
    for module in data["modules"]:
        doc.heading(f"Module {module['number']}: {module['title']}", 2)
        doc.text(module["summary"])
        doc.table(f"Was this page helpful? Module {module['number']}",
                  ["Page", "Answers", "Said helpful"], module["rows"])  # fmt: skip
    return bytes(pdf.output())
