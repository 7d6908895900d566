"""`kb intake` on real issue-form bodies ("### Label\n\nvalue", `_No response_` for empty fields), good and bad."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb.cli.main import main
from kb.content.intake import FIELDS, parse_body
from kb.content.load import load
from tests.conftest import FIXTURES, REPO

BODIES = FIXTURES / "intake"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_issue_form_and_intake_share_their_labels() -> None:
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "propose-entry.yml").read_text(encoding="utf-8"))
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert {label.lower() for label in labels} == set(FIELDS)
    assert {"Title", "Summary", "Countries", "Source title", "Source URL"} <= set(labels)  # the propose page's fields
    # The propose page prefills the form by these ids.
    ids = {item["id"] for item in form["body"] if item["type"] != "markdown"}
    script = (REPO / "kb" / "site" / "assets" / "kb-propose.js").read_text(encoding="utf-8")
    for field_id in ids:
        assert f'"{field_id}"' in script or field_id in ("target-groups", "start-year"), field_id


def test_good_practice_becomes_a_valid_entry(base_tree: Path) -> None:
    result = run("intake", str(BODIES / "good-practice.md"), "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    path = base_tree / "practices" / "savings-circles-run-by-returned-domestic-workers.yaml"
    assert result.output.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert "countries: [PH, ID]" in text and "themes: [entrepreneurship, financial-literacy]" in text
    assert "start_year: 2019" in text and "\nreviewed" not in text
    assert [p for p in load(base_tree).problems if p.path.endswith(path.name)] == []


def test_good_programme_lands_in_its_country_folder(base_tree: Path) -> None:
    result = run("intake", str(BODIES / "good-programme.md"), "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    path = base_tree / "programs" / "ph" / "ph-returnee-enterprise-loans.yaml"
    assert path.is_file() and "country: PH" in path.read_text(encoding="utf-8")
    assert load(base_tree).problems == []


def test_country_without_a_profile_is_refused(base_tree: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    body.write_text((BODIES / "good-programme.md").read_text(encoding="utf-8").replace("\nPhilippines\n", "\nViet Nam\n"), encoding="utf-8")
    result = run("intake", str(body), "--content", str(base_tree))
    assert result.exit_code == 1 and "error: Countries: country VN has no profile" in result.output
    assert not (base_tree / "programs" / "vn").exists()


def test_crlf_body_from_the_api_works(base_tree: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    body.write_bytes((BODIES / "good-practice.md").read_bytes().replace(b"\n", b"\r\n"))
    assert run("intake", str(body), "--content", str(base_tree)).exit_code == 0


def test_each_unusable_field_gets_its_own_error_and_nothing_is_written(base_tree: Path) -> None:
    before = sorted(p for p in base_tree.rglob("*") if p.is_file())
    result = run("intake", str(BODIES / "bad-fields.md"), "--content", str(base_tree))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    fields = [re.sub(r"^.*?: error: ", "", line).split(":")[0] for line in errors]
    assert fields == ["Kind", "Countries", "Themes", "Start year"], result.output
    assert "did you mean" in result.output or "allowed" in result.output
    assert sorted(p for p in base_tree.rglob("*") if p.is_file()) == before


def test_values_the_validator_refuses_name_their_field(base_tree: Path, tmp_path: Path) -> None:
    text = (BODIES / "good-practice.md").read_text(encoding="utf-8")
    text = text.replace("https://www.ilo.org/manila/savings-circles", "https://example.org/report")
    text = text.replace("### Status\n\nactive", "### Status\n\nfinished")
    text = text.replace("Savings circles run by returned domestic workers", "Savings \u202ecircles run by returnees")
    body = tmp_path / "body.md"
    body.write_text(text, encoding="utf-8")
    result = run("intake", str(body), "--content", str(base_tree))
    assert result.exit_code == 1
    messages = [re.sub(r"^.*?: error: ", "", line) for line in result.output.splitlines() if ": error: " in line]
    assert [m.split(":")[0] for m in messages] == ["Title", "Status", "Source URL"], result.output
    assert not list((base_tree / "practices").glob("savings*"))


def test_missing_required_fields_are_listed(base_tree: Path) -> None:
    result = run("intake", str(BODIES / "missing-fields.md"), "--content", str(base_tree))
    assert result.exit_code == 1
    for label in ("Title", "Summary", "Countries", "Source title", "Source URL"):
        assert f"error: {label}: missing" in result.output


@pytest.mark.parametrize("body", ["", "just some text\n", "### Kind\n\npractice\n"])
def test_not_an_issue_form_body(base_tree: Path, tmp_path: Path, body: str) -> None:
    path = tmp_path / "body.md"
    path.write_text(body, encoding="utf-8")
    result = run("intake", str(path), "--content", str(base_tree))
    assert result.exit_code == 1 and "missing" in result.output and "Traceback" not in result.output


def test_existing_id_and_reserved_id_are_refused(base_tree: Path, tmp_path: Path) -> None:
    text = (BODIES / "good-practice.md").read_text(encoding="utf-8")
    for file_name, words in (("test-savings-groups", "already used"), ("index", "page the site generates")):
        body = tmp_path / "body.md"
        body.write_text(text.replace("### File name\n\n_No response_", f"### File name\n\n{file_name}"), encoding="utf-8")
        result = run("intake", str(body), "--content", str(base_tree))
        assert result.exit_code == 1 and words in result.output, result.output


def test_parse_body_reads_labels_and_no_response() -> None:
    fields = parse_body("### Title\n\nA  title\n\n### Themes\n\n_No response_\n\n### Something else\n\nx\n")
    assert fields == {"title": "A  title", "themes": ""}


def test_intake_refuses_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(BODIES / "good-practice.md", tmp_path / "body.md")
    result = run("intake", "body.md")
    assert result.exit_code == 1 and "not a content folder" in result.output
    assert not (tmp_path / "content").exists()


def test_workflow_turns_a_labelled_issue_into_a_pull_request_without_interpolating_the_body() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "intake.yml").read_text(encoding="utf-8"))
    assert workflow[True]["issues"]["types"] == ["labeled"]  # PyYAML reads the key `on` as True
    steps = workflow["jobs"]["pull-request"]["steps"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert "kb intake" in scripts and "gh pr create" in scripts
    # Untrusted text reaches the shell only through the environment.
    assert "github.event.issue.body" not in scripts and "github.event.issue.title" not in scripts


def test_separators_and_noncharacters_are_written_as_escapes(base_tree: Path, tmp_path: Path) -> None:
    text = (BODIES / "good-practice.md").read_text(encoding="utf-8")
    body = tmp_path / "body.md"
    body.write_text(text.replace("start small shops.", "start small shops.\u2028Next\ufffe line."), encoding="utf-8")
    result = run("intake", str(body), "--content", str(base_tree))
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip()).read_text(encoding="utf-8")
    assert "\\ufffe" in written and "\ufffe" not in written  # U+2028 is whitespace: the summary stays one line


@pytest.mark.parametrize("hostile,label", [("\x1b[31m", "Title"), ("\u202e", "Title"), ("\x00", "Title")])
def test_control_and_bidi_characters_in_the_issue_are_refused(base_tree: Path, tmp_path: Path, hostile: str, label: str) -> None:
    text = (BODIES / "good-practice.md").read_text(encoding="utf-8")
    body = tmp_path / "body.md"
    body.write_text(text.replace("Savings circles run", f"Savings {hostile}circles run"), encoding="utf-8")
    result = run("intake", str(body), "--content", str(base_tree))
    assert result.exit_code == 1, result.output
    assert f"error: {label}:" in result.output
    assert not list((base_tree / "practices").glob("savings*"))


def test_huge_body_is_refused(base_tree: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    body.write_text("### Summary\n\n" + "x" * 100_000, encoding="utf-8")
    result = run("intake", str(body), "--content", str(base_tree))
    assert result.exit_code == 1 and "larger than" in result.output
