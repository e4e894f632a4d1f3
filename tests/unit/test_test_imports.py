"""Fixtures come only from conftest.py files: no test file imports a conftest or a test module."""

import ast

from elearn.config import ROOT


def _imported_modules(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_fixtures_or_helpers_are_imported_from_conftest_or_test_modules():
    offending = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for module in _imported_modules(path):
            last = module.rsplit(".", 1)[-1]
            if module.startswith("tests.") and (last == "conftest" or last.startswith("test_")):
                offending.append(f"{path.relative_to(ROOT)}: {module}")
    assert offending == []
