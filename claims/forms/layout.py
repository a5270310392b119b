"""What the forms of the desk, the reader pages and the account pages share: crispy layout
objects, ``FieldsOnly``, and the error summary at the top of a form (``form_problems``)."""

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _


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


class FieldsOnly:
    """Crispy renders only the fields; the template writes the <form> and its buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
