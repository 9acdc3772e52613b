"""JupyterHub for the course: the class's Unix accounts log in with their passwords (PAM), each gets
a JupyterLab of the course's environment started as that user (LocalProcessSpawner), with
nbgrader's extensions for their role.

`python3 course.py hub start` writes the class's settings (class.json, named by COURSE_HUB_CLASS)
and starts JupyterHub with this file; INSTRUCTORS.md ("On a JupyterHub") explains each choice.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub

settings_file = Path(os.environ["COURSE_HUB_CLASS"])
room = json.loads(settings_file.read_text())
private = settings_file.parent

# Addresses: users open the proxy's; the hub and the proxy's API listen on 127.0.0.1 only.
c.JupyterHub.bind_url = room["bind_url"]
c.JupyterHub.hub_bind_url = room["hub_bind_url"]
c.ConfigurableHTTPProxy.api_url = room["proxy_api_url"]
c.ConfigurableHTTPProxy.command = [room["proxy"]]
c.ConfigurableHTTPProxy.pid_file = str(private / "proxy.pid")
c.JupyterHub.pid_file = str(private / "jupyterhub.pid")
c.JupyterHub.db_url = f"sqlite:///{private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")

# Who: the class's Unix accounts, checked by PAM (JupyterHub's default authenticator).
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {room["instructor"], *room["students"]}
c.Authenticator.admin_users = {room["instructor"]}  # may stop a student's runaway server

# Each user's JupyterLab runs as that user, from the course's environment (its kernel is the
# course's Python), in their home, with the configuration of their role.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [room["singleuser"]]
c.Spawner.default_url = "/lab"


def role_environment(spawner) -> None:
    """PATH with the course's environment first, JUPYTER_CONFIG_PATH with the role's folders."""
    spawner.environment.update(room["environment"][spawner.user.name])


c.Spawner.pre_spawn_hook = role_environment
c.Spawner.http_timeout = 120  # a JupyterLab took up to 40 s to start on a busy 2-core machine
c.Spawner.start_timeout = 120
