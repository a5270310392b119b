"""Forms of the public site: the claims index's search, and readers' tips and error
reports. Layout lives in each form's FormHelper, not in templates."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from claims.abuse import HONEYPOT_FIELD
from claims.models import ErrorReport, Tip
from claims.wording import language_name


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
        fields = ["reason", "message", "email", "consent"]
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
