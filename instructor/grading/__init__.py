"""Instructor tools around nbgrader: grade a class in parallel, bounded, with clear reports.

``python3 course.py grade <lab>`` runs ``python -m instructor.grading``. Each student is one work unit
(``units.grade``) that runs nbgrader's own autograde in a private course folder with its own
gradebook, under a time, memory and process limit (``bounds``); Dask runs the units on local
worker processes or on an existing cluster, and ``gradebook.merge`` copies each result into the
course's gradebook, as a serial ``nbgrader autograde`` would have written it.
"""
