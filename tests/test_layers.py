"""The engine is a pipeline with no upward imports: a folder imports only from the layers
below it, and the engine never imports the interfaces."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each layer of `knowledge`, lowest first; a module may import its own layer and those below.
# The lowest is the boundary: what comes in (inputs, settings, sealed kept files) and what
# goes out (models).
LAYERS = [
    ("knowledge.inputs", "knowledge.settings", "knowledge.models", "knowledge.seal"),
    ("knowledge.read",),
    ("knowledge.rank",),
    ("knowledge.answer",),
    ("knowledge.store",),
]


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules a file imports at run time (relative imports resolved;
    names under `if TYPE_CHECKING:` are type hints, not imports)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    package = package.removesuffix(".__init__")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            # `from .. import store` and `from knowledge import answer` import modules by name.
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> int | None:
    for rank, layer in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in layer):
            return rank
    return None


def test_the_engine_never_imports_the_interfaces():
    for path in (ROOT / "knowledge").rglob("*.py"):
        chat = [name for name in imported_modules(path) if name == "chat" or name.startswith("chat.")]
        assert not chat, f"{path.relative_to(ROOT)} imports {chat}"


def test_no_layer_of_the_engine_imports_one_above_it():
    checked = 0
    for path in (ROOT / "knowledge").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = layer_of(module)
        if own is None:
            continue  # the top: base, evaluation, the package itself
        checked += 1
        for name in imported_modules(path):
            other = layer_of(name)
            assert other is None or other <= own, f"{module} imports {name}, a layer above it"
            assert not name.startswith(("knowledge.base", "knowledge.evaluation")), f"{module} imports the top ({name})"
    assert checked > 30
