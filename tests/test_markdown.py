"""Explanations: Markdown rendered, then sanitised by nh3."""

from claims.markdown import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Some **bold** and a [link](https://example.org/a).")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org/a"' in html


def test_links_get_nofollow_noopener():
    html = render_markdown("[a](https://example.org)")
    assert 'rel="nofollow noopener"' in html


def test_raw_html_and_scripts_are_not_rendered():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_link_schemes_are_dropped():
    for target in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"):
        html = render_markdown(f"[click]({target})")
        assert "href" not in html, target


def test_images_are_not_allowed():
    assert "<img" not in render_markdown("![alt](https://example.org/x.png)")
