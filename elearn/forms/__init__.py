"""WTForms widgets that render the NHS.UK frontend macros, and error-summary helpers.

Use in a template: ``{{ form.email(params={"label": {"text": "Email address"}}) }}``.
The widget fills in id, name, value, the label (from the field), the hint (from the field's
description) and the error message; ``params`` adds or overrides macro params.
"""

from typing import Any

from flask import current_app
from markupsafe import Markup
from wtforms import Form
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; stubs: 3.2


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class NhsWidget:
    """Render a field through one NHS macro."""

    component = ""
    macro = ""

    def __call__(self, field, params: dict | None = None, **kwargs: Any) -> Markup:
        merged = _merge(self.params(field), params or {})
        template = current_app.jinja_env.get_template(
            f"nhsuk/components/{self.component}/macro.jinja"
        )
        return Markup(getattr(template.module, self.macro)(merged))

    def params(self, field) -> dict:
        params: dict[str, Any] = {"id": field.id, "name": field.name}
        if field.description:
            params["hint"] = {"text": field.description}
        if field.errors:
            params["errorMessage"] = {"text": field.errors[0]}
        return params


class NhsInput(NhsWidget):
    component = "input"
    macro = "input"
    input_type = "text"

    def params(self, field) -> dict:
        params = super().params(field)
        params["label"] = {"text": field.label.text}
        params["type"] = self.input_type
        value = field._value() if hasattr(field, "_value") else field.data
        if value not in (None, "") and self.input_type != "password":
            params["value"] = value
        return params


class NhsEmailInput(NhsInput):
    input_type = "email"

    def params(self, field) -> dict:
        params = super().params(field)
        params.update({"autocomplete": "email", "spellcheck": False})
        return params


class NhsDateInput(NhsInput):
    """The browser's own date field (year-month-day), for optional admin dates."""

    input_type = "date"


class NhsPasswordInput(NhsWidget):
    component = "password-input"
    macro = "passwordInput"

    def params(self, field) -> dict:
        params = super().params(field)
        params["label"] = {"text": field.label.text}
        return params


class NhsTextarea(NhsWidget):
    component = "textarea"
    macro = "textarea"

    def params(self, field) -> dict:
        params = super().params(field)
        params["label"] = {"text": field.label.text}
        if field.data:
            params["value"] = field.data
        return params


class NhsChoiceWidget(NhsWidget):
    """Radios, checkboxes and select share the choice items."""

    def legend(self, field) -> dict:
        return {"fieldset": {"legend": {"text": field.label.text, "size": "s"}}}

    def items(self, field, multiple: bool) -> list[dict]:
        return [
            {"value": choice[0], "text": choice[1], "checked": bool(choice[2])}
            for choice in field.iter_choices()
        ]


class NhsRadios(NhsChoiceWidget):
    component = "radios"
    macro = "radios"

    def params(self, field) -> dict:
        params = super().params(field)
        params.pop("id")
        params["idPrefix"] = field.id
        params.update(self.legend(field))
        params["items"] = self.items(field, multiple=False)
        return params


class NhsCheckboxes(NhsChoiceWidget):
    component = "checkboxes"
    macro = "checkboxes"

    def params(self, field) -> dict:
        params = super().params(field)
        params.pop("id")
        params["idPrefix"] = field.id
        params.update(self.legend(field))
        params["items"] = self.items(field, multiple=True)
        return params


class NhsSelect(NhsChoiceWidget):
    component = "select"
    macro = "select"

    def params(self, field) -> dict:
        params = super().params(field)
        params["label"] = {"text": field.label.text}
        params["items"] = [
            {"value": choice[0], "text": choice[1], "selected": bool(choice[2])}
            for choice in field.iter_choices()
        ]
        return params


class NhsSubmit(NhsWidget):
    component = "button"
    macro = "button"

    def params(self, field) -> dict:
        return {"text": field.label.text, "attributes": {"id": field.id}}


def error_list(form: Form) -> list[dict]:
    """The form's errors as error-summary items, each linking to its field."""
    items = []
    for field in form:
        for message in field.errors:
            items.append({"text": message, "href": f"#{field.id}"})
            break
    return items


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
