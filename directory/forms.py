import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChangeRequest

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


class ChangeRequestForm(forms.ModelForm):
    """ "Signaler une erreur": what the public may send, nothing more."""

    # Honeypot: hidden from people (CSS and aria-hidden), filled by naive bots.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)

    class Meta:
        model = ChangeRequest
        fields = ["message", "contact"]
        labels = {
            "message": _("Qu'est-ce qui est inexact ou manquant ?"),
            "contact": _("Votre courriel ou téléphone (facultatif)"),
        }
        help_texts = {
            "message": _("Par exemple : « cette réunion a lieu désormais le jeudi », « le groupe a fermé »."),
            "contact": _(
                "Seulement si vous acceptez que le mouvement vous recontacte. "
                "Visible uniquement par ses coordinateurs."
            ),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": ChangeRequest.MESSAGE_MAX_LENGTH})}

    def __init__(self, *args, **kwargs):
        # Labels carry their own punctuation ("… ?"): Django's " :" would be added to some only.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_message(self):
        # Bidirectional controls can make a message read backwards in the admin and in e-mails.
        message = BIDI_CONTROLS.sub("", self.cleaned_data["message"]).strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Décrivez l'erreur en quelques mots (10 caractères au moins)."))
        return message

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
