"""Class reports: ``python3 course.py report <lab>...`` after ``course.py grade``.

``results`` reads what the grading run left (gradebook, autograded notebooks, reports/<lab>.csv),
``stats`` turns it into per-task numbers and grouped failure messages, ``copies`` flags
near-copies of the published solution and between students, and ``page`` writes
``reports/<lab>.html`` and ``reports/<lab>_tasks.csv``.
"""
