"""The compliance officer's console, under /console/: a signed-in officer sees their
organisations' decisions, the state of their lists, and checks a draft. Pages in pages.py,
who is signed in and what guards it in session.py, the chart in chart.py, a draft's marks
in draft.py."""

from __future__ import annotations

from typing import Any

from flask import g

from webhook.console.pages import blueprint
from webhook.console.session import configure_sessions, csrf_token

__all__ = ["blueprint", "configure_sessions"]


@blueprint.context_processor
def page_context() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "officer": g.get("officer"), "org": g.get("org")}
