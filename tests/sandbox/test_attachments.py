"""Attachments at header and characteristic level, in both path families."""

from __future__ import annotations

from datetime import datetime

import pytest

from .helpers import SEED, V1, Client

PDF = b"%PDF-1.4\r\n\x00\x01\xff binary \r\n--not-a-boundary\r\n" * 50

# (family base for reads/deletes, header upload path, characteristic upload path)
FAMILIES = {
    "seed": (SEED, "/api/quality-inspections/{i}/attachments",
             "/api/v1/quality_inspections/{i}/characteristics/{c}/attachments"),
    "v1": (V1, V1 + "/{i}/attachments", V1 + "/{i}/characteristics/{c}/attachments"),
}  # fmt: skip


def _first_characteristic(api: Client, inspection: int) -> int:
    return api.get(f"{SEED}/{inspection}").json()["characteristics"][0]["id"]


@pytest.mark.parametrize("family", ["seed", "v1"])
def test_header_attachment_lifecycle(api: Client, family: str) -> None:
    base, upload_path, _ = FAMILIES[family]
    inspection = 10 if family == "seed" else 11
    before = api.get(f"{base}/{inspection}").json()["modifiedAt"]
    reply = api.upload(upload_path.format(i=inspection), "COA batch 7.pdf", PDF,
                          fields={"attachment[intent]": "Internal"})  # fmt: skip
    assert reply.status == 201, reply.text
    created = reply.json()
    aid = created["id"]
    assert list(created) == ["id", "inspectionId", "characteristicId", "type", "intent",
                             "fileName", "fileContentType", "fileSize", "fileUrl", "createdAt",
                             "updatedAt", "createdBy"]  # fmt: skip
    assert created["inspectionId"] == inspection and created["characteristicId"] is None
    assert (created["type"], created["intent"]) == ("file", "Internal")
    assert (created["fileName"], created["fileContentType"]) == (
        "COA batch 7.pdf",
        "application/pdf",
    )
    assert created["fileSize"] == len(PDF)
    assert created["fileUrl"] == f"{base}/{inspection}/attachments/{aid}/content"
    after = api.get(f"{base}/{inspection}").json()["modifiedAt"]
    assert datetime.fromisoformat(after) > datetime.fromisoformat(before)

    assert api.get(f"{base}/{inspection}/attachments").json()[-1] == created
    assert api.get(f"{base}/{inspection}/attachments/{aid}").json() == created
    content = api.get(created["fileUrl"])
    assert content.status == 200 and content.body == PDF
    assert content.headers["Content-Type"] == "application/pdf"
    assert content.headers["Content-Disposition"] == 'attachment; filename="COA batch 7.pdf"'

    assert api.delete(f"{base}/{inspection}/attachments/{aid}").status == 204
    assert api.delete(f"{base}/{inspection}/attachments/{aid}").status == 404
    assert api.get(f"{base}/{inspection}/attachments/{aid}").status == 404


@pytest.mark.parametrize("family", ["seed", "v1"])
def test_characteristic_attachment_lifecycle(api: Client, family: str) -> None:
    base, _, upload_path = FAMILIES[family]
    inspection = 12
    cid = _first_characteristic(api, inspection)
    reply = api.upload(upload_path.format(i=inspection, c=cid), "photo.jpg", b"\xff\xd8jpeg",
                          content_type="image/jpeg")  # fmt: skip
    assert reply.status == 201, reply.text
    created = reply.json()
    aid = created["id"]
    assert (created["characteristicId"], created["intent"]) == (cid, "Supplier")
    line = f"{base}/{inspection}/characteristics/{cid}/attachments"
    assert created["fileUrl"] == f"{line}/{aid}/content"
    assert [a["id"] for a in api.get(line).json()] == [aid]
    assert api.get(f"{line}/{aid}").json() == created
    assert api.get(f"{line}/{aid}/content").body == b"\xff\xd8jpeg"
    # a line attachment is not a header attachment, and belongs to its characteristic only
    assert api.get(f"{base}/{inspection}/attachments/{aid}").status == 404
    assert aid not in [a["id"] for a in api.get(f"{base}/{inspection}/attachments").json()]
    assert api.delete(f"{line}/{aid}").status == 204
    assert api.get(line).json() == []


def test_unknown_owners_are_404(api: Client) -> None:
    other_cid = _first_characteristic(api, 13)
    reply = api.get(f"{SEED}/12/characteristics/{other_cid}/attachments")
    assert reply.status == 404
    assert "Characteristic" in reply.json()["errors"]["base"][0]
    assert api.get(f"{SEED}/999999/attachments").json() == {
        "errors": {"base": ["Quality inspection 999999 not found"]}
    }
    reply = api.upload(f"{V1}/999999/attachments", "a.pdf", b"x")
    assert reply.status == 404


def test_upload_paths_follow_the_spec_quirks(api: Client) -> None:
    cid = _first_characteristic(api, 14)
    assert api.upload(f"{SEED}/14/attachments", "a.pdf", b"x").status == 404
    assert api.upload(f"{SEED}/14/characteristics/{cid}/attachments", "a.pdf", b"x").status == 404
    assert api.get("/api/quality-inspections/14/attachments").status == 405


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("empty.pdf", b"", 422, "file is empty"),
        ("setup.EXE", b"MZ", 422, "file type not allowed"),
        ("run.sh", b"#!/bin/sh", 422, "file type not allowed"),
        ("huge.bin", b"\0" * (10 * 1024 * 1024 + 1), 413, None),
    ],
)
def test_refused_uploads(api: Client, name: str, data: bytes, status: int, message) -> None:
    reply = api.upload(f"{V1}/15/attachments", name, data)
    assert reply.status == status
    errors = reply.json()["errors"]["attachment[file]"]
    assert message is None or errors == [message]


def test_missing_file_part_is_400(api: Client) -> None:
    reply = api.upload(f"{V1}/15/attachments", "a.pdf", b"x", file_field="attachment[other]")
    assert (reply.status, list(reply.json()["errors"])) == (400, ["attachment[file]"])
    reply = api.post(f"{V1}/15/attachments", {"file": "a.pdf"})
    assert (reply.status, list(reply.json()["errors"])) == (400, ["attachment[file]"])


def test_non_ascii_file_name(api: Client) -> None:
    created = api.upload(f"{V1}/16/attachments", "Prüfbericht.pdf", b"%PDF").json()
    assert created["fileName"] == "Prüfbericht.pdf"
    disposition = api.get(created["fileUrl"]).headers["Content-Disposition"]
    assert disposition.endswith("filename*=UTF-8''Pr%C3%BCfbericht.pdf")
