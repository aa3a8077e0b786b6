"""Start-up options, shared by `python -m qualityhub.sandbox` and `manage.py coupa_sandbox`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class SandboxOptions:
    host: str = "127.0.0.1"
    port: int = 8001
    db: str = "var/sandbox.sqlite3"
    seed: int = 42
    inspections: int = 300
    client_id: str = "sandbox"
    client_secret: str = "sandbox-secret"
    token_ttl: int = 86399
    latency_ms: int = 0
    error_rate: Decimal = Decimal(0)
    rate_limit: Decimal = Decimal(0)
    malformed_rate: Decimal = Decimal(0)
    advance_every: float = 0.0
    advance_count: int = 3
    reset: bool = False
    quiet: bool = False
    request_log: str = ""  # a file for the line per request; empty: stderr

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SandboxOptions:
        """From argparse results (or Django's options dict, which carries extra keys)."""
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative number: {text!r}")
    return value


def _share(text: str) -> Decimal:
    value = _decimal(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return value

    return parse


def _seconds(text: str) -> float:
    return float(_decimal(text))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    d = SandboxOptions()
    add = parser.add_argument
    add("--host", default=d.host, help=f"interface to listen on (default {d.host})")
    add("--port", type=_count(0), default=d.port, help=f"0 picks a free port (default {d.port})")
    add("--db", default=d.db, help=f"SQLite file for the sandbox state (default {d.db})")
    add("--seed", type=int, default=d.seed, help=f"random seed of the data set (default {d.seed})")
    add("--inspections", type=_count(1), default=d.inspections,
        help=f"how many; inspection 1 is the spec example (default {d.inspections})")  # fmt: skip
    add("--client-id", default=d.client_id, help=f"OAuth2 client id (default {d.client_id})")
    add("--client-secret", default=d.client_secret, help="OAuth2 client secret")
    add("--token-ttl", type=_count(1), default=d.token_ttl, metavar="SECONDS",
        help=f"access token lifetime (default {d.token_ttl})")  # fmt: skip
    add("--latency-ms", type=_count(0), default=d.latency_ms, metavar="MS",
        help="delay every API response by this much")  # fmt: skip
    add("--error-rate", type=_share, default=d.error_rate, metavar="SHARE",
        help="share of API requests answered 503 (0..1)")  # fmt: skip
    add("--rate-limit", type=_decimal, default=d.rate_limit, metavar="PER_SECOND",
        help="token-bucket limit, burst = the same number; 0 = off")  # fmt: skip
    add("--malformed-rate", type=_share, default=d.malformed_rate, metavar="SHARE",
        help="share of inspections served malformed (0..1)")  # fmt: skip
    add("--advance-every", type=_seconds, default=d.advance_every, metavar="SECONDS",
        help="run the collaboration simulator every SECONDS (0 = never)")  # fmt: skip
    add("--advance-count", type=_count(1), default=d.advance_count, metavar="K",
        help=f"inspections moved per simulator tick (default {d.advance_count})")  # fmt: skip
    add("--reset", action="store_true", help="regenerate the data set even if the file matches")
    add("--quiet", action="store_true", help="log no line per request at all")
    add("--request-log", default=d.request_log, metavar="PATH",
        help="append the line per request to PATH instead of stderr (capped: 5 MiB, and one "
             "older file PATH.1)")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qualityhub.sandbox",
        description="A stand-alone HTTP server impersonating Coupa's Quality Collaboration API.",
    )
    add_arguments(parser)
    return parser


def parse_options(argv: list[str] | None = None) -> SandboxOptions:
    return SandboxOptions.from_mapping(vars(build_parser().parse_args(argv)))
