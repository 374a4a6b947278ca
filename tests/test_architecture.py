"""The layering rules of ARCHITECTURE.md, checked against every module's imports."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "tools" / "retarus_connector"

# layer -> project layers it may import (besides itself and the package root module); `core`
# imports nothing of the project, and every layer may import it
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "models": {"core"},
    "emitters": {"core", "models"},
    "files": {"core", "emitters", "models"},
    "lint": {"core"},
    "diff": {"core", "lint"},
    "simulator": {"core"},
    "runtime": {"core"},
    "packaging": {"core", "emitters", "files", "lint", "models", "runtime"},
}
CORE_LAYERS = sorted(ALLOWED)  # every layer but cli, which may import everything


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE_ROOT / layer).rglob("*.py"))


def _project_imports(path: Path) -> set[str]:
    """The project layers a module imports, absolute or relative."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                names = [".".join((*base, node.module or ""))]
                if not node.module:
                    names = [".".join((*base, alias.name)) for alias in node.names]
            elif node.module:
                names = [node.module]
                if node.module == "retarus_connector":
                    names = [f"retarus_connector.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "retarus_connector" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", CORE_LAYERS)
def test_layer_imports_only_what_architecture_allows(layer: str) -> None:
    allowed = ALLOWED[layer] | {layer, "__version__"}
    if layer != "core":  # core depends on nothing of the project but the package root
        allowed.add("paths")
    for module in _modules(layer):
        forbidden = _project_imports(module) - allowed
        assert not forbidden, f"{module.relative_to(PACKAGE_ROOT)} imports {sorted(forbidden)}"


@pytest.mark.parametrize("layer", CORE_LAYERS)
def test_core_never_prints(layer: str) -> None:
    for module in _modules(layer):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                assert name not in {"print", "echo", "secho"}, (
                    f"{module.relative_to(PACKAGE_ROOT)}:{node.lineno} prints; only cli may"
                )


def test_runtime_knows_nothing_of_retarus() -> None:
    for module in _modules("runtime"):
        assert "retarus" not in module.read_text(encoding="utf-8").lower().replace(
            "retarus_connector", ""
        ), f"{module.relative_to(PACKAGE_ROOT)} mentions Retarus"


def test_simulator_never_reads_the_swagger() -> None:
    for module in _modules("simulator"):
        text = module.read_text(encoding="utf-8")
        assert "apiDefinition" not in text, f"{module.relative_to(PACKAGE_ROOT)} reads the swagger"


def _architecture_table() -> dict[str, tuple[str, str]]:
    """Layer -> (what it holds, what it may import), from ARCHITECTURE.md's layer table."""
    text = (PACKAGE_ROOT.parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


def _architecture_rows() -> dict[str, str]:
    return {layer: holds for layer, (holds, _) in _architecture_table().items()}


def _named_in(row: str, layer: str) -> set[str]:
    names = set()
    for quoted in re.findall(r"`([^`]+)`", row):
        name = quoted.removeprefix(f"{layer}/").removesuffix(".py").rstrip("/")
        names.add(name)
    return names


@pytest.mark.parametrize("layer", [*CORE_LAYERS, "cli"])
def test_architecture_names_every_module_of_the_layer(layer: str) -> None:
    row = _architecture_rows().get(layer)
    assert row is not None, f"ARCHITECTURE.md's layer table has no row for `{layer}`"
    folder = PACKAGE_ROOT / layer
    modules = {path.stem for path in folder.glob("*.py") if not path.stem.startswith("_")}
    modules |= {path.parent.name for path in folder.glob("*/__init__.py")}
    missing = modules - _named_in(row, layer)
    assert not missing, f"ARCHITECTURE.md does not name {sorted(missing)} in the `{layer}` row"


def test_architecture_table_covers_every_layer() -> None:
    layers = {path.parent.name for path in PACKAGE_ROOT.glob("*/__init__.py")}
    assert set(_architecture_rows()) == layers


@pytest.mark.parametrize("layer", CORE_LAYERS)
def test_architecture_states_the_imports_this_test_enforces(layer: str) -> None:
    _, may_import = _architecture_table()[layer]
    allowed_text = may_import.split("never")[0]  # "never `models`" lists what is forbidden
    stated = set(re.findall(r"`([^`]+)`", allowed_text)) - {layer}
    assert stated == ALLOWED[layer]


# --------------------------------------------------------------------------- module state

# the layers whose modules may keep nothing between calls: a module-level dict, list or set is
# shared by every package a process reads, which has answered one package with another's data
_STATELESS_LAYERS = ("core", "lint", "diff", "runtime")
_MUTABLE_CALLS = frozenset(
    {"dict", "list", "set", "bytearray", "defaultdict", "OrderedDict", "deque"}
)
_MUTABLE_NODES = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def _mutable(value: ast.expr | None) -> bool:
    if isinstance(value, _MUTABLE_NODES):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in _MUTABLE_CALLS
    return False


def _declares_all(node: ast.Assign | ast.AnnAssign) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [getattr(target, "id", None) for target in targets] == ["__all__"]


def _module_state(path: Path) -> list[str]:
    """Where a module keeps mutable state: module-level assignments of a dict, list or set (a
    constant is a tuple, a frozenset or a MappingProxyType), and `global` statements."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        f"line {node.lineno}: mutable module-level value"
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        and _mutable(node.value)
        and not _declares_all(node)
    ]
    found += [
        f"line {node.lineno}: global statement"
        for node in ast.walk(tree)
        if isinstance(node, ast.Global)
    ]
    return found


@pytest.mark.parametrize("layer", _STATELESS_LAYERS)
def test_no_module_level_mutable_state(layer: str) -> None:
    offenders = {
        str(module.relative_to(PACKAGE_ROOT)): state
        for module in _modules(layer)
        if (state := _module_state(module))
    }
    assert offenders == {}


def test_the_state_scan_finds_a_cache_and_accepts_constants(tmp_path: Path) -> None:
    module = tmp_path / "cached.py"
    module.write_text(
        "from types import MappingProxyType\n"
        "LIMITS = (1, 2)\nNAMES = frozenset({'a'})\nTABLE = MappingProxyType({'a': 1})\n"
        "_last: list[int] = []\n_seen = dict()\n"
        "def remember():\n    global _count\n",
        encoding="utf-8",
    )
    assert _module_state(module) == [
        "line 5: mutable module-level value",
        "line 6: mutable module-level value",
        "line 8: global statement",
    ]


def _postponed_named_tuples(path: Path) -> list[str]:
    """The NamedTuples a module defines while its annotations are postponed (`from __future__
    import annotations`): typing then compiles every field's annotation text when the class is
    defined, which doubles what the class costs every run that imports it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    return [
        node.name
        for node in tree.body
        if postponed
        and isinstance(node, ast.ClassDef)
        and any(getattr(base, "id", None) == "NamedTuple" for base in node.bases)
    ]


@pytest.mark.parametrize("layer", ["core", "lint"])
def test_named_tuples_on_the_lint_path_have_evaluated_annotations(layer: str) -> None:
    offenders = {
        str(module.relative_to(PACKAGE_ROOT)): names
        for module in _modules(layer)
        if (names := _postponed_named_tuples(module))
    }
    assert offenders == {}


def test_the_named_tuple_scan_finds_postponed_annotations(tmp_path: Path) -> None:
    module = tmp_path / "records.py"
    module.write_text(
        "from __future__ import annotations\nfrom typing import NamedTuple\n"
        "class Point(NamedTuple):\n    x: int\nclass Plain:\n    x: int\n",
        encoding="utf-8",
    )
    assert _postponed_named_tuples(module) == ["Point"]


# --------------------------------------------------------------------------- rule families

_RULES_ROOT = PACKAGE_ROOT / "lint" / "rules"


def _family_of(name: str) -> str | None:
    """The family a module under lint/rules/ belongs to (its top-level module or package), None
    for the shared private helpers (`_*.py`) and the registry."""
    top = name.split(".")[0]
    return None if top.startswith("_") else top


def _rule_imports(path: Path) -> set[str]:
    """The modules under lint/rules/ that a module imports, dotted from lint/rules/."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(_RULES_ROOT).with_suffix("").parts[:-1]
    prefix = "retarus_connector.lint.rules."
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package[: len(package) - node.level + 1])
            module = ".".join(part for part in (base, node.module or "") if part)
            names = [f"{prefix}{module}"] + [f"{prefix}{module}.{a.name}" for a in node.names]
            names = names if node.module else names[1:]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
            if node.module == prefix.rstrip("."):
                names = [f"{prefix}{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name.removeprefix(prefix) for name in names if name.startswith(prefix)}
    return found


def test_rule_families_import_no_other_family() -> None:
    crossing: dict[str, set[str]] = {}
    for module in sorted(_RULES_ROOT.rglob("*.py")):
        name = module.relative_to(_RULES_ROOT).with_suffix("").as_posix().replace("/", ".")
        if name == "__init__":
            continue  # the registry imports every family
        own = _family_of(name)
        others = {
            imported
            for imported in _rule_imports(module)
            if (family := _family_of(imported)) is not None and family != own
        }
        if own is None and others:
            crossing[name] = others  # a shared helper must not lean on a family either
        elif others:
            crossing[name] = others
    assert crossing == {}, "rule families import each other; share helpers in lint/rules/_*.py"


def test_the_family_scan_sees_an_import_between_families(tmp_path: Path) -> None:
    module = _RULES_ROOT / "info.py"
    assert "_walk" in _rule_imports(module)
    assert _family_of("structure.refs") == "structure"
    assert _family_of("_walk") is None
