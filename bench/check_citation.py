"""How well `lutnick check --citation` finds a planted fault in a pasted citation, and leaves a right one alone.

Real records (tests/records and journal articles of the real-world corpus)
are cited in the nine styles the project tests. Each citation is pasted
right (as rendered, and with the typographic changes pasting brings:
straight quotes, hyphens for dashes, "pp." dropped, `doi:` for
`https://doi.org/` and back, a line break), or with one fault of one kind,
made by citing a changed record (a wrong year, a dropped author, the
honorific taken as an initial...) and comparing it with the record itself.
All the citations go through one `lutnick check --citation - --format json`
run, each line matched to its record among all of them, and the report is
scored: a fault is found when a finding of its rule names its field; a
right citation must have no finding.

    python bench/check_citation.py              # the first 40 records (about 3,000 citations)
    python bench/check_citation.py --records 0    # every record of the corpus
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from lutnick_cli.check.citation import STYLES  # noqa: E402
from lutnick_cli.citation.render import Renderer  # noqa: E402
from lutnick_cli.record import PageRange, Person, Record, RecordType  # noqa: E402

SOURCES = [
    REPO / "tests" / "records",
    REPO / "tests" / "realworld" / "ris" / "scopus.ris",
    REPO / "tests" / "realworld" / "bibtex" / "dblp-ley.bib",
    REPO / "tests" / "realworld" / "bibtex" / "mendeley-tags.bib",
    REPO / "tests" / "realworld" / "bibtex" / "wos-via-jabref.bib",
    REPO / "tests" / "realworld" / "csl-json" / "better-csl-json-library.json",
]


@dataclasses.dataclass(frozen=True)
class Case:
    """One pasted citation: its text, the record it comes from, and the fault planted (None: none)."""

    text: str
    record: Record
    style: str
    kind: str
    fault: str | None
    rule: str | None = None
    field: str | None = None


def records(limit: int | None = None) -> list[Record]:
    """Journal articles with named authors, a title, a year and pages or a DOI: what pasted citations are made of."""
    from lutnick_cli.load import SourcedRecord, iter_loaded

    chosen = []
    seen_titles = set()
    for source in SOURCES:
        for loaded in iter_loaded([str(source)], None, None):
            if not isinstance(loaded, SourcedRecord):
                continue
            record = loaded.record
            if record.type is not RecordType.ARTICLE_JOURNAL or not record.title or not record.authors:
                continue
            if not all(person.family and person.given for person in record.authors) or record.issued is None:
                continue
            if record.title.casefold() in seen_titles or not (record.pages or record.doi):
                continue
            seen_titles.add(record.title.casefold())
            record = dataclasses.replace(record, id=f"r{len(chosen) + 1}")
            if len(chosen) % 3 == 0 and not record.authors[0].honorific:
                # Every third first author a doctor, for the honorific printed as an initial.
                first = dataclasses.replace(record.authors[0], honorific="Dr" if len(chosen) % 2 else "Prof")
                record = dataclasses.replace(record, authors=(first, *record.authors[1:]))
            chosen.append(record)
    return chosen[:limit] if limit else chosen


def _typographic(text: str) -> Iterator[str]:
    """The changes pasting brings that are no fault."""
    yield text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    yield text.replace("–", "-")
    yield re.sub(r"\bpp?\. ", "", text)
    yield re.sub(r"https://doi\.org/", "doi:", text) if "https://doi.org/" in text else text.replace("doi:", "https://doi.org/")
    words = text.split(" ")
    yield " ".join(words[: len(words) // 2]) + "\n" + " ".join(words[len(words) // 2:])


def _year(record: Record) -> Record | None:
    from lutnick_cli.record import DateValue, PartialDate

    if not isinstance(record.issued, DateValue):
        return None
    start = record.issued.start
    return dataclasses.replace(record, issued=DateValue(PartialDate(start.year - 1, start.month, start.day)))


def _pages(record: Record) -> Record | None:
    if record.pages is None or not record.pages.first.isdigit() or not (record.pages.last or "").isdigit():
        return None
    return dataclasses.replace(record, pages=PageRange(record.pages.first, str(int(record.pages.last) + 3)))


def _number(field: str) -> Callable[[Record], Record | None]:
    def change(record: Record) -> Record | None:
        value = getattr(record, field)
        if not value or not value.isdigit():
            return None
        return dataclasses.replace(record, **{field: str(int(value) + 1)})
    return change


def _doi_missing(record: Record) -> Record | None:
    return dataclasses.replace(record, doi=None) if record.doi else None


def _doi_wrong(record: Record) -> Record | None:
    if not record.doi:
        return None
    last = record.doi[-1]
    return dataclasses.replace(record, doi=record.doi[:-1] + ("7" if last != "7" else "3"))


def _title_word(record: Record) -> Record | None:
    words = record.title.split(" ") if record.title else []
    long_words = [index for index, word in enumerate(words) if len(word) > 4 and word.isalpha()]
    if not long_words:
        return None
    index = long_words[len(long_words) // 2]
    words[index] = words[index][:-2] + words[index][-1] + words[index][-2]  # two letters swapped
    return dataclasses.replace(record, title=" ".join(words))


def _journal_word(record: Record) -> Record | None:
    if record.container is None or not record.container.title or len(record.container.title) < 6:
        return None
    title = record.container.title
    return dataclasses.replace(record, container=dataclasses.replace(record.container, title=title + " Letters"))


def _given(change: Callable[[Person], Person | None]) -> Callable[[Record], Record | None]:
    def changed(record: Record) -> Record | None:
        person = change(record.authors[0])
        return None if person is None else dataclasses.replace(record, authors=(person, *record.authors[1:]))
    return changed


def _wrong_initial(person: Person) -> Person | None:
    given = person.given or ""
    letter = "K" if given[:1].upper() != "K" else "M"
    return dataclasses.replace(person, given=letter + given[1:])


def _extra_initial(person: Person) -> Person | None:
    return dataclasses.replace(person, given=f"{person.given} Q.")


def _honorific_initial(person: Person) -> Person | None:
    if not person.honorific:
        return None
    return dataclasses.replace(person, given=f"{person.honorific} {person.given}", honorific=None)


def _family_misspelt(person: Person) -> Person | None:
    family = person.family or ""
    if len(family) < 5:
        return None
    return dataclasses.replace(person, family=family[:2] + family[3] + family[2] + family[4:])


def _author_missing(record: Record) -> Record | None:
    return dataclasses.replace(record, authors=record.authors[:-1]) if len(record.authors) >= 2 else None


def _author_order(record: Record) -> Record | None:
    if len(record.authors) < 2 or record.authors[0].family == record.authors[1].family:
        return None
    return dataclasses.replace(record, authors=(record.authors[1], record.authors[0], *record.authors[2:]))


# The kinds of fault: how the record is changed, the rule that must find it, and the field it must name.
FAULTS: dict[str, tuple[Callable[[Record], Record | None], str, str]] = {
    "year": (_year, "L807", "issued"),
    "pages": (_pages, "L808", "pages"),
    "volume": (_number("volume"), "L809", "volume"),
    "issue": (_number("issue"), "L810", "issue"),
    "doi-missing": (_doi_missing, "L806", "doi"),
    "doi-wrong": (_doi_wrong, "L806", "doi"),
    "title-word": (_title_word, "L811", "title"),
    "journal-word": (_journal_word, "L812", "container.title"),
    "wrong-initial": (_given(_wrong_initial), "L801", "authors.0.given"),
    "extra-initial": (_given(_extra_initial), "L801", "authors.0.given"),
    "honorific-initial": (_given(_honorific_initial), "L802", "authors.0.given"),
    "family-misspelt": (_given(_family_misspelt), "L814", "authors.0.family"),
    "author-missing": (_author_missing, "L803", "authors"),
    "author-order": (_author_order, "L804", "authors"),
    "et-al": (None, "L805", "authors"),  # type: ignore[dict-item]  # made from the text, see _et_al
}


def _et_al(renderer: Renderer, record: Record, in_text: bool) -> str | None:
    """The citation with every name after the first given as "et al.", where the style prints them all."""
    if len(record.authors) < 3:
        return None
    one = _cite(renderer, dataclasses.replace(record, authors=record.authors[:1]), in_text)
    two = _cite(renderer, dataclasses.replace(record, authors=record.authors[:2]), in_text)
    full = _cite(renderer, record, in_text)
    if "et al" in full:
        return None  # the style itself shortens the list
    cut = len(os.path.commonprefix([one, two]))
    if not cut:
        return None
    rest = one[cut:]
    return one[:cut] + (" et al" if rest.startswith(".") else " et al.") + rest


def _cite(renderer: Renderer, record: Record, in_text: bool) -> str:
    return renderer.in_text([record]) if in_text else renderer.entries([record])[0]


def cases(chosen: list[Record]) -> Iterator[Case]:
    kinds = list(FAULTS)
    turn = 0
    for style in STYLES:
        renderer = Renderer(style)
        for record in chosen:
            for in_text in (False, True):
                kind = "in-text" if in_text else "entry"
                right = _cite(renderer, record, in_text)
                if in_text and not re.search(r"[^\W\d_]{2}", right):
                    continue  # a number is all a numeric style's in-text citation says
                yield Case(right, record, style, kind, None)
                for variant in _typographic(right):
                    if variant != right:
                        yield Case(variant, record, style, kind, None)
                # Two faults a citation, taking the kinds in turn, the ones a record cannot show passed by.
                for _ in range(2):
                    for _ in range(len(kinds)):
                        fault = kinds[turn % len(kinds)]
                        turn += 1
                        change, rule, field = FAULTS[fault]
                        if fault == "et-al":
                            text = _et_al(renderer, record, in_text)
                        else:
                            changed = change(record)
                            text = _cite(renderer, changed, in_text) if changed is not None else None
                        if text and text != right:
                            yield Case(text, record, style, kind, fault, rule, field)
                            break


def write_library(folder: Path, chosen: list[Record]) -> Path:
    """The records as canonical YAML files in a folder (the one form that keeps an honorific apart from the given name)."""
    from lutnick_cli.canonical import record_yaml

    library = folder / "records"
    library.mkdir()
    for record in chosen:
        (library / f"{record.id}.yaml").write_text(record_yaml(record), encoding="utf-8")
    return library


def pasted_lines(all_cases: list[Case]) -> str:
    """The citations as a reference list, one a line (a line break pasted into one is a space here)."""
    return "".join(case.text.replace("\n", " ") + "\n" for case in all_cases)


def run_check(all_cases: list[Case], chosen: list[Record]) -> list[dict]:
    """The findings of one `lutnick check --citation -` run over every case, by line."""
    with tempfile.TemporaryDirectory() as folder:
        library = write_library(Path(folder), chosen)
        lutnick = [sys.executable, "-m", "lutnick_cli"]
        done = subprocess.run([*lutnick, "check", "--citation", "-", "--format", "json", "--fail-on", "never", str(library)],
                              input=pasted_lines(all_cases), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"lutnick check failed ({done.returncode}): {done.stderr}")
    return json.loads(done.stdout)["findings"]


def score(all_cases: list[Case], findings: list[dict]) -> dict[str, dict[str, int]]:
    """Per kind of fault (and "none" for right citations): cases, found (right rule and field), other findings."""
    by_line = collections.defaultdict(list)
    for finding in findings:
        by_line[finding["line"]].append(finding)
    table: dict[str, dict[str, int]] = collections.defaultdict(lambda: {"cases": 0, "found": 0, "false": 0})
    for number, case in enumerate(all_cases, 1):
        row = table[case.fault or "none"]
        row["cases"] += 1
        found = by_line.get(number, [])
        hit = [f for f in found if f["rule"] == case.rule and (f["field"] or "").startswith(case.field or "")]
        if hit:
            row["found"] += 1
        row["false"] += len(found) - len(hit)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=40, help="use the first N records (default: 40; 0: all)")
    parser.add_argument("--show", action="store_true", help="print each miss and false finding")
    arguments = parser.parse_args()
    chosen = records(arguments.records)
    all_cases = list(cases(chosen))
    findings = run_check(all_cases, chosen)
    table = score(all_cases, findings)
    if arguments.show:
        by_line = collections.defaultdict(list)
        for finding in findings:
            by_line[finding["line"]].append(finding)
        for number, case in enumerate(all_cases, 1):
            found = by_line.get(number, [])
            hit = [f for f in found if f["rule"] == case.rule and (f["field"] or "").startswith(case.field or "")]
            if (case.fault and not hit) or len(found) > len(hit):
                print(f"{number} {case.style} {case.kind} {case.fault}: {case.text}")
                for finding in found:
                    print(f"    {finding['rule']} {finding['field']}: {finding['message']}")
    print(f"{len(chosen)} records, {len(all_cases)} citations in {len(STYLES)} styles")
    print(f"{'kind':<20} {'cases':>6} {'recall':>7} {'false':>6}")
    planted = found = false = 0
    for kind in ["none", *FAULTS]:
        row = table.get(kind)
        if row is None:
            continue
        recall = f"{100 * row['found'] / row['cases']:.1f}%" if kind != "none" else "-"
        print(f"{kind:<20} {row['cases']:>6} {recall:>7} {row['false']:>6}")
        if kind != "none":
            planted += row["cases"]
            found += row["found"]
        false += row["false"]
    clean = table["none"]
    print(f"faults found and named by field: {found}/{planted} = {100 * found / planted:.1f}%")
    print(f"precision: {found}/{found + false} = {100 * found / max(1, found + false):.1f}%")
    print(f"right citations without a finding: {clean['cases'] - _lines_with_findings(all_cases, findings)}/{clean['cases']}")


def _lines_with_findings(all_cases: list[Case], findings: list[dict]) -> int:
    lines = {finding["line"] for finding in findings}
    return sum(1 for number, case in enumerate(all_cases, 1) if case.fault is None and number in lines)


if __name__ == "__main__":
    main()
