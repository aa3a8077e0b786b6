"""One row of the verdict table: a characteristic, the verdict it gets, and any other fields of the
result it must have; with short names for the verdicts, so the rows stay readable."""

import pytest

from qualityhub.verdicts import CharacteristicInput, Verdict

P, M, F = Verdict.PASS, Verdict.MARGINAL, Verdict.FAIL
PENDING, NONE, INVALID = Verdict.PENDING, Verdict.NONE, Verdict.INVALID


def case(case_id: str, characteristic: CharacteristicInput, verdict: Verdict, **expected):
    return pytest.param(characteristic, verdict, expected, id=case_id)
