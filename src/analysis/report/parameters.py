"""The parameters of a report: which region it is for and the reading it applies (the registry's,
or other years or another comparator). Pages read them; the site machinery (:mod:`analysis.site`)
validates them and decides where a report goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_REGION = "CR12"  # Twente: its report goes to reports/, other regions to reports/<CODE>/


@dataclass(frozen=True)
class BuildParameters:
    """The reading's settings for a build; None means the registry's reading of each claim."""

    region: str
    region_name: str
    base_year: int | None = None
    end_year: int | None = None
    comparator: str | None = None

    @property
    def is_default_reading(self) -> bool:
        return self.base_year is None and self.end_year is None and self.comparator is None

    def notebook_parameters(self) -> dict[str, Any]:
        return {"region": self.region, "base_year": self.base_year, "end_year": self.end_year,
                "comparator": self.comparator}

    def folder_name(self) -> str:
        """reports/ sub-folder: '' for Twente's default, the code for another region, and a suffix
        for another reading (so a trial with other years never overwrites the default report)."""
        parts = [] if self.region == DEFAULT_REGION and self.is_default_reading else [self.region]
        if not self.is_default_reading:
            parts += [f"{self.base_year or 'base'}-{self.end_year or 'end'}", self.comparator or "registry"]
        return "-".join(parts)
