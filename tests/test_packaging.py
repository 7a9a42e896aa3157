"""The wheel carries the canonical record (and its JSON form) and the schema, so an install needs no checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_the_wheel_ships_the_record_and_the_schema(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("lutnick_cli-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("lutnick_cli/data/article.yaml") == (REPO / "data" / "article.yaml").read_bytes()
        assert archive.read("lutnick_cli/data/article.json") == (REPO / "src/lutnick_cli/data/article.json").read_bytes()
        assert archive.read("lutnick_cli/record.schema.json") == (REPO / "src/lutnick_cli/record.schema.json").read_bytes()
        entry_points = archive.read(next(name for name in archive.namelist() if name.endswith("entry_points.txt")))
    assert b"lutnick = lutnick_cli.cli:main" in entry_points
