"""The code tables: wordings read as terms (full-width, spaces, letter case folded), nearest terms of an unknown
wording, edits as versions (a retired term is no longer read, its wordings free again), intake normalisation."""

import pytest

from engine.core.errors import Conflict, InvalidData
from engine.ledger import code_tables


def test_wordings_offices_write_read_as_their_terms():
    tables = code_tables.load_packaged()
    assert tables.term("dispute_type", "婚恋") == "婚姻家庭"
    assert tables.term("dispute_type", "欠 薪") == "劳动争议"
    assert tables.term("dispute_type", "相邻关系") == "邻里"
    assert tables.term("channel", "１２３４５") == "12345热线"  # full-width digits
    assert tables.term("outcome", "未达成协议") == "调解不成"
    assert tables.term("dispute_type", "宠物纠纷") is None


def test_the_nearest_terms_of_an_unknown_wording():
    tables = code_tables.load_packaged()
    assert tables.nearest("dispute_type", "婚烟家庭")[0] == "婚姻家庭"
    assert tables.nearest("dispute_type", "欠薪纠纷案") == ["劳动争议"]
    assert tables.nearest("dispute_type", "邻里关系")[0] == "邻里"
    assert tables.nearest("outcome", "调解成")[0] == "调解成功"


def test_edits_are_versions_and_a_retired_term_is_read_no_more(db):
    with db.begin() as conn:
        code_tables.save(conn, "channel", "综合服务大厅", synonyms=["大厅"], retired=True, expected_version=0,
                         actor="super1")
        tables = code_tables.load(conn)
        assert tables.term("channel", "大厅") is None and "综合服务大厅" not in tables.terms("channel")
        moved = code_tables.save(conn, "channel", "网上平台", synonyms=["大厅", "网上"], expected_version=0,
                                 actor="admin1", note="改口径")
        assert (moved.version, moved.code, moved.changed_by) == (1, "online", "admin1")
        with pytest.raises(Conflict):
            code_tables.save(conn, "channel", "网上平台", synonyms=[], expected_version=0, actor="super1")
        with pytest.raises(InvalidData) as taken:
            code_tables.save(conn, "channel", "转办", synonyms=["网上"], expected_version=0, actor="super1")
        assert taken.value.errors == {"synonyms.0": '"网上" is already a wording of "网上平台"'}
        history = code_tables.history(conn, "channel", "网上平台")
        assert [(v.version, v.note) for v in history] == [(1, "改口径"), (0, None)]
        data = code_tables.normalise_intake(conn, {"channel": "大厅", "dispute_type": "劳资纠纷", "source": "x"})
        assert data == {"channel": "online", "dispute_type": "labour", "source": "x"}
