"""Alerts are delivered to a webhook (JSON POST) and by SMTP email, both servers started here on
127.0.0.1; a failed delivery is recorded and never undoes the stored result."""

import json
import socketserver
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scorecard.scheduling.runner import create_monitor, run_monitor
from scorecard.storage import MonitorStore

pytestmark = pytest.mark.e2e  # starts servers
PERIOD = "application_month"


class Webhook(BaseHTTPRequestHandler):
    received: list = []
    status = 204

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


class Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib to deliver one message."""

    messages: list = []

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost test SMTP")
        envelope = {"to": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                envelope["from"] = command
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command)
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                type(self).messages.append((envelope, message_from_bytes(data)))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers(monkeypatch):
    Webhook.received, Webhook.status, Smtp.messages = [], 204, []
    http = serve(ThreadingHTTPServer(("127.0.0.1", 0), Webhook))
    smtp = serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp))
    monkeypatch.setenv("SCORECARD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SCORECARD_SMTP_PORT", str(smtp.server_address[1]))
    monkeypatch.setenv("SCORECARD_SMTP_FROM", "monitor@example.com")
    yield f"http://127.0.0.1:{http.server_address[1]}/hooks/drift"
    for server in (http, smtp):
        server.shutdown()
        server.server_close()


def test_material_drift_posts_json_and_sends_email(tmp_path, files, servers):
    store = MonitorStore(f"sqlite:///{tmp_path / 'store.db'}")
    create_monitor(store, "apps", files.model, reference=str(files.reference),
                   source=str(files.current), period_column=PERIOD, webhook=servers,
                   email=["risk@example.com"])
    summary = run_monitor(store, "apps")
    [alert] = summary.alerts
    [(path, content_type, payload)] = Webhook.received
    assert (path, content_type) == ("/hooks/drift", "application/json")
    assert payload["monitor"] == "apps" and payload["period"] == "2023-06"
    assert payload["message"] == alert.message and payload["event"] == "scorecard.drift.material"
    [(envelope, email)] = Smtp.messages
    assert "risk@example.com" in envelope["to"][0] and email["From"] == "monitor@example.com"
    assert email["Subject"] == "[scorecard] material drift: apps, period 2023-06"
    assert "account_balance: PSI" in email.get_payload()
    [stored] = store.alerts("apps")
    assert stored.notified["webhook"]["ok"] and stored.notified["email"]["ok"]
    run_monitor(store, "apps", period="2023-06")  # a rerun of the same alert: no new message
    assert len(Webhook.received) == 1 and len(Smtp.messages) == 1


def test_failed_delivery_is_recorded_and_the_result_kept(tmp_path, files, servers, monkeypatch):
    Webhook.status = 500
    monkeypatch.setenv("SCORECARD_SMTP_PORT", "9")  # nothing listens there
    store = MonitorStore(f"sqlite:///{tmp_path / 'store.db'}")
    create_monitor(store, "apps", files.model, reference=str(files.reference),
                   source=str(files.current), period_column=PERIOD, webhook=servers,
                   email=["risk@example.com"])
    summary = run_monitor(store, "apps")
    [stored] = store.alerts("apps")
    assert stored.notified["webhook"] == {"host": "127.0.0.1", "ok": False, "status": 500,
                                          "error": "HTTP 500"}
    assert not stored.notified["email"]["ok"] and stored.notified["email"]["error"]
    assert store.runs("apps")[0].status == "succeeded" and len(summary.written) == 4
