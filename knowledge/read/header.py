"""An article's frontmatter, read with limits: a header is a few lines of YAML, never a bomb."""

from __future__ import annotations

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from ..inputs import MAX_FRONTMATTER_CHARS, safe_text


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without aliases: a few lines of nested aliases expand to gigabytes, and an
    article's header never needs one."""

    def compose_node(self, parent, index):  # noqa: ANN001 - yaml's own signature
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed")
        return super().compose_node(parent, index)


class _GuardedYAML(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> object:
        if len(fm) > MAX_FRONTMATTER_CHARS:
            raise yaml.YAMLError(f"longer than {MAX_FRONTMATTER_CHARS // 1024} KB")
        # YAML refuses control characters outright; they are removed here as from the rest
        # of the article (a header line is quoted from the raw text, cleaned the same way).
        return yaml.load(_yaml_safe(fm), Loader=_NoAliasLoader)


def _yaml_safe(text: str) -> str:
    """Text without what YAML cannot hold: control and bidi characters, and U+FFFE/U+FFFF."""
    return safe_text(text).replace("\ufffe", "").replace("\uffff", "")


def read_header(text: str) -> tuple[dict, str]:
    """(metadata, body) of a markdown text; `ValueError` with a one-line reason when the
    header cannot be used."""
    handler = _GuardedYAML()
    try:
        post = frontmatter.loads(text, handler=handler if handler.detect(text) else None)
    except Exception as error:  # yaml and the handlers raise many types; all mean the same
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(first) from None
    if not isinstance(post.metadata, dict):
        raise ValueError("not a mapping")
    return post.metadata, post.content
