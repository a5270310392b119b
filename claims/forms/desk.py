"""Forms of the desk: selections, the claim panel and its sources, reviews, corrections,
articles and their revisions. Layout lives in each form's FormHelper, not in templates."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from claims.exports import ALL_STATUSES, ClaimFilters
from claims.forms.layout import Columns, FieldsOnly, Folded, TemplateBlock
from claims.models import Article, Claim, Correction, Rating, Source
from claims.models.base import SLUG_PATTERN, validate_language_tag
from claims.models.claims import SOURCE_FIELDS
from claims.roles import desk_users


class SpanForm(forms.Form):
    """A selection in the workspace: code-point offsets into one revision and its quote."""

    revision = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0, max_value=10_000_000)
    end = forms.IntegerField(min_value=1, max_value=10_000_000)
    exact = forms.CharField(strip=False, max_length=20_000)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start >= end:
            raise forms.ValidationError(_("The selection is empty."), code="empty_selection")
        return data


class LinkForm(SpanForm):
    claim = forms.IntegerField(min_value=1)


class AdjustMentionForm(forms.Form):
    """Which edge of a passage moves by one word, and which way: one of four buttons."""

    MOVES = [
        ("widen-start", _("Widen the start")),
        ("narrow-start", _("Narrow the start")),
        ("narrow-end", _("Narrow the end")),
        ("widen-end", _("Widen the end")),
    ]

    move = forms.ChoiceField(choices=MOVES)


class ClaimForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Its format and uniqueness are checked in clean_slug, with the desk's words.
    slug = forms.CharField(label=_("Public address"), required=False, max_length=100)

    class Meta:
        model = Claim
        fields = Claim.PANEL_FIELDS
        widgets = {
            "claim_reviewed": forms.Textarea(attrs={"rows": 2, "maxlength": 250}),
            "claim_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "explanation": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "claim_reviewed": _(
                "One short sentence, no verdict in it. Up to 75 characters is best."
            ),
            "conclusion": _("The verdict in one line."),
            "explanation": _("Markdown: **bold**, *italic*, [links](https://…), lists."),
        }

    # Fields a published claim changes only through a correction.
    VERDICT_FIELDS = ("claim_reviewed", "rating", "conclusion", "explanation")

    def __init__(self, *args, verdict_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim_reviewed"].required = True
        self.fields["rating"].queryset = Rating.objects.all()
        self.fields["rating"].empty_label = _("— not rated yet —")
        self.fields["assignee"].queryset = desk_users()
        self.fields["assignee"].empty_label = _("— nobody —")
        self._set_up_slug()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        details = [Columns("claimant", "claim_date"), "claimant_url"]
        if verdict_locked:
            for name in self.VERDICT_FIELDS:
                del self.fields[name]
            self.helper.layout = Layout("version", *details, "assignee", "slug")
            return
        self.helper.layout = Layout(
            "version",
            Field(
                "claim_reviewed",
                aria_describedby="id_claim_reviewed_helptext claim-reviewed-count",
            ),
            TemplateBlock("claims/desk/_claim_reviewed_count.html"),
            "slug",
            *details,
            Columns("rating", "assignee"),
            "conclusion",
            "explanation",
        )

    def _set_up_slug(self) -> None:
        field = self.fields["slug"]
        if self.instance.published_at is not None:
            # Disabled: what a forged request sends for it is ignored.
            field.disabled = True
            field.help_text = _(
                "Fixed since the claim was first published: its public address never changes."
            )
        else:
            field.help_text = _(
                "The end of the claim's public address (/claims/…/). It follows the claim "
                "as reviewed until you change it; empty it to go back to that. It is fixed "
                "once the claim is published."
            )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if self.fields["slug"].disabled or not slug:
            return slug
        if not SLUG_PATTERN.match(slug):
            raise forms.ValidationError(
                _("Use only lower-case letters, digits and single hyphens, like “kim-trump”."),
                code="invalid_slug",
            )
        if Claim.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another claim already has this address. Choose a different one."),
                code="slug_taken",
            )
        return slug


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = list(SOURCE_FIELDS)
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    # Their messages say which field they are about: the error summary names only the
    # source ("Source 2: Choose its kind.").
    NAMED_ERRORS = ("kind", "stance")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kind and stance are a fact-checker's judgement: never a silent default.
        for name, message in (
            ("kind", _("Choose its kind.")),
            ("stance", _("Choose its stance.")),
        ):
            field = self.fields[name]
            field.choices = [("", _("— choose —")), *(c for c in field.choices if c[0])]
            field.initial = None
            field.error_messages["required"] = message
            if self.instance.pk is None:
                self.initial[name] = ""
        if "ORDER" in self.fields:
            self.fields["ORDER"].label = _("Position")
            self.fields["ORDER"].help_text = _("Change the numbers to reorder the sources.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "",
                "id",
                "url",
                "title",
                "publisher",
                Columns("kind", "stance", css_class="col-sm-6"),
                Folded(
                    _("More about this source"),
                    Columns("published_on", "accessed_on", css_class="col-sm-6"),
                    "archive_url",
                    "quote",
                ),
                Div(
                    Div("ORDER", css_class="col-sm-6"),
                    Div("DELETE", css_class="col-sm-6 pt-sm-4"),
                    css_class="row",
                ),
            )
        )


class BaseSourceFormSet(forms.BaseInlineFormSet):
    form_name = _("Source %(number)s")  # as each source's legend in the panel

    def __init__(self, *args, queryset=None, **kwargs):
        # The panel shows each source's link check (Source.link_state): one query for all.
        if queryset is None:
            queryset = Source.objects.select_related("link_check")
        super().__init__(*args, queryset=queryset, **kwargs)


def management_form_damaged(formset) -> bool:
    """Tell whether a bound ``formset`` arrived with its management form missing,
    malformed or out of bounds (counts that are not whole numbers, negative, more initial
    forms than forms, or more forms than the formset ever builds). A browser showing our
    form never sends such counts: the request was altered or cut off, and nothing in it
    can be trusted to line up with the forms, so the view answers 400 instead of guessing.
    """
    if not formset.is_bound:
        return False
    management = formset.management_form
    if not management.is_valid():
        return True
    total = management.cleaned_data["TOTAL_FORMS"]
    initial = management.cleaned_data["INITIAL_FORMS"]
    return not 0 <= initial <= total <= formset.absolute_max


# Every formset a desk or reader view binds to POST data is checked with
# ``management_form_damaged`` before use (claims.views.desk.claim_panel).
MANAGEMENT_FORM_MESSAGE = _(
    "The list of sources arrived incomplete or altered, so nothing was saved. "
    "Reload the page and enter your changes again."
)


SourceFormSet = forms.inlineformset_factory(
    Claim,
    Source,
    form=SourceForm,
    formset=BaseSourceFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class DecisionForm(FieldsOnly, forms.Form):
    """A reviewer's decision on the version they read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(
        label=_("Comment for the editor"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you request changes: say what needs to change."),
    )


class ReasonForm(FieldsOnly, forms.Form):
    """Why a claim is dismissed or unpublished (kept in its timeline)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(FieldsOnly, forms.ModelForm):
    """The correction of a published verdict: its public note and the new verdict."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Correction
        fields = ["kind", "note", "new_rating", "new_conclusion", "new_explanation"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
            "new_explanation": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "new_rating": _("Corrected rating"),
            "new_conclusion": _("Corrected conclusion"),
            "new_explanation": _("Corrected explanation"),
        }
        help_texts = {
            "note": _("Shown to readers on the claim page and in the corrections log."),
            "new_explanation": _("Markdown."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_rating"].queryset = Rating.objects.all()
        self.fields["new_rating"].required = True
        self.fields["new_rating"].empty_label = _("— choose a rating —")
        self.fields["new_conclusion"].required = True


class CorrectionStartForm(FieldsOnly, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Correction
        fields = ["kind", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 5000})}
        help_texts = {
            "note": _("What changes and why, for readers. You can refine it before review."),
        }


class ArticleForm(forms.ModelForm):
    """Metadata of a new article; the text comes from the paste box or an uploaded file."""

    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the article text, or upload a file below. Paragraphs: blank lines."),
    )
    upload = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_(".txt, .md or .html (web pages: navigation and ads are dropped)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.html,.htm"}),
    )
    fetch_url = forms.CharField(
        label=_("…or fetch it from a web address"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
        help_text=_(
            "The page is fetched and its article extracted; you check the result before "
            "it is saved."
        ),
    )
    # Set by the preview of a fetched page: where the text came from.
    fetched_from = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    # …and the background import it was checked from (``ArticleImport``), to link the two.
    from_import = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = ["title", "outlet", "original_url", "byline", "published_on", "language"]
        help_texts = {
            "language": _("e.g. de or en-GB. Empty: taken from the web page, otherwise de.")
        }
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Taken from the page when you upload HTML.")
        self.fields["language"].required = False
        if self.instance.pk is None and not (kwargs.get("initial") or {}).get("language"):
            # Empty: taken from the page, else German (not the model's default, which
            # would hide that). A fetched page's own language is kept for the editor to see.
            self.initial["language"] = ""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "title",
            Div(
                Div("outlet", css_class="col-md-6"),
                Div("byline", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("original_url", css_class="col-md-6"),
                Div("published_on", css_class="col-md-3"),
                Div("language", css_class="col-md-3"),
                css_class="row",
            ),
            "text",
            "upload",
            "fetch_url",
            "fetched_from",
            "from_import",
        )

    def clean(self):
        data = super().clean()
        given = [
            bool(data.get("text", "").strip()),
            bool(data.get("upload")),
            bool(data.get("fetch_url", "").strip()),
        ]
        if not any(given):
            raise forms.ValidationError(
                _("Paste the article text, upload a file or give a web address."),
                code="no_text",
            )
        if sum(given) > 1:
            raise forms.ValidationError(
                _("Give the text one way only: paste it, upload a file or give a web address."),
                code="two_texts",
            )
        return data


class RevisionForm(FieldsOnly, forms.Form):
    """A new version of an article's text."""

    text = forms.CharField(
        label=_("New text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("The whole article as it reads now. Paragraphs: blank lines."),
    )
    # Set when the text came from fetching the article's address again.
    fetched = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ArticleMetadataForm(forms.ModelForm):
    """What the desk edits of an existing article: its metadata (the text changes only
    through a new revision). The slug, its public address, until readers first saw it.
    ``updated`` is the article's ``updated_at`` when the form was loaded: a save over
    someone else's newer change is refused instead of overwriting it."""

    updated = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = ["slug", *Article.METADATA_FIELDS]  # laid out by the helper below
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"language": _("e.g. de or en-GB.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.published_at is not None:
            # The public address never changes once readers may have linked to it.
            del self.fields["slug"]
        else:
            self.fields["slug"].help_text = _(
                "The article's public address: /articles/<slug>/. It can be changed until "
                "the article is first published."
            )
        self.initial.setdefault("updated", self.instance.updated_at.isoformat())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "title",
            *(["slug"] if "slug" in self.fields else []),
            Columns("outlet", "byline"),
            Div(
                Div("original_url", css_class="col-md-6"),
                Div("published_on", css_class="col-md-3"),
                Div("language", css_class="col-md-3"),
                css_class="row",
            ),
            "updated",
        )


class ArticleUnpublishForm(FieldsOnly, forms.Form):
    """Why an article is taken off the public site (kept in its history)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the article's history on the desk. Readers see only a notice."),
        error_messages={"required": _("Say why the article is unpublished.")},
    )


class ExportForm(forms.Form):
    """The desk export's filters (GET): which claims, as on the desk's claim list, and
    narrower. A wrong value is an error in words (the view answers 400), never a 500."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    rating = forms.ChoiceField(label=_("Rating"), required=False)
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=35,
        validators=[validate_language_tag],
        help_text=_("A language tag such as “de” or “en-GB”."),
    )
    claimant = forms.CharField(label=_("Claimant contains"), required=False, max_length=200)
    q = forms.CharField(label=_("Claim text contains"), required=False, max_length=200)
    updated_since = forms.DateField(
        label=_("Changed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as year-month-day, such as 2026-01-31.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (ALL_STATUSES, _("All statuses")),
            *Claim.Status.choices,
        ]
        self.fields["rating"].choices = [
            ("", _("Any rating")),
            ("none", _("Not rated yet")),
            *((rating.slug, rating.local_label) for rating in Rating.objects.all()),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Columns("status", "rating"),
            Columns("q", "claimant"),
            Columns("language", "updated_since"),
        )

    def filters(self) -> ClaimFilters:
        data = self.cleaned_data
        return ClaimFilters(
            status=data["status"] or ALL_STATUSES,
            rating=data["rating"],
            language=data["language"].strip(),
            claimant=data["claimant"].strip(),
            q=data["q"].strip(),
            updated_since=data["updated_since"],
        )
