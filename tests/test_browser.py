"""A lab in a real JupyterLab in a real (headless) browser, as students use it, and a page of the
course website in the same browser (figures, typeset formulas, wrapped code lines).

JupyterLab runs from the course environment on 127.0.0.1 (free port, random token, isolated
Jupyter folders, the quick profile); Debian's Chromium is driven by Playwright for Python. The
screenshots are kept in build/browser-test/. Skipped, with what to install, where Chromium or
Playwright is missing.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest

from course_tools import BIN, LABS, ROOT, headless_chromium

pytestmark = pytest.mark.pipeline
LAB = "01_dense_autoencoders"
LAST_LINE = "the whole notebook:"  # record.finish() in the last cell of every lab
ARTIFACTS = ROOT / "build" / "browser-test"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is missing: `pip install playwright`"
)
if not CHROMIUM:
    pytest.skip(
        "no Chromium here: install your system's package (Debian/Ubuntu: `apt-get install "
        "chromium`); Playwright's own browser download is not needed",
        allow_module_level=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings(folder: Path) -> None:
    """JupyterLab user settings for a quiet, deterministic UI (no news, every cell in the DOM)."""
    for plugin, values in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },  # fmt: skip
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }.items():
        path = folder / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """JupyterLab on a copy of Lab 01 (solution and student release); stopped by its own pid."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "root"
    root.mkdir()
    shutil.copy(ROOT / "solutions" / LAB / f"{LAB}.ipynb", root / "solution.ipynb")
    shutil.copy(ROOT / "labs" / LAB / f"{LAB}.ipynb", root / "release.ipynb")
    settings(tmp / "settings")
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(
        COURSE_PROFILE="quick", PATH=f"{BIN}{os.pathsep}{env['PATH']}",
        JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
    )  # fmt: skip
    args = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={tmp / 'settings'}",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        "--ServerApp.terminals_enabled=False",
    ]  # fmt: skip
    if os.geteuid() == 0:
        args.append("--allow-root")
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(args, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert process.poll() is None, (tmp / "server.log").read_text()
                time.sleep(0.5)
        yield {"url": url, "token": token, "root": root}
    finally:
        stop(process, url, token)
        log.close()


def stop(process: subprocess.Popen, url: str, token: str) -> None:
    """Shut the server down (its kernels too), by its API, then by signals to its own pid and to
    every process it started (kernels run in their own sessions)."""
    family = psutil.Process(process.pid).children(recursive=True)
    try:
        request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
        urllib.request.urlopen(request, timeout=5)
    except OSError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
    for child in family:
        try:
            child.kill()
        except psutil.Error:
            pass


@pytest.fixture(scope="module")
def browser():
    with headless_chromium(playwright, CHROMIUM) as chromium:
        yield chromium


def open_notebook(browser, server, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server['url']}/lab/tree/{name}?reset&token={server['token']}")  # a fresh layout
    # the kernel is ready when the debugger button is enabled (as JupyterLab's own UI tests wait)
    page.wait_for_selector('.jp-DebuggerBugButton[aria-disabled="false"]', timeout=120_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=120_000)
    return page


def run_all(page) -> None:
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Run").click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_a_solution_runs_through_the_ui_and_saves(browser, server):
    page = open_notebook(browser, server, "solution.ipynb")
    run_all(page)
    known = page.locator(".jp-OutputArea-output", has_text=LAST_LINE)  # the last cell's
    known.first.wait_for(timeout=300_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
        ".every(p => /\\[\\d+\\]:/.test(p.textContent))",
        timeout=300_000,
    )
    images = page.locator('.jp-RenderedImage img[src^="data:image/png;base64,"]')
    assert images.count() >= 5
    assert images.first.evaluate("img => img.naturalWidth") > 0
    shot = screenshot(page, "solution-run-all")
    saved_path = server["root"] / "solution.ipynb"
    before = saved_path.stat().st_mtime
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    for _ in range(60):
        if saved_path.stat().st_mtime > before:
            break
        time.sleep(0.5)
    saved = nbformat.read(saved_path, as_version=4)
    texts = "".join(o.get("text", "") for c in saved.cells for o in c.get("outputs", []))
    assert LAST_LINE in texts and "profile quick" in texts, "the saved file lacks this run"
    assert shot.stat().st_size > 10_000
    page.close()


def test_a_student_sees_the_tasks_the_check_message_and_validate(browser, server):
    page = open_notebook(browser, server, "release.ipynb")
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell")
    tasks = 0
    for i in range(cells.count()):  # an editor shows its text once scrolled into view
        cells.nth(i).scroll_into_view_if_needed()
        tasks += "# YOUR CODE HERE" in cells.nth(i).inner_text()
    assert tasks >= 5, f"{tasks} task cells with '# YOUR CODE HERE'"
    run_all(page)  # stops at the first check: the task above it is not done yet
    error = page.locator(".jp-OutputArea-output", has_text="Not done yet")
    error.first.wait_for(timeout=300_000)
    check_cell = page.locator(".jp-CodeCell", has_text="Not done yet").first.inner_text()
    assert "NotImplementedError" in check_cell and "check_images" in check_cell, check_cell
    screenshot(page, "release-check-message")
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=300_000)
    dialog.get_by_text("failed", exact=False).first.wait_for(timeout=300_000)
    screenshot(page, "release-validate")
    assert "NotImplementedError" in dialog.inner_text()
    page.close()


def test_a_website_page_shows_its_figures_formulas_and_whole_code_lines(browser, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "instructor.website", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((tmp_path / "site" / "html" / f"{LAB}.html").as_uri())
    page.wait_for_load_state("load")
    widths = page.eval_on_selector_all("main img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) >= 5 and all(w > 0 for w in widths), widths
    # every formula typeset by the MathJax shipped with the site, none left as $...$ text
    assert page.locator("main .math").count() >= 10
    page.wait_for_function(
        "() => [...document.querySelectorAll('main .math')]"
        ".every(m => m.querySelector('mjx-container svg'))",
        timeout=60_000,
    )
    # a TeX error, or an unknown command (drawn in red)
    broken = "mjx-container [data-mml-node=merror], mjx-container [fill=red]"
    assert page.locator(broken).count() == 0
    assert "$$" not in page.locator("main").inner_text()
    offline = ("file:", "data:", "blob:")
    assert all(url.startswith(offline) for url in requests), requests
    page.locator("mjx-container").first.scroll_into_view_if_needed()
    screenshot(page, "website-lab01")
    # long outputs wrap: nothing hides past a block's right edge (code lines are short by rule,
    # so look at the lab whose outputs print the longest lines)
    page.goto((tmp_path / "site" / "html" / f"{longest_output_lab()}.html").as_uri())
    page.wait_for_load_state("load")
    lines = page.eval_on_selector_all(
        "main pre",
        "pres => pres.filter(p => p.offsetParent).map(p => [Math.max(...p.innerText.split('\\n')"
        ".map(l => l.length)), p.scrollWidth - p.clientWidth])",
    )
    assert max(length for length, _ in lines) > 110  # lines this long do not fit the column
    assert all(hidden <= 0 for _, hidden in lines), lines
    page.close()


def longest_output_lab() -> str:
    """The lab whose committed outputs hold the longest printed line."""

    def longest(lab: str) -> int:
        cells = nbformat.read(ROOT / "solutions" / lab / f"{lab}.ipynb", as_version=4).cells
        texts = [o.get("text", "") for c in cells for o in c.get("outputs", [])]
        return max(len(line) for text in texts for line in text.splitlines() or [""])

    return max(LABS, key=longest)
