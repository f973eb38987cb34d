from django.db.models import Prefetch
from django.shortcuts import render

from .models import Charter, CharterItem, CharterSection, Commitment


def charter_detail(request):
    """The charter with all its sections, and which movement commits to what."""
    items = CharterItem.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("children", queryset=CharterItem.objects.order_by("position")),
        Prefetch(
            "commitments", queryset=Commitment.objects.filter(movement__published=True).select_related("movement")
        ),
    )
    sections = CharterSection.objects.prefetch_related(Prefetch("items", queryset=items, to_attr="top_items"))
    charter = (
        Charter.objects.prefetch_related(
            Prefetch("sections", queryset=sections),
            Prefetch("signatories", queryset=Charter.signatories.rel.model.objects.published()),
        )
        .order_by("pk")
        .first()
    )
    return render(request, "charter/charter_detail.html", {"charter": charter})
