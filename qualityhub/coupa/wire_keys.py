"""Every camelCase key of Coupa's wire format that this package reads or writes.

Nothing outside `qualityhub.coupa` (and the sandbox, which stands in for Coupa) names one of them:
`tests/coupa/test_wire_format_stays_in_coupa.py` checks that, and that this set holds every
camelCase key the modules here spell out. The lower-case keys (`id`, `name`, `status`, `uom` …)
are ordinary words and are left out.
"""

from __future__ import annotations

from qualityhub.coupa.outbound import HEADER_KEYS

# What `schemas` reads of an inspection, its characteristics and attachments, beyond the header
# keys `outbound` writes.
_READ_KEYS = frozenset({
    "characteristicId", "createdAt", "createdBy", "decisionValue", "fileContentType",
    "fileName", "fileSize", "fileUrl", "inspectionId", "itemDescription", "itemName",
    "lineNum", "modifiedAt", "modifiedBy", "recordedCharacteristic", "recordingType",
    "requestDate", "resolutionReasonCode", "resolutionReasonText", "resolutionReasonType",
    "reviewDecision", "reviewedBy", "reviewedDate", "submittedBy", "submittedDate",
    "updatedAt", "warehouseId",
})  # fmt: skip
# A characteristic as `outbound` writes it and `schemas` reads it.
_CHARACTERISTIC_KEYS = frozenset({
    "characteristicValues", "comparisonOperator", "comparisonValue", "expectedLimits",
    "expectedResults", "isQuantitative", "limitType", "numericValue", "qualitativeValue",
    "targetValue", "valuePrecision", "valueType",
})  # fmt: skip
# The list envelope `client` accepts, the document type, and the audit's summary of a create.
_OTHER_KEYS = frozenset({"qualityInspections", "refDocumentType", "characteristicIds"})

# Coupa's name for a characteristic's line number, which `coupa_show --json` keeps.
LINE_NUMBER_KEY = "lineNum"

WIRE_KEYS: frozenset[str] = (
    frozenset(key for key in HEADER_KEYS.values() if not key.islower())
    | _READ_KEYS
    | _CHARACTERISTIC_KEYS
    | _OTHER_KEYS
)
