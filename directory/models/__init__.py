"""The directory's data, one module per concept; import models from here."""

from ..rules import REGIONAL_ADMINS_GROUP, is_regional_admin
from .base import STALE_AFTER_DAYS, Publishable, ScopedQuerySet, stale_before
from .exports import MeetingExport
from .geo import distance_km
from .groups import VENUE_MAX_KM_FROM_COMMUNE, Group, Venue
from .meetings import Meeting, MeetingQuerySet
from .movements import AddictionType, Audience, Movement, Privacy
from .reports import ChangeRequest, FreshnessReminder, Membership, ReportAllowance
from .sources import ImportedRecord, Source
from .territories import ALL_REGIONS, Commune, Department, Region, region_name, site_region_name
from .validators import (
    LANGUAGE_NAMES,
    languages_validator,
    phone_validator,
    positions_validator,
    postal_codes_validator,
    validate_language_codes,
    validate_single_line,
    validate_text,
    validate_verification_date,
)

__all__ = [
    "ALL_REGIONS",
    "LANGUAGE_NAMES",
    "REGIONAL_ADMINS_GROUP",
    "STALE_AFTER_DAYS",
    "VENUE_MAX_KM_FROM_COMMUNE",
    "AddictionType",
    "Audience",
    "ChangeRequest",
    "Commune",
    "Department",
    "FreshnessReminder",
    "Group",
    "ImportedRecord",
    "Meeting",
    "MeetingExport",
    "MeetingQuerySet",
    "Membership",
    "Movement",
    "Privacy",
    "Publishable",
    "Region",
    "ReportAllowance",
    "ScopedQuerySet",
    "Source",
    "Venue",
    "distance_km",
    "is_regional_admin",
    "languages_validator",
    "phone_validator",
    "positions_validator",
    "postal_codes_validator",
    "region_name",
    "site_region_name",
    "stale_before",
    "validate_language_codes",
    "validate_single_line",
    "validate_text",
    "validate_verification_date",
]
