"""The API's JSON parser (DEFAULT_PARSER_CLASSES), and the one JSON reader of the app.

A module of its own: DRF resolves its default parsers while defining APIView, so this module
must not import anything that imports rest_framework.views (a circular import).
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 32  # deeper than any body this API documents, far below Python's limit


def parse_json(raw: bytes | str) -> Any:
    """A JSON body, refusing what would crash or exhaust the parser: text that is not JSON
    and nesting deeper than MAX_JSON_DEPTH (a 100 KB body can nest 50,000 levels). Raises
    ValueError with a message for the reader."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH:
        _check_depth(text)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"Not valid JSON: {error}") from None


def _check_depth(text: str) -> None:
    """Count brackets outside strings, before the parser would recurse into them."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        elif char in "]}":
            depth -= 1


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with `parse_json`'s limits: a malformed or absurdly nested body is a
    400 with the error format, never a RecursionError."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return parse_json(stream.read() if stream is not None else b"")
        except UnicodeDecodeError:
            raise exceptions.ParseError("The body is not UTF-8 text.") from None
        except ValueError as error:
            raise exceptions.ParseError(str(error)) from None
