"""Answers: the quoted sentences composed, and how much of the question they cover."""
