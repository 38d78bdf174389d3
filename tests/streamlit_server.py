"""The explorer served by `streamlit run` on a free loopback port, and Debian's Chromium,
for the browser and load tests (one definition for both)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's hosts at start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 60
CHART = '[data-testid="stGraphVizChart"] svg'


def require_chromium() -> None:
    """Skip without Debian's chromium, unless CI is set: then a missing browser is a failure."""
    if CHROMIUM.is_file():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: install Debian's chromium (make browser)")
    pytest.skip(f"{CHROMIUM} is not installed (make browser installs it); set CI=1 to make this a failure")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_explorer(log_name: str) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1; yields its URL; always terminated."""
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (ARTIFACTS / log_name).open("w", encoding="utf-8")
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with code {process.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {SERVER_START_SECONDS} s; see {log.name}")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@contextlib.contextmanager
def headless_chromium():
    """Debian's chromium under Playwright, headless, with the project's arguments; always closed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def refuse_remote(context) -> list[str]:
    """Intercept every request of a Playwright browser context: one to any host but loopback
    (a font, an icon, a CDN, usage statistics) is refused and its address recorded in the
    list returned, for the test to fail on."""
    from urllib.parse import urlsplit

    remote: list[str] = []

    def only_loopback(route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob"} or url.hostname in LOOPBACK:
            route.continue_()
        else:
            remote.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    return remote
