"""The "Propose an entry" page in a real browser: from file://, at phone size, its YAML accepted by `kb validate` as is."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from tests.site.conftest import PHONE, build_site, open_page

pytestmark = pytest.mark.browser
SITE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "content"
REPO_URL = "https://github.com/asean-kb/knowledge-base"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITE_CONTENT, tmp_path_factory.mktemp("propose") / "site", KB_OFFLINE_ZIP="false",
                      KB_CONTACT="kb-editors@ilo.org")


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITE_CONTENT, tmp_path_factory.mktemp("propose-repo") / "site", KB_OFFLINE_ZIP="false", KB_REPO_URL=REPO_URL)


def _open(browser: Any, site: Path) -> tuple[Any, list[str]]:
    page, errors = open_page(browser, PHONE)
    page.goto((site / "contribute" / "propose.html").as_uri())
    page.wait_for_selector("[data-kb-yaml]")
    return page, errors


def _fill(page: Any, title: str = "Savings circles run by returned domestic workers") -> None:
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary", exact=True).fill("Returned domestic workers meet monthly to save together and lend to members who start small shops.")
    page.get_by_label("Countries", exact=True).select_option(["PH", "ID"])
    page.locator("input[name=themes][value=entrepreneurship]").check()
    page.get_by_label("Source title", exact=True).fill("Savings circles for returnees: field notes")
    page.get_by_label("Source URL", exact=True).fill("https://www.ilo.org/manila/savings-circles")


def test_form_at_phone_size_from_file_writes_yaml_that_validates(browser: Any, site: Path, tmp_path: Path) -> None:
    page, errors = _open(browser, site)
    _fill(page)
    assert page.locator("[data-kb-propose-status]").inner_text().startswith("Ready")
    yaml_text = page.locator("[data-kb-yaml]").inner_text()
    assert "id: savings-circles-run-by-returned-domestic-workers" in yaml_text
    path_note = page.locator("[data-kb-propose-path]").inner_text()
    assert "content/practices/savings-circles-run-by-returned-domestic-workers.yaml" in path_note
    # At phone size nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    # The file as is: kb validate accepts it in the fixture content.
    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    target = content / "practices" / "savings-circles-run-by-returned-domestic-workers.yaml"
    target.write_text(yaml_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(target), "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output
    # Download names the file after the id.
    with page.expect_download() as download:
        page.locator("[data-kb-download]").click()
    assert download.value.suggested_filename == "savings-circles-run-by-returned-domestic-workers.yaml"
    # Without repo_url, Submit shows the contact address from the config.
    page.locator("[data-kb-submit]").click()
    assert page.locator("[data-kb-contact]").inner_text() == "kb-editors@ilo.org"
    assert errors == []


def test_programme_with_hostile_text_still_validates(browser: Any, site: Path, tmp_path: Path) -> None:
    page, errors = _open(browser, site)
    page.locator("input[name=kind][value=program]").check()
    _fill(page, title='Loans "for" returnees: a #1 \\ scheme [pilot] {2024}')
    page.get_by_label("Countries", exact=True).select_option(["PH"])
    page.get_by_label("Summary", exact=True).fill("key: value # not a comment\n- not a list\n'quoted' & <b>bold</b> text,\u2028over twenty.\ufffe")
    yaml_text = page.locator("[data-kb-yaml]").inner_text()
    entry_id = next(line[4:] for line in yaml_text.splitlines() if line.startswith("id: "))
    assert entry_id.startswith("ph-")
    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    target = content / "programs" / "ph" / f"{entry_id}.yaml"
    target.write_text(yaml_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(target), "--content", str(content)])
    assert result.exit_code == 0, result.output + yaml_text
    assert errors == []


def test_checks_as_you_type_and_warns_of_duplicates(browser: Any, site: Path) -> None:
    page, errors = _open(browser, site)
    for name in ("Download", "Copy"):  # each button says what it does (a dict method's name once stood in for "Copy")
        assert page.get_by_role("button", name=name, exact=True).count() == 1
    _fill(page)
    url = page.get_by_label("Source URL", exact=True)
    url.fill("https://example.org/report")
    url.blur()
    assert "placeholder or local address" in page.locator("[data-field=source_url] .kb-propose__msg").inner_text()
    assert page.locator("[data-kb-download]").is_disabled()
    url.fill("https://www.ilo.org/a\"b")
    assert "cannot hold" in page.locator("[data-field=source_url] .kb-propose__msg").inner_text()
    url.fill("https://www.ilo.org/ok")
    assert not page.locator("[data-kb-download]").is_disabled()
    title = page.get_by_label("Title", exact=True)
    title.fill("Hostile practice")
    duplicates = page.locator("[data-kb-duplicates]")
    assert duplicates.is_visible() and duplicates.locator("a").count() >= 1
    title.fill("Savings \u202egroups")
    title.blur()
    assert "invisible" in page.locator("[data-field=title] .kb-propose__msg").inner_text()
    page.get_by_label("File name", exact=True).fill("index")
    assert "page of the site" in page.locator("[data-field=id] .kb-propose__msg").inner_text()
    assert errors == []


def test_submit_opens_the_prefilled_issue_form_when_repo_url_is_set(browser: Any, repo_site: Path) -> None:
    page, errors = _open(browser, repo_site)
    page.context.route("https://github.com/**", lambda route: route.fulfill(status=200, body="issue form"))  # no network
    _fill(page)
    with page.expect_popup() as popup:
        page.locator("[data-kb-submit]").click()
    opened = popup.value.url
    assert opened.startswith(REPO_URL + "/issues/new?template=propose-entry.yml")
    fields = {k: v[0] for k, v in parse_qs(urlsplit(opened).query).items()}
    assert fields["source-url"] == "https://www.ilo.org/manila/savings-circles"
    assert set(fields["countries"].split(", ")) == {"PH", "ID"} and fields["kind"] == "practice"
    assert fields["entry-title"] == "Savings circles run by returned domestic workers"
    # The entry pages link to the repository and to their YAML file for editing.
    entry = page
    entry.goto((repo_site / "practices" / "ph-hostile-practice.html").as_uri())
    assert entry.locator(f"a[href='{REPO_URL}']").count() >= 1
    assert entry.locator(f"a[href$='/edit/main/tests/fixtures/site/content/practices/ph-hostile-practice.yaml']").count() == 1
    assert [e for e in errors if "ERR_FAILED" not in e and "net::" not in e] == []
