"""Forms of the desk. Layout lives in each form's FormHelper, not in templates."""

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from claims.abuse import HONEYPOT_FIELD
from claims.models import Article, Claim, Correction, ErrorReport, Rating, Source, Tip
from claims.models.base import SLUG_PATTERN
from claims.models.claims import SOURCE_FIELDS
from claims.roles import EDITORS, REVIEWERS
from claims.wording import language_name


# --- Layout objects -------------------------------------------------------------------
# The claim panel is drawn after every mark and save; these two do what crispy's Div and
# HTML do with less work (Div renders a template per wrapper, HTML compiles its template
# string on every render).
class Columns(LayoutObject):
    """Fields side by side: a Bootstrap ``row`` with a ``css_class`` column per field,
    the markup of ``Div(Div(field, css_class=...), ..., css_class="row")``."""

    def __init__(self, *fields: str, css_class: str = "col-md-6") -> None:
        self.fields = list(fields)
        self.css_class = css_class

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        cells = format_html_join(
            "",
            '<div class="{}">{}</div>',
            (
                (self.css_class, render_field(name, form, context, template_pack=template_pack))
                for name in self.fields
            ),
        )
        return format_html('<div class="row">{}</div>', cells)


class TemplateBlock(LayoutObject):
    """A template file rendered in the form's context, between its fields."""

    def __init__(self, template_name: str) -> None:
        self.template_name = template_name
        self.fields = []

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return get_template(self.template_name).render(context.flatten())


class Folded(LayoutObject):
    """Optional fields (names or layout objects) folded in a ``<details>``, open when one
    of them holds a value or an error, so nothing typed or wrong is ever out of sight."""

    def __init__(self, summary: str, *fields) -> None:
        self.summary = summary
        self.fields = list(fields)

    def _names(self) -> list[str]:
        return [
            name
            for item in self.fields
            for name in (item.fields if isinstance(item, LayoutObject) else [item])
        ]

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        filled = any(
            form[name].value() not in (None, "") or form[name].errors
            for name in self._names()
            if name in form.fields
        )
        inside = format_html_join(
            "",
            "{}",
            (
                (render_field(item, form, context, template_pack=template_pack),)
                for item in self.fields
            ),
        )
        return format_html(
            '<details class="source-more mb-3"{}><summary>{}</summary>'
            '<div class="pt-2">{}</div></details>',
            " open" if filled else "",
            self.summary,
            inside,
        )


# --- Error summary ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FormProblem:
    """One line of a form's error summary: what is wrong, and the id of the field to fix
    ("" when there is no field to go to)."""

    message: str
    field_id: str = ""


def form_problems(form, *formsets) -> list[FormProblem]:
    """Every error of ``form`` and of each form in ``formsets``, in the order they are
    shown, as lines for the error summary at the top of the form.

    A formset's forms are named by its ``form_name`` (e.g. "Source 2"); fields listed in a
    form's ``NAMED_ERRORS`` have messages that say what they are about ("Choose its
    kind."), so their label is not repeated."""
    problems = _problems(form, "") if form is not None else []
    for formset in formsets:
        if formset is None or not formset.is_bound:
            continue
        for error in formset.non_form_errors():
            problems.append(FormProblem(str(error)))
        for number, member in enumerate(formset.forms, start=1):
            if getattr(member, "cleaned_data", {}).get("DELETE"):
                continue
            problems += _problems(member, formset.form_name % {"number": number})
    return problems


def _problems(form, name: str) -> list[FormProblem]:
    if not form.is_bound or not form.errors:
        return []
    visible = form.visible_fields()
    first_id = (visible[0].id_for_label or visible[0].auto_id) if visible else ""
    problems = [
        FormProblem(f"{name}: {error}" if name else str(error), first_id)
        for error in form.non_field_errors()
    ]
    damaged = False
    for field in form:
        if not field.errors:
            continue
        if field.is_hidden:
            damaged = True
            continue
        label = "" if field.name in getattr(form, "NAMED_ERRORS", ()) else field.label
        where = ", ".join(str(part) for part in (name, label) if part)
        field_id = field.id_for_label or field.auto_id
        problems += [FormProblem(f"{where}: {error}", field_id) for error in field.errors]
    if damaged:
        problems.append(
            FormProblem(_("The form is incomplete or out of date: reload the page and try again."))
        )
    return problems


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


def desk_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[EDITORS, REVIEWERS]))
        .distinct()
        .order_by("username")
    )


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


class FieldsOnly:
    """Crispy renders only the fields; the template writes the <form> and its buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


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
        if self.instance.pk is None:
            self.initial["language"] = ""  # empty: taken from the page, else German
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


class ClaimSearchForm(forms.Form):
    """Search and filters of the public claims index; every field optional (GET)."""

    SORTS = [("relevance", _("Best match")), ("newest", _("Newest")), ("oldest", _("Oldest"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    rating = forms.ChoiceField(label=_("Verdict"), required=False)
    claimant = forms.CharField(label=_("Claimed by"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Language"), required=False)
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, ratings=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Any verdict"))] + [
            (rating.slug, rating.local_label) for rating in ratings
        ]
        self.fields["language"].choices = [("", _("Any language"))] + [
            (code, language_name(code)) for code in languages
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("q", type="search"),
            Div(
                Div("rating", css_class="col-sm-6 col-lg-3"),
                Div("claimant", css_class="col-sm-6 col-lg-3"),
                Div("language", css_class="col-sm-4 col-lg-2"),
                Div("date_from", css_class="col-sm-4 col-lg-2"),
                Div("date_to", css_class="col-sm-4 col-lg-2"),
                css_class="row",
            ),
            "sort",
        )


# --- Reader input ------------------------------------------------------------------------
class ReaderTextField(forms.CharField):
    """Text a reader typed: line breaks as ``\\n`` (browsers send ``\\r\\n``, which would
    count twice against the length limit); emoji, right-to-left text and marks unchanged."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


class ReaderInputForm(forms.ModelForm):
    """What every reader form has: an optional email with consent, and the honeypot."""

    email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only if you would like a reply. We use it for nothing else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("You may write to me at this address about what I sent."),
        required=False,
        help_text=_("Needed only when you give an email address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden from people (CSS class, aria-hidden, out of the tab order); bots fill it in.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            strip=False,
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def reply_layout(self) -> list:
        return [
            Fieldset(_("Reply (optional)"), "email", "consent"),
            Div(
                Field(HONEYPOT_FIELD, tabindex="-1", autocomplete="off"),
                css_class="reader-hp",
                aria_hidden="true",
            ),
        ]

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consent"):
            self.add_error(
                "consent",
                forms.ValidationError(
                    _(
                        "Tick this box so that we may write to you, "
                        "or leave the email address empty."
                    ),
                    code="consent_required",
                ),
            )
        elif not data.get("email"):
            data["consent"] = False  # consent to nothing is no consent
        return data


class TipForm(ReaderInputForm):
    """A claim a reader suggests for checking."""

    class Meta:
        model = Tip
        fields = ["claim_text", "seen_at_url", "seen_at", "email", "consent"]
        field_classes = {"claim_text": ReaderTextField, "seen_at": ReaderTextField}
        labels = {
            "claim_text": _("The claim, as you saw or heard it"),
            "seen_at_url": _("Link to where you saw it (optional)"),
            "seen_at": _("Or describe where (optional)"),
        }
        help_texts = {
            "claim_text": _("Quote it as exactly as you can."),
            "seen_at_url": _("A web address starting with http:// or https://."),
            "seen_at": _("For example: a TV programme, a newspaper page, a speech."),
        }
        error_messages = {
            "claim_text": {"required": _("Write down the claim you would like us to check.")},
            "seen_at_url": {
                "invalid": _("Enter a web address starting with http:// or https://.")
            },
        }
        widgets = {"claim_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        url = self.fields["seen_at_url"]
        url.widget.attrs.update({"spellcheck": "false", "inputmode": "url"})
        self.helper.layout = Layout("claim_text", "seen_at_url", "seen_at", *self.reply_layout())


class ErrorReportForm(ReaderInputForm):
    """A reader's report that a published fact-check is wrong."""

    class Meta:
        model = ErrorReport
        fields = ["reason", "message", "email"]
        field_classes = {"message": ReaderTextField}
        labels = {"reason": _("What is wrong?"), "message": _("Tell us more")}
        help_texts = {
            "message": _("What should be different, and how do you know? Links help."),
        }
        error_messages = {
            "reason": {"required": _("Choose what is wrong.")},
            "message": {"required": _("Tell us in a few words what is wrong.")},
        }
        widgets = {"reason": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = ErrorReport.Reason.choices  # no empty "------" radio
        self.helper.layout = Layout("reason", "message", *self.reply_layout())
