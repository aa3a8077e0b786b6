"""The reference data behind the Core API resources: suppliers, users, units and items.

Deterministic and independent of the seed: every supplier, user, unit and item id the generated
inspections use resolves here (suppliers 1-20, requesters, buyers, supplier contacts 501-520 and
the integration user 1000, every unit the items use, items 1-40). The people are the ones
`catalogue` names, so a `submittedBy` text and the contact's user record agree.

A record is a dict keyed as Coupa keys it (hyphenated), in Coupa's order; datetimes are aware
`datetime`s in the instance's zone (rendered with its local offset, as Coupa does).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import catalogue as cat
from .items import ITEMS

# A Coupa instance renders datetimes in its own zone: -08:00 in winter, -07:00 in summer.
INSTANCE_ZONE = ZoneInfo("America/Los_Angeles")
KINDS = ("suppliers", "users", "uoms", "items")
SINGULAR = {"suppliers": "supplier", "users": "user", "uoms": "uom", "items": "item"}

Record = dict[str, Any]

# id: (name, display-name or None, status, e-mail domain)
SUPPLIERS: dict[int, tuple[str, str | None, str, str]] = {
    1: ("Northwind Polymers Ltd", "Northwind Polymers", "active", "northwind-polymers.example"),
    2: ("Müller & Söhne GmbH", "Müller & Söhne", "active", "mueller-soehne.example"),
    3: ("Zakłady Metalowe Łódź Sp. z o.o.", "ZM Łódź", "active", "zm-lodz.example"),
    4: ("Zhejiang Hengda Packaging Co., Ltd.", "Hengda Packaging (Zhejiang)", "active",
        "hengda-pack.example"),
    5: ("Indústria Química São Paulo Ltda.", "Química São Paulo", "active", "qsp.example"),
    6: ('O\'Brien "Precision" Ltd', 'O\'Brien "Precision"', "active", "obrien-precision.example"),
    7: ("Bergmann Wälzlager AG", "Bergmann Wälzlager", "active", "bergmann-lager.example"),
    8: ("Smith & Wesley Fasteners Inc.", "Smith & Wesley Fasteners", "active",
        "sw-fasteners.example"),
    9: ("Nordic Seals AB", None, "active", "nordicseals.example"),
    10: ("Chimie Lyonnaise S.A.", "Chimie Lyonnaise", "active", "chimie-lyonnaise.example"),
    11: ("Ångström Electronics AB", "Ångström Electronics", "active", "angstrom-el.example"),
    12: ("مصنع الخليج للبلاستيك", "Gulf Plastics Factory", "active", "gulf-plastics.example"),
    13: ("田中精密株式会社", "Tanaka Seimitsu", "active", "tanaka-seimitsu.example"),
    14: ("Brückner Lacke GmbH & Co. KG", "Brückner Lacke", "active", "brueckner-lacke.example"),
    15: ("Legacy Industrial Supply Co.", "Legacy Industrial", "inactive", "legacy-supply.example"),
    16: ("Rhein-Main Elektronik GmbH", "Rhein-Main Elektronik", "active", "rm-elektronik.example"),
    17: ("Vidrios del Norte S.A. de C.V.", "Vidrios del Norte", "active", "vidriosnorte.example"),
    18: ("Ελληνικά Χημικά Α.Ε.", "Hellenic Chemicals", "active", "hellenic-chem.example"),
    19: ("Van der Berg Pallets & Packaging B.V.", "Van der Berg Pallets & Packaging", "active",
         "vdberg-pallets.example"),
    20: ("Shenzhen Brightway Electronics Co., Ltd.", "Brightway Electronics", "active",
         "brightway-sz.example"),
}  # fmt: skip
assert set(SUPPLIERS) == set(cat.SUPPLIER_IDS)

BUYER_DOMAIN = "buyer.example.com"
REQUESTER_NAMES = {
    10: "Lucie Moreau",
    11: "Daniel Okonkwo",
    12: "Sarah Fischer",
    14: "Raj Patel",
    17: "Ingrid Johansson",
}
assert tuple(REQUESTER_NAMES) == cat.REQUESTERS
FIRST_BUYER = 20  # buyers are users 20.. in the order of catalogue.BUYERS
INACTIVE_USERS = frozenset({512})  # a supplier contact who has left the supplier

# id: (code, name, allowable-precision, active); units 1-7 are the ones the items use.
UOMS: dict[int, tuple[str, str, int, bool]] = {
    1: ("EA", "Each", 0, True),
    2: ("KG", "Kilogram", 3, True),
    3: ("T", "Metric ton", 3, True),
    4: ("L", "Litre", 2, True),
    5: ("ROLL", "Roll", 0, True),
    6: ("REEL", "Reel", 0, True),
    7: ("M2", "Square metre", 2, True),
    8: ("M", "Metre", 2, True),
    9: ("G", "Gram", 1, True),
    10: ("DZ", "Dozen", 0, False),
}
assert {item.uom for item in ITEMS} <= set(UOMS)

CREATED_BASE = datetime(2019, 3, 4, 9, 0, tzinfo=INSTANCE_ZONE)
UPDATED_BASE = datetime(2025, 1, 6, 8, 30, tzinfo=INSTANCE_ZONE)
# Each kind's records were last changed on their own days in 2025 (all before any `now` the
# sandbox runs at, so a change stamped now is always the newest).
KIND_OFFSET_DAYS = {"suppliers": 0, "users": 3, "uoms": 1, "items": 5}


def _stamps(kind: str, position: int) -> tuple[datetime, datetime]:
    """(created-at, updated-at) of the kind's `position`-th record (0-based)."""
    created = CREATED_BASE + timedelta(days=17 * position + 5 * KIND_OFFSET_DAYS[kind])
    updated = UPDATED_BASE + timedelta(
        days=7 * position + KIND_OFFSET_DAYS[kind], minutes=37 * position
    )
    return created, updated


def _split(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.partition(" ")
    return first, last


def _slug(full_name: str) -> str:
    return ".".join(part.lower() for part in _split(full_name)).translate(
        str.maketrans("áéíóúñøåäöü", "aeiounoaaou")
    )


def _user(uid: int, full_name: str, login: str, email: str, employee: str | None) -> Record:
    first, last = _split(full_name)
    # Unique like Coupa's: two suppliers' contacts may share a name, never a mention name.
    mention = (first + last).lower().replace(" ", "") + ("" if employee else str(uid))
    return {
        "id": uid,
        "login": login,
        "email": email,
        "employee-number": employee,
        "firstname": first,
        "lastname": last,
        "fullname": full_name,
        "active": uid not in INACTIVE_USERS,
        "mention-name": mention,
    }


def _people() -> dict[int, Record]:
    people: dict[int, Record] = {}
    for uid, full_name in REQUESTER_NAMES.items():
        first, last = _split(full_name)
        login = f"{first[0].lower()}.{last.lower()}"
        people[uid] = _user(uid, full_name, login, f"{login}@{BUYER_DOMAIN}", f"E{1000 + uid}")
    for offset, full_name in enumerate(cat.BUYERS):
        uid = FIRST_BUYER + offset
        first, last = _split(full_name)
        login = f"{first[0].lower()}.{last.lower()}"
        people[uid] = _user(uid, full_name, login, f"{login}@{BUYER_DOMAIN}", f"E{1000 + uid}")
    for supplier_id, (_name, _display, _status, domain) in SUPPLIERS.items():
        uid = cat.supplier_user(supplier_id)
        full_name = cat.supplier_contact(supplier_id)
        email = f"{_slug(full_name)}@{domain}"
        people[uid] = _user(uid, full_name, email, email, None)
    uid = cat.INTEGRATION_USER
    people[uid] = _user(uid, "Coupa Integration", "coupa.integration",
                        f"integration@{BUYER_DOMAIN}", None)  # fmt: skip
    return dict(sorted(people.items()))


def short_user(person: Record) -> Record:
    """A user as nested in another record (`created-by`, `updated-by`, `primary-contact`...)."""
    keys = ("id", "login", "email", "employee-number", "firstname", "lastname", "fullname")
    return {key: person[key] for key in keys}


def _stamped(kind: str, position: int, body: Record, by: Record) -> Record:
    created, updated = _stamps(kind, position)
    record = {"id": body.pop("id"), "created-at": created, "updated-at": updated}
    record.update(body)
    record["created-by"] = by
    record["updated-by"] = by
    return record


def build() -> dict[str, dict[int, Record]]:
    """Every reference record, by kind and id (fresh dicts: the caller may change them)."""
    people = _people()
    integration = short_user(people[cat.INTEGRATION_USER])
    data: dict[str, dict[int, Record]] = {kind: {} for kind in KINDS}
    for position, (sid, (name, display, status, _domain)) in enumerate(SUPPLIERS.items()):
        contact = people[cat.supplier_user(sid)]
        body = {
            "id": sid,
            "name": name,
            "display-name": display,
            "number": f"SUP-{sid:05d}",
            "status": status,
            "primary-contact": {
                "id": 700 + sid,
                "email": contact["email"],
                "name-given": contact["firstname"],
                "name-family": contact["lastname"],
                "name-fullname": contact["fullname"],
            },
        }
        data["suppliers"][sid] = _stamped("suppliers", position, body, integration)
    for position, (uid, person) in enumerate(people.items()):
        data["users"][uid] = _stamped("users", position, dict(person), integration)
    for position, (uom_id, (code, name, precision, active)) in enumerate(UOMS.items()):
        body = {
            "id": uom_id,
            "code": code,
            "name": name,
            "allowable-precision": precision,
            "active": active,
        }
        data["uoms"][uom_id] = _stamped("uoms", position, body, integration)
    for position, item in enumerate(ITEMS):
        code, unit_name, _precision, _active = UOMS[item.uom]
        body = {
            "id": item.id,
            "name": item.name,
            "item-number": item.buyer_part,
            "description": item.description,
            "active": True,
            "uom": {"id": item.uom, "code": code, "name": unit_name},
        }
        data["items"][item.id] = _stamped("items", position, body, integration)
    return data
