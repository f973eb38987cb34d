"""The guided meeting form of the admin (issue 15, item 3): French habits, words, and a venue made on the spot.

- times as people write them: "20h", "20h30", "20:30", "2030", with a numeric keyboard on phones;
- the schedule in words: "chaque semaine", "une semaine sur deux", "1er / 3e / dernier" boxes;
- a venue chosen among existing ones, or created from the same page (name, address, commune, and
  a pin placed on a small map, directory/admin_pin.py; without it the commune's centre stands in);
- warnings, confirmed with one tick, for a venue far from the group's commune and for a
  venue that looks like one already known.

The rules themselves (what a valid meeting is, how far is far, what a near-duplicate
is) live in the models; this module only turns what was typed into their fields.
"""

from datetime import time

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGE_NAMES, Commune, Meeting, Venue, is_regional_admin
from .models.meetings import VENUE_FAR_FROM_GROUP_KM
from .recurrence import POSITION_NAMES
from .rules import member_movement_ids
from .wording import parse_time

TIME_HELP = _("Par exemple « 20h », « 20h30 », « 20:30 » ou « 2030 ».")


class FrenchTimeField(forms.TimeField):
    default_error_messages = {"invalid": _("Saisissez une heure valide, par exemple « 20h », « 20h30 » ou « 2030 ».")}

    def __init__(self, **kwargs):
        kwargs["widget"] = forms.TimeInput(
            format="%H:%M",
            # A numeric keyboard on phones: "2030" is typed without switching keyboards.
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6, "placeholder": "20h30"},
        )
        kwargs.setdefault("help_text", TIME_HELP)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        try:
            return parse_time(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


POSITION_CHOICES = [(str(position), POSITION_NAMES[position]) for position in (1, 2, 3, 4, 5, -1)]


class PositionsField(forms.Field):
    """Weeks of the month as boxes ("1er", "3e", "dernier"), stored as the model's "1,3,-1".

    A typed "1,3" is still understood; the model field's own validator judges the result.
    """

    widget = forms.CheckboxSelectMultiple(choices=POSITION_CHOICES)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        parts = [value] if isinstance(value, str) else list(value)
        return ",".join(piece.strip() for part in parts for piece in str(part).split(",") if piece.strip())


class LanguagesField(PositionsField):
    """Languages as named boxes ("français", "allemand"), stored as the model's "fr de" codes."""

    widget = forms.CheckboxSelectMultiple(choices=list(LANGUAGE_NAMES.items()))

    def prepare_value(self, value):
        return value.split() if isinstance(value, str) else value

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        parts = [value] if isinstance(value, str) else list(value)
        return " ".join(code for part in parts for code in str(part).split())


FREQUENCY_WORDS = [
    (Meeting.Frequency.WEEKLY, _("Chaque semaine, ou une semaine sur N")),
    (Meeting.Frequency.MONTHLY, _("Certaines semaines du mois (1er, 3e, dernier…)")),
]
INTERVAL_WORDS = [
    (1, _("chaque semaine")),
    (2, _("une semaine sur deux")),
    *[(n, _("toutes les %(n)s semaines") % {"n": n}) for n in range(3, 9)],
]

NEW_VENUE_FIELDS = ["new_venue_name", "new_venue_address", "new_venue_commune", "new_venue_postal_code"]
# Filled by the map (directory/admin_pin.py), not typed: alone, they do not make a new venue.
NEW_VENUE_PIN = ["new_venue_latitude", "new_venue_longitude", "new_venue_map"]


class _TryOnly(Exception):
    """Rolls back the trial save of a venue that the form only validated against."""


class MeetingAdminForm(forms.ModelForm):
    frequency = forms.ChoiceField(
        label=_("Rythme"), choices=FREQUENCY_WORDS, widget=forms.RadioSelect, initial=Meeting.Frequency.WEEKLY
    )
    interval = forms.TypedChoiceField(
        label=_("Fréquence"),
        choices=INTERVAL_WORDS,
        coerce=int,
        initial=1,
        error_messages={"invalid_choice": _("L'intervalle doit être compris entre 1 et 8 semaines.")},
    )
    positions = PositionsField(
        label=_("Semaines du mois"), required=False, help_text=_("Pour une réunion mensuelle seulement.")
    )
    languages = LanguagesField(label=_("Langues"), initial="fr")
    start_time = FrenchTimeField(label=_("Heure de début"))
    end_time = FrenchTimeField(label=_("Heure de fin"))

    new_venue_name = forms.CharField(
        label=_("Ou nouveau lieu : nom"),
        required=False,
        max_length=150,
        help_text=_("Si le lieu n'est pas dans la liste : son nom, par exemple « Salle Jean Jaurès »."),
    )
    new_venue_address = forms.CharField(
        label=_("Adresse du nouveau lieu"), required=False, max_length=200, help_text=_("Numéro et voie.")
    )
    new_venue_commune = forms.ModelChoiceField(
        label=_("Commune du nouveau lieu"),
        queryset=Commune.objects.all(),
        required=False,
        widget=AutocompleteSelect(Venue._meta.get_field("commune"), admin.site),
        help_text=_("Vide : la commune du groupe."),
    )
    new_venue_postal_code = forms.CharField(
        label=_("Code postal du nouveau lieu"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        help_text=_("Seulement si la commune en a plusieurs."),
    )
    new_venue_latitude = forms.FloatField(
        label=_("Latitude du nouveau lieu"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Placée avec la carte. Vide : le centre de la commune."),
    )
    new_venue_longitude = forms.FloatField(
        label=_("Longitude du nouveau lieu"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    confirm_warnings = forms.BooleanField(
        label=_("Enregistrer malgré l'avertissement"),
        required=False,
        help_text=_("Cochez si vous avez vérifié le lieu signalé ci-dessus."),
    )

    class Meta:
        model = Meeting
        # The admin narrows these to its fieldsets for each request.
        fields = [
            "group", "name", "type", "audience", "languages", "frequency", "interval", "weekday", "positions",
            "starts_on", "start_time", "end_time", "status", "suspended_from", "suspended_until", "closed_on",
            "modality", "venue", "video_url", "phone", "notes", "published", "is_demo", "verified_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending_venue = None
        self.has_warnings = False

    def clean(self):
        cleaned = super().clean()
        self.pending_venue = self._new_venue(cleaned)
        venue = self.pending_venue or cleaned.get("venue")
        group = cleaned.get("group")
        if venue is None or group is None or cleaned.get("modality") == Meeting.Modality.ONLINE:
            return cleaned
        warnings = []
        # Said when the place or the group is being chosen, not at every later save.
        placing = self.pending_venue is not None or {"venue", "group", "modality"} & set(self.changed_data)
        if placing and Meeting(group=group, venue=venue).venue_is_far_from_group:
            warnings.append(
                (
                    "venue" if self.pending_venue is None else "new_venue_commune",
                    _("Ce lieu est à plus de %(km)s km de %(commune)s, la commune du groupe : est-ce bien le bon ?")
                    % {"km": VENUE_FAR_FROM_GROUP_KM, "commune": group.commune.name},
                )
            )
        if self.pending_venue is not None:
            twins = self.pending_venue.near_duplicates()
            if twins:
                warnings.append(
                    (
                        "new_venue_name",
                        _("Ce lieu ressemble à « %(venue)s », déjà connu : choisissez-le dans la liste des lieux.")
                        % {"venue": twins[0]},
                    )
                )
        if warnings and not cleaned.get("confirm_warnings"):
            self.has_warnings = True
            for field, message in warnings:
                self.add_error(field, message)
            self.add_error("confirm_warnings", _("Vérifiez l'avertissement, puis cochez cette case pour confirmer."))
        return cleaned

    def _new_venue(self, cleaned):
        """The venue typed on this page, unsaved and validated; None when none was typed."""
        typed = {name: cleaned.get(name) for name in NEW_VENUE_FIELDS}
        if not any(typed.values()):
            return None
        if cleaned.get("venue"):
            self.add_error("new_venue_name", _("Choisissez un lieu dans la liste ou créez-en un, pas les deux."))
            return None
        group = cleaned.get("group")
        commune = typed["new_venue_commune"] or (group.commune if group else None)
        missing = [
            (name, message)
            for name, message in [
                ("new_venue_name", _("Donnez le nom du nouveau lieu.")),
                ("new_venue_address", _("Donnez l'adresse du nouveau lieu (numéro et voie).")),
            ]
            if not typed[name]
        ]
        if commune is None:
            missing.append(("new_venue_commune", _("Choisissez la commune du nouveau lieu.")))
        for name, message in missing:
            self.add_error(name, message)
        if missing:
            return None
        postal_code = typed["new_venue_postal_code"]
        codes = commune.postal_codes.split()
        if not postal_code and len(codes) > 1:
            self.add_error(
                "new_venue_postal_code",
                _("%(commune)s a plusieurs codes postaux (%(codes)s) : indiquez celui du lieu.")
                % {"commune": commune.name, "codes": ", ".join(codes)},
            )
            return None
        venue = Venue(
            name=typed["new_venue_name"],
            address=typed["new_venue_address"],
            postal_code=postal_code or codes[0],
            commune=commune,
            latitude=cleaned.get("new_venue_latitude"),
            longitude=cleaned.get("new_venue_longitude"),
        )
        try:
            venue.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = f"new_venue_{field}" if f"new_venue_{field}" in self.fields else "new_venue_name"
                for message in messages:
                    self.add_error(target, message)
            return None
        return venue

    def _post_clean(self):
        # The model validates the meeting with its venue (constraints, duplicates): the new
        # venue is saved for that check only, then rolled back until the form is saved.
        venue = self.pending_venue
        if venue is None:
            super()._post_clean()
            if any(self.data.get(self.add_prefix(name)) for name in NEW_VENUE_FIELDS):
                # The venue being typed has its own errors; "a venue is needed" would only repeat them.
                self.errors.pop("venue", None)
            return
        try:
            with transaction.atomic():
                venue.save()
                self.cleaned_data["venue"] = venue
                super()._post_clean()
                raise _TryOnly
        except _TryOnly:
            pass
        venue.pk = None
        venue._state.adding = True
        self.cleaned_data["venue"] = None
        self.instance.venue = None

    def save(self, commit=True):
        if self.pending_venue is not None:
            self.pending_venue.save()
            self.instance.venue = self.pending_venue
        return super().save(commit)


def meeting_summary(meeting):
    """The saved schedule in words, as the public page says it: "Chaque mardi, de 20:00 à 22:00"."""
    text = f"{meeting.schedule_display[:1].upper()}{meeting.schedule_display[1:]}, {meeting.time_range_text}"
    return f"{text} ({meeting.suspension_note})" if meeting.suspension_note else text


def workspace_fieldsets(request, fieldsets, obj=None):
    """The meeting form's fieldsets for this request: the demo flag is an administrator's
    business, the confirmation box only appears once a save raised a warning, and a saved
    meeting opens with its schedule in words."""
    hidden = set() if is_regional_admin(request.user) else {"is_demo"}
    if obj is None:
        hidden.add("summary")
    if request.method != "POST":
        hidden.add("confirm_warnings")
    shown = []
    for name, options in fieldsets:
        fields = [field for field in options["fields"] if field not in hidden]
        shown.append((name, {**options, "fields": fields}))
    if request.method == "POST":
        shown.insert(0, (None, {"fields": ["confirm_warnings"], "classes": ["workspace-confirm"]}))
    return shown


class CoordinatorFormMixin:
    """Forms without what a coordinator cannot or need not fill in: the demo flag (an administrator's
    business) and the movement when she has only one."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if is_regional_admin(request.user):
            return fields
        return [field for field in fields if field != "is_demo"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if any(field.name == "movement" for field in self.model._meta.fields):
            mine = member_movement_ids(request.user, editable=True)
            if len(mine) == 1:
                initial.setdefault("movement", next(iter(mine)))
        return initial
