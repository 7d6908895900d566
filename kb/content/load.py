"""Load every YAML file under content/ into one KnowledgeBase, collecting every problem.

This is the only entry point to the content: the validator, the renderer, the exporter
and the index all start from ``load``. It never writes anything and never raises on bad
content; each problem becomes a ``Problem`` and the rest of the tree is still loaded.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.content import checks
from kb.content.layout import ENTRY_FOLDERS, SHARED_FILES
from kb.content.model import Entry, KnowledgeBase, Taxonomy
from kb.content.problems import Problem, sort_problems
from kb.content.yaml_strict import ParsedYaml, parse_file

DEFAULT_STALE_DAYS = 730


@dataclass
class LoadResult:
    kb: KnowledgeBase
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def display_path(path: Path) -> str:
    """Path as users should see it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def kind_of(root: Path, path: Path) -> str | None:
    """The kind of file a path holds, from where it stands under content/."""
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None
    if len(parts) == 1:
        return SHARED_FILES.get(parts[0])
    if len(parts) == 2 and parts[0] in ENTRY_FOLDERS:
        return ENTRY_FOLDERS[parts[0]]
    if len(parts) == 3 and parts[0] == "programs":
        return "program"
    return None


def content_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every YAML file under root, and a problem for each file that stands where no entry belongs."""
    files: list[Path] = []
    problems: list[Problem] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            if not name.isprintable():
                # Control characters, line breaks or bytes that are not UTF-8 in a name would break every report.
                shown = display_path(path).encode("unicode_escape", "backslashreplace").decode("ascii")
                problems.append(Problem(shown, 1, 1, "error", "the file name has invisible or non-UTF-8 characters; rename it", "path"))
            elif name.endswith(".yml"):
                problems.append(Problem(display_path(path), 1, 1, "error", "entries end in .yaml, not .yml; rename the file", "path"))
            elif not name.endswith(".yaml"):
                continue
            elif path.is_symlink():
                # A link could pull any file of the machine into the site.
                problems.append(Problem(display_path(path), 1, 1, "error", "symbolic links are not allowed under content/; copy the file instead", "path"))
            elif not _regular(path):
                # A FIFO or device would block or never end when read: reported, never opened.
                problems.append(Problem(display_path(path), 1, 1, "error", "not a regular file (a pipe, socket or device); replace it with a plain YAML file", "path"))
            elif kind_of(root, path) is None:
                problems.append(Problem(display_path(path), 1, 1, "error",
                                        "not a place for an entry; use frameworks/, countries/, practices/ or programs/<country code>/", "path"))
            else:
                files.append(path)
    return files, problems


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return True  # vanished or unreadable: parse_file reports it


def read_file(root: Path, path: Path, *, validate: bool = True) -> tuple[str | None, ParsedYaml, list[Problem]]:
    """Parse one content file: its kind, the parse (data is a mapping or None) and its own problems."""
    kind = kind_of(root, path)
    shown = display_path(path)
    parsed = parse_file(path, shown)
    problems = list(parsed.problems)
    if parsed.data is not None and not isinstance(parsed.data, dict):
        problems.append(Problem(shown, 1, 1, "error", f"the top level must be a mapping of fields, not a {type(parsed.data).__name__}", "not-mapping"))
        parsed.data = None
    elif parsed.data is not None and validate and kind is not None:
        from kb.content.schema import validate as schema_validate  # jsonschema is heavy: only validation pays

        problems.extend(schema_validate(parsed, kind, shown))
    return kind, parsed, problems


def entry_from(kind: str, path: Path, parsed: ParsedYaml) -> Entry:
    """The entry a parsed file holds; its id falls back to the file name when missing."""
    data_id = parsed.data.get("id")
    return Entry(kind, data_id if isinstance(data_id, str) else path.stem, parsed.data, display_path(path), path, parsed)


def load(root: Path | str = "content", *, validate: bool = True, today: dt.date | None = None,
         stale_days: int = DEFAULT_STALE_DAYS) -> LoadResult:
    """Load and check the whole content tree.

    Args:
        root: the content folder.
        validate: check each file against its JSON Schema (the index rebuild can skip it).
        today: the date that `stale` warnings are measured from.
        stale_days: age of `reviewed` after which an entry is reported as stale.
    """
    root = Path(root)
    kb = KnowledgeBase(root=root)
    if not root.is_dir():
        return LoadResult(kb, [Problem(display_path(root), 1, 1, "error", "content folder not found; run from the project folder or pass --content", "io")])
    files, problems = content_files(root)
    unreadable: set[str] = set()
    broken: set[str] = set()  # shared files that could not be read: their own error comes first, alone
    for path in files:
        kind, parsed, file_problems = read_file(root, path, validate=validate)
        problems.extend(file_problems)
        if kind in SHARED_FILES.values() and (parsed.data is None or any(p.is_error for p in file_problems)):
            broken.add(kind)
            if parsed.data is None:
                continue
        if parsed.data is None or kind is None:
            if kind in ENTRY_FOLDERS.values() or kind == "program":
                unreadable.add(path.stem)  # references to it are not reported again: its own error says it all
            continue
        if kind == "taxonomy":
            kb.taxonomy = Taxonomy({k: v for k, v in parsed.data.items() if isinstance(v, list)})
        elif kind == "glossary":
            concepts = parsed.data.get("concepts")
            kb.concepts = [c for c in concepts if isinstance(c, dict)] if isinstance(concepts, list) else []
            kb.glossary, kb.glossary_path = parsed, display_path(path)
        else:
            entry = entry_from(kind, path, parsed)
            problems.extend(checks.check_identity(kb, entry))
            if entry.id not in kb.entries:
                kb.entries[entry.id] = entry
    problems.extend(checks.check_knowledge_base(kb, today or dt.date.today(), stale_days, broken=broken,
                                                 unreadable=unreadable - set(kb.entries)))
    shared = {display_path(root / name) for name in SHARED_FILES}
    # A broken taxonomy.yaml or glossary.yaml is the first thing to fix: list its problems first.
    return LoadResult(kb, sorted(sort_problems(problems), key=lambda p: p.path not in shared))


def select(problems: Iterable[Problem], paths: Iterable[str | Path]) -> list[Problem]:
    """Only the problems in the given files (or under the given folders)."""
    wanted = [Path(p).resolve() for p in paths]

    def inside(problem: Problem) -> bool:
        file = Path(problem.path).resolve()
        return any(file == w or w in file.parents for w in wanted)

    return [p for p in problems if inside(p)]
