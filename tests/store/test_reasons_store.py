"""A star's reasons in the store, on every backend: kept as JSON codes and parameters (schema
version 5), and an older store's text reasons read after the upgrade as legacy-text."""

from __future__ import annotations

import json

from fivestar.queries import explain, star_ranking
from fivestar.queries.results import StarRanking
from fivestar.rules import RuleSet
from fivestar.store import open_store
from fivestar.store.schema import LATEST
from tests.conftest import officer, run_cli
from tests.store.builders import run_result
from tests.store.conftest import execute


def _stored(location: str, officer_id: str, star: str) -> object:
    query = (
        "SELECT reasons FROM outcomes WHERE run_id = (SELECT MAX(id) FROM runs) "
        f"AND officer_id = '{officer_id}' AND star = '{star}'"
    )
    return execute(location, query)[0][0][0]


def test_reasons_are_stored_as_codes_and_parameters(location: str, rules: RuleSet) -> None:
    rows = [officer("V1", visits=200), officer("007", visits=76, info_leads=12)]
    with open_store(location) as store:
        store.record(run_result(rules, "2014-04", rows), "cmd")
    visits = {"metric": "visits", "value": 76, "op": ">=", "threshold": 80, "unit": "count"}
    assert json.loads(str(_stored(location, "007", "visits"))) == [
        {"code": "threshold-not-met", "params": visits}
    ]
    assert json.loads(str(_stored(location, "007", "information"))) == [
        {"code": "gate", "params": {"reason": {"code": "threshold-not-met", "params": visits}}}
    ]
    assert _stored(location, "V1", "visits") == "[]"  # named: nothing kept them from it
    with open_store(location) as store:
        why = explain(store, "007")
    assert why.stars[0].reasons == ("入户走访户数 76，还差 4 户",)
    assert why.stars[3].gaps == ("资格：入户走访户数 76，还差 4 户",)


# What fivestar before schema version 5 stored: the reasons in words, joined with "；".
OLD_TEXT = '资格：入户走访户数 72 < 80；说 "引号" 与 \\反斜杠\\；；末尾'


def test_an_older_stores_text_reasons_read_as_legacy_text(db: str) -> None:
    quoted = OLD_TEXT.replace("'", "''")
    mine = "officer_id = '005' AND star"
    execute(
        db,
        "UPDATE outcomes SET reasons = '' WHERE reasons = '[]'",
        "UPDATE outcomes SET reasons = '旧的文字' WHERE reasons <> ''",
        f"UPDATE outcomes SET reasons = '{quoted}' WHERE {mine} = 'mediation'",
        f"UPDATE outcomes SET reasons = '入户走访户数 72 < 80' WHERE {mine} = 'visits'",
        "ALTER TABLE officers DROP COLUMN optional_inputs",  # version 6's
        "UPDATE schema_version SET version = 4",
    )
    code, stdout, stderr = run_cli("migrate", "--db", db)
    assert (code, stderr) == (0, ""), stderr
    assert stdout.strip().endswith(f"：已从结构版本 4 升级到 {LATEST}")
    # every row is a JSON array now: '' became [], the text one legacy-text reason per part
    for (text,) in execute(db, "SELECT reasons FROM outcomes")[0]:
        assert isinstance(json.loads(str(text), strict=False), list)
    assert _stored(db, "001", "mediation") == "[]"
    with open_store(db, create=False) as store:
        why = explain(store, "005")
        ranking = star_ranking(store, star="mediation")
    mediation = why.stars[1]
    legacy = ("资格：入户走访户数 72 < 80", '说 "引号" 与 \\反斜杠\\', "末尾")
    assert mediation.reasons == legacy  # as the older fivestar wrote them
    assert {r.code for r in mediation.why} == {"legacy-text"}
    assert mediation.gaps == legacy
    assert isinstance(ranking, StarRanking)
    [near] = [e for e in ranking.near_misses if e.officer_id == "005"]
    assert near.gaps == legacy
    assert why.stars[0].reasons == ("入户走访户数 72 < 80",)
    assert why.stars[4].reasons == ("旧的文字",)
