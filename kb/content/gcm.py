"""The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration (UN General Assembly
resolution 73/195, 2018): number -> short name, for the pages, the export and the field reference."""

from __future__ import annotations

from typing import Any

GCM_OBJECTIVES = {
    1: "Data for evidence-based policies",
    2: "Minimise adverse drivers of migration",
    3: "Information at all stages of migration",
    4: "Legal identity and documentation",
    5: "Pathways for regular migration",
    6: "Fair and ethical recruitment, decent work",
    7: "Reduce vulnerabilities in migration",
    8: "Save lives; missing migrants",
    9: "Counter the smuggling of migrants",
    10: "Prevent and combat trafficking in persons",
    11: "Integrated border management",
    12: "Screening, assessment and referral",
    13: "Detention only as a last resort",
    14: "Consular protection and assistance",
    15: "Access to basic services",
    16: "Inclusion and social cohesion",
    17: "End discrimination; evidence-based discourse",
    18: "Skills development and recognition",
    19: "Migrants and diasporas in development",
    20: "Remittances and financial inclusion",
    21: "Safe and dignified return and sustainable reintegration",
    22: "Portability of social security and earned benefits",
    23: "International cooperation and partnerships",
}


def gcm_objectives(value: Any) -> list[tuple[int, str]]:
    """(number, short name) of the valid objective numbers in a field's value, in order."""
    if not isinstance(value, list):
        return []
    return [(n, GCM_OBJECTIVES[n]) for n in value if isinstance(n, int) and not isinstance(n, bool) and n in GCM_OBJECTIVES]
