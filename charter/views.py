from django.db.models import Prefetch
from django.shortcuts import render

from .matrix import CommitmentMatrix
from .models import Charter, CharterItem, CharterSection, Commitment


def charter_detail(request):
    """The charter with all its sections, and which movement commits to what."""
    items = CharterItem.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("children", queryset=CharterItem.objects.order_by("position")),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.filter(movement__published=True).select_related("movement"),
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


def commitment_matrix(request):
    """Movements × charter sections and items: signatories, and each movement's commitments where recorded."""
    matrix = CommitmentMatrix()
    context = {
        "charter": matrix.charter,
        "columns": matrix.columns,
        "sections": matrix.sections,
        "signatories": matrix.signatories,
        "recorded_count": matrix.recorded_count,
    }
    return render(request, "charter/commitment_matrix.html", context)
