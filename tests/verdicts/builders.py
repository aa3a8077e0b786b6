"""Short builders for verdict test inputs: ``lim("max lt 0.1")``, ``numeric("0.05", ...)``."""

from collections.abc import Sequence
from decimal import Decimal

from qualityhub.verdicts import CharacteristicInput, Choice, Limit

COLOURS = (Choice("1", "Yellow"), Choice("2", "light yellow"), Choice("3", "No colour"))


def dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def lim(spec: str) -> Limit:
    """``"max lt 0.1"`` → Limit("max", "lt", Decimal("0.1")); a value of ``-`` means none."""
    limit_type, operator, value = spec.split()
    return Limit(limit_type, operator, None if value == "-" else Decimal(value))


def numeric(
    value: str | None,
    *limits: str,
    precision: int | None = None,
    target: str | None = None,
    required: bool = True,
) -> CharacteristicInput:
    return CharacteristicInput(
        value_type="numeric",
        required=required,
        target=dec(target),
        precision=precision,
        limits=[lim(spec) for spec in limits],
        recorded_numeric=dec(value),
        recorded_code=None,
    )


def choice(
    code: str | None,
    target: str | None = "3",
    choices: Sequence[Choice] = COLOURS,
    required: bool = True,
) -> CharacteristicInput:
    return CharacteristicInput(
        value_type="choice",
        required=required,
        target=dec(target),
        precision=None,
        limits=[],
        recorded_numeric=None,
        recorded_code=code,
        choices=choices,
    )


def other(
    value_type: str,
    value: str | None = None,
    code: str | None = None,
    target: str | None = None,
    *limits: str,
) -> CharacteristicInput:
    return CharacteristicInput(
        value_type=value_type,
        required=True,
        target=dec(target),
        precision=None,
        limits=[lim(spec) for spec in limits],
        recorded_numeric=dec(value),
        recorded_code=code,
    )
