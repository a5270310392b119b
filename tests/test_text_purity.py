"""The text engine (``claims/text``) is pure Python: it imports only the standard library,
a few text libraries and itself — never Django or the rest of the project."""

import ast
import sys
from pathlib import Path

# Pure-Python libraries made for text work that the engine may use (no Django, no project).
TEXT_ENGINE_LIBRARIES = {
    "diff_match_patch",
    "regex",
    # Sentences, lemmas, stems, word frequencies, number words, month names and number
    # formats (sentences.py, terms.py, similarity.py, worthiness.py).
    "syntok",
    "simplemma",
    "Stemmer",
    "wordfreq",
    "text_to_num",
    "babel",
}


def test_text_engine_imports_only_the_standard_library_and_itself() -> None:
    package = Path(__file__).resolve().parent.parent / "claims" / "text"
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                allowed = top in sys.stdlib_module_names or top in TEXT_ENGINE_LIBRARIES
                assert allowed, (module.name, name)
