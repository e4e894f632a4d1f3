"""The lock files agree: the runtime lock is the dev lock's runtime part, with no test tools."""

import re

from elearn.config import ROOT

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)", re.M)


def _pins(name: str) -> dict[str, str]:
    return dict(PIN.findall((ROOT / name).read_text()))


def test_runtime_pins_are_the_same_in_the_dev_lock():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert runtime and {name: dev.get(name) for name in runtime} == runtime


def test_runtime_lock_has_no_test_or_lint_tools():
    runtime = _pins("requirements.txt")
    for tool in ("pytest", "pytest-flask", "playwright", "ralph-malph", "ruff", "mypy"):
        assert tool not in runtime
