"""Checking the content and building the Course: each document against the schema, then the
rules across documents (ids that must exist, be listed, be unique), rendering pages on the way.

The same checks serve files (`load_course`) and data sent as an editor would send it
(`validate_data`). Every problem is reported as `path:line: message`, or `path: field: message`
where no line is known, in the order of the files; nothing is built while any problem remains.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from elearn.content import links
from elearn.content.files import ContentFiles, Document, ModuleFiles, parse_page, parse_yaml
from elearn.content.plaintext import markdown_to_plain_text
from elearn.content.problems import ContentInvalid, Problem
from elearn.content.render import render_markdown
from elearn.content.schema import (
    LONG_TEXT_MAX,
    BibliographyEntry,
    BibliographyFile,
    Course,
    CourseFile,
    GlossaryFile,
    GlossaryTerm,
    Handout,
    HandoutFrontMatter,
    Module,
    ModuleFile,
    Page,
    PageFrontMatter,
    QuizFile,
    SurveyFile,
)

M = TypeVar("M", bound=BaseModel)


def validate_data(data: Mapping[str, object]) -> Course:
    """Check a course sent as data and build it; raise ContentInvalid. The data is shaped like
    the files, each document a mapping (or the text of its file, whose lines problems then name):

        {"course": {...}, "glossary": {"terms": [...]},
         "modules": [{"module": {...}, "pages": [{"id": ..., "title": ..., "markdown": ...}]}],
         "quizzes": [{...}], "surveys": [{...}],
         "handouts": [{"id": ..., "title": ..., "persona": ..., "summary": ..., "markdown": ...}]}

    Problems name each document by where it is in the data: course, glossary, modules/0,
    modules/0/pages/2, quizzes/1, surveys/0.
    """
    modules = _items(data.get("modules"))
    quizzes = _items(data.get("quizzes"))
    surveys = _items(data.get("surveys"))
    handouts = _items(data.get("handouts"))
    bibliography = data.get("bibliography")
    return validate(
        ContentFiles(
            origin="course",
            course=_document_data("course", data.get("course")),
            glossary=_document_data("glossary", data.get("glossary")),
            modules=[_module_data(f"modules/{n}", m) for n, m in enumerate(modules)],
            quizzes=[_document_data(f"quizzes/{n}", q) for n, q in enumerate(quizzes)],
            surveys=[_document_data(f"surveys/{n}", s) for n, s in enumerate(surveys)],
            handouts=[_page_data(f"handouts/{n}", h) for n, h in enumerate(handouts)],
            bibliography=None
            if bibliography is None
            else _document_data("bibliography", bibliography),
        )
    )


def validate(files: ContentFiles) -> Course:
    """Check the content and build the Course from it; raise ContentInvalid."""
    report = _Report()
    course_file = report.model(files.course, CourseFile)
    glossary = report.model(files.glossary, GlossaryFile)
    modules = _check_modules(report, files.modules)
    pages = _check_pages(report, modules)
    if course_file:
        _check_course_modules(report, files.course, course_file, modules)
    terms = _check_glossary(report, files.glossary, glossary) if glossary else {}
    bibliography = _check_bibliography(report, files.bibliography)
    for module in modules.by_id.values():
        if module.model.sources:
            line = module.doc.positions.find("sources:")
            report.add(
                module.doc, "sources belong in the course bibliography (bibliography.yaml)", line
            )
    built = _build_modules(report, modules, _Targets(pages, terms), bibliography)
    quizzes = _check_quizzes(report, files.quizzes, modules, pages)
    surveys = _check_surveys(report, files.surveys, modules)
    handouts = _check_handouts(report, files.handouts, _Targets(pages, terms))
    if report.problems or course_file is None or glossary is None:
        raise ContentInvalid(report.problems or [Problem(files.origin, "no content found")])
    order = {module_id: n for n, module_id in enumerate(course_file.modules)}
    return Course(
        id=course_file.id,
        title=course_file.title,
        summary=course_file.summary,
        modules=sorted(built, key=lambda m: order[m.id]),
        glossary=sorted(glossary.terms, key=lambda t: t.term.lower()),
        quizzes=quizzes,
        surveys=surveys,
        handouts=handouts,
        bibliography=list(bibliography.values()),
    )


class _Report:
    """The problems found so far, in the order they were found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, doc: Document, message: str, line: int | None = None, field: str = "") -> None:
        self.problems.append(Problem(doc.path, message, line, field or None))

    def model(self, doc: Document, model: type[M]) -> M | None:
        """The document as a schema model, or None once its problems are reported."""
        if doc.problems:
            self.problems.extend(doc.problems)
            return None
        if not isinstance(doc.data, dict):
            self.add(doc, "expected a mapping of keys and values", doc.positions.start)
            return None
        try:
            return model.model_validate(doc.data)
        except ValidationError as error:
            self.schema(doc, error)
            return None

    def schema(self, doc: Document, error: ValidationError) -> None:
        self.problems.extend(_schema_problem(doc, err) for err in error.errors())


def _check_bibliography(report: _Report, doc: Document | None) -> dict[str, BibliographyEntry]:
    """The bibliography's entries by id: one id and one address per source."""
    if doc is None:
        return {}
    bibliography = report.model(doc, BibliographyFile)
    if bibliography is None:
        return {}
    for dup, n in Counter(s.id for s in bibliography.sources).items():
        if n > 1:
            report.add(doc, f"duplicate source id '{dup}'", doc.positions.find(f"id: {dup}"))
    addresses = Counter(s.url.rstrip("/").lower() for s in bibliography.sources)
    for source in bibliography.sources:
        if addresses[source.url.rstrip("/").lower()] > 1:
            line = doc.positions.find(source.url)
            report.add(doc, f"source '{source.id}': the same address as another source", line)
    return {s.id: s for s in bibliography.sources}


def _schema_problem(doc: Document, err: ErrorDetails) -> Problem:
    loc = [part for part in err["loc"] if not isinstance(part, str) or "[" not in part]
    field = ".".join(str(p) for p in loc)
    line = doc.positions.line(loc)
    if err["type"] == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'"
    elif err["type"] == "missing":
        message = f"missing key '{loc[-1]}'"
    else:  # the message names the field itself
        message = err["msg"].removeprefix("Value error, ")
        message, field = (f"{field}: {message}" if field else message), ""
    return Problem(doc.path, message, line, field if line is None and field else None)


@dataclass(frozen=True)
class _Module:
    files: ModuleFiles
    model: ModuleFile

    @property
    def doc(self) -> Document:
        return self.files.module


@dataclass(frozen=True)
class _Modules:
    by_id: dict[str, _Module]
    broken: set[str]  # ids of modules whose module.yaml has problems: no follow-on reports


@dataclass(frozen=True)
class _Page:
    doc: Document
    front: PageFrontMatter
    module_id: str


def _check_modules(report: _Report, module_files: list[ModuleFiles]) -> _Modules:
    modules = _Modules({}, set())
    for files in module_files:
        module = report.model(files.module, ModuleFile)
        if module is None:
            data = files.module.data
            modules.broken.add(str(data.get("id", "")) if isinstance(data, dict) else "")
        elif module.id in modules.by_id:
            line = files.module.positions.find("id:")
            report.add(files.module, f"duplicate module id '{module.id}'", line)
        else:
            modules.by_id[module.id] = _Module(files, module)
    return modules


def _check_pages(report: _Report, modules: _Modules) -> dict[str, _Page]:
    """Every module's pages, by id: each listed in module.yaml, each listed page found."""
    pages: dict[str, _Page] = {}
    for module in modules.by_id.values():
        found: dict[str, _Page] = {}
        for doc in module.files.pages:
            front = report.model(doc, PageFrontMatter)
            if front is None:
                continue
            if front.id in pages or front.id in found:
                report.add(doc, f"duplicate page id '{front.id}'", doc.positions.start)
                continue
            found[front.id] = _Page(doc, front, module.model.id)
        _check_page_lists(report, module, found)
        pages.update(found)
        _check_module_ids(report, module)
    return pages


def _check_page_lists(report: _Report, module: _Module, found: dict[str, _Page]) -> None:
    for index, page_id in enumerate(module.model.pages):
        if page_id not in found:
            line = module.doc.positions.line(["pages", index])
            report.add(module.doc, f"page '{page_id}' has no file in pages/", line)
    for page_id, page in found.items():
        if page_id not in module.model.pages:
            message = f"page '{page_id}' is not listed in module.yaml pages"
            report.add(page.doc, message, page.doc.positions.start)


def _check_module_ids(report: _Report, module: _Module) -> None:
    for counter, label in (
        (Counter(s.id for s in module.model.sources), "source"),
        (Counter(o.id for o in module.model.outcomes), "outcome"),
        (Counter(module.model.pages), "page"),
    ):
        for dup, n in counter.items():
            if n > 1:
                report.add(module.doc, f"duplicate {label} id '{dup}'", field=label + "s")


def _check_course_modules(
    report: _Report, doc: Document, course_file: CourseFile, modules: _Modules
) -> None:
    for module_id in course_file.modules:
        if module_id not in modules.by_id and module_id not in modules.broken:
            line = doc.positions.find(module_id)
            report.add(doc, f"module '{module_id}' has no module.yaml", line)
    for module_id, module in modules.by_id.items():
        if module_id not in course_file.modules:
            message = f"module '{module_id}' is not listed in course.yaml"
            report.add(module.doc, message, module.doc.positions.start)


def _check_glossary(
    report: _Report, doc: Document, glossary: GlossaryFile
) -> dict[str, GlossaryTerm]:
    for dup, n in Counter(t.id for t in glossary.terms).items():
        if n > 1:
            line = doc.positions.find(f"id: {dup}")
            report.add(doc, f"duplicate glossary term id '{dup}'", line)
    return {t.id: t for t in glossary.terms}


@dataclass(frozen=True)
class _Targets:
    """What `page:` and `glossary:` links in the Markdown can point to."""

    pages: dict[str, _Page]
    terms: dict[str, GlossaryTerm]
    decisions: set[str] = dataclass_field(default_factory=set)  # decision point ids met so far

    def page_href(self, target: str) -> str | None:
        page = self.pages.get(target)
        return links.page_path(page.module_id, target) if page else None

    def glossary_href(self, target: str) -> str | None:
        return links.glossary_path(target) if target in self.terms else None


def _build_modules(
    report: _Report,
    modules: _Modules,
    targets: _Targets,
    bibliography: dict[str, BibliographyEntry],
) -> list[Module]:
    built: list[Module] = []
    for module in modules.by_id.values():
        pages = [
            _build_page(report, targets.pages[page_id], set(bibliography), targets)
            for page_id in module.model.pages
            if page_id in targets.pages
        ]
        cited = list(dict.fromkeys(s for p in pages if p is not None for s in p.sources))
        built.append(
            Module(
                id=module.model.id,
                title=module.model.title,
                summary=module.model.summary,
                estimated_minutes=module.model.estimated_minutes,
                outcomes=module.model.outcomes,
                pages=[page for page in pages if page is not None],
                sources=[bibliography[s] for s in cited if s in bibliography],
            )
        )
    return built


def _build_page(
    report: _Report, page: _Page, source_ids: set[str], targets: _Targets
) -> Page | None:
    """Check a page's sources and links, and render it: the one place Markdown becomes HTML."""
    doc, positions = page.doc, page.doc.positions
    length = len(doc.body.strip())
    if length > LONG_TEXT_MAX:  # checked first: a huge page is slow to render, only to be refused
        message = (
            f"the page is too long: {length:,} characters, and a page can have at most "
            f"{LONG_TEXT_MAX:,}. Split it into shorter pages."
        )
        report.add(doc, message, positions.start, field="markdown")
        return None
    for source in page.front.sources:
        if source not in source_ids:
            message = f"unknown source '{source}' (not in the course bibliography)"
            report.add(doc, message, positions.find("sources:"))
    label = f"Table: {page.front.title}"
    result = render_markdown(doc.body, targets.page_href, targets.glossary_href, label)
    for target in result.page_links:
        if target not in targets.pages:
            report.add(doc, f"link to unknown page '{target}'", positions.find(f"page:{target}"))
    for target in result.glossary_links:
        if target not in targets.terms:
            line = positions.find(f"glossary:{target}")
            report.add(doc, f"unknown glossary term '{target}'", line)
    body_start = len(positions.text.splitlines()) - len(doc.body.splitlines())
    for line in result.stray_sample_answers:
        message = "a sample answer must come straight after a reflect block"
        report.add(doc, message, body_start + line if positions.text else None)
    for index, decision in enumerate(page.front.decisions):
        if decision.id in targets.decisions:
            line = positions.line(["decisions", index, "id"])
            report.add(doc, f"duplicate decision point id '{decision.id}'", line)
        targets.decisions.add(decision.id)
    try:
        return Page(
            id=page.front.id,
            title=page.front.title,
            sources=page.front.sources,
            decisions=page.front.decisions,
            markdown=doc.body,
            html=result.html,
            text=markdown_to_plain_text(doc.body),
        )
    except ValidationError as error:  # no text after the front matter, or too much
        report.schema(doc, error)
        return None


def _check_quizzes(
    report: _Report, docs: list[Document], modules: _Modules, pages: dict[str, _Page]
) -> dict[str, QuizFile]:
    quizzes: dict[str, QuizFile] = {}
    seen_questions: set[str] = set()
    for doc in docs:
        quiz = report.model(doc, QuizFile)
        if quiz is None:
            continue
        module = modules.by_id.get(quiz.module)
        if module is None:
            if quiz.module not in modules.broken:
                line = doc.positions.find("module:")
                report.add(doc, f"unknown module '{quiz.module}'", line)
            continue
        if doc.name is not None and doc.name != quiz.module:
            message = f"the file for module '{quiz.module}' is named {quiz.module}.yaml"
            report.add(doc, message, doc.positions.start)
        if quiz.module in quizzes:
            report.add(doc, f"a second quiz for module '{quiz.module}'", doc.positions.start)
            continue
        _check_questions(report, doc, quiz, module.model, pages, seen_questions)
        quizzes[quiz.module] = quiz
    return quizzes


def _check_questions(
    report: _Report,
    doc: Document,
    quiz: QuizFile,
    module: ModuleFile,
    pages: dict[str, _Page],
    seen: set[str],
) -> None:
    """Each question tests one of the module's outcomes and points to one of its pages; every
    outcome is tested. Question ids are unique across quizzes (seen: the ids so far)."""
    outcome_ids = {o.id for o in module.outcomes}
    tested: set[str] = set()
    for question in quiz.questions:
        line = doc.positions.find(f"id: {question.id}")
        if question.id in seen:
            report.add(doc, f"duplicate question id '{question.id}'", line)
        seen.add(question.id)
        if question.outcome not in outcome_ids:
            message = f"question '{question.id}': unknown outcome '{question.outcome}'"
            report.add(doc, message, line)
        tested.add(question.outcome)
        page = pages.get(question.page)
        if page is None or page.module_id != quiz.module:
            message = (
                f"question '{question.id}': unknown page '{question.page}' in module "
                f"'{quiz.module}'"
            )
            report.add(doc, message, line)
    for outcome in module.outcomes:
        if outcome.id not in tested:
            message = f"learning outcome '{outcome.id}' has no question"
            report.add(doc, message, field="questions")


def _check_surveys(report: _Report, docs: list[Document], modules: _Modules) -> list[SurveyFile]:
    surveys: list[SurveyFile] = []
    outcome_ids = {o.id for m in modules.by_id.values() for o in m.model.outcomes}
    seen: set[str] = set()
    for doc in docs:
        survey = report.model(doc, SurveyFile)
        if survey is None:
            continue
        if survey.id in seen:
            report.add(doc, f"duplicate survey id '{survey.id}'", doc.positions.find("id:"))
        seen.add(survey.id)
        if survey.module and survey.module not in modules.by_id:
            report.add(doc, f"unknown module '{survey.module}'", doc.positions.find("module:"))
        for item in survey.items:
            if item.outcome and item.outcome not in outcome_ids:
                line = doc.positions.find(f"id: {item.id}")
                report.add(doc, f"item '{item.id}': unknown outcome '{item.outcome}'", line)
        surveys.append(survey)
    return surveys


def _check_handouts(report: _Report, docs: list[Document], targets: _Targets) -> list[Handout]:
    """Printable pages: front matter, unique ids, links that resolve; rendered like pages."""
    handouts: list[Handout] = []
    seen: set[str] = set()
    for doc in docs:
        front = report.model(doc, HandoutFrontMatter)
        if front is None:
            continue
        if front.id in seen:
            report.add(doc, f"duplicate handout id '{front.id}'", doc.positions.start)
        seen.add(front.id)
        result = render_markdown(doc.body, targets.page_href, targets.glossary_href)
        for target in result.page_links:
            if target not in targets.pages:
                line = doc.positions.find(f"page:{target}")
                report.add(doc, f"link to unknown page '{target}'", line)
        for target in result.glossary_links:
            if target not in targets.terms:
                line = doc.positions.find(f"glossary:{target}")
                report.add(doc, f"unknown glossary term '{target}'", line)
        try:
            handouts.append(
                Handout(
                    **front.model_dump(),
                    markdown=doc.body,
                    html=result.html,
                    text=markdown_to_plain_text(doc.body),
                )
            )
        except ValidationError as error:
            report.schema(doc, error)
    return handouts


# Data sent as an editor would send it, as documents with pseudo-paths (see validate_data).


def _items(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _document_data(path: str, value: object) -> Document:
    return parse_yaml(path, value) if isinstance(value, str) else Document(path, value)


def _page_data(path: str, value: object) -> Document:
    if isinstance(value, str):
        return parse_page(path, value)
    if not isinstance(value, Mapping):
        return Document(path, value)
    markdown = value.get("markdown", "")
    front = {key: v for key, v in value.items() if key != "markdown"}
    return Document(path, front, markdown if isinstance(markdown, str) else "")


def _module_data(path: str, value: object) -> ModuleFiles:
    entry = value if isinstance(value, Mapping) else {"module": value}
    pages = _items(entry.get("pages"))
    return ModuleFiles(
        _document_data(path, entry.get("module")),
        [_page_data(f"{path}/pages/{n}", page) for n, page in enumerate(pages)],
    )
