"""An article's frontmatter, read with limits: a header is a few lines of YAML, never a bomb."""

from __future__ import annotations

import re

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from ..inputs import MAX_FRONTMATTER_CHARS, visible_text


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


# A header's opening line and a first `key: value` line, as a header left open shows.
_UNCLOSED = re.compile(r"\A\s*-{3,}[ \t]*\r?\n[ \t]*[A-Za-z_][\w-]*:(?:[ \t]|\r?$)", re.MULTILINE)


def _yaml_safe(text: str) -> str:
    """Text without what YAML cannot hold: control and bidi characters, and U+FFFE/U+FFFF."""
    return visible_text(text).replace("\ufffe", "").replace("\uffff", "")


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
    if not post.metadata and _UNCLOSED.match(post.content):
        # The library reads a header it finds no end for as text: its lines were quoted as
        # the article's sentences and its title lost.
        raise ValueError("a --- line opens it and no --- line closes it")
    return post.metadata, post.content


def entry_lines(header: str, key: str) -> set[int]:
    """The lines (from 0) of every top-level entry of the YAML `header` whose key is `key`,
    however it is written (quoted, tagged, `? key`, its value on the next lines): YAML
    keeps the last of two equal keys, so a line matched by its spelling missed some. Empty
    when the header is no block mapping, or cannot be read; the caller checks the result."""
    if len(header) > MAX_FRONTMATTER_CHARS:
        return set()
    try:
        root = yaml.compose(_yaml_safe(header), Loader=_NoAliasLoader)
    except yaml.YAMLError:
        return set()
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return set()
    lines: set[int] = set()
    for number, (name, value) in enumerate(root.value):
        if not (isinstance(name, yaml.ScalarNode) and name.tag == "tag:yaml.org,2002:str" and name.value == key):
            continue
        end = value.end_mark.line + (1 if value.end_mark.column else 0)  # the comments after it kept
        if number + 1 < len(root.value):
            end = min(end, root.value[number + 1][0].start_mark.line)
        lines.update(range(name.start_mark.line, end))
    return lines
