"""Sending an alert: an optional JSON POST to a webhook and an optional email over SMTP.

Both are opt-in per monitor (settings "webhook" and "email"); the SMTP server comes from the
environment: SCORECARD_SMTP_HOST, SCORECARD_SMTP_PORT (25), SCORECARD_SMTP_FROM,
SCORECARD_SMTP_USER and SCORECARD_SMTP_PASSWORD (optional), SCORECARD_SMTP_STARTTLS=1.
A failed delivery is recorded with the alert; it never undoes the stored result.
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from scorecard.exceptions import InputError
from scorecard.storage import AlertRecord

TIMEOUT = 10.0
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+$")


def check_webhook(url: str | None) -> str | None:
    """An http(s) URL, or None; InputError otherwise."""
    if url is None or url == "":
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--webhook must be an http:// or https:// URL, got {url!r}.")
    return url


def check_emails(addresses: Sequence[str]) -> list[str]:
    bad = [a for a in addresses if not _EMAIL.match(a)]
    if bad:
        raise InputError(f"--email {bad[0]!r} is not an email address (name@example.com).")
    if addresses and not os.environ.get("SCORECARD_SMTP_HOST"):
        raise InputError("--email needs an SMTP server: set SCORECARD_SMTP_HOST (and "
                         "SCORECARD_SMTP_PORT, SCORECARD_SMTP_FROM if needed).")
    return list(addresses)


def alert_payload(alert: AlertRecord) -> dict[str, Any]:
    return {"event": "scorecard.drift.material", **asdict(alert)}


def post_webhook(url: str, alert: AlertRecord, *, timeout: float = TIMEOUT) -> dict[str, Any]:
    """POST the alert as JSON; the outcome names the host only (webhook URLs often hold tokens)."""
    host = urlsplit(url).hostname
    body = json.dumps(alert_payload(alert), allow_nan=False, default=str).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "User-Agent": "scorecard-monitor"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return {"host": host, "ok": True, "status": response.status}
    except urllib.error.HTTPError as exc:
        return {"host": host, "ok": False, "status": exc.code, "error": f"HTTP {exc.code}"}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return {"host": host, "ok": False, "error": str(getattr(exc, "reason", exc))}


def send_email(recipients: Sequence[str], alert: AlertRecord, *,
               timeout: float = TIMEOUT) -> dict[str, Any]:
    """Send the alert as a plain-text email through $SCORECARD_SMTP_HOST."""
    host = os.environ.get("SCORECARD_SMTP_HOST", "")
    try:
        port = int(os.environ.get("SCORECARD_SMTP_PORT", "25"))
    except ValueError:
        return {"to": list(recipients), "ok": False, "error": "SCORECARD_SMTP_PORT is not a number"}
    message = EmailMessage()
    message["Subject"] = f"[scorecard] material drift: {alert.monitor}, period {alert.period}"
    message["From"] = os.environ.get("SCORECARD_SMTP_FROM", "scorecard@localhost")
    message["To"] = ", ".join(recipients)
    lines = [alert.message, ""]
    for ch in alert.details.get("characteristics", []):
        lines.append(f"  {ch['name']}: PSI {ch.get('psi')} (interval {ch.get('psi_ci_low')} to "
                     f"{ch.get('psi_ci_high')})")
    lines += ["", f"Rows: {alert.details.get('n_current')} current, "
                  f"{alert.details.get('n_reference')} reference. Alert #{alert.id}, run "
                  f"#{alert.run_id}."]
    message.set_content("\n".join(lines))
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if os.environ.get("SCORECARD_SMTP_STARTTLS") == "1":
                smtp.starttls()
            user = os.environ.get("SCORECARD_SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("SCORECARD_SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        return {"to": list(recipients), "ok": False, "error": str(exc) or type(exc).__name__}
    return {"to": list(recipients), "ok": True}


def notify(alert: AlertRecord, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Deliver an alert where the monitor's settings say; returns what happened, per channel."""
    outcome: dict[str, Any] = {}
    if settings.get("webhook"):
        outcome["webhook"] = post_webhook(settings["webhook"], alert)
    if settings.get("email"):
        outcome["email"] = send_email(settings["email"], alert)
    return outcome
