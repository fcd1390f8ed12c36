"""A run's notes as data: the catalogue, its JSON, its wording in both languages; the
terminal and --json in the session's language, the workbook in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fivestar.engine import notes as n
from tests.conftest import ROOT, run_cli

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
SAMPLE = ROOT / "sample_data" / "2014-04"


def test_the_docs_list_every_code() -> None:
    # regenerate with the command at the top of docs/NOTES.md
    assert (ROOT / "docs" / "NOTES.md").read_text(encoding="utf-8") == n.docs()


@pytest.mark.parametrize("code", n.CODES, ids=lambda c: c.code)
def test_each_code_has_its_parameters_a_wording_and_json(code: n.Code) -> None:
    example = code.example
    assert example.code == code.code
    assert tuple(example.params) == code.params
    assert n.decode(n.encode([example])) == (example,)
    zh, en = example.render("zh"), example.render("en")
    if code.code == n.LEGACY:  # shown as stored, in either language
        assert zh == en == example.params["text"]
        return
    assert zh != en
    # the English names only data (a star's label); the Chinese has no Latin word
    assert not CJK.search(en.replace(str(example.params.get("label", "")), ""))
    assert not re.search(r"[A-Za-z]", zh)


def test_a_list_of_months_is_joined_the_languages_way() -> None:
    partial = n.Note(n.COOLDOWN_PARTIAL, {"missing": ("2014-02", "2014-03")})
    assert "2014-02、2014-03" in partial.render("zh")
    assert "2014-02, 2014-03" in partial.render("en")


def test_a_stored_string_is_a_legacy_note() -> None:
    assert n.decode('["旧的说明"]') == (n.Note(n.LEGACY, {"text": "旧的说明"}),)
    assert n.decode("") == n.decode("[]") == ()


def test_the_terminal_and_json_speak_the_session_the_workbook_chinese(tmp_path: Path) -> None:
    """The sample month ties in 信息采集之星: 11 named for 10 places, two notes."""
    zh_note = "信息采集之星：并列，名额 2 人，评出 3 人"
    en_note = "信息采集之星: tied, quota 2, 3 named"
    total = {
        "zh": "本月评出 11 人，多于 10 人：并列者均予评选",
        "en": "11 officers named this month, more than 10: all those tied are named",
    }
    for lang, note in (("zh", zh_note), ("en", en_note)):
        out = tmp_path / f"{lang}.xlsx"
        args = ["evaluate", "2014-04", str(SAMPLE), "--out", str(out), "--db", str(tmp_path / "s")]
        shown = run_cli("--lang", lang, *args)
        assert shown.exit_code == 0, shown
        assert note in shown.stdout and total[lang] in shown.stdout
        data = json.loads(run_cli("--lang", lang, *args, "--json").stdout)
        assert data["notes"] == [note, total[lang]]
        assert [c["code"] for c in data["note_codes"]] == [n.TIE_OVER_QUOTA, n.OVER_TOTAL]
        assert data["note_codes"][0]["params"] == {
            "star": "information", "label": "信息采集之星", "quota": 2, "count": 3
        }  # fmt: skip
        sheet = load_workbook(out, read_only=True)["评选结果"]
        cells = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0]]
        assert cells[-2:] == [zh_note, total["zh"]]  # Chinese whatever the session's language
