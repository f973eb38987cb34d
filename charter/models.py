from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import ScopedQuerySet, validate_single_line, validate_text


class Charter(models.Model):
    title = models.CharField(_("titre"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_single_line])
    authors = models.TextField(
        _("rédaction"),
        blank=True,
        help_text=_("Qui l'a écrite, et avec quels mouvements."),
        validators=[validate_text],
    )
    preamble_title = models.CharField(
        _("titre du préambule"), max_length=200, blank=True, validators=[validate_single_line]
    )
    preamble = models.TextField(_("préambule"), blank=True, validators=[validate_text])
    preamble_author = models.CharField(
        _("auteur du préambule"), max_length=200, blank=True, validators=[validate_single_line]
    )
    closing = models.TextField(_("conclusion"), blank=True, validators=[validate_text])
    signatories = models.ManyToManyField(
        "directory.Movement",
        blank=True,
        related_name="charters_signed",
        verbose_name=_("mouvements signataires"),
        help_text=_("Mouvements du groupe de travail qui a rédigé la charte."),
    )
    source = models.TextField(_("source"), blank=True, validators=[validate_text])

    revisions = HistoricalRecords()

    class Meta:
        verbose_name = _("charte")
        verbose_name_plural = _("chartes")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("charter:detail")


class CharterPart(models.Model):
    """A section or an item: shown on the one charter page, at its own anchor."""

    anchor_field: str

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("charter:detail") + f"#{getattr(self, self.anchor_field)}"


class CharterSection(CharterPart):
    class Kind(models.TextChoices):
        VALUES = "valeurs", _("Valeurs communes")
        COMPETENCES = "competences", _("Compétences communes")
        MISSIONS = "missions", _("Missions")
        QUALITY = "qualite", _("Engagement qualité")

    charter = models.ForeignKey(Charter, models.CASCADE, related_name="sections", verbose_name=_("charte"))
    kind = models.CharField(_("nature"), max_length=20, choices=Kind)
    title = models.CharField(_("titre"), max_length=200, validators=[validate_single_line])
    introduction = models.TextField(_("introduction"), blank=True, validators=[validate_text])
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    revisions = HistoricalRecords()
    anchor_field = "kind"

    class Meta:
        verbose_name = _("section de la charte")
        verbose_name_plural = _("sections de la charte")
        ordering = ["charter", "position"]
        constraints = [models.UniqueConstraint(fields=["charter", "kind"], name="charter_section_unique_kind")]


class CharterItem(CharterPart):
    section = models.ForeignKey(CharterSection, models.CASCADE, related_name="items", verbose_name=_("section"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("rubrique parente")
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Identifiant stable, ex. « valeur-ecoute »."),
        validators=[validate_single_line],
    )
    title = models.CharField(_("intitulé"), max_length=300, validators=[validate_single_line])
    text = models.TextField(_("texte"), blank=True, validators=[validate_text])
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    revisions = HistoricalRecords()
    anchor_field = "code"

    class Meta:
        verbose_name = _("élément de la charte")
        verbose_name_plural = _("éléments de la charte")
        ordering = ["section__position", "position"]


class Commitment(models.Model):
    movement = models.ForeignKey(
        "directory.Movement", models.CASCADE, related_name="commitments", verbose_name=_("mouvement")
    )
    item = models.ForeignKey(CharterItem, models.CASCADE, related_name="commitments", verbose_name=_("élément"))
    how = models.TextField(_("comment le mouvement le vit"), blank=True, validators=[validate_text])
    source = models.URLField(_("source"), blank=True, validators=[validate_single_line])
    is_demo = models.BooleanField(
        _("exemple de démonstration"),
        default=False,
        help_text=_("Engagement fictif des données de démonstration : affiché avec le badge « exemple »."),
    )

    objects = ScopedQuerySet.as_manager()
    revisions = HistoricalRecords()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["movement__name", "item__section__position", "item__position"]
        constraints = [models.UniqueConstraint(fields=["movement", "item"], name="commitment_unique_per_item")]

    def __str__(self):
        return f"{self.movement} – {self.item}"

    def get_absolute_url(self):
        return self.movement.get_absolute_url() + "#engagements"
