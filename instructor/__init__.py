"""The instructor's and author's tools behind ``course.py``: grading, feedback, class reports,
copy flags, the grades export, the website and the benchmarks.

No lab imports this package, and ``helpers`` (what students read) never imports it; it may
import ``helpers``. Its modules are run by ``course.py``, or configured in ``nbgrader_config.py``.
"""
