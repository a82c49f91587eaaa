"""JSON from outside: nesting measured before parsing, brackets inside strings not counted."""

from __future__ import annotations

import json

import pytest

from phare.lib import jsontext


def test_it_parses_ordinary_documents():
    assert jsontext.loads(b'{"a": [1, {"b": "c"}]}') == {"a": [1, {"b": "c"}]}
    assert jsontext.loads('"text"') == "text"


def test_it_refuses_nesting_beyond_the_limit_before_parsing():
    with pytest.raises(jsontext.JSONTooDeep) as raised:
        jsontext.loads("[" * 100_000 + "]" * 100_000)
    assert raised.value.limit == jsontext.MAX_DEPTH
    assert jsontext.loads("[" * 64 + "]" * 64, max_depth=64) is not None
    with pytest.raises(jsontext.JSONTooDeep):
        jsontext.loads("[" * 65 + "]" * 65, max_depth=64)


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"note": "[" * 500 + '\\"{{{' + "]" * 3})
    assert jsontext.loads(text, max_depth=2)["note"].startswith("[[[")


def test_other_errors_are_jsons_own():
    with pytest.raises(json.JSONDecodeError):
        jsontext.loads('{"a": ')
    with pytest.raises(UnicodeDecodeError):
        jsontext.loads(b'"\xff\xfe\xfd"' + b"\xff" * 3)


def test_a_nul_character_is_refused_with_its_place():
    from phare.lib.jsontext import NulCharacter, loads

    assert loads('{"a": ["x", "y"]}') == {"a": ["x", "y"]}
    for text, path in (('{"a": ["x", "\\u0000"]}', "a.1"), ('{"\\u0000k": 1}', "\u0000k"),
                       ('"\\u0000"', "")):
        with pytest.raises(NulCharacter) as refused:
            loads(text)
        assert refused.value.path == path
