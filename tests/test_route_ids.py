"""Every route that takes an id from its address, walked with forged ids: an id past the
database's integer answers 404 (it was PostgreSQL's "integer out of range", a 500, on the staff
case and questionnaire pages), and the largest integer, which no row has, answers below 500."""

import re

import pytest

from portal.web.ids import MAX_ID
from tests.factories import login

SIGNED_IN = ("admin", "office")


def id_routes(app):
    """(rule, methods) for each rule with an <int:...> part."""
    return [(rule, sorted(rule.methods - {"HEAD", "OPTIONS"}))
            for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


def address(rule, ident):
    return re.sub(r"<int:[a-z_]+>", str(ident), rule.rule)


def test_the_walk_covers_the_pages_that_overflowed(app):
    rules = {rule.rule for rule, _ in id_routes(app)}
    assert {"/staff/cases/<int:case_id>", "/staff/appraisal/<int:qid>",
            "/letters/<int:letter_id>", "/notices/<int:notice_id>"} <= rules
    assert len(rules) >= 30


@pytest.mark.parametrize("username", [None, *SIGNED_IN])
def test_an_id_past_the_databases_integer_is_not_found(app, username):
    client = app.test_client()
    if username:
        login(client, app, username)
    for rule, methods in id_routes(app):
        for method in methods:
            for ident in (MAX_ID + 1, 10**30, 0):
                url = address(rule, ident)
                response = client.open(url, method=method)
                assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize("username", SIGNED_IN)
def test_the_largest_id_is_an_unknown_row_not_an_error(app, username):
    client = login(app.test_client(), app, username)
    for rule, methods in id_routes(app):
        for method in methods:
            url = address(rule, MAX_ID)
            response = client.open(url, method=method)
            assert response.status_code < 500, (method, url, response.status_code)


def test_the_id_pattern_takes_exactly_one_to_the_limit():
    from portal.web.ids import _at_most

    def taken(limit, upto):
        pattern = re.compile(_at_most(limit))
        return [n for n in range(upto) if pattern.fullmatch(str(n))]

    assert taken(1, 50) == [1]
    assert taken(9, 50) == list(range(1, 10))
    assert taken(10, 50) == list(range(1, 11))
    assert taken(305, 2000) == list(range(1, 306))
    assert taken(1000, 5000) == list(range(1, 1001))
    largest = re.compile(_at_most(MAX_ID))
    for ident in ("2147483647", "2147483646", "2147483639", "2147483599", "1999999999",
                  "999999999", "1"):
        assert largest.fullmatch(ident), ident
    for ident in ("2147483648", "2147483650", "2147483700", "2147490000", "2148000000",
                  "2200000000", "3000000000", "9999999999", "10000000000", "0", "01", "１",
                  "-1", "+1", "1 "):
        assert not largest.fullmatch(ident), ident
