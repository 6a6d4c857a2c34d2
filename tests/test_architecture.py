"""The layers of ARCHITECTURE.md hold: the import-linter contracts of pyproject.toml are
kept, and catch a forbidden import; no module outside an app imports that app's views."""

from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application.use_cases import read_user_options
from importlinter.contracts.layers import LayersContract

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("dangjian", cache_dir=None)


@pytest.fixture(scope="module")
def layers_contract():
    configuration.configure()  # what `lint-imports` does before reading its options
    options = read_user_options(str(PYPROJECT))
    [raw] = [c for c in options.contracts_options if c["id"] == "layers"]
    return LayersContract(
        name=raw["name"], session_options=options.session_options, contract_options=raw
    )


def views_imported_from_outside(graph) -> Iterator[str]:
    """`dangjian.<app>.views` and `views_*` (module or package) are imported only from
    inside `<app>`: who may do what is in `permissions.py`, reads in `queries.py`."""
    for module in sorted(graph.modules):
        parts = module.split(".")
        if len(parts) < 3 or not (parts[2] == "views" or parts[2].startswith("views_")):
            continue
        for importer in sorted(graph.find_modules_that_directly_import(module)):
            if importer.split(".")[:2] != parts[:2]:
                yield f"{importer} -> {module}"


def test_the_layers_are_kept(graph, layers_contract):
    check = layers_contract.check(graph, verbose=False)
    assert check.kept, check.metadata


@pytest.mark.parametrize(
    "importer, imported",
    [
        ("dangjian.core.pages", "dangjian.people.models"),  # the ground floor looks up
        ("dangjian.accounts.scope", "dangjian.orgs.models"),
        ("dangjian.people.services", "dangjian.development.models"),  # registry → domain
        ("dangjian.meetings.queries", "dangjian.dues.queries"),  # one domain app → another
        ("dangjian.tasks.services", "dangjian.dashboard.queries"),
        ("dangjian.api.tasks", "dangjian.demo.loader"),
    ],
)
def test_a_forbidden_import_breaks_the_layers(graph, layers_contract, importer, imported):
    graph.add_import(importer=importer, imported=imported)
    try:
        assert not layers_contract.check(graph, verbose=False).kept
    finally:
        graph.remove_import(importer=importer, imported=imported)


def test_no_module_outside_an_app_imports_its_views(graph):
    assert list(views_imported_from_outside(graph)) == []


def test_the_views_rule_catches_an_api_borrowing_from_views():
    toy = grimp.ImportGraph()
    toy.add_import(importer="dangjian.tasks.urls", imported="dangjian.tasks.views")
    toy.add_import(importer="dangjian.meetings.urls", imported="dangjian.meetings.views_study")
    assert list(views_imported_from_outside(toy)) == []
    toy.add_import(importer="dangjian.api.tasks", imported="dangjian.tasks.views")
    toy.add_import(importer="dangjian.compliance.views", imported="dangjian.meetings.views_study")
    assert list(views_imported_from_outside(toy)) == [
        "dangjian.compliance.views -> dangjian.meetings.views_study",
        "dangjian.api.tasks -> dangjian.tasks.views",
    ]
