"""The import rules stay complete: every module of the core is named in its layer, so a new
module cannot slip past the contracts that `make test` checks with import-linter."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_core_module_is_in_the_core_layer_of_the_contracts() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["name"].startswith("Domains in layers"))
    core = {name.strip() for name in layers["layers"][-1].split(":")}
    modules = {
        f"hiring.{path.stem}"
        for path in (ROOT / "hiring").glob("*.py")
        if path.stem not in {"__init__", "urls"}
    }
    assert modules == core


def test_every_domain_package_is_in_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["name"].startswith("Domains in layers"))
    named = {
        part.strip() for layer in layers["layers"] for part in layer.replace("|", ":").split(":")
    }
    packages = {
        f"hiring.{p.name}" for p in (ROOT / "hiring").iterdir() if (p / "__init__.py").exists()
    }
    assert packages - {"hiring.migrations"} <= named
