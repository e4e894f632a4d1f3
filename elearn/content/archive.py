"""The course as a zip of its files, the same format `elearn content export` writes, and back.

An uploaded zip is untrusted until checked: it is refused, with every reason found, when it is not
a zip, is too big packed or unpacked, has too many files, has a file that would land outside the
folder it is unpacked into (an absolute path, `..`, a link), is encrypted, or expands far more
than text does (a zip bomb). Sizes are checked on what is actually read, not on what the zip
claims. Only then is it unpacked into a temporary folder and loaded and validated like files on
disk; the validator's problems name the files by their paths inside the zip.
"""

import io
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import yaml

from elearn.content.loader import load_course
from elearn.content.problems import ContentInvalid, Problem
from elearn.content.schema import Course
from elearn.content.store import export_directory

MAX_ZIP_BYTES = 5 * 1024 * 1024  # packed
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # all files together, unpacked
MAX_FILES = 500
MAX_FILE_BYTES = 1024 * 1024  # any one file, unpacked: the longest content file is far smaller
MAX_RATIO = 100  # unpacked to packed, per file: text packs to about a fifth, never a hundredth
_RATIO_FROM_BYTES = 64 * 1024  # small files may pack very well; the ratio counts above this
_CHUNK = 64 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same course always gives the same bytes
COURSE_FILE = "modules/course.yaml"


def course_zip(course: Course) -> bytes:
    """The course's files (as `export_directory` writes them) in one zip."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = sorted(export_directory(course, root))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), _FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def course_from_zip(data: bytes, name: str = "upload.zip") -> Course:
    """Check and unpack a zip of the content files and load the course from it; raise
    ContentInvalid with every problem found (nothing is kept)."""
    if len(data) > MAX_ZIP_BYTES:
        raise ContentInvalid(
            [Problem(name, f"the zip is {_mb(len(data))}: the most it can be is "
                     f"{_mb(MAX_ZIP_BYTES)}")]
        )  # fmt: skip
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ContentInvalid([Problem(name, "this is not a zip file")]) from None
    with archive, tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _unpack(archive, root, name)
        prefix = _content_prefix(archive, name)
        try:
            return load_course(root / prefix)
        except ContentInvalid as error:
            raise ContentInvalid([_inside(problem, prefix) for problem in error.problems]) from None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _inside(problem: Problem, prefix: str) -> Problem:
    """A validator problem named by its path inside the zip."""
    if not prefix or problem.path in ("", "."):
        return Problem(prefix or problem.path, problem.message, problem.line, problem.field)
    return Problem(f"{prefix}/{problem.path}", problem.message, problem.line, problem.field)


def _unpack(archive: zipfile.ZipFile, root: Path, name: str) -> None:
    """Every file of the archive into root, once each one is known to be safe."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    problems = []
    if len(infos) > MAX_FILES:
        problems.append(
            Problem(name, f"the zip has {len(infos)} files: the most it can have is {MAX_FILES}")
        )
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_BYTES:
        problems.append(_too_big(name, declared))
    for info in infos:
        problems += _entry_problems(info)
    if problems:
        raise ContentInvalid(problems)
    unpacked = 0
    for info in infos:
        target = root.joinpath(*PurePosixPath(info.filename).parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            unpacked += _unpack_file(archive, info, target, name, unpacked)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error):
            raise ContentInvalid(
                [Problem(info.filename, "the file is damaged in the zip")]
            ) from None
        except OSError:  # say, a file and a folder of the same name
            raise ContentInvalid(
                [Problem(info.filename, "the file cannot be unpacked where it is in the zip")]
            ) from None
        problem = _text_problem(info.filename, target.read_bytes())
        if problem:
            problems.append(problem)
    if problems:
        raise ContentInvalid(problems)


def _unpack_file(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str, so_far: int
) -> int:
    """Write one file, counting what is really read (zipfile also stops at the size the zip
    declares, and checks the CRC); return the bytes written."""
    written = 0
    with archive.open(info) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if so_far + written > MAX_UNPACKED_BYTES:
                raise ContentInvalid([_too_big(name, so_far + written)])
            if written > MAX_FILE_BYTES:
                raise ContentInvalid([Problem(info.filename, "the file is too large")])
            if written > _RATIO_FROM_BYTES and written > MAX_RATIO * max(info.compress_size, 1):
                raise ContentInvalid([_bomb(info)])
            out.write(chunk)
    return written


def _too_big(name: str, size: int) -> Problem:
    message = f"the files unpack to {_mb(size)} or more: the most is {_mb(MAX_UNPACKED_BYTES)}"
    return Problem(name, message)


def _bomb(info: zipfile.ZipInfo) -> Problem:
    return Problem(
        info.filename,
        "this file unpacks to far more than any text file would (a zip bomb?): refused",
    )


def _entry_problems(info: zipfile.ZipInfo) -> list[Problem]:
    """Why one entry cannot be unpacked safely, if it cannot."""
    path = info.filename
    parts = PurePosixPath(path.replace("\\", "/")).parts
    mode = info.external_attr >> 16
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return [Problem(path, "an absolute path is not allowed in the zip")]
    if ".." in parts or "\\" in path:
        return [Problem(path, "a path that leaves the zip's folder is not allowed")]
    if stat.S_ISLNK(mode):
        return [Problem(path, "links are not allowed in the zip")]
    if info.flag_bits & 0x1:
        return [Problem(path, "encrypted files are not allowed in the zip")]
    if info.file_size > MAX_FILE_BYTES:
        return [
            Problem(path, f"the file is {_mb(info.file_size)}: the most is {_mb(MAX_FILE_BYTES)}")
        ]
    if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        return [_bomb(info)]
    return []


def _text_problem(path: str, content: bytes) -> Problem | None:
    """Content files are UTF-8 text, and their YAML needs no aliases (`*name`), which could make
    a small file expand into a huge document."""
    if not path.endswith((".yaml", ".yml", ".md")):
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return Problem(path, "not UTF-8 text: save the file as UTF-8")
    if path.endswith(".md"):
        text = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text)):
            return Problem(path, "YAML aliases (*name) are not allowed in content files")
    except yaml.YAMLError:
        return None  # the validator reports it, with its line
    return None


def _content_prefix(archive: zipfile.ZipFile, name: str) -> str:
    """Where the content is in the zip: at its top, or in one folder (as when a folder is
    zipped). Raise ContentInvalid when there is no modules/course.yaml."""
    names = set(archive.namelist())
    if COURSE_FILE in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    for top in sorted(tops):
        if f"{top}/{COURSE_FILE}" in names:
            return top
    raise ContentInvalid(
        [Problem(name, f"the zip has no {COURSE_FILE}: zip the folder that holds modules/")]
    )
