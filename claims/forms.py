"""Forms of the desk. Layout lives in each form's FormHelper, not in templates."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.models import Article, Claim, Rating, Source
from claims.roles import EDITORS, REVIEWERS


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
    EDGES = [("start", _("Start")), ("end", _("End"))]
    DIRECTIONS = [("widen", _("Widen")), ("narrow", _("Narrow"))]

    edge = forms.ChoiceField(choices=EDGES)
    direction = forms.ChoiceField(choices=DIRECTIONS)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim_reviewed"].required = True
        self.fields["rating"].queryset = Rating.objects.all()
        self.fields["rating"].empty_label = _("— not rated yet —")
        self.fields["assignee"].queryset = desk_users()
        self.fields["assignee"].empty_label = _("— nobody —")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            Field(
                "claim_reviewed",
                aria_describedby="id_claim_reviewed_helptext claim-reviewed-count",
            ),
            HTML(
                '{% load i18n %}<p class="form-text mt-n2" id="claim-reviewed-count" '
                'aria-live="polite" data-recommended="75" data-template="'
                '{% translate "__N__ characters (75 recommended at most)" %}">'
                "{% blocktranslate count counter=form.claim_reviewed.value|length trimmed %}"
                "{{ counter }} character (75 recommended at most){% plural %}"
                "{{ counter }} characters (75 recommended at most){% endblocktranslate %}</p>"
            ),
            Div(
                Div("claimant", css_class="col-md-6"),
                Div("claim_date", css_class="col-md-6"),
                css_class="row",
            ),
            "claimant_url",
            Div(
                Div("rating", css_class="col-md-6"),
                Div("assignee", css_class="col-md-6"),
                css_class="row",
            ),
            "conclusion",
            "explanation",
        )


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = [
            "url",
            "title",
            "publisher",
            "published_on",
            "accessed_on",
            "archive_url",
            "kind",
            "stance",
            "quote",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kind and stance are a fact-checker's judgement: never a silent default.
        for name in ("kind", "stance"):
            field = self.fields[name]
            field.choices = [("", _("— choose —")), *(c for c in field.choices if c[0])]
            field.initial = None
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
                Div(
                    Div("kind", css_class="col-sm-6"),
                    Div("stance", css_class="col-sm-6"),
                    css_class="row",
                ),
                Div(
                    Div("published_on", css_class="col-sm-6"),
                    Div("accessed_on", css_class="col-sm-6"),
                    css_class="row",
                ),
                "archive_url",
                "quote",
                Div(
                    Div("ORDER", css_class="col-sm-6"),
                    Div("DELETE", css_class="col-sm-6 pt-sm-4"),
                    css_class="row",
                ),
            )
        )


SourceFormSet = forms.inlineformset_factory(
    Claim,
    Source,
    form=SourceForm,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


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
        )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("upload"):
            raise forms.ValidationError(
                _("Paste the article text or upload a file."), code="no_text"
            )
        if data.get("text", "").strip() and data.get("upload"):
            raise forms.ValidationError(
                _("Give the text one way only: paste it or upload a file, not both."),
                code="two_texts",
            )
        return data


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
            (code, code) for code in languages
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
