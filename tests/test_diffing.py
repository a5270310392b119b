"""Word diffs for reviewers: whatever the texts, the pieces rebuild both versions."""

from hypothesis import given
from hypothesis import strategies as st

from claims.diffing import text_diff

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@given(texts, texts)
def test_segments_rebuild_the_old_and_the_new_text(old, new):
    segments = text_diff(old, new)
    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new
    assert all(text for _op, text in segments)


def test_a_small_edit_is_shown_word_by_word():
    assert text_diff(
        "Der Gipfel endete ohne Erklärung.", "Der Gipfel endete früh ohne Erklärung."
    ) == [
        ("equal", "Der Gipfel endete "),
        ("insert", "früh "),
        ("equal", "ohne Erklärung."),
    ]


def test_a_rewrite_is_shown_as_before_and_after():
    old = "Stimmt: Der Koreakrieg endete 1953 mit einem Waffenstillstand."
    new = "Teilweise: Es gibt bis heute keinen Friedensvertrag."
    assert text_diff(old, new) == [("delete", old), ("insert", new)]


@given(st.lists(texts.filter(lambda t: "\n\n" not in t), max_size=6), st.data())
def test_paragraph_diff_rebuilds_both_texts(paragraphs, data):
    from claims.diffing import paragraph_diff

    old = "\n\n".join(paragraphs)
    edited = data.draw(st.lists(texts.filter(lambda t: "\n\n" not in t), max_size=6))
    new = "\n\n".join(edited)
    blocks = paragraph_diff(old, new)

    def side(keep):
        out = []
        for op, content in blocks:
            if op == "change":
                out.append("".join(t for o, t in content if o in ("equal", keep)))
            elif op in ("equal", keep):
                out.append(content)
        return "\n\n".join(out)

    assert side("delete") == old
    assert side("insert") == new
