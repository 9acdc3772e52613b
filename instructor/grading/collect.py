"""Collect returned notebooks into submitted/<student>/<lab>/: ``course.py collect <lab> <folder>``.

For a folder (or .zip) downloaded from a learning platform, one file per student. nbgrader's own
``zip_collect`` does the work; this command copies the files where it looks for them and gives
it a pattern for the file names. The default pattern reads ``<student>_<anything>.ipynb``;
``--pattern`` takes any regular expression with the groups ``student_id`` and ``file_id``
(matched against the file's path; see INSTRUCTORS.md for a platform's names). With nbgrader's
exchange, use ``nbgrader collect <lab>`` instead. nbgrader's own messages (INFO lines) are shown
with ``--verbose``; its warnings always.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from instructor.grading.labs import check_lab, students_with
from instructor.grading.units import course_api

PATTERN = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+)$"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="course.py collect", description=__doc__.split("\n")[0])
    parser.add_argument("lab", help="the lab's folder name, e.g. 04_variational_autoencoder")
    parser.add_argument("folder", type=Path, help="the downloaded folder or .zip file")
    parser.add_argument(
        "--pattern", default=PATTERN, help="file-name pattern (default: %(default)s)"
    )
    parser.add_argument("--verbose", action="store_true", help="show nbgrader's INFO lines too")
    args = parser.parse_args(argv)
    check_lab(Path.cwd(), course_api(Path.cwd()).coursedir.source_directory, args.lab)
    if not args.folder.exists():
        sys.exit(f"{args.folder} does not exist: give the folder (or .zip) of returned notebooks.")
    archive = Path("downloaded") / args.lab / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    files = [args.folder] if args.folder.is_file() else sorted(args.folder.rglob("*"))
    for file in (f for f in files if f.is_file()):
        shutil.copy2(file, archive / file.name)
    bin_dir = Path(sys.executable).parent
    code = subprocess.call(
        [bin_dir / "nbgrader", "zip_collect", args.lab, "--force",
         f"--FileNameCollectorPlugin.named_regexp={args.pattern}",
         f"--log-level={'INFO' if args.verbose else 'WARN'}"],
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
    )  # fmt: skip
    extracted = Path("downloaded", args.lab, "extracted").resolve()
    skipped = [
        p.name
        for p in sorted(extracted.rglob("*"))
        if p.is_file() and (p.suffix != ".ipynb" or not re.match(args.pattern, str(p)))
    ]
    if skipped:
        print(f"Not collected (not a .ipynb, or the pattern does not match): {', '.join(skipped)}")
    found = students_with(Path("submitted"), args.lab)
    print(
        f"{len(found)} students have a submission of {args.lab} in submitted/: {', '.join(found)}"
    )
    sys.exit(code)


if __name__ == "__main__":
    main()
