"""`kb serve` / `mkdocs serve` after a mistake: an error page in the browser, no request left waiting.

MkDocs' live-reload server holds every request until a rebuild succeeds, so one YAML slip left
the browser spinning and the problem visible only in the terminal. The plugin's `on_serve`
hook wraps the server: a failed rebuild is caught and remembered, every page request then gets
an error page listing the problems (path:line:col), and that page carries MkDocs' own
live-reload script, so it turns back into the site by itself once the next rebuild succeeds.
The server is driven through its documented builder plus two of its methods; nothing is imported.
"""

from __future__ import annotations

import html
import logging
import threading
from typing import Any

log = logging.getLogger("mkdocs.plugins.kb")
_lock = threading.Lock()
_problems: list[str] = []  # the problems of the build that is failing (set by the plugin before it raises)


def record(lines: list[str]) -> None:
    """The problems of the build under way, one `path:line:col: level: message [rule]` line each."""
    with _lock:
        _problems[:] = lines


def error_page(lines: list[str]) -> bytes:
    """A small self-contained page listing the problems; the server adds its reload script."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kb serve: {count}</title>
<style>body{{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;line-height:1.5}}
h1{{font-size:1.3rem;color:#a40000}}li{{margin:.4rem 0;overflow-wrap:anywhere}}code{{white-space:pre-wrap}}</style>
</head><body data-kb-serve-error>
<h1>The site could not be rebuilt: {count}</h1>
<p>Fix the files below and save; this page reloads by itself when the site builds again
(<code>kb validate</code> lists the same problems in the terminal).</p>
<ol>
{items}
</ol>
</body></html>
""".encode()


def _lines_of(exc: BaseException) -> list[str]:
    with _lock:
        recorded = list(_problems)
    if recorded:
        return recorded
    text = str(exc).strip() or type(exc).__name__
    return [line for line in text.splitlines() if line.strip()][:200]


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def install(server: Any) -> Any:
    """Wrap a mkdocs LiveReloadServer so that failed rebuilds show in the browser instead of hanging it."""
    state: dict[str, list[str] | None] = {"lines": None}
    build = server.builder

    def builder(*args: Any, **kwargs: Any) -> None:
        record([])
        try:
            build(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any failure becomes the error page; the server must go on
            state["lines"] = _lines_of(exc)
            log.error("kb serve: the site could not be rebuilt (%d problem(s)); the browser shows them:\n%s",
                      len(state["lines"]), "\n".join(state["lines"][:50]))
            return  # returning lets the server release waiting requests and tell browsers to reload
        state["lines"] = None

    serve_request = server._serve_request

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        lines = state["lines"]
        path = environ.get("PATH_INFO", "/")
        if lines is None or path.startswith("/livereload/") or not _is_page(path):
            return serve_request(environ, start_response)
        with server._epoch_cond:
            epoch = server._visible_epoch
        body = server._inject_js_into_html(error_page(lines), epoch)
        # 200, not 500: the server logs a 500 as a warning, and a warning during a rebuild in strict mode
        # would fail the very build that fixes the problem.
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("X-KB-Serve-Error", str(len(lines))),
                                                     ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
        return [body]

    server.builder = builder
    server._serve_request = serve
    return server
