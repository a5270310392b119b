from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, for example #1a7f37.")
)


class Rating(models.Model):
    """One step of the newsroom's rating scale, e.g. "Mostly false".

    ``value`` orders the scale numerically for ClaimReview (higher is truer); steps
    that are not on the true–false axis, such as "Unproven", have no value.
    """

    scale = models.SlugField(_("scale"), max_length=50, default="default")
    label = models.CharField(_("label"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=50)
    value = models.SmallIntegerField(_("numeric value"), null=True, blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, default="#6c757d", validators=[hex_colour_validator]
    )
    description = models.TextField(_("description"), blank=True)
    # The public site speaks English and German (settings.LANGUAGES): label and description
    # above are the English ones; these are shown on German pages when filled in.
    label_de = models.CharField(_("label (German)"), max_length=50, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "position", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["scale", "slug"], name="rating_unique_slug"),
            models.UniqueConstraint(fields=["scale", "value"], name="rating_unique_value"),
            models.UniqueConstraint(fields=["scale", "label"], name="rating_unique_label"),
            # The colour ends up in a stylesheet: only ever a plain hex value.
            models.CheckConstraint(
                condition=models.Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        # Selects, diffs and admin columns show the scale in the page's language.
        return self.local_label

    @property
    def local_label(self) -> str:
        """The label in the language of the current request."""
        return self._localized("label")

    @property
    def local_description(self) -> str:
        return self._localized("description")

    def _localized(self, field: str) -> str:
        if (get_language() or "").split("-")[0] == "de":
            return getattr(self, f"{field}_de") or getattr(self, field)
        return getattr(self, field)

    @property
    def css_class(self) -> str:
        """The CSS class carrying this rating's colour (see the ``ratings.css`` view)."""
        if self.scale == "default":
            return f"rating-{slugify(self.slug)}"
        return f"rating-{slugify(self.scale)}-{slugify(self.slug)}"

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on ``colour`` (see ``text_colour_on``)."""
        return text_colour_on(self.colour)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(colour: str) -> str:
    """Black or white text, whichever contrasts more with ``colour``. One of the two always
    reaches at least 4.58:1 (they tie at a relative luminance of about 0.179), so any colour an
    admin enters gets text that meets WCAG AA (4.5:1)."""
    on_black = contrast_ratio(colour, "#000000")
    return "#000000" if on_black >= contrast_ratio(colour, "#ffffff") else "#ffffff"
