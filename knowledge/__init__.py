"""career-chat's engine: grounded, cited answers from one career article."""

from .article import ArticleError
from .base import KnowledgeBase
from .models import Answer, ArticleInfo, Citation, Section, SectionScore, Sentence

__all__ = ["Answer", "ArticleError", "ArticleInfo", "Citation", "KnowledgeBase", "Section", "SectionScore", "Sentence"]
