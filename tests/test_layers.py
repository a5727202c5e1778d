"""The layer rules of ARCHITECTURE.md: nuso.core imports no Django, its folders follow the flow,
and the portal reaches records only through its Scope."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


# Which core folders each core folder may not import: the flow runs intake → harmonise → store
# → analyse, and the folder names say it. core.intake calls the harmoniser, so it may import
# harmonise; harmonise decides values without knowing files or figures; nothing but synth
# imports synth (the demo data generator is a consumer of the domain, never a part of it);
# outputs writes what the others made, and none of them writes files of the registry's.
FORBIDDEN_CORE_IMPORTS = {
    "harmonise": {"intake", "analysis", "synth", "outputs"},
    "intake": {"analysis", "synth", "outputs"},
    "analysis": {"synth", "outputs"},
    "outputs": {"synth"},
}


def _core_imports(path: Path) -> set[str]:
    """The nuso.core sub-packages a module imports directly (its second name part)."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return {name.split(".")[2] for name in modules if name.startswith("nuso.core.")}


def test_core_folders_import_only_earlier_steps_of_the_flow() -> None:
    import nuso.core

    core = Path(nuso.core.__path__[0])
    offenders = []
    for folder, forbidden in FORBIDDEN_CORE_IMPORTS.items():
        paths = sorted((core / folder).rglob("*.py"))
        assert paths, folder  # the folder exists and was walked
        for path in paths:
            if bad := _core_imports(path) & forbidden:
                offenders.append(f"{path.relative_to(core)} imports {sorted(bad)}")
    assert offenders == []


def test_only_the_scope_reaches_records_in_the_portal() -> None:
    """Portal views get row-level data through nuso.portal.access.Scope only: no other portal
    module imports the record, batch or review models (type-only imports excepted)."""
    import nuso.portal

    forbidden_in_portal = {  # what reaches records, batches or raw values without a Scope
        "nuso.intake.models": {"RecordBlock", "ImportBatch", "ReviewItem"},
        "nuso.intake.record_frames": {"record_frame", "current_blocks"},
    }
    folder = Path(nuso.portal.__path__[0])
    offenders = []
    for path in sorted(folder.glob("*.py")):
        if path.name == "access.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {
            id(node)
            for guard in ast.walk(tree)
            if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.unparse(guard.test)
            for node in ast.walk(guard)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in type_only:
                names = {alias.name for alias in node.names}
                if names & forbidden_in_portal.get(node.module or "", set()):
                    offenders.append(path.name)
    assert offenders == []
    assert (folder / "views.py").exists()


def test_what_every_command_loads_imports_no_analysis_engine() -> None:
    """The output registry and the decks' registration are loaded at every start of a `nuso`
    command and web worker; the engine they would bring (statsmodels, python-pptx: over a
    second) slowed the national import by half. They are imported where used."""
    probe = (
        "import sys, nuso.core.outputs, nuso.reports.registration; "
        "heavy = sorted(m for m in ('statsmodels', 'pptx', 'nuso.core.analysis.indicators.engine') "
        "if m in sys.modules); print(heavy); sys.exit(1 if heavy else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                               check=False, timeout=60)  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
