"""The layout rules CONTRIBUTING.md states, checked over the source so a newcomer who breaks
one hears it from the tests: no import circles, cross-app imports one way, no module over 400
lines, no app naming another's model by string."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("netinfo", "trials", "treatments", "sitesearch", "benchmarks")
MAX_LINES = 400


def modules():
    """{dotted name: path} of every app module outside migrations."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imported(tree, known):
    """The app modules a module imports when it is loaded (its top-level statements; imports
    inside functions run later and are not part of loading it)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in known}


def import_graph():
    known = modules()
    return {name: imported(ast.parse(path.read_text()), known) for name, path in known.items()}


def circles(graph):
    """Each import circle found by a depth-first walk, as the list of modules around it."""
    found, state, stack = [], {}, []

    def walk(name):
        state[name] = "open"
        stack.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                found.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                walk(other)
        stack.pop()
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            walk(name)
    return found


def test_the_apps_import_each_other_without_a_circle():
    assert circles(import_graph()) == []


def test_the_circle_check_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c", "a"]]


# Which apps each app may import (netinfo/urls.py is the project's URLconf: it names them all).
MAY_IMPORT = {
    "netinfo": {"netinfo"},
    "treatments": {"netinfo", "treatments"},
    "trials": {"netinfo", "treatments", "trials"},
    "sitesearch": {"netinfo", "treatments", "trials", "sitesearch"},
    "benchmarks": set(APPS),
}


def test_cross_app_imports_go_one_way():
    wrong = [
        f"{name} imports {other}"
        for name, others in import_graph().items()
        for other in others
        if name != "netinfo.urls" and other.split(".")[0] not in MAY_IMPORT[name.split(".")[0]]
    ]
    assert wrong == []


def test_no_module_outside_migrations_is_over_400_lines():
    long = {
        name: count
        for name, path in modules().items()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("app", ["netinfo", "treatments"])
def test_an_app_does_not_name_a_later_app_s_models_by_string(app):
    later = {"netinfo": "trials|treatments", "treatments": "trials"}[app]
    pattern = re.compile(rf"get_model\(\s*[\"']({later})")
    named = [
        str(path.relative_to(ROOT))
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert named == []
