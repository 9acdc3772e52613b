"""`course.py site`: the website builds without a Sphinx warning, every internal link and image
resolves, each lab page shows its figures with the solution code folded and no hidden test, its
formulas go to the MathJax shipped with the site (nothing comes from the network), and the
credits are there. test_browser.py checks that the formulas are typeset and long lines wrap."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

import pytest

from course_tools import LABS, ROOT, hidden_only_names

pytestmark = pytest.mark.pipeline


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append((tag, value))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "instructor.website", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, (
        f"the site did not build without warnings:\n{run.stdout}\n{run.stderr}"
    )
    return out / "html"


def test_every_internal_link_and_image_resolves(site):
    broken = []
    for page in site.glob("*.html"):  # the pages (not the theme's templates in _static/)
        parser = Links()
        parser.feed(page.read_text())
        for tag, target in parser.targets:
            url = urlparse(target)
            if url.scheme or url.netloc or not url.path:  # external, or an anchor on this page
                continue
            path = (page.parent / unquote(url.path)).resolve()
            if not path.exists() or (tag == "img" and path.stat().st_size == 0):
                broken.append(f"{page.name}: {target}")
    assert not broken, broken


@pytest.mark.parametrize("lab", LABS)
def test_each_lab_page_has_its_figures_folded_solutions_and_no_hidden_tests(site, lab):
    html = (site / f"{lab}.html").read_text()
    assert len(re.findall(r"<img [^>]*src=\"_images/", html)) >= 5
    assert "<details" in html  # solution code folded, one click away
    assert "BEGIN HIDDEN TESTS" not in html and "BEGIN SOLUTION" not in html
    leaked = {name for name in hidden_only_names(lab) if re.search(rf"\b{name}\b", html)}
    assert not leaked, f"hidden-test names on the {lab} page: {leaked}"


@pytest.mark.parametrize("lab", LABS)
def test_each_lab_page_hands_its_formulas_to_the_mathjax_shipped_with_the_site(site, lab):
    html = (site / f"{lab}.html").read_text()
    prose = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.DOTALL)
    assert "$" not in prose, "a $...$ or $$...$$ formula left as text"
    has_maths = 'class="math' in html
    assert has_maths == ('src="_static/mathjax/tex-svg-full.js' in html)
    assert (site / "_static" / "mathjax" / "tex-svg-full.js").stat().st_size > 1e6


def test_the_navigation_leads_to_every_lab_the_results_and_the_guides(site):
    home = (site / "index.html").read_text()
    for page in [*LABS, "results", "instructors", "authoring", "credits"]:
        assert (site / f"{page}.html").is_file() and f'href="{page}.html"' in home, page
    assert "lab-01" in (site / "results.html").read_text()  # the results page's sections


def test_no_page_loads_anything_from_the_network(site):
    external = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:[a-z]+:)?//")
    assert not [page.name for page in site.glob("*.html") if external.search(page.read_text())]


def test_home_page_links_the_labs_and_the_credits(site):
    html = (site / "index.html").read_text()
    for lab in LABS:
        assert f'href="{lab}.html"' in html
    credits = (site / "credits.html").read_text()
    assert "Licence" in credits or "licence" in credits
    assert credits.count("flickr.com") > 3000  # every flower photo's credit line
