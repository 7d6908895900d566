"""The `kb` console entry point (`kb`, `python -m kb`): how the process starts and ends, then kb.cli.

`kb search` is run as a fresh process, often many times in a row, so its start and end are
part of its speed:
- Read-only queries (search, similar) run the cyclic garbage collector far less often. Its
  passes during the imports of click and Whoosh cost about 10 ms and find nothing to free.
  It still runs, for the rare query that first has to rebuild a large index.
- They also end without interpreter teardown: freeing the hundreds of modules Whoosh and click
  bring costs about 30 ms, a fifth of a whole `kb search`. The commands close every file they
  open and leave no temporary folders or exit-time work, so once the output is flushed the
  process ends at once, as mypy does (mypy.util.hard_exit).
Every other command starts and ends normally: mkdocs and tempfile rely on exit-time clean-up,
and an index rebuild or a site build should collect its garbage.
"""

from __future__ import annotations

import gc
import os
import sys

QUICK_EXIT_COMMANDS = frozenset({"search", "similar"})


def run() -> None:
    quick = len(sys.argv) > 1 and sys.argv[1] in QUICK_EXIT_COMMANDS
    if quick:
        gc.set_threshold(100_000, 10, 10)  # the default first threshold is 700 allocations
    from kb.cli.main import main  # after the decision above: click's import is part of what it speeds up

    if not quick:
        main(prog_name="kb")
        return
    try:
        main.main(prog_name="kb")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`): nothing more to deliver
            pass
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


if __name__ == "__main__":
    run()
