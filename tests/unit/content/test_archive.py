"""The course as a zip of its files, and the checks on a zip before it is unpacked."""

import io
import stat
import time
import zipfile

import pytest

from elearn.content import archive
from elearn.content.archive import course_from_zip, course_zip
from elearn.content.problems import ContentInvalid
from elearn.content.store import checksum


def _zip(files: dict[str, bytes | str], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name, content in files.items():
            out.writestr(name, content)
    return buffer.getvalue()


def _files(course) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(course_zip(course))) as packed:
        return {name: packed.read(name) for name in packed.namelist()}


def _problems(data: bytes) -> list[str]:
    with pytest.raises(ContentInvalid) as raised:
        course_from_zip(data)
    return [str(p) for p in raised.value.problems]


def test_the_zip_round_trips_to_the_same_course(shipped_course):
    data = course_zip(shipped_course)
    assert data == course_zip(shipped_course)  # the same course, the same bytes
    assert len(data) < archive.MAX_ZIP_BYTES
    assert checksum(course_from_zip(data)) == checksum(shipped_course)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "modules/course.yaml" in names
    assert "quizzes/m1.yaml" in names


def test_content_zipped_inside_one_folder_is_found(shipped_course):
    files = {f"content/{name}": data for name, data in _files(shipped_course).items()}
    assert checksum(course_from_zip(_zip(files))) == checksum(shipped_course)


def test_invalid_content_gives_the_validators_problems_with_paths_in_the_zip(shipped_course):
    files = {f"content/{name}": data for name, data in _files(shipped_course).items()}
    quiz = files["content/quizzes/m1.yaml"].decode().replace("pass_mark: 80", "pass_mark: 180")
    files["content/quizzes/m1.yaml"] = quiz.encode()
    problems = _problems(_zip(files))
    assert problems == [
        "content/quizzes/m1.yaml:2: pass_mark: Input should be less than or equal to 100"
    ]


def test_not_a_zip():
    assert _problems(b"PK but not really a zip") == ["upload.zip: this is not a zip file"]
    with pytest.raises(ContentInvalid) as raised:
        course_from_zip(b"", name="course.zip")
    assert str(raised.value.problems[0]) == "course.zip: this is not a zip file"


def test_a_zip_with_no_course_file(shipped_course):
    files = _files(shipped_course)
    del files["modules/course.yaml"]
    assert _problems(_zip(files)) == [
        "upload.zip: the zip has no modules/course.yaml: zip the folder that holds modules/"
    ]


def test_too_large_packed():
    data = b"x" * (archive.MAX_ZIP_BYTES + 1)
    assert _problems(data) == ["upload.zip: the zip is 5.0 MB: the most it can be is 5.0 MB"]


def test_too_many_files():
    files = {f"extra/{n}.txt": "x" for n in range(archive.MAX_FILES + 1)}
    assert _problems(_zip(files)) == [
        f"upload.zip: the zip has {archive.MAX_FILES + 1} files: the most it can have is "
        f"{archive.MAX_FILES}"
    ]


def test_too_large_unpacked(monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1000)
    files = {f"extra/{n}.txt": "different text " * 10 + str(n) for n in range(10)}
    [problem] = _problems(_zip(files))
    assert problem.startswith("upload.zip: the files unpack to ")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../outside.yaml", "a path that leaves the zip's folder is not allowed"),
        ("modules/../../outside.yaml", "a path that leaves the zip's folder is not allowed"),
        ("..\\outside.yaml", "a path that leaves the zip's folder is not allowed"),
        ("/etc/outside.yaml", "an absolute path is not allowed in the zip"),
        ("C:/outside.yaml", "an absolute path is not allowed in the zip"),
    ],
)
def test_paths_that_leave_the_folder(shipped_course, name, message):
    files = {**_files(shipped_course), name: "x: 1\n"}
    assert _problems(_zip(files)) == [f"{name}: {message}"]


def test_links_are_refused(shipped_course):
    buffer = io.BytesIO(course_zip(shipped_course))
    with zipfile.ZipFile(buffer, "a") as out:
        info = zipfile.ZipInfo("modules/link.yaml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(info, "/etc/passwd")
    assert _problems(buffer.getvalue()) == ["modules/link.yaml: links are not allowed in the zip"]


def test_a_zip_bomb_is_refused_quickly():
    started = time.monotonic()
    problems = _problems(_zip({"modules/course.yaml": b"\0" * (archive.MAX_FILE_BYTES - 1)}))
    assert problems == [
        "modules/course.yaml: this file unpacks to far more than any text file would "
        "(a zip bomb?): refused"
    ]
    assert time.monotonic() - started < 2


def test_a_zip_whose_header_lies_about_its_size_is_refused():
    data = bytearray(_zip({"modules/course.yaml": b"id: x\n" * 50_000}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    small = (10).to_bytes(4, "little")
    # the declared size, in the local header and in the central directory
    local_at = info.header_offset + 22
    data[local_at : local_at + 4] = small
    central_at = bytes(data).rindex(b"PK\x01\x02") + 24
    data[central_at : central_at + 4] = small
    assert _problems(bytes(data)) == ["modules/course.yaml: the file is damaged in the zip"]


def test_a_large_single_file_is_refused(shipped_course):
    files = {**_files(shipped_course), "quizzes/m9.yaml": "# " + "x" * archive.MAX_FILE_BYTES}
    [problem] = _problems(_zip(files, zipfile.ZIP_STORED))
    assert problem == "quizzes/m9.yaml: the file is 1.0 MB: the most is 1.0 MB"


def test_files_that_are_not_utf8_or_use_yaml_aliases(shipped_course):
    files = {
        **_files(shipped_course),
        "surveys/latin1.yaml": "title: caf\xe9\n".encode("latin-1"),
        "surveys/alias.yaml": "a: &x [1, 2]\nb: [*x, *x]\n",
    }
    assert sorted(_problems(_zip(files))) == [
        "surveys/alias.yaml: YAML aliases (*name) are not allowed in content files",
        "surveys/latin1.yaml: not UTF-8 text: save the file as UTF-8",
    ]


def test_a_file_where_a_folder_should_be(shipped_course):
    files = {"quizzes": "x", **_files(shipped_course)}
    assert _problems(_zip(files)) == [
        "quizzes/m1.yaml: the file cannot be unpacked where it is in the zip"
    ]
