"""Field validators shared by the directory's models, the admin and the CSV import."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Languages a meeting may be held in (ISO 639-1), in the order the finder lists them.
LANGUAGE_NAMES = {
    "fr": _("français"),
    "de": _("allemand"),
    "en": _("anglais"),
    "it": _("italien"),
    "es": _("espagnol"),
    "pt": _("portugais"),
    "ar": _("arabe"),
    "tr": _("turc"),
    "pl": _("polonais"),
    "ru": _("russe"),
    "nl": _("néerlandais"),
    "lb": _("luxembourgeois"),
}

languages_validator = RegexValidator(
    r"^[a-z]{2}( [a-z]{2})*$",
    _("Codes de langue ISO 639-1 séparés par des espaces, par exemple « fr de »."),
)


def validate_language_codes(value):
    """Each well-formed code must be a known language (malformed ones are languages_validator's)."""
    for code in value.split():
        if len(code) == 2 and code.isalpha() and code.islower() and code not in LANGUAGE_NAMES:
            raise ValidationError(
                _("Code de langue inconnu : « %(code)s »."), code="unknown_language", params={"code": code}
            )


def validate_verification_date(value):
    """A verification is a fact of the past: a future date would hide an entry from freshness reminders."""
    if value > timezone.localdate():
        raise ValidationError(_("La date de vérification ne peut pas être dans le futur."), code="future")
    if value.year < 2000:
        raise ValidationError(_("Date de vérification invraisemblable."), code="too_old")


phone_validator = RegexValidator(
    r"^[0-9 +.()-]{6,20}$",
    _(
        "Numéro de téléphone : chiffres, espaces et + . ( ) - uniquement, "
        "de 6 à 20 caractères (ex. « 03 83 12 34 56 »)."
    ),
)
positions_validator = RegexValidator(
    r"^(-1|[1-5])(,(-1|[1-5]))*$",
    _("Positions dans le mois séparées par des virgules : 1 à 5, ou -1 pour « dernier » (ex. « 1,3 »)."),
)
postal_codes_validator = RegexValidator(r"^\d{5}( \d{5})*$", _("Codes postaux à 5 chiffres séparés par des espaces."))
