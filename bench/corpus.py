"""A deterministic corpus of generated CSL-JSON items for the batch benchmark.

The same count and seed give the same items on every machine. Family names
come from a pool of about 700, drawn with Zipf-like weights (a few names are
common, most are rare), so authors and years collide about as often as in a
large real bibliography and the style's disambiguation has real work to do.
"""

from __future__ import annotations

import json
import random
from collections import Counter

_ONSETS = ["B", "C", "D", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "W", "Z", "Ch", "Sh", "Br"]
_NUCLEI = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "á", "ø", "ü"]
_CODAS = ["", "n", "r", "s", "l", "k", "rd", "nd", "ski", "son", "ez", "ov"]
GIVENS = [
    "Anna", "Ben", "Chloé", "David", "Eun-ji", "Farah", "Gustav", "Hana", "Ian", "José", "Karin", "Luis", "Mei",
    "Nils", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Tomás", "Uma", "Viktor", "Wen", "Xavier", "Yara", "Zoltán",
]
WORDS = (
    "safety policy rights network learning deep review evidence community health trafficking labour market "
    "migration violence data model theory practice reform justice climate water urban rural youth gender "
    "education care digital public private risk trust memory language history law trade energy food"
).split()
JOURNALS = ["Anti-Trafficking Review", "Journal of Policy Studies", "Social Science Quarterly", "Nature", "The Lancet"]
TYPES = ["article-journal"] * 6 + ["book", "chapter", "report", "paper-conference"]


def _families(rng: random.Random) -> list[str]:
    names = sorted({onset + nucleus + coda for onset in _ONSETS for nucleus in _NUCLEI for coda in _CODAS})
    rng.shuffle(names)
    return names[:700] + ["Smith", "García", "van der Berg", "O'Brien", "Nguyen"]


def csl_items(count: int, seed: int = 2019) -> list[dict]:
    """`count` CSL-JSON items, always the same for the same count and seed."""
    rng = random.Random(seed)
    families = _families(rng)
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(families))]
    items = []
    for index in range(count):
        kind = rng.choice(TYPES)
        authors = [
            {"family": family, "given": rng.choice(GIVENS)}
            for family in rng.choices(families, weights, k=rng.choice([1, 1, 2, 2, 3, 4, 8]))
        ]
        title = " ".join(rng.sample(WORDS, rng.randint(3, 8))).capitalize()
        item = {
            "id": f"r{index:06d}",
            "type": kind,
            "title": title,
            "author": authors,
            "issued": {"date-parts": [[rng.randint(1960, 2024), rng.randint(1, 12)]]},
        }
        if kind == "article-journal":
            item["container-title"] = rng.choice(JOURNALS)
            item["volume"] = str(rng.randint(1, 60))
            item["issue"] = str(rng.randint(1, 12))
            first = rng.randint(1, 400)
            item["page"] = f"{first}-{first + rng.randint(1, 30)}"
            item["DOI"] = f"10.{rng.randint(1000, 9999)}/bench.{index}"
        elif kind == "chapter":
            item["container-title"] = "Handbook of " + rng.choice(WORDS).capitalize()
            item["editor"] = [{"family": rng.choice(families), "given": rng.choice(GIVENS)}]
            item["publisher"] = "Example Press"
            item["publisher-place"] = "London"
        elif kind in ("book", "report"):
            item["publisher"] = rng.choice(["Example Press", "Policy Institute", "University Press"])
        else:
            item["container-title"] = "Proceedings of the " + rng.choice(WORDS).capitalize() + " Conference"
            item["event-place"] = "Lisbon"
        items.append(item)
    return items


# Characters a .bib file from a reference manager writes as TeX accents, and how.
_TEX_ACCENTS = {"á": "{\\'a}", "ø": "{\\o}", "ü": '{\\"u}', "é": "{\\'e}", "ö": '{\\"o}', "ó": "{\\'o}",
                "í": "{\\'\\i}", "ç": "{\\c{c}}", "ã": "{\\~a}"}
_BIB_TYPES = {"article-journal": "article", "book": "book", "chapter": "incollection", "report": "techreport",
              "paper-conference": "inproceedings"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _tex(text: str) -> str:
    return "".join(_TEX_ACCENTS.get(char, char) for char in text)


def bib_text(count: int, seed: int = 2019) -> str:
    """The same records as `csl_items` as a .bib file written the way reference managers write one:
    journals as @string macros, month macros, accents as TeX, some words brace-protected, page
    ranges with --, a line break inside long titles; most values plain text."""
    items = csl_items(count, seed)
    rng = random.Random(seed + 1)
    macros = {journal: "j" + "".join(word[0] for word in journal.split()).lower() for journal in JOURNALS}
    lines = [f"@string{{{macro} = {{{journal}}}}}" for journal, macro in macros.items()] + [""]
    for item in items:
        kind = _BIB_TYPES[item["type"]]
        title = item["title"]
        if rng.random() < 0.2:
            words = title.split()
            words[-1] = "{" + words[-1].upper() + "}"
            title = " ".join(words)
        if len(title) > 50:
            cut = title.index(" ", 40) if " " in title[40:] else len(title)
            title = title[:cut] + "\n    " + title[cut + 1:]
        fields = [
            ("author", " and ".join(_tex(f"{person['family']}, {person['given']}") for person in item["author"])),
            ("title", title),
        ]
        year, month = item["issued"]["date-parts"][0]
        container = item.get("container-title")
        if kind == "article":
            fields.append(("journal", macros[container]))
        elif container:
            fields.append(("booktitle", "{" + container + "}"))
        for key, name in (("volume", "volume"), ("issue", "number"), ("publisher", "publisher"),
                          ("publisher-place", "address"), ("DOI", "doi")):
            if key in item:
                fields.append((name, item[key]))
        if "page" in item:
            fields.append(("pages", item["page"].replace("-", "--")))
        fields += [("year", str(year)), ("month", _MONTHS[month - 1])]
        body = ",\n".join(
            f"  {name} = {value}" if name == "journal" or name == "month" else f"  {name} = {{{value}}}"
            for name, value in fields)
        lines.append(f"@{kind}{{{item['id']},\n{body}\n}}\n")
    return "\n".join(lines)


def colliding_share(items: list[dict]) -> float:
    """The share of items whose first author's family name and year another item shares:
    roughly those an author-date style must disambiguate."""
    signature = Counter((item["author"][0]["family"], item["issued"]["date-parts"][0][0]) for item in items)
    return sum(1 for item in items if signature[(item["author"][0]["family"], item["issued"]["date-parts"][0][0])] > 1) / len(items)


if __name__ == "__main__":
    import sys

    if sys.argv[2:] == ["--bib"]:
        sys.stdout.write(bib_text(int(sys.argv[1])))
    else:
        json.dump(csl_items(int(sys.argv[1])), sys.stdout, ensure_ascii=False, indent=1)
