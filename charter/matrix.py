"""Movements × charter items: who wrote the charter and what each movement says it commits to.

Built from five queries whatever the size of the charter; a cell without a
commitment is shown as "non renseigné", never guessed.
"""

from dataclasses import dataclass
from functools import cached_property

from directory.models import Movement

from .models import Charter, CharterItem, Commitment


@dataclass
class Row:
    item: CharterItem
    depth: int
    cells: list  # one Commitment or None per movement, in the matrix's column order


class CommitmentMatrix:
    def __init__(self):
        self.charter = Charter.objects.order_by("pk").first()

    @cached_property
    def movements(self):
        return list(Movement.objects.published().order_by("name"))

    @cached_property
    def signatory_ids(self):
        if not self.charter:
            return set()
        return set(self.charter.signatories.published().values_list("pk", flat=True))

    @property
    def signatories(self):
        return [movement for movement in self.movements if movement.pk in self.signatory_ids]

    @property
    def columns(self):
        """[(movement, signed, commitments recorded)] in the order of the cells."""
        recorded = {}
        for (_, movement_id), _commitment in self._commitments.items():
            recorded[movement_id] = recorded.get(movement_id, 0) + 1
        return [(m, m.pk in self.signatory_ids, recorded.get(m.pk, 0)) for m in self.movements]

    @cached_property
    def _commitments(self):
        commitments = Commitment.objects.filter(movement__published=True)
        if self.charter:
            commitments = commitments.filter(item__section__charter=self.charter)
        return {(c.item_id, c.movement_id): c for c in commitments}

    @cached_property
    def sections(self):
        """[(section, [Row])]: each top item followed by its sub-items, in the charter's order."""
        if not self.charter:
            return []
        items = list(CharterItem.objects.filter(section__charter=self.charter).order_by("position", "pk"))
        children = {}
        for item in items:
            children.setdefault(item.parent_id, []).append(item)
        result = []
        for section in self.charter.sections.order_by("position"):
            rows = []
            for top in (i for i in children.get(None, []) if i.section_id == section.pk):
                rows.append(self._row(top, 0))
                rows += [self._row(child, 1) for child in children.get(top.pk, [])]
            result.append((section, rows))
        return result

    def _row(self, item, depth):
        return Row(item, depth, [self._commitments.get((item.pk, movement.pk)) for movement in self.movements])

    @property
    def recorded_count(self):
        return len(self._commitments)
