"""'Quel mouvement pour moi ?': three questions (for whom, which product, where), nothing stored.

The answer names the movements whose public and addictions fit, and for each
its next meetings around the commune, read from the finder's own Search so
that "near" and "next" mean what they mean on /reunions/.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .filters import CommuneChoicesMixin, CommuneField
from .models import AddictionType, Audience, Movement

# `pour` values of the public contract, never translated.
FOR_WHOM = [
    ("moi", _("pour moi")),
    ("proche", _("pour un proche (famille, ami)")),
    ("professionnel", _("je suis un professionnel")),
]
AUDIENCE_OF = {"moi": Audience.CONCERNED, "proche": Audience.RELATIVES, "professionnel": None}
NEXT_MEETINGS = 3


class OrientationForm(CommuneChoicesMixin, forms.Form):
    pour = forms.ChoiceField(label=_("Pour qui cherchez-vous de l'aide ?"), choices=FOR_WHOM, widget=forms.RadioSelect)
    addiction = forms.ModelChoiceField(
        label=_("Pour quel produit ou comportement ?"),
        queryset=AddictionType.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("je ne sais pas / plusieurs"),
        widget=forms.RadioSelect,
    )
    commune = CommuneField(
        label=_("Où ? (commune ou code postal, facultatif)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("ex. Reims, 51100")}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def audience(self):
        return AUDIENCE_OF[self.cleaned_data["pour"]]

    def movements(self):
        """The published movements that fit the answers, with their addictions."""
        return (
            Movement.objects.published()
            .for_audience(self.audience)
            .for_addiction(self.cleaned_data.get("addiction"))
            .prefetch_related("addictions")
        )

    def finder_query(self, movement):
        """The finder's parameters (a QueryDict, as a request gives them) for this movement's meetings that fit."""
        query = QueryDict(mutable=True)
        query["mouvement"] = movement.slug
        if self.audience:
            query["public"] = self.audience.value
        if self.cleaned_data.get("commune"):
            query["commune"] = self.data.get("commune", "").strip()
        return query
