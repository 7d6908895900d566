"""Synthetic content trees for benchmarks: `generate(root, n)` writes n valid programmes and practices.

Run as a script to write one: python benchmarks/corpus.py OUT_DIR N
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COUNTRIES = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]
THEMES = ["skills-training", "skills-recognition", "job-placement", "entrepreneurship", "access-to-finance",
          "financial-literacy", "remittances", "cooperatives", "community-engagement", "family-support",
          "psychosocial-support", "health", "legal-aid", "repatriation", "welfare-fund", "anti-trafficking",
          "data-and-registration", "policy-and-law", "coordination", "information-services", "gender", "local-government"]
PHASES = ["pre-departure", "in-employment", "pre-return", "return", "post-return"]
GROUPS = ["women", "domestic-workers", "trafficking-survivors", "undocumented", "distressed-returnees", "families",
          "youth", "skilled-workers", "seafarers"]
WORDS = ("returnee migrant worker village cooperative savings loan training business capital remittance family "
         "counselling skills certificate placement employer district province ministry agency fund welfare health "
         "women domestic seafarer youth community enterprise livelihood recognition registration database hotline "
         "centre service support reintegration return repatriation programme scheme project pilot evaluation").split()
PRINCIPLES = ["full-migration-cycle", "migrant-rights", "diversity-of-returnees", "gender-responsiveness",
              "shared-responsibility", "evidence-base"]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _entry(rng: random.Random, kind: str, index: int, earlier: list[str]) -> tuple[str, str, str]:
    country = rng.choice(COUNTRIES)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize() + f" {index}"
    entry_id = f"{country.lower()}-bench-{kind}-{index}"
    lines = [f"id: {entry_id}", f"title: {_q(title)}"]
    lines.append(f"country: {country}" if kind == "program" else f"countries: [{country}" + (f", {rng.choice(COUNTRIES)}]" if rng.random() < 0.2 and country != "PH" else "]"))
    if kind == "practice" and "," in lines[-1]:
        codes = lines[-1][len("countries: ["):-1].split(", ")
        lines[-1] = "countries: [" + ", ".join(dict.fromkeys(codes)) + "]"
    lines.append(f"summary: {_q(' '.join(_sentence(rng, rng.randint(8, 16)) for _ in range(3)))}")
    lines.append("description: |")
    for _ in range(rng.randint(2, 4)):
        lines += ["  " + " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(4)), ""]
    lines.append(f"themes: [{', '.join(rng.sample(THEMES, rng.randint(1, 4)))}]")
    lines.append(f"phases: [{', '.join(rng.sample(PHASES, rng.randint(1, 2)))}]")
    lines.append(f"target_groups: [{', '.join(rng.sample(GROUPS, rng.randint(0, 2)))}]")
    lines.append(f"frameworks: [ilo-2019-return-reintegration-principles/{rng.choice(PRINCIPLES)}]")
    if earlier:
        lines.append(f"related: [{', '.join(sorted(set(rng.sample(earlier, min(2, len(earlier))))))}]")
    lines.append(f"start_year: {rng.randint(2000, 2024)}")
    lines.append("status: active")
    # A draft title and summary in every language of the site, as shipped entries have.
    lines.append("translations:")
    for code in ("id", "ms", "fil", "vi", "th"):
        lines += [f"  {code}:", f"    title: {_q(title + ' (' + code + ')')}",
                  f"    summary: {_q(_sentence(rng, rng.randint(8, 16)) + ' (' + code + ')')}"]
    lines += ["sources:", f"  - title: {_q('Source for ' + title)}", f"    url: https://www.ilo.org/bench/{entry_id}"]
    lines.append('reviewed: "2026-11-01"')
    folder = f"programs/{country.lower()}" if kind == "program" else "practices"
    return entry_id, folder, "\n".join(lines) + "\n"


def generate(root: Path, n: int, seed: int = 0) -> Path:
    """Write a valid content tree of n programmes and practices (plus frameworks and countries) under root."""
    rng = random.Random(seed)
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("frameworks", "countries", "practices", "programs"):
        (root / folder).mkdir(parents=True)
    shutil.copy(REPO / "content" / "taxonomy.yaml", root / "taxonomy.yaml")
    principles = "\n".join(f"  - id: {p}\n    title: {_q(p.replace('-', ' ').capitalize())}" for p in PRINCIPLES)
    (root / "frameworks" / "ilo-2019-return-reintegration-principles.yaml").write_text(
        "id: ilo-2019-return-reintegration-principles\ntitle: Benchmark principles\n"
        "summary: A framework written by the benchmark generator with six principles.\n"
        f"principles:\n{principles}\nsources:\n  - title: Benchmark\n    url: https://www.ilo.org/bench/framework\n", "utf-8")
    for code in COUNTRIES:
        (root / "countries" / f"{code.lower()}.yaml").write_text(
            f"id: {code.lower()}\ncode: {code}\nname: Country {code}\nrole: both\n"
            f"summary: A country profile written by the benchmark generator for {code}.\n"
            "sources:\n  - title: Benchmark\n    url: https://www.ilo.org/bench/country\n", "utf-8")
    earlier: list[str] = []
    for index in range(n):
        kind = "program" if index % 2 == 0 else "practice"
        entry_id, folder, text = _entry(rng, kind, index, earlier[-50:])
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f"{entry_id}.yaml").write_text(text, "utf-8")
        earlier.append(entry_id)
    concepts = ["concepts:"]
    for word in sorted(set(WORDS))[:40]:
        concepts += [f"  - id: {word}", f"    definition: {_q('Benchmark concept for the word ' + word + '.')}",
                     f"    labels:\n      en: {word}\n      id: {word}-id"]
    (root / "glossary.yaml").write_text("\n".join(concepts) + "\n", "utf-8")
    return root


if __name__ == "__main__":
    out = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(out)
