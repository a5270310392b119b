"""The views' layering, read from their source: view modules never import each other.

What two views share lives below them: the desk's page context in ``claims/workspace.py``,
and the helper modules of ``claims/views/`` named in ``HELPERS``. The public views (readers)
import none of the desk's error answers, only the neutral request limits.
"""

import ast
from pathlib import Path

import pytest

VIEWS = Path(__file__).resolve().parent.parent / "claims" / "views"
# Helper modules in claims/views/ that views may import: they hold no views.
HELPERS = {
    "access",  # desk_required and the lookups that check who may see what
    "responses",  # the desk's error answers, refusal_status, safe_next
    "limits",  # max_body, the 413 answer, handler400 (public and desk)
}
PUBLIC = {"public", "reader_input"}
VIEW_MODULES = sorted(
    path.stem for path in VIEWS.glob("*.py") if path.stem not in HELPERS | {"__init__"}
)


def views_imported(path: Path) -> set[str]:
    """Names of the ``claims.views`` modules that the module at ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[:2] == ["claims", "views"] and len(parts) > 2:
                    found.add(parts[2])
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside claims/views/ (level 1) or above it
                package = ["claims", "views"][: 3 - node.level] if node.level <= 2 else []
                parts = package + (node.module.split(".") if node.module else [])
            else:
                parts = node.module.split(".")
            if parts[:2] != ["claims", "views"]:
                continue
            if len(parts) > 2:
                found.add(parts[2])
            else:  # from claims.views import desk
                found.update(alias.name for alias in node.names)
    return found


def test_the_rules_see_every_kind_of_import(tmp_path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "import claims.views.desk\n"
        "from claims.views.workflow import claim_url\n"
        "from claims.views import annotate\n"
        "from .public import home\n"
        "from . import revisions\n"
        "from claims.workspace import panel_context\n"
        "def later():\n"
        "    from claims.views.articles import article_edit\n"
    )
    assert views_imported(source) == {
        "desk",
        "workflow",
        "annotate",
        "public",
        "revisions",
        "articles",
    }


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_a_view_module_imports_no_other_view_module(module: str) -> None:
    others = views_imported(VIEWS / f"{module}.py") - HELPERS
    assert not others, f"claims/views/{module}.py imports the view module(s) {sorted(others)}"


@pytest.mark.parametrize("module", sorted(HELPERS))
def test_a_helper_module_imports_no_view_module(module: str) -> None:
    others = views_imported(VIEWS / f"{module}.py") - HELPERS
    assert not others, f"claims/views/{module}.py imports the view module(s) {sorted(others)}"


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_a_public_view_imports_only_the_neutral_request_limits(module: str) -> None:
    imported = views_imported(VIEWS / f"{module}.py")
    assert imported <= {"limits"}, f"claims/views/{module}.py imports {sorted(imported)}"


@pytest.mark.parametrize("module", ["middleware", "limits"])
def test_the_project_s_middleware_imports_no_view_and_not_the_page_cache(module: str) -> None:
    """factcheck/ (settings, middleware) stands below the views: what its middleware needs
    from claims is in low modules (claims.db_errors, claims.error_answers)."""
    path = VIEWS.parent.parent / "factcheck" / f"{module}.py"
    assert not views_imported(path), f"factcheck/{module}.py imports claims.views"
    modules = {
        node.module
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "claims.caching" not in modules, f"factcheck/{module}.py imports claims.caching"
