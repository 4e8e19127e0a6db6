"""The scheduler webhook: a Flask app, thin over gate/.

`create_app` imports Flask only when called, so that `gate audit export` and
`gate token new` can use this package's audit and configuration modules without the
start-up cost of Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from webhook.config import ServerConfig


def create_app(config: ServerConfig | None = None) -> Flask:
    from webhook.app import create_app as create

    return create(config)
