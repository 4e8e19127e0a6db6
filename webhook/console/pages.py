"""The console's pages: sign-in, the overview, the audit log (and its CSV), the list's
status and the draft check. Each reads what it shows from the audit store, the registry
and the list's files; none writes anything but the audit store's rows."""

from __future__ import annotations

import base64
import datetime
import math
from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from gate.adapters.cache import read_list_report
from gate.errors import GateError
from gate.kinds import FINDING_KIND_NAMES
from gate.lint import ListReport
from gate.verdict import DECISIONS
from webhook.api import check_posts, record
from webhook.audit import SUMMARY_DAYS, AuditQuery, csv_lines, summarize
from webhook.console.chart import decisions_chart
from webhook.console.draft import pieces
from webhook.console.session import (
    attempt_of,
    change_event,
    check_csrf,
    current_officer,
    officer_page,
    record_event,
    start_session,
    too_many_failures,
)
from webhook.errors import ApiError
from webhook.officers import signed_in
from webhook.registry import file_stamp
from webhook.state import state

blueprint = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
TOP_CLIENTS = 10
ROWS_PER_PAGE = 50
SHORT_CHARS = 12
DRAFT_FIELD = "/text"
# The security headers of every console page: no script at all, nothing from elsewhere,
# never framed, never cached (a draft's findings are on the page).
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@blueprint.app_template_filter("when")
def when(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@blueprint.app_template_filter("short")
def short(text: str) -> str:
    """A version or request id cut for a table's cell (the whole of it in the cell's title)."""
    text = text.removeprefix("sha256:")
    return text if len(text) <= SHORT_CHARS else text[:SHORT_CHARS] + "\u2026"


@blueprint.after_request
def secure_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


@blueprint.before_request
def console_configured() -> None:
    if not state().config.officers:
        abort(503, "the console has no officers: add one with `gate officer new` (see the README)")


@blueprint.errorhandler(HTTPException)
def console_error(error: HTTPException) -> tuple[str, int]:
    return render_template("console/error.html", status=error.code or 500, message=error.description), error.code or 500


@blueprint.errorhandler(ApiError)
def console_api_error(error: ApiError) -> tuple[str, int]:
    """The registry's refusals (a list reloading or broken), as a page."""
    return render_template("console/error.html", status=error.status, message=error.message), error.status


@blueprint.get("/login")
def login() -> str | WerkzeugResponse:
    if current_officer() is not None:
        return redirect(url_for("console.overview"))
    return render_template("console/login.html", message="")


@blueprint.post("/login")
def sign_in() -> tuple[str, int] | WerkzeugResponse:
    check_csrf(request)
    name, password = request.form.get("name", ""), request.form.get("password", "")
    officers = state().config.officers
    known = name if name in officers else ""  # a name typed that is no officer's is not kept
    attempt = attempt_of(name)
    # Kept as failed until the password proves otherwise (session.too_many_failures).
    number = record_event("sign_in_failed", known, attempt=attempt)
    if too_many_failures(attempt):
        change_event(number, "sign_in_refused")
        page = render_template("console/login.html", message="Too many failed sign-ins: wait 15 minutes.")
        return page, 429
    officer = signed_in(officers, name, password)
    if officer is None:
        return render_template("console/login.html", message="Wrong name or password."), 401
    change_event(number, "sign_in")
    start_session(officer)
    return redirect(url_for("console.overview"))


@blueprint.post("/logout")
def sign_out() -> WerkzeugResponse:
    """Ends every session of the officer's, here and on every other host."""
    check_csrf(request)
    officer = current_officer()
    if officer is not None:
        record_event("sign_out", officer.name)
    session.clear()
    return redirect(url_for("console.login"))


@blueprint.get("/")
@officer_page
def overview() -> str:
    last = datetime.datetime.now(datetime.UTC).date()
    first = last - datetime.timedelta(days=SUMMARY_DAYS - 1)
    # A scheduler's posts: the drafts checked here are in the log, not in these counts.
    summary = summarize(state().audit.counts(g.org, AuditQuery(first, last, source="webhook")), first, last)
    return render_template(
        "console/overview.html",
        summary=summary,
        chart=decisions_chart(summary.days),
        clients=summary.clients.most_common(TOP_CLIENTS),
        status=state().registry.list_status(g.org),
        days=SUMMARY_DAYS,
    )


@blueprint.get("/log")
@officer_page
def audit_log() -> str:
    query, problem = log_query(request.args)
    asked = page_number(request.args.get("page", "1"))
    rows, total = state().audit.page(g.org, query, limit=ROWS_PER_PAGE, offset=(asked - 1) * ROWS_PER_PAGE)
    pages = max(1, math.ceil(total / ROWS_PER_PAGE))
    number = min(asked, pages)
    if number != asked:  # past the last page: the last page
        rows, _ = state().audit.page(g.org, query, limit=ROWS_PER_PAGE, offset=(number - 1) * ROWS_PER_PAGE)
    filters = {key: value for key, value in request.args.items() if key in FILTERS and value}
    return render_template(
        "console/log.html",
        rows=rows,
        total=total,
        number=number,
        pages=pages,
        filters=filters,
        problem=problem,
        kinds=FINDING_KIND_NAMES,
        page_url=lambda n: url_for("console.audit_log", **{"org": g.org, "page": n, **filters}),
        csv_url=url_for("console.audit_csv", **{"org": g.org, **filters}),
    )


@blueprint.get("/log.csv")
@officer_page
def audit_csv() -> Response:
    query, problem = log_query(request.args)
    if problem:
        abort(400, problem)
    # Sent as it is read, a batch at a time: a log of millions of rows is never held whole.
    return Response(
        stream_with_context(csv_lines(state().audit.export_rows(g.org, query))),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="gate-audit-{g.org}.csv"'},
    )


FILTERS = ("since", "until", "decision", "kind", "post_id")


def log_query(args: Mapping[str, str]) -> tuple[AuditQuery, str]:
    """The filters asked for, and what is wrong with them ("" if nothing): a filter that
    does not parse matches no row, rather than every row."""
    dates: dict[str, datetime.date | None] = {}
    for key in ("since", "until"):
        try:
            dates[key] = datetime.date.fromisoformat(args[key]) if args.get(key) else None
        except ValueError:
            return AuditQuery(decision="none"), f"{key}: not a date (YYYY-MM-DD)"
    decision, kind = args.get("decision", ""), args.get("kind", "")
    if decision not in ("", *DECISIONS) or kind not in ("", *FINDING_KIND_NAMES):
        return AuditQuery(decision="none"), "no such decision or kind"
    query = AuditQuery(dates["since"], dates["until"], decision, kind, args.get("post_id", ""))
    if query.problem():
        return AuditQuery(decision="none"), f"since and until: {query.problem()}"
    return query, ""


def page_number(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 10**9 else 1


@blueprint.get("/wordlist")
@officer_page
def wordlist_status() -> str:
    report, error = list_files_report(g.org)
    return render_template(
        "console/wordlist.html", report=report, error=error, status=state().registry.list_status(g.org)
    )


def list_files_report(org: str) -> tuple[ListReport | None, str]:
    """The list's files as they are on disk, read and linted once a day and each time they
    change (the app's state keeps the last of each organisation)."""
    directory = state().config.orgs[org].wordlist
    today = datetime.date.today()
    key = (file_stamp(directory), today)
    cached = state().list_reports.get(org)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    try:
        report, error = read_list_report(directory, today), ""
    except GateError as problem:
        report, error = None, str(problem)  # names a file and line, never a value
    state().list_reports[org] = (key, report, error)
    return report, error


@blueprint.route("/draft", methods=["GET", "POST"])
@officer_page
def draft() -> str | tuple[str, int]:
    """The draft checked as the webhook checks a post, recorded as its decisions are (the
    audit row's source `console`), and shown; nothing of it is kept."""
    if request.method == "GET":
        return render_template("console/draft.html", result=None, text="")
    text = request.form.get("text", "")
    upload = request.files.get("file")
    post: dict[str, Any] = {"id": "draft", "text": text}
    if upload is not None and upload.filename:
        post["media"] = [{"filename": upload.filename, "data": base64.b64encode(upload.read()).decode()}]
    elif not text.strip():
        return render_template("console/draft.html", result=None, text=text, problem="Nothing to check."), 422
    serving = state().registry.serving(g.org)
    (result,) = check_posts(serving, [post])
    record(g.org, serving, [post], [result], None, source="console")
    verdict = result.verdict
    return render_template(
        "console/draft.html",
        result=verdict,
        text=text,
        pieces=pieces(text, verdict.findings, DRAFT_FIELD),
        policy=serving.matcher.policy,
        stale=serving.stale_reason,
    )
