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


# Characters no name or text may carry: C0 controls (line breaks, NUL…), DEL, C1 controls, Unicode line and
# paragraph separators, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
# that make a text read differently from what it is ("Trojan source").
_FORBIDDEN = {
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
}
# A multi-line text keeps its line breaks (CR LF as browsers send them) and tabs.
_ALLOWED_IN_TEXT = {0x09, 0x0A, 0x0D}


def _refuse(value, allowed=frozenset()):
    for char in value:
        code = ord(char)
        if code in _FORBIDDEN and code not in allowed:
            if code in (0x0A, 0x0D, 0x2028, 0x2029, 0x85):
                message = _("Le texte ne doit pas contenir de retour à la ligne (caractère U+%(code)04X).")
            elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
                message = _(
                    "Le texte contient un caractère invisible d'inversion du sens d'écriture (U+%(code)04X) : "
                    "retapez-le sans copier-coller."
                )
            else:
                message = _("Le texte contient un caractère de contrôle invisible (U+%(code)04X) : retapez-le.")
            raise ValidationError(message, code="control_character", params={"code": code})


def validate_single_line(value):
    """A name or short text: one line, no invisible control or bidi override character."""
    _refuse(str(value))


def validate_text(value):
    """A multi-line text: line breaks and tabs allowed, no other control or bidi override character."""
    _refuse(str(value), _ALLOWED_IN_TEXT)


def as_single_line(value):
    """`value` with every character validate_single_line refuses turned into a space: for mail headers."""
    return " ".join("".join(" " if ord(char) in _FORBIDDEN else char for char in str(value)).split())
