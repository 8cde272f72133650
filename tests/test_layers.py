"""Imports go down the data path only: files -> load -> model -> graph -> rules -> check -> report.

Each module's imports are read with `ast`, lazy ones inside functions included (an import under
`if TYPE_CHECKING:` counts too: it is a dependency all the same).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cljourney"

# Layer (package or module under cljourney) -> the layers it must never import.
FORBIDDEN: dict[str, frozenset[str]] = {
    "load": frozenset({"check", "rules", "render", "report", "diff", "cli"}),
    "model": frozenset({"check", "rules", "render", "report", "diff", "cli"}),
    "rules": frozenset({"check", "render", "report", "diff", "cli"}),
    "render": frozenset({"cli", "report"}),
    "report": frozenset({"cli"}),
}
# Only these may import the CLI.
CLI_USERS = frozenset({"cli", "__main__"})


def _layer(module: str) -> str:
    """`cljourney.check.pipeline` -> `check`; `cljourney.model` -> `model`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every cljourney module `path` imports, at the top or inside a function."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from cljourney import cli` imports the subpackage itself.
            found.update(f"{base}.{alias.name}" for alias in node.names if base == "cljourney")
    return {name for name in found if name.startswith("cljourney.")}


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_parser_sees_lazy_imports() -> None:
    imports = _imports(PACKAGE / "check" / "pipeline.py")
    assert "cljourney.check.parallel" in imports  # imported inside a function there
    assert "cljourney.rules" in imports


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layers(path: Path) -> None:
    layer = _layer(_module_name(path))
    forbidden = FORBIDDEN.get(layer, frozenset())
    if layer not in CLI_USERS:
        forbidden = forbidden | {"cli"}
    wrong = sorted(name for name in _imports(path) if _layer(name) in forbidden)
    assert not wrong, f"{layer} must not import {wrong}"


def test_reporters_and_config_do_not_import_the_pipeline() -> None:
    """The report types and the options live below the pipeline, so the config comes before it
    and reporters depend on findings only."""
    users = [PACKAGE / "check" / "config.py", *sorted((PACKAGE / "report").rglob("*.py"))]
    for path in users:
        assert "cljourney.check.pipeline" not in _imports(path), path
