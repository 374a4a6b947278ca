"""The layering rules of ARCHITECTURE.md, checked against every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "tools" / "retarus_connector"

# layer -> project layers it may import (besides itself and the package root module)
ALLOWED: dict[str, set[str]] = {
    "models": set(),
    "emitters": {"models"},
    "files": {"emitters", "models"},
    "lint": set(),
    "diff": {"lint"},
    "simulator": set(),
    "runtime": set(),
    "packaging": {"emitters", "files", "lint", "models"},
}
CORE_LAYERS = sorted(ALLOWED)


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
    allowed = ALLOWED[layer] | {layer, "__version__", "paths"}
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
