"""A run's notes in the store, on every backend: kept as JSON codes and parameters, worded
where shown; a store written before notes were codes holds their text, read as legacy-text."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import run_cli_json
from tests.store.conftest import execute

# March of the `db` fixture: four stars short of candidates (the quota is 2)
MARCH = [("mediation", "纠纷调解之星", 1), ("investigation", "侦查破案之星", 0),
         ("information", "信息采集之星", 1), ("service", "服务群众之星", 0)]  # fmt: skip


def _march(db: str, *lang: str) -> dict[str, Any]:
    runs: list[dict[str, Any]] = run_cli_json(*lang, "runs", "--db", db)["runs"]
    return runs[0]


def test_notes_are_stored_as_codes_and_parameters(db: str) -> None:
    [[(stored,)]] = execute(db, "SELECT notes FROM runs WHERE id = 1")
    assert json.loads(str(stored)) == [
        {"code": "short-of-quota", "params": {"star": k, "label": s, "count": n, "quota": 2}}
        for k, s, n in MARCH
    ]


def test_runs_json_words_the_notes_in_the_sessions_language_beside_their_codes(db: str) -> None:
    chinese, english = _march(db), _march(db, "--lang", "en")
    assert chinese["notes"] == [f"{s}：符合条件的候选人 {n} 人，少于名额 2 人" for _, s, n in MARCH]
    assert english["notes"] == [f"{s}: quota 2, only {n} qualified" for _, s, n in MARCH]
    for run in (chinese, english):
        assert [c["text"] for c in run["note_codes"]] == run["notes"]
        assert [c["code"] for c in run["note_codes"]] == ["short-of-quota"] * 4
        assert [c["params"]["star"] for c in run["note_codes"]] == [k for k, _, _ in MARCH]


def test_an_older_stores_text_notes_are_shown_as_stored(db: str) -> None:
    texts = ["信息采集之星：并列，名额 2 人，评出 3 人", 'say "quoted"']
    old = json.dumps(texts, ensure_ascii=False)
    execute(db, f"UPDATE runs SET notes = '{old}' WHERE id = 1")
    for lang in ((), ("--lang", "en")):
        run = _march(db, *lang)
        assert run["notes"] == texts
        assert run["note_codes"] == [
            {"code": "legacy-text", "params": {"text": text}, "text": text} for text in run["notes"]
        ]
