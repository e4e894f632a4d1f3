"""Reading the content: YAML files and Markdown pages with front matter, into plain data.

Nothing here checks the content against the schema. A file that is missing or cannot be parsed
is kept, with its problem, so that the validator reports it in its place (validate.py). Each
document keeps its text and YAML nodes, so that later problems can name the line they are on.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from elearn.content.problems import Problem
from elearn.content.schema import CourseFile

Location = Sequence[str | int]


@dataclass(frozen=True)
class Positions:
    """Where the parts of a document are in its text. Lines are 1-based, from the file's top.

    Data that did not come from text (an editor's form, say) has no positions: every line is None.
    """

    text: str = ""
    node: yaml.Node | None = None  # the parsed YAML, before it became Python data
    offset: int = 0  # lines of the file before its YAML (a page's opening '---')
    start: int | None = None  # the line the YAML starts on

    def line(self, loc: Location) -> int | None:
        """The line of the value at loc, e.g. ("questions", 2, "text"), or of the nearest value
        around it that the YAML has."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line + self.offset

    def find(self, needle: str) -> int | None:
        """The first line of the text with needle in it."""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if needle in line:
                return number
        return None


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        return next((value for key, value in node.value if key.value == part), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if part < len(node.value) else None
    return None


@dataclass(frozen=True)
class Document:
    """One file as plain data: its YAML (a page's front matter) and a page's Markdown."""

    path: str  # as problems name it: relative to the content directory
    data: object = None  # None when the file could not be read (see problems)
    body: str = ""  # a page's Markdown, after its front matter
    name: str | None = None  # the file name without its suffix, where the name matters
    problems: tuple[Problem, ...] = ()  # why the file could not be read
    positions: Positions = field(default_factory=Positions)


@dataclass(frozen=True)
class ModuleFiles:
    module: Document
    pages: list[Document]  # in file-name order


@dataclass(frozen=True)
class ContentFiles:
    """Everything the course is made from, before any checks."""

    origin: str  # names the content as a whole, e.g. when there is none
    course: Document
    glossary: Document
    modules: list[ModuleFiles]
    quizzes: list[Document]
    surveys: list[Document]
    handouts: list[Document] = field(default_factory=list)  # printable pages: Markdown
    bibliography: Document | None = None  # None: the course has no bibliography file


def parse_yaml(path: str, text: str, offset: int = 0, name: str | None = None) -> Document:
    """A YAML document; offset is the number of lines of the file before it."""
    loader = yaml.SafeLoader(text)
    try:  # one parse gives both the nodes (for lines) and the data, as yaml.safe_load would
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + offset if mark else None
        problem = Problem(path, f"not valid YAML: {getattr(error, 'problem', error)}", line)
        return Document(path, name=name, problems=(problem,))
    finally:
        loader.dispose()
    positions = Positions(text, node, offset, start=1 + offset)
    return Document(path, data, name=name, positions=positions)


def parse_page(path: str, text: str, name: str | None = None) -> Document:
    """A Markdown page: YAML front matter between '---' lines, then the page's Markdown."""
    split = _split_front_matter(text)
    if split is None:
        problem = Problem(path, "a page starts with front matter between '---' lines", 1)
        return Document(path, name=name, problems=(problem,))
    front, body = split
    page = parse_yaml(path, front, offset=1, name=name)
    return replace(page, body=body, positions=replace(page.positions, text=text))


def _split_front_matter(text: str) -> tuple[str, str] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end == -1:
        return None
    return text[4:end], text[end + 5 :]


def read_directory(root: Path | str) -> ContentFiles:
    """The files under root: modules/ (course, glossary, modules, pages, handouts/), quizzes/,
    surveys/."""
    reader = _Reader(Path(root))
    modules_dir = reader.root / "modules"
    course = reader.yaml(modules_dir / "course.yaml")
    return ContentFiles(
        origin=reader.rel(reader.root),
        course=course,
        glossary=reader.yaml(modules_dir / _glossary_name(course)),
        modules=[reader.module(path) for path in sorted(modules_dir.glob("*/module.yaml"))],
        quizzes=[reader.yaml(path) for path in sorted((reader.root / "quizzes").glob("*.yaml"))],
        surveys=[reader.yaml(path) for path in sorted((reader.root / "surveys").glob("*.yaml"))],
        handouts=[reader.page(path) for path in sorted((modules_dir / "handouts").glob("*.md"))],
        bibliography=reader.optional_yaml(modules_dir / _bibliography_name(course)),
    )


def _bibliography_name(course: Document) -> str:
    try:
        return CourseFile.model_validate(course.data).bibliography
    except ValidationError:
        return "bibliography.yaml"


def _glossary_name(course: Document) -> str:
    """The glossary file that course.yaml names, or glossary.yaml while course.yaml is invalid."""
    try:
        return CourseFile.model_validate(course.data).glossary
    except ValidationError:
        return "glossary.yaml"


class _Reader:
    def __init__(self, root: Path):
        self.root = root

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def yaml(self, path: Path) -> Document:
        if not path.is_file():
            return Document(self.rel(path), problems=(Problem(self.rel(path), "file is missing"),))
        return parse_yaml(self.rel(path), path.read_text(encoding="utf-8"), name=path.stem)

    def optional_yaml(self, path: Path) -> Document | None:
        return self.yaml(path) if path.is_file() else None

    def page(self, path: Path) -> Document:
        return parse_page(self.rel(path), path.read_text(encoding="utf-8"), name=path.stem)

    def module(self, path: Path) -> ModuleFiles:
        pages = sorted((path.parent / "pages").glob("*.md"))
        return ModuleFiles(self.yaml(path), [self.page(page) for page in pages])
