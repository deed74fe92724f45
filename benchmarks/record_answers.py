"""Record every dev question's answer text and ranking, both modes, into tests/data/recorded-answers.jsonl.

Run before a change meant to keep answers the same (speed work); tests/test_recorded.py then
proves it did. Run from the repository root: python benchmarks/record_answers.py
"""
import json

from knowledge import KnowledgeBase
from knowledge.evaluation import read_questions

out = []
for semantic in (True, False):
    kb = KnowledgeBase.load(semantic=semantic)
    for f in ("tests/data/dev.jsonl", "tests/data/dev-more.jsonl"):
        for q in read_questions(f):
            a = kb.ask(q.question)
            out.append({"semantic": semantic, "question": q.question, "coverage": a.coverage, "text": a.text,
                        "ranking": [r.section_id for r in a.ranking]})
with open("tests/data/recorded-answers.jsonl", "w") as h:
    for row in out:
        h.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(out))
