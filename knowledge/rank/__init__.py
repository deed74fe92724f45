"""Ranking: words (analysis, BM25), meaning (the sentence model's vectors), and their fusion and re-ranking."""
