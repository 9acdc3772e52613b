"""Build the course website for self-study: ``python3 course.py site``.

Sphinx with MyST-NB renders the committed solution notebooks with the outputs of their full runs
(nothing is executed), the README as the home page, the results of the full runs, the instructor
and authoring guides, and the data's sources, licences and credits. Solution code is folded (click to open) and hidden tests are left out, as
in the students' feedback. Formulas (``$...$``, ``$$...$$``) are typeset by MathJax, which ships
with the site (no CDN: it works offline); long code lines and outputs wrap. Pages are staged in
``build/site/src`` and built into ``build/site/html`` (or ``<folder>/html`` with
``course.py site <folder>``); Sphinx's warnings are errors, so a broken link or a missing image
fails the build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import nbformat

from instructor.feedback import strip_hidden

ROOT = Path(__file__).resolve().parent.parent
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")  # a Markdown image's path
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
# MathJax 3 as one self-contained file (TeX input, SVG output, all TeX packages, no fonts to load),
# from the django-static-mathjax package, which carries MathJax's files (Django is not needed).
MATHJAX_FILES = {"es5/tex-svg-full.js": "tex-svg-full.js", "LICENSE": "LICENSE"}
# Long code lines and outputs wrap, indentation kept, instead of hiding past the right edge.
CSS = ".bd-article pre { white-space: pre-wrap; overflow-wrap: anywhere; }\n"

CONF = """\
project = "Autoencoders: a graded lab course with Keras 3"
extensions = ["myst_nb"]
myst_enable_extensions = ["dollarmath", "amsmath"]
mathjax_path = "mathjax/tex-svg-full.js"  # in _static: the site needs no network
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme = "sphinx_book_theme"
html_title = "Autoencoders with Keras 3"
html_theme_options = {"show_toc_level": 2, "use_download_button": False}
html_show_sourcelink = False
nb_execution_mode = "off"  # the committed outputs of one clean full run
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_copy_source = False
"""


# The repository's documents and their pages on the site, in the navigation's order.
PAGES = {
    "RESULTS.md": "results",
    "INSTRUCTORS.md": "instructors",
    "AUTHORING.md": "authoring",
    "data/README.md": "credits",
}


def lab_ids() -> list[str]:
    return sorted(
        p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file()
    )


def lab_page(lab: str) -> nbformat.NotebookNode:
    """The solution notebook with its hidden tests left out and its solution code folded."""
    nb = nbformat.read(ROOT / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.source = SOLUTION_MARKERS.sub("", strip_hidden(cell.source))
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.metadata["tags"] = [*cell.metadata.get("tags", []), "hide-input"]
    return nb


def site_links(text: str, labs: list[str]) -> str:
    """A page's links to files of the repository, turned into links to the site's pages."""
    for lab in labs:
        for folder in ("labs", "solutions"):
            text = text.replace(f"]({folder}/{lab}/{lab}.ipynb)", f"]({lab}.ipynb)")
    for source, page in PAGES.items():
        text = text.replace(f"]({source})", f"]({page}.md)")
    return text


def home_page(labs: list[str]) -> str:
    """The README with links to the site's pages, and the site's navigation: home, the labs,
    results, the instructor and authoring guides, the data's credits."""
    toctree = ["", "```{toctree}", ":hidden:", "", *labs, *PAGES.values(), "```", ""]
    return site_links((ROOT / "README.md").read_text(), labs) + "\n".join(toctree)


def credits_page() -> str:
    """data/README.md (sources, licences, how the data was built) and every photo's credit line."""
    text = (ROOT / "data" / "README.md").read_text()
    text = re.sub(r"^# Data$", "# Data: sources, licences and credits", text, count=1, flags=re.M)
    attribution = "photos/ATTRIBUTION-tf_flowers.txt"
    return text + (
        "\n\n## Every flower photo's credit line\n\n"
        f"```{{literalinclude}} {attribution}\n:language: text\n```\n"
    )


def static_files(folder: Path) -> None:
    """MathJax (with its licence) and the site's CSS, into ``folder``."""
    (folder / "mathjax").mkdir(parents=True)
    mathjax = files("mathjax") / "static" / "mathjax"
    for source, target in MATHJAX_FILES.items():
        (folder / "mathjax" / target).write_bytes((mathjax / source).read_bytes())
    (folder / "course.css").write_text(CSS)


def stage(folder: Path) -> None:
    """Write the site's source pages and Sphinx configuration into ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "photos").mkdir(parents=True)
    labs = lab_ids()
    (folder / "conf.py").write_text(CONF)
    (folder / "index.md").write_text(home_page(labs))
    for source, page in PAGES.items():
        if page != "credits":
            (folder / f"{page}.md").write_text(site_links((ROOT / source).read_text(), labs))
    for document in ("README.md", *PAGES):  # the documents' pictures, at the same relative paths
        for image in IMAGE.findall((ROOT / document).read_text()):
            (folder / image).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / image, folder / image)
    (folder / "credits.md").write_text(credits_page())
    shutil.copy(ROOT / "data" / "photos" / "ATTRIBUTION-tf_flowers.txt", folder / "photos")
    static_files(folder / "_static")
    for lab in labs:
        nbformat.write(lab_page(lab), folder / f"{lab}.ipynb")


def build(out: Path = ROOT / "build" / "site") -> Path:
    """Stage the pages in ``out/src`` and build the site into ``out/html``; exit with Sphinx's
    messages on any warning."""
    started = time.monotonic()
    shutil.rmtree(out, ignore_errors=True)
    stage(out / "src")
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
               "-d", str(out / "doctrees"), str(out / "src"), str(out / "html")]  # fmt: skip
    if subprocess.call(command):
        sys.exit("The site did not build without warnings: see Sphinx's messages above.")
    html = out / "html"
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6
    print(f"Built {html / 'index.html'} in {time.monotonic() - started:.0f} s ({size:.1f} MB)")
    return html


if __name__ == "__main__":
    build(*(Path(arg).resolve() for arg in sys.argv[1:2]))
