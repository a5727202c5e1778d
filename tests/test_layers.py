"""The layer rule of ARCHITECTURE.md: nuso.core imports no Django."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import nuso.core
names = [m.name for m in pkgutil.walk_packages(nuso.core.__path__, "nuso.core.")]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(len(names), leaked)
sys.exit(1 if leaked else 0)
"""


def test_core_imports_no_django() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    module_count = int(completed.stdout.split()[0])
    assert module_count >= 5  # the probe really walked the package
