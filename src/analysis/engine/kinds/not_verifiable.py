"""Kind ``not_verifiable``: no public data measure what the claim asserts. The registry says why
(``reason_nl``/``reason_en``) and which data would settle it (``settled_by_nl``/``settled_by_en``);
the verdict is "not verifiable", with no reading and no perturbations."""

from __future__ import annotations

from typing import Any

PARAMS: dict[str, dict[str, Any]] = {}
RELATIONS: tuple[str, ...] = ()
NEEDS_CLAIMED = False


def evaluate(ctx: Any, setting: dict[str, Any]) -> Any:
    raise RuntimeError("a not_verifiable claim has nothing to evaluate")


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    for key in ("reason_nl", "reason_en", "settled_by_nl", "settled_by_en"):
        if key not in claim.texts:
            raise _fail(claim.id, f"check.{key}", "missing: say why open data cannot check it and "
                        "which data would")


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    return None
