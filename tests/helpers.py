"""Test helpers: the POST an admin form would send, mail servers that fail, the shared cache's keys."""

import smtplib

from django import forms
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


def _field_data(form, data):
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
            if value:
                data[key] = "on"
        elif value is None:
            data[key] = ""
        elif isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        else:
            data[key] = str(value)


def admin_form_data(response, **overrides):
    """The data of the admin form in `response` (main form and inline formsets), with `overrides`."""
    data = {}
    _field_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _field_data(formset.management_form, data)
        for form in formset.forms:
            _field_data(form, data)
    data.update(overrides)
    return data


class UnreachableMailBackend(BaseEmailBackend):
    """What an SMTP server that cannot be reached does to every message (settings.MAILERS in tests)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class RefusingMailBackend(locmem.EmailBackend):
    """Delivers to the test outbox, except to addresses at injoignable.example, which the server refuses."""

    def send_messages(self, email_messages):
        for message in email_messages:
            refused = [address for address in message.recipients() if address.endswith("@injoignable.example")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"No such user")))
        return super().send_messages(email_messages)


def venue_form(**overrides):
    """What the venue admin form posts for a new venue in Nancy, with `overrides`."""
    data = {
        "name": "Salle Jean Jaurès",
        "kind": "salle-municipale",
        "address": "12 rue des Tiercelins",
        "postal_code": "54000",
        "commune": "54395",  # Nancy
        "latitude": "",
        "longitude": "",
        "wheelchair_accessible": "unknown",
        "access_notes": "",
    }
    data.update(overrides)
    return data
