"""The learner URLs that rendered content links to. The learn blueprint's routes use the same
paths (a test checks they agree), so HTML rendered at import never needs a request context."""

LEARN_PREFIX = "/learn"


def page_path(module_id: str, page_id: str) -> str:
    return f"{LEARN_PREFIX}/modules/{module_id}/pages/{page_id}"


def glossary_path(term_id: str) -> str:
    return f"{LEARN_PREFIX}/glossary#{term_id}"
