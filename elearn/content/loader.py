"""Read the content files, check them against the schema and each other, and build a Course.

Every problem is reported as `path:line: message`, or `path: field: message` where no line is
known, and nothing is imported while any problem remains.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from elearn.content import links
from elearn.content.plaintext import markdown_to_plain_text
from elearn.content.problems import ContentInvalid, Problem
from elearn.content.render import render_markdown
from elearn.content.schema import (
    Course,
    CourseFile,
    GlossaryFile,
    Module,
    ModuleFile,
    Page,
    PageFrontMatter,
    QuizFile,
    SurveyFile,
)


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def problem(self, path: Path, message: str, line: int | None = None, field: str | None = None):
        self.problems.append(Problem(self.rel(path), message, line, field))

    def load_yaml_text(self, path: Path, text: str, model: type[BaseModel], line_offset: int = 0):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 + line_offset if mark else None
            self.problem(path, f"not valid YAML: {getattr(error, 'problem', error)}", line)
            return None
        if not isinstance(data, dict):
            self.problem(path, "expected a mapping of keys and values", 1 + line_offset)
            return None
        try:
            return model.model_validate(data)
        except ValidationError as error:
            node = yaml.compose(text)
            for err in error.errors():
                loc = [part for part in err["loc"] if not isinstance(part, str) or "[" not in part]
                line = _line_of(node, loc)
                field = ".".join(str(p) for p in loc)
                message = err["msg"].removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    message = f"unknown key '{loc[-1]}'"
                elif err["type"] == "missing":
                    message = f"missing key '{loc[-1]}'"
                else:
                    message = f"{field}: {message}" if field else message
                self.problems.append(
                    Problem(
                        self.rel(path),
                        message,
                        line + line_offset if line is not None else None,
                        field if line is None else None,
                    )
                )
            return None

    def load_yaml(self, path: Path, model: type[BaseModel]):
        if not path.is_file():
            self.problem(path, "file is missing")
            return None
        return self.load_yaml_text(path, path.read_text(encoding="utf-8"), model)


def _line_of(node: Any, loc: list) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                return line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _raw_id(path: Path) -> str:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return ""
    return str(data.get("id", "")) if isinstance(data, dict) else ""


def _find_line(text: str, needle: str, offset: int = 0) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number + offset
    return None


@dataclass
class _PageFile:
    path: Path
    front: PageFrontMatter
    body: str
    body_offset: int


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end == -1:
        return None
    front = text[4:end]
    body = text[end + 5 :]
    return front, body, front.count("\n") + 3


def load_course(root: Path | str) -> Course:
    """Load and check everything under root (modules/, quizzes/, surveys/); raise ContentInvalid."""
    root = Path(root)
    reader = _Reader(root)
    modules_dir = root / "modules"
    course_file = reader.load_yaml(modules_dir / "course.yaml", CourseFile)
    glossary_path = modules_dir / (course_file.glossary if course_file else "glossary.yaml")
    glossary = reader.load_yaml(glossary_path, GlossaryFile)

    module_files: dict[str, tuple[Path, ModuleFile]] = {}
    broken: set[str] = set()  # modules whose file has problems: no follow-on reports
    for path in sorted(modules_dir.glob("*/module.yaml")):
        module = reader.load_yaml(path, ModuleFile)
        if module is None:
            broken.add(_raw_id(path))
            continue
        if module.id in module_files:
            reader.problem(
                path, f"duplicate module id '{module.id}'", _find_line(path.read_text(), "id:")
            )
            continue
        module_files[module.id] = (path, module)

    pages: dict[str, _PageFile] = {}
    page_module: dict[str, str] = {}
    for module_id, (module_path, module) in module_files.items():
        found: dict[str, _PageFile] = {}
        for path in sorted((module_path.parent / "pages").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            split = _split_front_matter(text)
            if split is None:
                reader.problem(path, "a page starts with front matter between '---' lines", 1)
                continue
            front_text, body, offset = split
            front = reader.load_yaml_text(path, front_text, PageFrontMatter, line_offset=1)
            if front is None:
                continue
            if front.id in pages or front.id in found:
                reader.problem(path, f"duplicate page id '{front.id}'", 2)
                continue
            found[front.id] = _PageFile(path, front, body, offset)
        for index, page_id in enumerate(module.pages):
            if page_id not in found:
                line = _line_of(yaml.compose(module_path.read_text()), ["pages", index])
                reader.problem(module_path, f"page '{page_id}' has no file in pages/", line)
        for page_id, page in found.items():
            if page_id not in module.pages:
                reader.problem(page.path, f"page '{page_id}' is not listed in module.yaml pages", 2)
        pages.update(found)
        page_module.update({page_id: module_id for page_id in found})
        for counter, label in (
            (Counter(s.id for s in module.sources), "source"),
            (Counter(o.id for o in module.outcomes), "outcome"),
            (Counter(module.pages), "page"),
        ):
            for dup, n in counter.items():
                if n > 1:
                    reader.problem(module_path, f"duplicate {label} id '{dup}'", field=label + "s")

    if course_file:
        for module_id in course_file.modules:
            if module_id not in module_files and module_id not in broken:
                reader.problem(
                    modules_dir / "course.yaml",
                    f"module '{module_id}' has no module.yaml",
                    _find_line((modules_dir / "course.yaml").read_text(), module_id),
                )
        for module_id, (path, _) in module_files.items():
            if module_id not in course_file.modules:
                reader.problem(path, f"module '{module_id}' is not listed in course.yaml", 1)

    terms = {t.id: t for t in glossary.terms} if glossary else {}
    if glossary:
        for dup, n in Counter(t.id for t in glossary.terms).items():
            if n > 1:
                reader.problem(
                    glossary_path,
                    f"duplicate glossary term id '{dup}'",
                    _find_line(glossary_path.read_text(), f"id: {dup}"),
                )

    def page_href(target: str) -> str | None:
        return links.page_path(page_module[target], target) if target in page_module else None

    def glossary_href(target: str) -> str | None:
        return links.glossary_path(target) if target in terms else None

    built_modules: list[Module] = []
    for _path, module in module_files.values():
        source_ids = {s.id for s in module.sources}
        built_pages = []
        for page_id in module.pages:
            page = pages.get(page_id)
            if page is None:
                continue
            raw = page.path.read_text(encoding="utf-8")
            for source in page.front.sources:
                if source not in source_ids:
                    reader.problem(
                        page.path,
                        f"unknown source '{source}' (not in module.yaml sources)",
                        _find_line(raw, "sources:"),
                    )
            result = render_markdown(page.body, page_href, glossary_href)
            for target in result.page_links:
                if target not in page_module:
                    reader.problem(
                        page.path,
                        f"link to unknown page '{target}'",
                        _find_line(raw, f"page:{target}"),
                    )
            for target in result.glossary_links:
                if target not in terms:
                    reader.problem(
                        page.path,
                        f"unknown glossary term '{target}'",
                        _find_line(raw, f"glossary:{target}"),
                    )
            built_pages.append(
                Page(
                    id=page.front.id,
                    title=page.front.title,
                    sources=page.front.sources,
                    markdown=page.body,
                    html=result.html,
                    text=markdown_to_plain_text(page.body),
                )
            )
        built_modules.append(
            Module(
                id=module.id,
                title=module.title,
                summary=module.summary,
                estimated_minutes=module.estimated_minutes,
                outcomes=module.outcomes,
                pages=built_pages,
                sources=module.sources,
            )
        )

    quizzes = _load_quizzes(reader, root / "quizzes", module_files, page_module, broken)
    surveys = _load_surveys(reader, root / "surveys", module_files)

    if reader.problems or course_file is None or glossary is None:
        raise ContentInvalid(reader.problems or [Problem(reader.rel(root), "no content found")])
    order = {module_id: n for n, module_id in enumerate(course_file.modules)}
    return Course(
        id=course_file.id,
        title=course_file.title,
        summary=course_file.summary,
        modules=sorted(built_modules, key=lambda m: order[m.id]),
        glossary=sorted(glossary.terms, key=lambda t: t.term.lower()),
        quizzes=quizzes,
        surveys=surveys,
    )


def _load_quizzes(reader, quiz_dir: Path, module_files, page_module, broken) -> dict[str, QuizFile]:
    quizzes: dict[str, QuizFile] = {}
    seen_questions: set[str] = set()
    for path in sorted(quiz_dir.glob("*.yaml")):
        quiz = reader.load_yaml(path, QuizFile)
        if quiz is None:
            continue
        raw = path.read_text(encoding="utf-8")
        if quiz.module not in module_files:
            if quiz.module not in broken:
                reader.problem(path, f"unknown module '{quiz.module}'", _find_line(raw, "module:"))
            continue
        if path.stem != quiz.module:
            reader.problem(
                path, f"the file for module '{quiz.module}' is named {quiz.module}.yaml", 1
            )
        if quiz.module in quizzes:
            reader.problem(path, f"a second quiz for module '{quiz.module}'", 1)
            continue
        module = module_files[quiz.module][1]
        outcome_ids = {o.id for o in module.outcomes}
        tested: set[str] = set()
        for question in quiz.questions:
            line = _find_line(raw, f"id: {question.id}")
            if question.id in seen_questions:
                reader.problem(path, f"duplicate question id '{question.id}'", line)
            seen_questions.add(question.id)
            if question.outcome not in outcome_ids:
                reader.problem(
                    path, f"question '{question.id}': unknown outcome '{question.outcome}'", line
                )
            tested.add(question.outcome)
            if page_module.get(question.page) != quiz.module:
                reader.problem(
                    path,
                    f"question '{question.id}': unknown page '{question.page}' in module "
                    f"'{quiz.module}'",
                    line,
                )
        for outcome in module.outcomes:
            if outcome.id not in tested:
                reader.problem(
                    path, f"learning outcome '{outcome.id}' has no question", field="questions"
                )
        quizzes[quiz.module] = quiz
    return quizzes


def _load_surveys(reader, survey_dir: Path, module_files) -> list[SurveyFile]:
    surveys: list[SurveyFile] = []
    outcome_ids = {o.id for _, m in module_files.values() for o in m.outcomes}
    seen: set[str] = set()
    for path in sorted(survey_dir.glob("*.yaml")):
        survey = reader.load_yaml(path, SurveyFile)
        if survey is None:
            continue
        raw = path.read_text(encoding="utf-8")
        if survey.id in seen:
            reader.problem(path, f"duplicate survey id '{survey.id}'", _find_line(raw, "id:"))
        seen.add(survey.id)
        if survey.module and survey.module not in module_files:
            reader.problem(path, f"unknown module '{survey.module}'", _find_line(raw, "module:"))
        for item in survey.items:
            if item.outcome and item.outcome not in outcome_ids:
                reader.problem(
                    path,
                    f"item '{item.id}': unknown outcome '{item.outcome}'",
                    _find_line(raw, f"id: {item.id}"),
                )
        surveys.append(survey)
    return surveys
