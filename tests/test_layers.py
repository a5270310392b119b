"""The layering, read from the source: every module imports only from its own floor or below
(``FLOORS``: text engine → models → services → views), view modules never import each other,
public views import no desk code, and the model modules import each other in one direction.

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
PUBLIC = {"public", "reader_input", "embed"}
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
        "from claims.views import marking\n"
        "from .public import home\n"
        "from . import revisions\n"
        "from claims.workspace import panel_context\n"
        "def later():\n"
        "    from claims.views.articles import article_edit\n"
    )
    assert views_imported(source) == {
        "desk",
        "workflow",
        "marking",
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


MODELS = VIEWS.parent / "models"


def models_imported(path: Path) -> set[str]:
    """Names of the ``claims.models`` modules that the module at ``path`` imports, local
    imports inside functions included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            parts = node.module.split(".")
            if parts[:2] == ["claims", "models"] and len(parts) > 2:
                found.add(parts[2])
    return found


def test_the_model_modules_import_each_other_in_one_direction() -> None:
    graph = {
        path.stem: models_imported(path) for path in MODELS.glob("*.py") if path.stem != "__init__"
    }
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"model import circle: {' → '.join((*path, module))}"
        if module not in done:
            for imported in graph.get(module, ()):
                visit(imported, (*path, module))
            done.add(module)

    for module in sorted(graph):
        visit(module, ())


# The floors of the whole code, from the ground up (docs/architecture.md, "Layers"). A module
# imports only from its own floor or below; the longest matching prefix names its floor.
FLOORS = {
    # 0. The text engine: pure Python (tests/test_text_purity.py keeps Django out).
    "claims.text": 0,
    # 1. Foundations that know no model: roles, the workflow steps, wording, imports,
    # Markdown, the project's settings and middleware.
    "claims.roles": 1,
    "claims.wording": 1,
    "claims.log_throttle": 1,
    "claims.django_strings": 1,
    "claims.markdown": 1,
    "claims.importing": 1,
    "claims.archiving": 1,  # the web archive's Save Page Now client
    "claims.checks": 1,
    "claims.context_processors": 1,
    "claims.branding": 1,
    "claims.workflow_steps": 1,
    "claims.db_errors": 1,
    "claims.error_answers": 1,
    "claims.migration_operations": 1,  # an index built concurrently on PostgreSQL
    "factcheck": 1,
    # RFC 9457 problem documents: no model; the API's middleware (factcheck.api_headers)
    # answers with them too.
    "claims.api.problems": 1,
    # 2. The domain model.
    "claims.models": 2,
    # 3. Reads and rules on the model that several writers and pages share.
    "claims.permissions": 3,
    "claims.diffing": 3,
    "claims.search": 3,
    "claims.matching": 3,
    "claims.abuse": 3,
    "claims.signals": 3,
    "claims.signin": 3,
    "claims.claimreview": 3,
    "claims.annotations": 3,  # W3C Web Annotations of an article's published fact-checks
    "claims.caching": 3,  # the public page cache: nothing in factcheck/ reaches up to it
    "claims.share": 3,  # the share image: drawn from a claim and its rating, writes nothing
    "claims.emails": 3,  # who hears of what by email, and the messages; sends nothing
    "claims.webhooks": 3,  # webhook events, public payloads, signing; sends nothing
    "claims.tokens": 3,  # API tokens: issue, authenticate, touch, revoke
    # 4. Services: every write that touches several models.
    "claims.services": 4,
    # 4.5 Work outside the request: tasks run services later; the scheduler enqueues tasks.
    # Services never enqueue: the views, the admin and the post_save hooks of claims.apps do.
    "claims.tasks": 4.5,
    "claims.scheduling": 4.5,
    # 5. Presentation below the views: forms, markup, page context, feeds, template tags.
    "claims.forms": 5,
    "claims.account_forms": 5,
    "claims.highlights": 5,
    "claims.workspace": 5,
    "claims.exports": 5,  # the desk's CSV and JSON Lines exports of claims
    "claims.templatetags": 5,
    "claims.feeds": 5,
    "claims.sitemaps": 5,
    # 6. Views and the admin.
    "claims.views": 6,
    "claims.admin": 6,
    "claims.admin_security": 6,
    "claims.api": 6,  # the JSON API: its operations are views
    # 7. Wiring: URLs, the app's start-up, management commands.
    "claims.urls": 7,
    "claims.apps": 7,
    "claims.management": 7,
    "factcheck.urls": 7,
    "factcheck.settings": 7,
}
ROOT = VIEWS.parent.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path) -> set[str]:
    """The project modules (``claims``, ``factcheck``) that the module at ``path`` imports,
    anywhere in it (a local import inside a function counts too), as dotted names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # "from claims import services" imports claims.services.
            found.update(f"{module}.{alias.name}" for alias in node.names)
            found.add(module)
    return {m for m in found if m.split(".")[0] in {"claims", "factcheck"}}


def floor(module: str) -> int | None:
    """The floor of a module: that of the longest prefix in FLOORS (None: a name such as
    ``claims.models.Claim`` below a module is judged by its module)."""
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        prefix = ".".join(parts[:size])
        if prefix in FLOORS:
            return FLOORS[prefix]
    return None


SOURCES = sorted(
    path
    for package in ("claims", "factcheck")
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts
)


def test_every_module_has_a_floor() -> None:
    homeless = [module_name(p) for p in SOURCES if module_name(p) != "claims"]
    homeless = [m for m in homeless if floor(m) is None]
    assert not homeless, f"give these modules a floor in FLOORS: {homeless}"


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_a_module_imports_nothing_from_a_floor_above_it(path: Path) -> None:
    own = floor(module_name(path))
    if own is None:  # the package claims/__init__.py, which imports nothing
        return
    above = sorted(
        f"{m} (floor {floor(m)})"
        for m in project_imports(path)
        if floor(m) is not None and floor(m) > own
    )
    assert not above, f"{module_name(path)} (floor {own}) imports from above: {above}"


def test_the_floor_rules_see_relative_and_local_imports(tmp_path) -> None:
    package = ROOT / "claims" / "models"
    sample = package / "_layering_sample.py"
    sample.write_text(
        "from .claims import Claim\nfrom .. import services\ndef later():\n"
        "    from claims.views.public import home\n",
        encoding="utf-8",
    )
    try:
        imported = project_imports(sample)
    finally:
        sample.unlink()
    assert {"claims.models.claims", "claims.services", "claims.views.public"} <= imported
    assert floor("claims.views.public") == 6 > floor("claims.models.claims") == 2


# What only the desk uses: the public views (readers) never import it.
DESK_ONLY = ("claims.workspace", "claims.forms.desk", "claims.highlights.desk")


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_a_public_view_imports_no_desk_module(module: str) -> None:
    imported = project_imports(VIEWS / f"{module}.py")
    desk = sorted(m for m in imported if m.startswith(DESK_ONLY))
    assert not desk, f"claims/views/{module}.py imports desk code: {desk}"
