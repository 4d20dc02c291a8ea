"""The layers of docs/layers.md hold: the import contracts are kept, bite when broken, and no two
files import each other in a circle."""

import pytest
from django.conf import settings

grimp = pytest.importorskip("grimp")
from importlinter import configuration  # noqa: E402
from importlinter.application.use_cases import read_user_options  # noqa: E402
from importlinter.contracts.forbidden import ForbiddenContract  # noqa: E402
from importlinter.contracts.layers import LayersContract  # noqa: E402

# The order docs/layers.md draws, top to bottom.
LAYERS = [
    "ascn_portal.urls",
    "ascn_portal.api_urls",
    "ascn_portal.site",
    "ascn_portal.policy",
    "opendata",
    "monitoring",
    "catalogue | events",
    "partners",
    "action_plans",
    "cities",
    "ascn_portal.api",
    "ascn_portal.accounts",
    "ascn_portal.spreadsheets",
    "ascn_portal.notifications",
    "ascn_portal.admin",
    "ascn_portal.archives | ascn_portal.client_address | ascn_portal.coded | ascn_portal.converters | "
    "ascn_portal.errors | ascn_portal.exports | ascn_portal.filtering | ascn_portal.forms | ascn_portal.numbers | "
    "ascn_portal.outages | ascn_portal.personal_data | ascn_portal.visibility",
]
CONTRACT_TYPES = {"layers": LayersContract, "forbidden": ForbiddenContract}


@pytest.fixture(scope="module")
def options():
    configuration.configure()
    return read_user_options(str(settings.BASE_DIR / "pyproject.toml"))


def _build(options):
    return grimp.build_graph(*options.session_options["root_packages"], cache_dir=None)


@pytest.fixture(scope="module")
def graph(options):
    return _build(options)


def _kept(options, graph) -> dict[str, bool]:
    found = {}
    for contract in options.contracts_options:
        cls = CONTRACT_TYPES[contract["type"]]
        check = cls(contract["name"], options.session_options, contract).check(graph, verbose=False)
        found[contract["id"]] = check.kept
    return found


def test_the_code_keeps_every_import_contract(options, graph):
    assert _kept(options, graph) == {"layers": True, "infrastructure": True}


def test_the_layers_are_the_ones_the_docs_draw(options):
    layers = next(c for c in options.contracts_options if c["id"] == "layers")
    assert list(layers["layers"]) == LAYERS
    assert (settings.BASE_DIR / "docs" / "layers.md").read_text().count("`") > len(LAYERS)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("ascn_portal.accounts.services", "cities.models"),  # shared machinery reaching into the directory
        ("ascn_portal.notifications.services", "partners.models"),
        ("ascn_portal.notifications.services", "ascn_portal.accounts.models"),  # notifications below accounts
        ("cities.views", "action_plans.selectors"),  # the directory asking about plans
        ("action_plans.views", "partners.forms"),  # plans asking about partners
        ("partners.services", "events.models"),
        ("partners.views", "catalogue.views"),  # the catalogue stands above partners
        ("events.services", "catalogue.matchmaking"),  # ... and beside events
        ("action_plans.selectors", "ascn_portal.policy"),  # no app imports the policy
        ("catalogue.views", "ascn_portal.site.views"),
        ("ascn_portal.testing.matrix", "cities.models"),  # test helpers are shared machinery too
        ("ascn_portal.exports", "partners.reports"),  # the export writer knows no app's tables
        ("ascn_portal.middleware", "action_plans.services"),
    ],
)
def test_an_import_against_the_layers_breaks_a_contract(options, importer, imported):
    graph = _build(options)
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    assert not all(_kept(options, graph).values())


def _cycles(graph, modules) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), among `modules`."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(module):
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module) & modules:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return groups


def test_no_two_files_import_each_other_in_a_circle(graph):
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    assert _cycles(graph, modules) == []
