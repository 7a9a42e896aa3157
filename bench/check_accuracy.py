"""Precision and recall of `lutnick check` on real records with planted faults, kind by kind.

The records of the real-world corpus (tests/realworld: BibTeX, RIS and
CSL-JSON as the programs people use wrote them) are read, written out as
CSL-JSON, and checked once as they are: what is found then is the corpus's
own and counts neither way. Then a fault of one kind is planted in every
other record, cycling through the kinds below, and the bibliography is
checked again. A planted fault is found when a new finding of its rule names
its record (for a fault between two records, either of them); every other
new finding is a false alarm, counted against the kind planted in its record
("none" for a record left alone).

    python bench/check_accuracy.py
    python bench/check_accuracy.py --show     # each miss and false alarm
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

TODAY = "2026-12-07"
EVERY = 2
CORPUS = REPO / "tests" / "realworld"

Item = dict
Plant = Callable[[Item, list[Item]], "str | None"]  # returns the id of a second record the finding may name


def corpus_items() -> list[Item]:
    """Every record the corpus's files hold, as CSL-JSON items with keys r1, r2, …"""
    from lutnick_cli.citation.csl import record_to_csl
    from lutnick_cli.load import SourcedRecord, iter_loaded

    files = sorted(path for folder in ("bibtex", "ris", "csl-json") for path in (CORPUS / folder).rglob("*")
                   if path.suffix in (".bib", ".ris", ".json"))
    items = []
    for loaded in iter_loaded([str(path) for path in files], None, None):
        if isinstance(loaded, SourcedRecord):
            item = record_to_csl(loaded.record)
            item["id"] = f"r{len(items) + 1}"
            items.append(item)
    return items


def _needs(*fields: str) -> Callable[[Plant], Plant]:
    """A plant only for items that have these fields (the others are passed to the next kind)."""
    def wrap(plant: Plant) -> Plant:
        def planted(item: Item, items: list[Item]) -> str | None:
            if not all(item.get(field) for field in fields):
                raise LookupError
            return plant(item, items)
        return planted
    return wrap


def _twin(item: Item, items: list[Item], suffix: str) -> Item:
    twin = copy.deepcopy(item)
    twin["id"] = item["id"] + suffix
    items.append(twin)
    return twin


def _doi_syntax(item: Item, items: list[Item]) -> None:
    item["DOI"] = f"10.{item['id'][1:]}"  # no suffix; one of its own, or the faults would be duplicates of each other


def _isbn(item: Item, items: list[Item]) -> None:
    item["ISBN"] = "0-306-40615-3"  # 0-306-40615-2 is right


@_needs("container-title")
def _issn(item: Item, items: list[Item]) -> None:
    item["ISSN"] = "0028-0837"  # 0028-0836 is right


def _pmid(item: Item, items: list[Item]) -> None:
    item["PMID"] = "PM12345"


def _pmcid(item: Item, items: list[Item]) -> None:
    item["PMCID"] = "12345x"


@_needs("DOI")
def _doi_in_url(item: Item, items: list[Item]) -> None:
    item["URL"] = "https://doi.org/" + item.pop("DOI")


def _future(item: Item, items: list[Item]) -> None:
    if item.get("DOI"):
        raise LookupError  # a DOI that embeds a year would rightly be found contradicting it too (L203)
    item["issued"] = {"date-parts": [[2031]]}


def _month(item: Item, items: list[Item]) -> None:
    item["issued"] = {"date-parts": [[2019, 13]]}


def _backwards(item: Item, items: list[Item]) -> None:
    item["page"] = "154-140"


def _no_journal(item: Item, items: list[Item]) -> None:
    item["type"] = "article-journal"
    _drop_journal(item)


def _drop_journal(item: Item) -> None:
    """The journal gone, its ISSN with it (an ISSN without a journal is a record lutnick refuses, L001)."""
    for field in ("container-title", "container-title-short", "ISSN"):
        item.pop(field, None)


def _drop_doi(item: Item) -> None:
    """The DOI gone, and a URL that holds it (which would rightly be found as L110)."""
    item.pop("DOI", None)
    if "doi" in str(item.get("URL", "")).lower():
        item.pop("URL")


def _no_publisher(item: Item, items: list[Item]) -> None:
    item["type"] = "book"
    item.pop("publisher", None)


def _no_institution(item: Item, items: list[Item]) -> None:
    item["type"] = "thesis"
    item.pop("publisher", None)


@_needs("DOI", "title")
def _same_doi(item: Item, items: list[Item]) -> str:
    twin = _twin(item, items, "-again")
    twin["title"] = "A different work under the same DOI"
    return twin["id"]


@_needs("title", "author", "issued")
def _near_duplicate(item: Item, items: list[Item]) -> str:
    twin = _twin(item, items, "-twin")
    _drop_doi(twin)
    return twin["id"]


@_needs("title", "author", "container-title")
def _preprint(item: Item, items: list[Item]) -> str:
    if item.get("type") != "article-journal":
        raise LookupError  # a preprint beside its published version: an article in a journal
    twin = _twin(item, items, "-preprint")
    twin.update({"type": "article", "genre": "Preprint", "publisher": "arXiv"})
    _drop_doi(twin)
    _drop_journal(twin)
    for field in ("volume", "issue", "page"):
        twin.pop(field, None)
    return twin["id"]


@_needs("container-title")
def _journal_spelling(item: Item, items: list[Item]) -> str:
    if item.get("type") != "article-journal":
        raise LookupError  # one journal: a periodical's
    twin = _twin(item, items, "-journal")
    twin["title"] = "Another article in the same journal"
    _drop_doi(twin)
    journal = twin["container-title"]
    words = journal.split(" ")
    longest = max(range(len(words)), key=lambda index: len(words[index]))
    if len(words[longest]) < 5:
        raise LookupError
    words[longest] = _swapped(words[longest])
    twin["container-title"] = " ".join(words)
    return twin["id"]


@_needs("author")
def _author_spelling(item: Item, items: list[Item]) -> str:
    people = item["author"]
    if len(people) < 2 or not people[0].get("family") or len(people[0]["family"]) < 5:
        raise LookupError
    twin = _twin(item, items, "-author")
    twin["title"] = "Another paper by the same authors"
    _drop_doi(twin)
    twin["author"][0]["family"] = _swapped(twin["author"][0]["family"])
    return twin["id"]


def _swapped(word: str) -> str:
    """A typo: the first two different letters after the second swapped ("Comunications", never "Communications")."""
    at = next(index for index in range(2, len(word) - 1) if word[index] != word[index + 1])
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


@_needs("author")
def _honorific(item: Item, items: list[Item]) -> None:
    first = item["author"][0]
    if not first.get("given"):
        raise LookupError
    first["given"] = "Dr " + first["given"]


@_needs("title")
def _capitals(item: Item, items: list[Item]) -> None:
    if sum(char.isalpha() for char in item["title"]) < 12:
        raise LookupError
    item["title"] = item["title"].upper()


# kind → (what it plants, the rule that must find it)
FAULTS: dict[str, tuple[Plant, str]] = {
    "DOI syntax": (_doi_syntax, "L101"),
    "ISBN check digit": (_isbn, "L102"),
    "ISSN check digit": (_issn, "L103"),
    "PMID syntax": (_pmid, "L106"),
    "PMCID syntax": (_pmcid, "L107"),
    "DOI in URL": (_doi_in_url, "L110"),
    "future year": (_future, "L201"),
    "impossible month": (_month, "L202"),
    "pages backwards": (_backwards, "L301"),
    "article without journal": (_no_journal, "L401"),
    "book without publisher": (_no_publisher, "L402"),
    "thesis without institution": (_no_institution, "L403"),
    "same DOI twice": (_same_doi, "L501"),
    "near-duplicate": (_near_duplicate, "L502"),
    "preprint beside published": (_preprint, "L503"),
    "journal spelled two ways": (_journal_spelling, "L601"),
    "author spelled two ways": (_author_spelling, "L602"),
    "honorific in given name": (_honorific, "L701"),
    "title in capitals": (_capitals, "L702"),
}


def plant(items: list[Item], before: set[tuple[str, str]]) -> dict[str, tuple[str, set[str]]]:
    """Plants the faults in place; for each kind's record id: (kind, the ids its finding may name).

    A record is given no fault of a rule the corpus's own check already finds in it (it would not count)."""
    planted = {}
    kinds = list(FAULTS)
    turn = 0
    for index in range(0, len(items), EVERY):
        item = items[index]
        for _ in kinds:
            kind = kinds[turn % len(kinds)]
            turn += 1
            if (item["id"], FAULTS[kind][1]) in before:
                continue
            trial = copy.deepcopy(item)
            added: list[Item] = []
            try:
                other = FAULTS[kind][0](trial, added)
            except LookupError:
                continue  # the record cannot show this kind: the next kind
            item.clear()
            item.update(trial)
            items.extend(added)
            planted[item["id"]] = (kind, {item["id"], *([other] if other else [])})
            break
    return planted


def check(items: list[Item]) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bibliography.json"
        source.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "lutnick_cli", "check", "--format", "json", "--fail-on", "never", "--today", TODAY,
             str(source)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"lutnick check failed ({done.returncode}): {done.stderr}")
    return json.loads(done.stdout)["findings"]


def measure(items: list[Item]) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Per kind: planted, found, false alarms; and a line for each miss and false alarm."""
    before = {(finding["record"], finding["rule"]) for finding in check(items)}
    planted_items = copy.deepcopy(items)
    planted = plant(planted_items, before)
    # A twin's findings that its original had before are the corpus's own too.
    after = [finding for finding in check(planted_items)
             if ((finding["record"] or "").split("-")[0], finding["rule"]) not in before]
    owner = {}  # every id a planted fault may be named on → the record it was planted in
    for key, (_, names) in planted.items():
        for name in names:
            owner[name] = key
    table: dict[str, dict[str, int]] = collections.defaultdict(lambda: {"planted": 0, "found": 0, "false": 0})
    notes = []
    hits = set()
    for finding in after:
        # A fault between two records may be named on a third that shares the spelling: the message names the twin.
        named = [owner[name] for name in re.findall(r"\[([^\]]+)\]", finding["message"]) if name in owner]
        key = owner.get(finding["record"]) or (named[0] if named else None)
        if key is not None and FAULTS[planted[key][0]][1] == finding["rule"]:
            hits.add(key)
            continue
        kind = planted[key][0] if key is not None else "none"
        table[kind]["false"] += 1
        notes.append(f"false alarm ({kind}): {finding['rule']} [{finding['record']}] {finding['field']}: {finding['message']}")
    for key, (kind, _) in planted.items():
        table[kind]["planted"] += 1
        if key in hits:
            table[kind]["found"] += 1
        else:
            notes.append(f"missed ({kind}): [{key}]")
    return table, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each miss and false alarm")
    arguments = parser.parse_args()
    items = corpus_items()
    table, notes = measure(items)
    if arguments.show:
        print("\n".join(notes))
    planted = sum(row["planted"] for row in table.values())
    print(f"{len(items)} real records, {planted} planted faults of {len(FAULTS)} kinds")
    print(f"{'kind':<28} {'planted':>7} {'found':>6} {'false':>6} {'recall':>7} {'precision':>9}")
    found = false = 0
    for kind in [*FAULTS, "none"]:
        row = table.get(kind, {"planted": 0, "found": 0, "false": 0})
        recall = f"{100 * row['found'] / row['planted']:.1f}%" if row["planted"] else "-"
        precision = f"{100 * row['found'] / (row['found'] + row['false']):.1f}%" if row["found"] + row["false"] else "-"
        print(f"{kind:<28} {row['planted']:>7} {row['found']:>6} {row['false']:>6} {recall:>7} {precision:>9}")
        found += row["found"]
        false += row["false"]
    print(f"overall: recall {100 * found / planted:.1f}%, precision {100 * found / max(1, found + false):.1f}%")


if __name__ == "__main__":
    main()
