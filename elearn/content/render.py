"""Markdown to sanitised HTML, once, at import. Blocks map to NHS.UK components.

Raw HTML in Markdown is not allowed (it is escaped), and the output is cleaned again by nh3.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.container import container_plugin

BLOCKS = ("inset", "warning", "case-study", "myth", "reflect", "sample-answer")

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "br", "hr", "code",
    "blockquote", "table", "caption", "thead", "tbody", "tr", "th", "td", "div", "span",
    "details", "summary",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class"},
    "a": {"href"},
    "span": {"role"},
    "th": {"scope"},
    "div": {"tabindex", "role", "aria-label"},
}


@dataclass
class RenderResult:
    html: str
    page_links: list[str] = field(default_factory=list)
    glossary_links: list[str] = field(default_factory=list)
    # 1-based lines of the source where a sample answer does not follow a "Think about it"
    stray_sample_answers: list[int] = field(default_factory=list)


def _title(info: str, name: str) -> str:
    return escapeHtml(info.strip()[len(name) :].strip())


def _open_close(open_html: Callable[[str], str], close_html: str):
    def render(self, tokens, idx, options, env):
        token = tokens[idx]
        if token.nesting == 1:
            return open_html(token.info)
        return close_html

    return render


_RENDERERS = {
    "inset": _open_close(
        lambda info: (
            '<div class="nhsuk-inset-text">'
            '<span class="nhsuk-u-visually-hidden">Information: </span>\n'
        ),
        "</div>\n",
    ),
    "warning": _open_close(
        lambda info: (
            '<div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label">'
            '<span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>'
            f"{_title(info, 'warning') or 'Important'}</span></h2>\n"
        ),
        "</div>\n",
    ),
    "case-study": _open_close(
        lambda info: (
            '<div class="nhsuk-card nhsuk-card--feature">'
            '<div class="nhsuk-card__content nhsuk-card__content--feature">'
            '<h2 class="nhsuk-card__heading nhsuk-card__heading--feature">'
            f"Case study: {_title(info, 'case-study')}</h2>\n"
        ),
        "</div></div>\n",
    ),
    "myth": _open_close(
        lambda info: (
            '<details class="nhsuk-details"><summary class="nhsuk-details__summary">'
            '<span class="nhsuk-details__summary-text">'
            f"What people ask: {_title(info, 'myth')}</span>"
            '</summary><div class="nhsuk-details__text">\n'
        ),
        "</div></details>\n",
    ),
    "reflect": _open_close(
        lambda info: (
            '<div class="nhsuk-inset-text"><h2 class="nhsuk-heading-s">Think about it</h2>\n'
        ),
        "</div>\n",
    ),
    # An expander: it opens without JavaScript (the details element).
    "sample-answer": _open_close(
        lambda info: (
            '<details class="nhsuk-details app-sample-answer">'
            '<summary class="nhsuk-details__summary">'
            '<span class="nhsuk-details__summary-text">Compare with a sample answer</span>'
            '</summary><div class="nhsuk-details__text">\n'
        ),
        "</div></details>\n",
    ),
}


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    for name in BLOCKS:
        md.use(container_plugin, name, render=_RENDERERS[name])

    def table_open(self, tokens, idx, options, env):
        # Each scrollable region needs its own name: "Table", then "Table 2", "Table 3"...
        env["tables"] = env.get("tables", 0) + 1
        name = env.get("table_label", "Table")
        label = escapeHtml(name if env["tables"] == 1 else f"{name} {env['tables']}")
        return (
            '<div class="nhsuk-table-container" tabindex="0" role="region" '
            f'aria-label="{label}"><table class="nhsuk-table">\n'
        )

    def table_close(self, tokens, idx, options, env):
        return "</table></div>\n"

    def cell(tag: str, css: str):
        def render(self, tokens, idx, options, env):
            extra = ' scope="col"' if tag == "th" else ""
            return f'<{tag} class="{css}"{extra}>'

        return render

    def fixed(html: str):
        return lambda self, tokens, idx, options, env: html

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    md.add_render_rule("thead_open", fixed('<thead class="nhsuk-table__head">\n'))
    md.add_render_rule("tbody_open", fixed('<tbody class="nhsuk-table__body">\n'))
    md.add_render_rule("tr_open", fixed('<tr class="nhsuk-table__row">\n'))
    md.add_render_rule("th_open", cell("th", "nhsuk-table__header"))
    md.add_render_rule("td_open", cell("td", "nhsuk-table__cell"))
    return md


_MD = _markdown()


def render_markdown(
    source: str,
    page_href: Callable[[str], str | None],
    glossary_href: Callable[[str], str | None],
    table_label: str = "Table",
) -> RenderResult:
    """Render a page body. `page:ID` and `glossary:ID` links are resolved with the callables;
    an unknown id is reported back (and left as a plain link to nowhere) for the validator."""
    result = RenderResult(html="")
    tokens = _MD.parse(source)
    previous = None
    for token in tokens:
        if token.level == 0:
            if token.type == "container_sample-answer_open" and (
                previous is None or previous.type != "container_reflect_close"
            ):
                result.stray_sample_answers.append(token.map[0] + 1 if token.map else 1)
            previous = token
        for child in token.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if not isinstance(href, str):  # attributes may be numbers; a link's href is text
                continue
            if href.startswith("page:"):
                target = href[5:]
                result.page_links.append(target)
                child.attrSet("href", page_href(target) or "#")
            elif href.startswith("glossary:"):
                target = href[9:]
                result.glossary_links.append(target)
                child.attrSet("href", glossary_href(target) or "#")
    # table_label names each table's scrolling region (pages printed together stay distinct)
    html = _MD.renderer.render(tokens, _MD.options, {"table_label": table_label})
    result.html = sanitise(html)
    return result


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
