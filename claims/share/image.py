"""The share image of a published claim: a 1200 × 630 PNG for social networks (og:image).

Drawn on the server with Pillow from the claim's data, in the fonts the project ships
(``claims/share/fonts/``: DejaVu Sans, no system font and no network needed). What the
image shows is collected first (``share_card``, in the active language: the URL's), and
its hash (``version_key``) is part of the image's URL: a correction, a changed rating
label or colour, a new brand setting gives a new URL, so no cache or CDN ever serves an
old picture under the new address. It reads claims and ratings and writes nothing.
"""

import hashlib
import io
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

import regex
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from claims.branding import logo_file
from claims.models import Claim
from claims.models.ratings import text_colour_on

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing changes: every image gets a new URL.
DRAWING_VERSION = "1"
FONTS = Path(__file__).resolve().parent / "fonts"
MARGIN = 64
BAND = 104  # the brand band at the top
CLAIM_SIZES = (56, 50, 44, 40, 36)  # the claim shrinks to fit MAX_CLAIM_LINES lines
MAX_CLAIM_LINES = 5
LINE_SPACING = 1.22
ELLIPSIS = "…"
# The verdict's colour of a claim not rated (the pages' rating-none grey).
NOT_RATED_COLOUR = "#6c757d"
HYPHEN = "-"


@dataclass(frozen=True)
class ShareCard:
    """Everything the image shows, as text: its hash is the image's version."""

    claim: str
    language: str
    claimant_line: str
    kicker: str
    verdict_caption: str
    verdict: str
    verdict_colour: str
    verdict_text_colour: str
    organization: str
    brand_colour: str
    logo: str


def share_card(claim: Claim) -> ShareCard:
    """What the image of ``claim`` shows, in the active language (its rating loaded)."""
    rating = claim.rating
    return ShareCard(
        claim=claim.claim_reviewed.strip(),
        language=claim.language,
        claimant_line=(
            gettext("Claimed by %(claimant)s") % {"claimant": claim.claimant.strip()}
            if claim.claimant.strip()
            else ""
        ),
        kicker=gettext("Fact-check"),
        verdict_caption=gettext("Verdict"),
        verdict=rating.local_label if rating else gettext("Not rated"),
        verdict_colour=rating.colour if rating else NOT_RATED_COLOUR,
        verdict_text_colour=rating.text_colour if rating else text_colour_on(NOT_RATED_COLOUR),
        organization=settings.FACTCHECK_ORGANIZATION_SHORT_NAME,
        brand_colour=settings.FACTCHECK_BRAND_COLOR,
        logo=settings.FACTCHECK_BRAND_LOGO,
    )


def share_image_url(claim: Claim) -> str:
    """The versioned address (a path) of ``claim``'s share image in the active language."""
    key = version_key(share_card(claim))
    return reverse("claims:claim-share-image", kwargs={"slug": claim.slug, "key": key})


def version_key(card: ShareCard) -> str:
    """A short hash of what the image shows (and of the logo file and the drawing)."""
    digest = hashlib.sha256()
    for value in (DRAWING_VERSION, *astuple(card), _logo_stamp(card.logo)):
        digest.update(str(value).encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def _logo_stamp(static_path: str) -> str:
    path = logo_file(static_path)
    if path is None:
        return "-"
    stat = Path(path).stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size
    )


# --- Wrapping -------------------------------------------------------------------------


def _width(text: str, face: ImageFont.FreeTypeFont) -> float:
    return face.getlength(text)


VOWELS = set("aeiouyäöüAEIOUYÄÖÜéèáàóò")


def _syllable_start(clusters: list[str], index: int) -> bool:
    """A rough German/English syllable edge before ``clusters[index]``: a consonant
    followed by a vowel ("Wit-we", "Ren-te"), after a letter."""
    if index < 2 or index + 1 >= len(clusters):
        return False
    before, here, after = clusters[index - 1], clusters[index], clusters[index + 1]
    return before.isalpha() and here.isalpha() and here[0] not in VOWELS and after[0] in VOWELS


def _break_word(
    word: str, face: ImageFont.FreeTypeFont, width: float, first_width: float | None = None
) -> list[str]:
    """A word wider than ``width`` in pieces that fit, each but the last ending in a
    hyphen; never inside a letter with its marks (grapheme clusters). A piece ends at a
    syllable edge when one lies among its last few letters. The first piece may be given
    less room (``first_width``: what is left of a line); it is empty when not even three
    letters fit there."""
    pieces: list[str] = []
    clusters = regex.findall(r"\X", word)
    start = 0
    room = width if first_width is None else first_width
    if _width("".join(clusters[:3]) + HYPHEN, face) > room:
        pieces.append("")
        room = width
    while start < len(clusters):
        end = start + 1  # at least one cluster per piece
        while (
            end < len(clusters)
            and _width("".join(clusters[start : end + 1]) + HYPHEN, face) <= room
        ):
            end += 1
        if end < len(clusters):
            for back in range(end, max(start + 1, end - 4), -1):
                if _syllable_start(clusters, back):
                    end = back
                    break
        piece = "".join(clusters[start:end])
        if end < len(clusters) and not piece.endswith(HYPHEN):
            piece += HYPHEN
        pieces.append(piece)
        start, room = end, width
    return pieces


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words, each split after its own hyphens ("Corona-Soforthilfe" → "Corona-",
    "Soforthilfe"), with whether the next token follows without a space."""
    tokens = []
    for word in text.split():
        parts = regex.split(r"(?<=\p{L}-)(?=\p{L})", word)
        tokens.extend((part, i < len(parts) - 1) for i, part in enumerate(parts))
    return tokens


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``: greedy, between words or after a
    hyphen of a compound; a word wider than a line is broken with a hyphen."""
    lines: list[str] = []
    line, glued = "", False
    for token, glue_next in _tokens(text):
        candidate = f"{line}{'' if glued else ' '}{token}" if line else token
        if _width(candidate, face) <= width:
            line = candidate
        elif _width(token, face) <= width:
            lines.append(line)
            line = token
        else:  # wider than a line: its first piece fills what is left of this one
            prefix = f"{line}{'' if glued else ' '}" if line else ""
            first, *rest = _break_word(token, face, width, width - _width(prefix, face))
            if first:
                lines.append(prefix + first)
            elif line:
                lines.append(line)
            *full, line = rest
            lines.extend(full)
        glued = glue_next
    if line:
        lines.append(line)
    return lines


def line_height(face: ImageFont.FreeTypeFont) -> int:
    return round(face.size * LINE_SPACING)


def fit(
    text: str,
    sizes: tuple[int, ...],
    width: float,
    max_lines: int,
    max_height: int | None = None,
    bold: bool = True,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest of ``sizes`` at which ``text`` wraps into ``max_lines`` (and lines
    of that size into ``max_height``); at the smallest, the lines after that are cut and
    the last ends in "…"."""
    for size in sizes:
        face = font(size, bold)
        allowed = max_lines
        if max_height is not None:
            allowed = max(1, min(max_lines, max_height // line_height(face)))
        lines = wrap(text, face, width)
        if len(lines) <= allowed:
            return face, lines
    lines = lines[:allowed]
    last = lines[-1].rstrip(f" {HYPHEN}")
    # Cut after a whole word when that keeps at least half the line.
    if " " in last and _width(last.rsplit(" ", 1)[0], face) > width / 2:
        last = last.rsplit(" ", 1)[0]
    while last and _width(last + ELLIPSIS, face) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + ELLIPSIS
    return face, lines


# --- Drawing --------------------------------------------------------------------------


def _shorten(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """``text`` cut with "…" until it fits ``width`` on one line."""
    while text and _width(text, face) > width:
        text = text[:-2] + ELLIPSIS
    return text


def _quoted(text: str, language: str) -> str:
    if language.split("-")[0].lower() == "de":
        return f"„{text}“"
    return f"“{text}”"


def render_png(card: ShareCard) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    # The brand band: logo and the organisation's name.
    draw.rectangle((0, 0, WIDTH, BAND), fill=card.brand_colour)
    x = MARGIN
    logo_path = logo_file(card.logo)
    if logo_path:
        with Image.open(logo_path) as logo:
            logo = logo.convert("RGBA")
            side = BAND - 32
            logo.thumbnail((side * 4, side))
            image.paste(logo, (x, (BAND - logo.height) // 2), logo)
            x += logo.width + 20
    name_face = font(36, bold=True)
    name = _shorten(card.organization, name_face, WIDTH - MARGIN - x)
    draw.text(
        (x, BAND // 2), name, font=name_face, fill=text_colour_on(card.brand_colour), anchor="lm"
    )

    # A bar in the verdict's colour down the left edge.
    draw.rectangle((0, BAND, 16, HEIGHT), fill=card.verdict_colour)

    # Kicker, the claim (quoted, in its language's quotation marks), the claimant.
    y = BAND + 36
    draw.text((MARGIN, y), card.kicker.upper(), font=font(24, bold=True), fill="#555555")
    top, bottom = y + 44, HEIGHT - 132  # the claim's block sits between, centred
    claimant_height = 48 if card.claimant_line else 0
    claim_face, lines = fit(
        _quoted(card.claim, card.language),
        CLAIM_SIZES,
        text_width,
        MAX_CLAIM_LINES,
        max_height=bottom - top - claimant_height,
    )
    step = line_height(claim_face)
    block = len(lines) * step + claimant_height
    y = max(top, top + (bottom - top - block) // 2)
    for line in lines:
        draw.text((MARGIN, y), line, font=claim_face, fill="#111111")
        y += step
    if card.claimant_line:
        claimant_face = font(28)
        claimant = _shorten(card.claimant_line, claimant_face, text_width)
        draw.text((MARGIN, y + 12), claimant, font=claimant_face, fill="#444444")

    # The verdict, in its colour and label.
    caption_face, verdict_face = font(30), font(40, bold=True)
    base = HEIGHT - 56
    caption = f"{card.verdict_caption}:"
    draw.text((MARGIN, base), caption, font=caption_face, fill="#333333", anchor="ls")
    left = MARGIN + _width(caption, caption_face) + 20
    verdict = _shorten(card.verdict, verdict_face, WIDTH - MARGIN - left - 48)
    box = draw.textbbox((left + 24, base), verdict, font=verdict_face, anchor="ls")
    draw.rounded_rectangle(
        (left, box[1] - 14, box[2] + 24, box[3] + 14), radius=12, fill=card.verdict_colour
    )
    draw.text(
        (left + 24, base), verdict, font=verdict_face, fill=card.verdict_text_colour, anchor="ls"
    )

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# A versioned image never changes: it stays a year in the cache (and in every browser).
IMAGE_MAX_AGE = 365 * 24 * 3600


def cached_png(card: ShareCard) -> tuple[bytes, bool]:
    """The PNG of ``card`` from the shared cache, drawn and stored when missing; and
    whether it was drawn now. The share-image view and the scheduler's
    ``render_share_images`` job (which draws new claims' images before a social network
    asks) both come here."""
    key = f"share-image:{version_key(card)}"
    png = cache.get(key)
    if png is not None:
        return png, False
    png = render_png(card)
    cache.set(key, png, IMAGE_MAX_AGE)
    return png, True
