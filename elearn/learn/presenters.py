"""Turn progress into NHS component params: tags, cards, task lists, pagination."""

from flask import url_for

from elearn.content.schema import Module, Page
from elearn.learn.service import COMPLETED, IN_PROGRESS, ModuleState

STATUS_TAGS = {
    COMPLETED: {"text": "Completed", "classes": "nhsuk-tag--green"},
    IN_PROGRESS: {"text": "In progress", "classes": "nhsuk-tag--blue"},
    "not-started": {"text": "Not started", "classes": "nhsuk-tag--grey"},
}


def status_tag(status: str) -> dict:
    return STATUS_TAGS[status]


def page_url(module: Module, page: Page) -> str:
    return url_for("learn.page", module_id=module.id, page_id=page.id)


def module_card(number: int, state: ModuleState) -> dict:
    """Params for one module's card on the dashboard."""
    module = state.module
    if state.status == COMPLETED:
        link_text = "Look at this module again"
    elif state.status == IN_PROGRESS:
        link_text = f"Continue: {state.next_page.title}"
    else:
        link_text = "Start this module"
    return {
        "number": number,
        "title": module.title,
        "summary": module.summary,
        "minutes": module.estimated_minutes,
        "tag": status_tag(state.status),
        "done": f"{state.done_count} of {state.total} pages done",
        "overview_href": url_for("learn.module", module_id=module.id),
        "continue_href": page_url(module, state.next_page),
        "continue_text": link_text,
    }


def page_task_items(state: ModuleState) -> list[dict]:
    """The module's pages as a task list with a done mark each."""
    items = []
    for page in state.module.pages:
        if page.id in state.done:
            status = {"text": "Completed"}
        elif page.id in state.viewed:
            status = {"tag": status_tag(IN_PROGRESS)}
        else:
            status = {"tag": status_tag("not-started")}
        items.append(
            {"title": {"text": page.title}, "href": page_url(state.module, page), "status": status}
        )
    return items


def pagination(module: Module, page: Page) -> dict:
    """Previous and next links within a module."""
    ids = [p.id for p in module.pages]
    index = ids.index(page.id)
    params: dict = {}
    if index > 0:
        previous = module.pages[index - 1]
        params["previous"] = {"href": page_url(module, previous), "labelText": previous.title}
    if index + 1 < len(ids):
        following = module.pages[index + 1]
        params["next"] = {"href": page_url(module, following), "labelText": following.title}
    return params
