"""nbgrader configuration: solutions/ is the instructor source, labs/ the student release."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.course_id = "autoencoders"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# Every cell gets a bounded run time: an endless loop costs one timeout, not the grading run.
c.Execute.timeout = 300
c.Execute.kernel_name = "python3"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Feedback for students never shows hidden tests, not even in tracebacks.
c.HTMLExporter.preprocessors = ["instructor.feedback.StripHiddenTests"]

# `nbgrader export`: grades.csv with a status per row (not handed out, no submission, no valid
# submission, graded) instead of 0.0 for all of them.
c.ExportApp.plugin_class = "instructor.grades_export.GradesExport"
