"""The course on a JupyterHub: `python3 course.py hub start|stop` (INSTRUCTORS.md, "On a JupyterHub").

- ``classroom``: the Unix accounts, nbgrader's exchange, the Jupyter configuration per role and
  the instructor's course folder;
- ``processes``: JupyterHub and its proxy started in the background, stopped by process ids;
- ``jupyterhub_config.py``: the hub's configuration (PAM logins, a JupyterLab per account started
  as that user, the course's environment as kernel).
"""
