"""What the app keeps for its requests: one typed record, built once by create_app and
reached by `state()` while a request is handled."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, current_app

from gate.lint import ListReport
from webhook.audit import AuditStore, open_audit_store
from webhook.config import ServerConfig
from webhook.registry import Registry, Stamp
from webhook.replay import ReplayGuard

OPENAPI = Path(__file__).with_name("openapi.yaml")
EXTENSION = "gate"  # the state's key in app.extensions


@dataclass(frozen=True)
class GateState:
    config: ServerConfig
    registry: Registry
    audit: AuditStore
    replay: ReplayGuard
    openapi: Mapping[str, Any]
    # The console's reading of each organisation's list files: (their stamp, the day),
    # the report, and the error; made again when either changes (webhook/console/pages.py).
    list_reports: dict[str, tuple[tuple[Stamp, datetime.date], ListReport | None, str]] = field(default_factory=dict)


def open_state(config: ServerConfig) -> GateState:
    """The audit store opened (a bad `audit_db` is a GateError before any list is
    compiled), the organisations' lists compiled, the OpenAPI document read."""
    audit = open_audit_store(config)
    registry = Registry(
        {name: org.wordlist for name, org in config.orgs.items()},
        reload_seconds=config.reload_seconds,
        reload_wait_seconds=config.reload_wait_seconds,
        on_broken_list=config.on_broken_list,
    )
    openapi = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    return GateState(
        config,
        registry,
        audit,
        ReplayGuard(audit, {name: org.signing_secret for name, org in config.orgs.items()}),
        openapi,
    )


def state_of(app: Flask) -> GateState:
    gate = app.extensions[EXTENSION]
    if not isinstance(gate, GateState):
        raise TypeError(f"app.extensions[{EXTENSION!r}] is not the gate's state")
    return gate


def state() -> GateState:
    """The state of the app handling the current request."""
    return state_of(current_app)
