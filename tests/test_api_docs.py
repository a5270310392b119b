"""docs/api.md's walk from a token to a claim's status works as written: every `sh` block
of "From a token to a webhook in five minutes" runs, in order, in one shell, with curl
against a live server (the `export` lines get this test's address and token)."""

import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from claims.models import Article, Claim
from claims.tokens import issue_token

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
SECTION = "## From a token to a webhook in five minutes"


def walk_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def test_the_section_has_the_steps_it_promises():
    script = "\n".join(walk_blocks())
    for step in ("/api/v1/claims", "/api/v1/desk/articles", "/mentions", "/api/v1/desk/claims/"):
        assert step in script


@pytest.mark.django_db(transaction=True)
def test_the_five_minute_walk_runs_as_written(live_server, seeded, editor, tmp_path, settings):
    settings.FACTCHECK_API_RATE_LIMIT = 1000
    raw = issue_token(editor, "CMS", ["read:desk", "write:articles"], timedelta(days=1))[1]
    script = "\n".join(
        line
        for block in walk_blocks()
        for line in block.splitlines()
        if not line.startswith("export ")
    )
    result = subprocess.run(
        [shutil.which("bash"), "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env={**os.environ, "FACTCHECK": live_server.url, "TOKEN": raw},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    assert result.stdout.strip().endswith("draft")  # the last step: the claim's status
    assert '"Falsch"' in result.stdout or '"label": "Falsch"' in result.stdout
    article = Article.objects.get(title="Trump dämpft Erwartungen")
    claim = Claim.objects.get(mentions__revision__article=article)
    assert claim.author == editor
    assert claim.mentions.get().exact.startswith("Nordkorea hat seit mehr als einem Jahr")
