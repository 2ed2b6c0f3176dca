"""Records a test module makes once and shares between its tests (``shared_by_module``)."""

import copy

import pytest


def shared_by_module(make, name, *, copied=True):
    """The two fixtures that share ``make()``'s records between a module's tests, bound at
    the module's top level: ``_world, world = shared_by_module(make_world, "world")``.

    ``_<name>`` makes them once, in the module's transaction (``module_transaction`` in
    conftest.py, as Django's TestCase.setUpTestData), before the module's first test
    (autouse: every test sees them, whatever order they run in; a test that needs an empty
    database belongs in another module). ``<name>`` gives each test a deep copy, so a change
    one test makes in memory does not leak into the next (``copied=False`` for tests that only
    read them).
    """

    @pytest.fixture(scope="module", autouse=True, name=f"_{name}")
    def made_once(module_transaction):
        with module_transaction.unblock():
            return make()

    @pytest.fixture(name=name)
    def for_this_test(request, db):
        made = request.getfixturevalue(f"_{name}")
        return copy.deepcopy(made) if copied else made

    return made_once, for_this_test
