"""Editor schemas (content/schemas/): complete, current, and usable offline by a validator nobody here wrote."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner

from kb.cli.main import main
from kb.content.editor_schemas import editor_schemas, stale_files
from kb.content.load import load

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
# Any download fails: a proxy nobody listens on.
OFFLINE = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
                          capture_output=True, text=True, env=OFFLINE, timeout=120)


def test_every_shipped_entry_passes_check_jsonschema_offline() -> None:
    by_schema: dict[Path, list[Path]] = defaultdict(list)
    for path in sorted(CONTENT.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.match(first)
        assert match, f"{path} has no modeline"
        by_schema[(path.parent / match[1]).resolve()].append(path)
    assert len(by_schema) == 6
    for schema, files in by_schema.items():
        assert schema.parent == CONTENT / "schemas", schema
        result = _check_jsonschema(schema, files)
        assert result.returncode == 0, result.stdout + result.stderr


def test_schemas_offer_the_taxonomys_values_and_claim_no_domain() -> None:
    kb = load(CONTENT, validate=False).kb
    practice = json.loads((CONTENT / "schemas" / "practice.schema.json").read_text(encoding="utf-8"))
    defs = practice["$defs"]
    assert "gender" in defs["terms_themes"]["items"]["enum"] and "Gender" in defs["terms_themes"]["items"]["markdownEnumDescriptions"]
    assert practice["properties"]["phases"]["$ref"] == "#/$defs/terms_phases"
    assert "post-return" in defs["terms_phases"]["items"]["enum"]
    assert "PH" in defs["country_code"]["enum"] and "th" in defs["language"]["enum"]
    assert "iom-integrated-approach/psychosocial" in defs["framework_refs"]["items"]["enum"]
    assert "partnership" in defs["criteria"]["propertyNames"]["enum"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in (CONTENT / "schemas").glob("*.json"))
    text += "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "kb" / "content" / "schemas").glob("*.json"))
    assert "asean-reintegration-kb.org" not in text and '"$id"' not in text
    assert '"$ref": "common.schema.json' not in (CONTENT / "schemas" / "practice.schema.json").read_text(encoding="utf-8")
    assert stale_files(kb, CONTENT) == [], "run `kb schemas`"


def test_a_wrong_theme_fails_with_the_allowed_values(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: A bad theme\ncountries: [PH]\nsummary: A practice with a theme the taxonomy lacks.\n"
                   "themes: [savings]\nsources:\n  - {title: A source, url: 'https://www.ilo.org/x'}\n", encoding="utf-8")
    result = _check_jsonschema(CONTENT / "schemas" / "practice.schema.json", [bad])
    assert result.returncode == 1
    assert "'savings' is not one of" in result.stdout and "'financial-literacy'" in result.stdout


def test_kb_validate_warns_when_stale_and_kb_schemas_mends_it(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    taxonomy = root / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  - id: gender\n", "  - id: savings-groups\n    label: Savings groups\n  - id: gender\n", 1),
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--content", str(root)])
    assert "practice.schema.json:1:1: warning: editor schema is missing or stale" in result.output
    result = CliRunner().invoke(main, ["schemas", "--content", str(root)])
    assert result.exit_code == 0, result.output
    assert "savings-groups" in json.loads((root / "schemas" / "practice.schema.json").read_text())["$defs"]["terms_themes"]["items"]["enum"]
    assert "stale" not in CliRunner().invoke(main, ["validate", "--content", str(root)]).output


def test_published_schemas_carry_ids_under_the_site_url() -> None:
    kb = load(CONTENT, validate=False).kb
    schemas = editor_schemas(kb, base_id="https://example.github.io/kb/schemas/")
    assert schemas["program.schema.json"]["$id"] == "https://example.github.io/kb/schemas/program.schema.json"
