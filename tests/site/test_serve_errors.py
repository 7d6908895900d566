"""kb.site.serve_errors with a stand-in for MkDocs' live-reload server: failed rebuilds answer at once with the problems."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from kb.site import serve_errors
from kb.site.plugin import KnowledgeBasePlugin
from tests.conftest import FIXTURES


class FakeServer:
    """The parts of mkdocs.livereload.LiveReloadServer that serve_errors uses."""

    def __init__(self, build):
        self.builder = build
        self._epoch_cond = threading.Condition()
        self._visible_epoch = 7
        self.served: list[str] = []

    def _serve_request(self, environ, start_response):
        self.served.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"the site"]

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return content.replace(b"</body>", f"<script>livereload({epoch})</script></body>".encode())


def _get(server: FakeServer, path: str) -> tuple[str, bytes]:
    status: list[str] = []
    body = b"".join(server._serve_request({"PATH_INFO": path}, lambda s, headers: status.append(s)))
    return status[0], body


def test_failed_rebuild_shows_problems_then_the_site_again() -> None:
    broken = {"on": True}

    def build() -> None:
        if broken["on"]:
            serve_errors.record(["content/practices/x.yaml:3:7: error: YAML syntax: <oops> [syntax]"])
            raise PluginError("kb: the content has 1 error(s)")

    server = serve_errors.install(FakeServer(build))
    server.builder()  # returns: the server then releases waiting requests and reloads browsers
    status, body = _get(server, "/practices/index.html")
    assert status.startswith("200") and b"data-kb-serve-error" in body
    assert b"content/practices/x.yaml:3:7" in body and b"&lt;oops&gt;" in body and b"<oops>" not in body
    assert b"livereload(7)" in body
    assert _get(server, "/assets/kb-search.js")[1] == b"the site"  # assets and the reload poll pass through
    broken["on"] = False
    server.builder()
    assert _get(server, "/practices/index.html")[1] == b"the site"


def test_any_build_exception_becomes_one_listed_line() -> None:
    def build() -> None:
        raise RuntimeError("templates/entry.md.j2:4: template syntax error: unexpected '}'")

    server = serve_errors.install(FakeServer(build))
    server.builder()
    assert b"entry.md.j2:4: template syntax error" in _get(server, "/")[1]


def test_plugin_records_every_problem_with_a_broken_taxonomy_first(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "validate" / "base", root)
    (root / "taxonomy.yaml").write_text("phases:\n  - id: a\n   label: b\n", encoding="utf-8")
    for index in range(60):
        (root / "practices" / f"p{index}.yaml").write_text(f"id: p{index}\n", encoding="utf-8")
    plugin = KnowledgeBasePlugin()
    plugin.config = SimpleNamespace(content=str(root), max_errors_shown=50)
    with pytest.raises(PluginError):
        plugin._load(SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml")))
    lines = serve_errors._problems
    assert lines[0].split(":")[0].endswith("taxonomy.yaml") and "syntax" in lines[0]
    assert len(lines) > 60  # all of them for the browser, not the first 50
