"""Helpers for test_csrf.py and test_session.py: the small Django site under gunicorn, a second
origin (a plain HTTP server on 127.0.0.2 or 127.0.0.1 serving one page), and a headless Chromium
driven through chromedriver by python3-selenium.

Chromium runs with a fresh profile and everything that would reach the network turned off, as
this machine has none. The tests that need it are skipped, with the reason, only when Chromium
or chromedriver cannot start here.
"""

import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
import requests

from helpers import PYTHON, REPO_ROOT, WAIT, ManagedProcess, free_port, wait_until

DJANGO_DIR = REPO_ROOT / "tests" / "integration" / "apps" / "django_site"


def start_django(log_dir):
    """The Django site under gunicorn on a free port; returns (process, url)."""
    port = free_port()
    db = Path(log_dir) / "django-sessions.sqlite3"
    argv = [PYTHON, "-m", "gunicorn", "--chdir", DJANGO_DIR, "--bind", f"127.0.0.1:{port}",
            "--worker-class", "gthread", "--workers", "1", "--threads", "8",
            "--access-logfile", "-", "site_app:application"]
    p = ManagedProcess("gunicorn-django", argv, log_dir, env={"SESSION_DB": str(db)})
    p.wait_for_port(port)
    url = f"http://127.0.0.1:{port}"
    # Ready when it has answered once (Django loads its URLconf on the first request).
    wait_until(lambda: requests.get(url + "/", timeout=WAIT).status_code == 200,
               what="the Django site's first answer")
    return p, url


class OtherOrigin:
    """A page served from another origin: `html` is served at / on host:port."""

    def __init__(self, html, host="127.0.0.2"):
        body = html.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def cross_site_form_page(action, fields):
    inputs = "".join(f'<input name="{k}" value="{v}">' for k, v in fields.items())
    return (f'<!doctype html><html><body><form id="f" method="post" action="{action}">'
            f'{inputs}<button id="send" type="submit">Send</button></form></body></html>')


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-default-apps", "--ignore-certificate-errors"]


def find_chromium():
    return shutil.which("chromium"), shutil.which("chromedriver")


class Browser:
    """A headless Chromium with its own fresh profile, closed by close()."""

    def __init__(self, log_dir):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        binary, driver = find_chromium()
        if not binary or not driver:
            pytest.skip("Chromium tests need Debian's chromium and chromium-driver "
                        f"(found chromium={binary}, chromedriver={driver}); "
                        "run scripts/install-deps")
        self.profile = tempfile.mkdtemp(prefix="rampart-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for a in CHROMIUM_ARGS:
            options.add_argument(a)
        options.add_argument(f"--user-data-dir={self.profile}")
        service = Service(executable_path=driver,
                          log_path=str(Path(log_dir) / "chromedriver.log"))
        try:
            self.driver = webdriver.Chrome(service=service, options=options)
        except Exception as e:  # selenium raises several types for "cannot start"
            shutil.rmtree(self.profile, ignore_errors=True)
            pytest.skip(f"Chromium cannot run here: {type(e).__name__}: {str(e)[:300]}")
        self.driver.set_page_load_timeout(30)

    def open(self, url):
        self.driver.get(url)

    def click(self, css):
        from selenium.common.exceptions import NoSuchElementException
        from selenium.webdriver.common.by import By
        try:
            self.driver.find_element(By.CSS_SELECTOR, css).click()
        except NoSuchElementException:
            raise AssertionError(f"no {css} on {self.driver.current_url}; the page says:\n"
                                 f"{self.text()[:500]}") from None

    def fill(self, css, text):
        from selenium.webdriver.common.by import By
        el = self.driver.find_element(By.CSS_SELECTOR, css)
        el.clear()
        el.send_keys(text)

    def text(self):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.TAG_NAME, "body").text

    def wait_for_text(self, needle, timeout=15):
        """The page's text once it holds needle (a navigation in progress replaces the page
        under the reader: such reads are retried)."""
        from selenium.common.exceptions import (NoSuchElementException,
                                                StaleElementReferenceException, TimeoutException)
        from selenium.webdriver.support.ui import WebDriverWait
        wait = WebDriverWait(self.driver, timeout, ignored_exceptions=(
            StaleElementReferenceException, NoSuchElementException))
        try:
            return wait.until(lambda d: self._text_with(needle))
        except TimeoutException:
            raise AssertionError(f"{needle!r} not on {self.driver.current_url} within {timeout} s;"
                                 f" the page says:\n{self.driver.page_source[:800]}") from None

    def _text_with(self, needle):
        text = self.text()
        return text if needle in text else None

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
