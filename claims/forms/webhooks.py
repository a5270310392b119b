"""The desk's form to register a webhook: its address (checked by the fetch guard now,
and again at every delivery), the events in words, a description."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from claims.importing.errors import FetchError
from claims.importing.fetch import check_address
from claims.models import Webhook, WebhookEvent


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what readers can see happen; drafts and reviews are never sent."),
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "description"]
        labels = {"url": _("Address (URL)")}
        help_texts = {
            "url": _(
                "Where your system receives the events, e.g. https://cms.example.org/hooks/"
                "factcheck. Addresses in private networks are refused."
            ),
            "description": _("Which system this is, for you and your colleagues."),
        }
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("url", "events", "description")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            check_address(url)
        except FetchError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return url
