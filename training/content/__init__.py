"""Loading the course content: every loader (course, quizzes, guide) in one transaction."""
