"""A node with published, bought and disputed listings (`lightbox demo --directory`, then `lightbox serve`), a
proxy in front of it that tampers with one inclusion proof, and headless Chromium."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

LIGHTBOX = os.environ.get("LIGHTBOX_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/lightbox"))
ARTEFACTS = os.environ.get("LIGHTBOX_WEB_ARTEFACTS", os.path.join(os.path.dirname(__file__), "../../.build/web-artefacts"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def node():
    """The node's base URL, serving the demo's marketplace: listing 1 bought, accepted, bought again, disputed and
    ruled on; a defective dataset rejected."""
    assert os.access(LIGHTBOX, os.X_OK), f"no lightbox binary at {LIGHTBOX}: build it, or set LIGHTBOX_BIN"
    work = tempfile.mkdtemp(prefix="lightbox-web-")
    demo = subprocess.run([LIGHTBOX, "demo", "--directory", work + "/demo"], capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-3000:] + demo.stdout[-3000:]
    port = free_port()
    log = open(work + "/serve.log", "w")
    server = subprocess.Popen(
        [LIGHTBOX, "serve", "--data-dir", work + "/demo/node", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        raise AssertionError("the node did not start: " + open(work + "/serve.log").read()[-3000:])
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()
    shutil.rmtree(work, ignore_errors=True)


class TamperingProxy(BaseHTTPRequestHandler):
    """Forwards to the node; in a listing page, changes one hexadecimal digit of the first inclusion proof: what a
    node that lied about its log would serve."""

    upstream = ""

    def do_GET(self):
        with urllib.request.urlopen(self.upstream + self.path, timeout=30) as response:
            body = response.read()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in ("content-length", "transfer-encoding", "connection")]
            status = response.status
        if self.path.startswith("/listings/"):
            text = body.decode()
            match = re.search(r'"proof":\["([0-9a-f])', text)
            assert match, "the page carries no proof to tamper with"
            digit = match.group(1)
            flipped = "0" if digit != "0" else "1"
            text = text[: match.start(1)] + flipped + text[match.end(1) :]
            body = text.encode()
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def tampering_node(node):
    handler = type("Proxy", (TamperingProxy,), {"upstream": node})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def chromium(width, height):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.fixture(scope="session")
def browser():
    driver = chromium(1280, 900)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def phone():
    driver = chromium(390, 844)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artefacts():
    os.makedirs(ARTEFACTS, exist_ok=True)
    return ARTEFACTS
