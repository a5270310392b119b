"""Accessibility: axe-core finds no serious or critical violations on the public pages."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from claims.models import Claim
from tests.conftest import SEED_ARTICLE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[str]:
    # Evaluated through the DevTools protocol: the page's own strict CSP (rightly) refuses
    # injected <script> tags, and the test must not weaken it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => await axe.run(document)")
    assert len(result["passes"]) > 10  # axe really ran its rules
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/articles/{SEED_ARTICLE_SLUG}/",
        "/claims/waffenstillstand-1953-kriegszustand/",
        "/claims/",
        "/articles/",
        "/methodology/",
        "/de/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(live_server, seeded, page, path):
    assert Claim.objects.published().exists()
    page.goto(live_server.url + path)
    assert serious_violations(page) == []
