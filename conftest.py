"""Test-wide settings: the quick profile (also for the notebook kernels nbval starts) and no GUI."""

import os

os.environ["COURSE_PROFILE"] = "quick"
os.environ["MPLBACKEND"] = "Agg"
