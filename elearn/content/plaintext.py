"""Plain text of a page's Markdown, for readability checks.

Every heading, list item, table cell and paragraph line counts as its own sentence, so a
bullet list is not read as one long sentence. Markdown syntax, block markers and link
targets are dropped; link text is kept.

Each pattern takes time in proportion to the line: no two repeats in a pattern can match the
same characters. (Two optional runs of spaces side by side, or an unclosed `[` scanned to the
line's end from every `[`, made a long page of indented lines or brackets take minutes.)
"""

import re

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_CONTAINER = re.compile(r"^\s*:::\s*[\w-]*\s*(.*)$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{3,}")


def _sentence(line: str) -> str:
    line = line.strip()
    if not line:
        return ""
    return line if line[-1] in ".?!:" else line + "."


def markdown_to_plain_text(source: str) -> str:
    """Return the readable text of a Markdown page (front matter removed)."""
    body = _FRONT_MATTER.sub("", source)
    sentences: list[str] = []
    for raw in body.splitlines():
        line = raw
        container = _CONTAINER.match(line)
        if container:
            line = container.group(1)
        if _TABLE_RULE.match(line):
            continue
        line = _LINK.sub(r"\1", line)
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^>\s?", "", line)
        line = _LIST_MARK.sub("", line)
        line = re.sub(r"[*_`]", "", line)
        if "|" in line:
            sentences.extend(_sentence(cell) for cell in line.strip().strip("|").split("|"))
        else:
            sentences.append(_sentence(line))
    return " ".join(s for s in sentences if s)
