"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`: no package, no open port.

Chromium reads commands from its file descriptor 3 and writes answers and events to 4,
one JSON message per NUL-terminated frame. Each page is opened in its own target
(a fresh tab) and watched for failed requests and console errors until the network is idle.
"""

import base64
import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class CDPError(RuntimeError):
    pass


@dataclass
class PageReport:
    """What a page did while loading: every response, and whatever went wrong."""

    url: str
    responses: list = field(default_factory=list)  # (status, url)
    failed_requests: list = field(default_factory=list)  # (status or error text, url)
    console_errors: list = field(default_factory=list)

    @property
    def problems(self):
        return self.failed_requests + self.console_errors


class Browser:
    def __init__(self, executable, profile_dir):
        to_chrome_read, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_write = os.pipe()
        # A tiny trampoline puts our pipe ends on the descriptors 3 and 4 that Chromium expects
        # (a shell can't: dash only redirects single-digit descriptors).
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                # Moved above 9 first, so that neither end can overwrite the other on its way to 3 or 4.
                "import fcntl, os, sys; r, w = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3]); "
                "os.dup2(r, 3); os.dup2(w, 4); os.execv(sys.argv[3], sys.argv[3:])",
                str(to_chrome_read),
                str(from_chrome_write),
                executable,
                *FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile_dir}",
                "about:blank",
            ],
            pass_fds=(to_chrome_read, from_chrome_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self._next_id = 0
        self._lock = threading.Lock()
        self._answers = {}
        self._answered = threading.Condition()
        self.events = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        buffer = b""
        with os.fdopen(self._from_chrome, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                buffer += chunk
                *frames, buffer = buffer.split(b"\0")
                for frame in frames:
                    message = json.loads(frame)
                    if "id" in message:
                        with self._answered:
                            self._answers[message["id"]] = message
                            self._answered.notify_all()
                    else:
                        self.events.put(message)
        with self._answered:
            self._answers[None] = {"error": {"message": "Chromium a fermé le canal DevTools."}}
            self._answered.notify_all()

    def send(self, method, params=None, session=None, timeout=30):
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        with self._answered:
            if not self._answered.wait_for(lambda: message_id in self._answers or None in self._answers, timeout):
                raise CDPError(f"{method}: pas de réponse en {timeout} s")
            answer = self._answers.pop(message_id, None) or self._answers[None]
        if "error" in answer:
            raise CDPError(f"{method}: {answer['error']}")
        return answer["result"]

    def open(self, url, width, height, mobile=False, scale=1, quiet_for=0.5, timeout=30, javascript=True):
        """Load `url` in a fresh tab of the given size; return (Page, PageReport) once the network is idle.

        With `javascript=False` the page's own scripts do not run (DevTools' evaluate still does).
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
            session=session,
        )
        self.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
        if not javascript:
            self.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
        report = PageReport(url)
        self.send("Page.navigate", {"url": url}, session=session)
        self._watch(session, report, quiet_for, timeout)
        return Page(self, target, session), report

    def _watch(self, session, report, quiet_for, timeout):
        # The load event, then no request in flight for `quiet_for` seconds: scripts' own fetches are done.
        in_flight, urls, loaded = set(), {}, False
        quiet_since = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=0.05)
            except queue.Empty:
                if loaded and not in_flight:
                    quiet_since = quiet_since or time.monotonic()
                    if time.monotonic() - quiet_since >= quiet_for:
                        return
                continue
            if event.get("sessionId") != session:
                continue
            quiet_since = None
            method, params = event["method"], event.get("params", {})
            if method == "Page.loadEventFired":
                loaded = True
            elif method == "Network.requestWillBeSent":
                in_flight.add(params["requestId"])
                urls[params["requestId"]] = params["request"]["url"]
            elif method == "Network.responseReceived":
                response = params["response"]
                report.responses.append((response["status"], response["url"]))
                if response["status"] >= 400:
                    report.failed_requests.append((response["status"], response["url"]))
            elif method == "Network.loadingFinished":
                in_flight.discard(params["requestId"])
            elif method == "Network.loadingFailed":
                in_flight.discard(params["requestId"])
                reason = params.get("blockedReason") or params.get("errorText")
                report.failed_requests.append((reason, urls.get(params["requestId"], params.get("type"))))
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"])
                report.console_errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                report.console_errors.append(details.get("exception", {}).get("description") or details["text"])
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                report.console_errors.append(f"{entry['text']} {entry.get('url', '')}".strip())
        raise CDPError(f"{report.url}: toujours des requêtes en cours après {timeout} s ({len(in_flight)})")

    def close(self):
        with contextlib.suppress(CDPError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)


class Page:
    def __init__(self, browser, target, session):
        self.browser, self.target, self.session = browser, target, session

    def evaluate(self, expression):
        result = self.browser.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=self.session
        )
        if "exceptionDetails" in result:
            raise CDPError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self):
        """The viewport as PNG bytes."""
        shot = self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)
        return base64.b64decode(shot["data"])

    def close(self):
        self.browser.send("Target.closeTarget", {"targetId": self.target})
