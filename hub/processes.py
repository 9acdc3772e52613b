"""JupyterHub in the background, and its stop by process ids: the hub's, its proxy's and those of
the users' JupyterLab servers and kernels."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil

from hub.classroom import SYSTEM_PATH, Classroom, ClassroomError

CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
PROXY_INSTALL = (
    "install JupyterHub's proxy: `npm install -g configurable-http-proxy` (Node.js >= 20), or "
    "Debian's `apt-get install node-configurable-http-proxy`"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_hub(room: Classroom, port: int) -> None:
    """Start JupyterHub (which starts its proxy) in a session of its own, record its addresses
    and pid in class.json, and wait until it answers."""
    proxy = shutil.which("configurable-http-proxy")
    if not proxy:
        raise ClassroomError(f"configurable-http-proxy not found: {PROXY_INSTALL}")
    if not (room.bin / "jupyterhub-singleuser").exists():
        raise ClassroomError(
            f"JupyterHub is not installed in the course's environment {room.bin.parent}: "
            "`python3 course.py setup` installs it (pyproject.toml's `hub` extra)"
        )
    room.settings.update({
        "bind_url": f"http://127.0.0.1:{port}",
        "hub_bind_url": f"http://127.0.0.1:{free_port()}",
        "proxy_api_url": f"http://127.0.0.1:{free_port()}",
        "proxy": proxy,
        "singleuser": str(room.bin / "jupyterhub-singleuser"),
    })  # fmt: skip
    path = room.save()
    env = {"PATH": f"{room.bin}:{SYSTEM_PATH}", "HOME": str(Path.home()), "LANG": "C.UTF-8",
           "COURSE_HUB_CLASS": str(path)}  # fmt: skip
    with (room.private / "jupyterhub.log").open("ab") as log:
        process = subprocess.Popen(
            [str(room.bin / "jupyterhub"), "-f", str(CONFIG)], cwd=room.private, env=env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # lives on after this command, and Ctrl+C does not reach it
        )  # fmt: skip
    room.settings.update(hub_pid=process.pid, hub_started=psutil.Process(process.pid).create_time())
    room.save()
    for _ in range(180):
        if process.poll() is not None:
            tail = (room.private / "jupyterhub.log").read_text(errors="replace")[-2000:]
            raise ClassroomError(f"JupyterHub exited with status {process.returncode}:\n{tail}")
        try:
            urllib.request.urlopen(f"{room.settings['bind_url']}/hub/api/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise ClassroomError("JupyterHub did not answer within 90 s; see its log")


def recorded(pid: int | None, started: float | None = None) -> psutil.Process | None:
    """The process ``pid`` if it runs (and, given ``started``, is the one started then)."""
    if not pid:  # psutil.Process(None) would be this very process
        return None
    try:
        process = psutil.Process(pid)
        if started is None or abs(process.create_time() - started) < 1:
            return process
    except psutil.Error:
        pass
    return None


def class_processes(room: Classroom) -> list[psutil.Process]:
    """The hub, its proxy (pid file) and the users' servers (the hub's database), with every
    process they started; the hub first."""
    private = room.private
    found = [recorded(room.settings.get("hub_pid"), room.settings.get("hub_started"))]
    pid_file = private / "proxy.pid"
    if pid_file.exists():
        proxy = recorded(int(pid_file.read_text().strip() or 0))
        if proxy and "configurable-http-proxy" in " ".join(proxy.cmdline()):
            found.append(proxy)
    database = private / "jupyterhub.sqlite"
    if database.exists():
        with sqlite3.connect(database) as db:
            for (blob,) in db.execute("SELECT state FROM spawners WHERE state IS NOT NULL"):
                server = recorded(json.loads(blob or "{}").get("pid"))
                if server and server.username() in room.users:
                    found.append(server)
    for process in [p for p in found if p]:
        found.extend(process.children(recursive=True))
    unique = {p.pid: p for p in found if p}
    return list(unique.values())


def running(process: psutil.Process) -> bool:
    """Alive and not a zombie (a zombie has exited; init reaps it)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def stop_processes(processes: list[psutil.Process], grace: float) -> list[psutil.Process]:
    """SIGTERM to each, SIGKILL to those still running after ``grace`` seconds; return those that
    outlived both."""
    for method, wait in (("terminate", grace), ("kill", 5)):
        for process in processes:
            try:
                getattr(process, method)()
            except psutil.Error:
                pass
        deadline = time.monotonic() + wait
        while any(map(running, processes)) and time.monotonic() < deadline:
            time.sleep(0.2)
        processes = [p for p in processes if running(p)]
    return processes


def stop_hub(room: Classroom) -> tuple[list[int], list[int]]:
    """Stop the hub first (it stops its proxy and the users' servers itself), then every other
    recorded process still running. Return the pids found and those that would not stop."""
    processes = class_processes(room)
    hub = [p for p in processes if p.pid == room.settings.get("hub_pid")]
    stop_processes(hub, grace=30)
    left = stop_processes([p for p in processes if running(p)], grace=5)
    return [p.pid for p in processes], [p.pid for p in left]
