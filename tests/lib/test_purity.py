"""styra.lib is pure: importing any of its modules must not load Django."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import styra.lib

REPO = Path(__file__).resolve().parents[2]


def _lib_modules() -> list[str]:
    return sorted(f"styra.lib.{m.name}" for m in pkgutil.iter_modules(styra.lib.__path__))


def test_lib_has_the_core_modules():
    assert {"styra.lib.numbers", "styra.lib.money", "styra.lib.periods"} <= set(_lib_modules())


def test_no_lib_module_imports_django():
    modules = _lib_modules()
    # A fresh interpreter, so nothing imported by pytest or other tests can hide an import.
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = [m for m in sys.modules if m.partition('.')[0] == 'django']\n"
        "print(' '.join(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Django imported by styra.lib: {result.stdout}"
