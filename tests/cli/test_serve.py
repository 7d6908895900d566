"""`kb serve` after a mistake: the problems show in the browser, no request hangs, and the page recovers by itself."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE_CONTENT = REPO / "tests" / "fixtures" / "site" / "content"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """One request; a hanging server fails the test through the timeout."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _until(url: str, check, seconds: float = 90) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = _get(url)
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
            continue
        if check(*last):
            return last
        time.sleep(0.3)
    raise AssertionError(f"gave up waiting on {url}; last answer {last[0]}: {last[1][:500]}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("docs", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root)
    shutil.copytree(SITE_CONTENT, root / "content")
    return root


def test_serve_shows_problems_in_the_browser_and_recovers(project: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_OFFLINE_ZIP": "false"}
    env.pop("KB_CONTENT", None)
    server = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    page = base + "practices/index.html"
    entry = project / "content" / "practices" / "ph-hostile-practice.yaml"
    template = project / "templates" / "entry.md.j2"
    good_entry, good_template = entry.read_text(), template.read_text()
    failure: AssertionError | None = None
    try:
        _until(page, lambda code, body: code == 200)
        # A YAML slip: the page becomes the list of problems, with the file's path, line and column.
        entry.write_text(good_entry.replace("title:", "title: [unclosed", 1))
        code, body = _until(page, lambda code, body: "data-kb-serve-error" in body)
        assert code == 200  # a 500 would be logged as a warning, failing the next strict rebuild
        assert "content/practices/ph-hostile-practice.yaml:" in body and "syntax" in body
        assert "livereload" in body  # the server's reload script: the page comes back by itself
        _get(base + "countries/index.html")  # any page answers at once, none waits for a fix
        # Fixed: the site is back.
        entry.write_text(good_entry)
        code, body = _until(page, lambda code, body: code == 200 and "data-kb-serve-error" not in body)
        # A broken template: one clear line naming the template and its line, never a traceback.
        template.write_text(good_template + "\n{% if x %}\n")
        code, body = _until(page, lambda code, body: "data-kb-serve-error" in body)
        assert "entry.md.j2:" in body and "template syntax error" in body and "Traceback" not in body
        template.write_text(good_template)
        _until(page, lambda code, body: code == 200 and "data-kb-serve-error" not in body)
    except AssertionError as exc:
        failure = exc
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            output = server.communicate(timeout=20)[0].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0].decode("utf-8", "replace")
    said = "\n".join(line for line in output.splitlines() if "GET /" not in line)[-4000:]
    assert failure is None, f"{failure}\n--- kb serve said:\n{said}"
    assert "Traceback" not in output, output


@pytest.mark.parametrize("command", [["render", "--out", "out"], ["build", "--no-index", "--no-zip", "--site-dir", "out"]])
def test_broken_template_is_one_clear_line(project: Path, command: list[str]) -> None:
    template = project / "templates" / "entry.md.j2"
    template.write_text(template.read_text() + "\n{% for x in %}\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("KB_CONTENT", None)
    result = subprocess.run([sys.executable, "-m", "kb", *command], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "rror" in line]
    assert len(errors) == 1, result.stderr
    assert "entry.md.j2:" in errors[0] and "template syntax error" in errors[0]
    assert "Traceback" not in result.stderr
