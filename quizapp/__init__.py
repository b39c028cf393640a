"""quizapp: spaced repetition, quizzes, numeric drills and judged coding tasks on regularization."""

__version__ = "0.1.0"
