"""engine.validation.messages_zh: every validation message has a Chinese text."""

import ast
import re
from pathlib import Path

import pytest

from engine.core.errors import DefinitionRejected
from engine.validation import parse_documents
from engine.validation.messages_zh import to_zh
from tests.helpers.paths import ROOT

# Where DefinitionRejected problems are written (the catalogue lives next to the validation modules).
SOURCES = [
    *(p for p in sorted((ROOT / "engine" / "validation").glob("*.py")) if p.name != "messages_zh.py"),
    ROOT / "engine" / "processes" / "deploy.py",
    ROOT / "engine" / "spiff" / "compiler.py",
    ROOT / "api" / "processes" / "uploads.py",
]
MAKERS = {"problem", "Problem", "add", "refuse"}  # calls whose first argument is a problem message
CJK = re.compile(r"[\u4e00-\u9fff]")


def _render(node) -> str | None:
    """A message literal with every {placeholder} rendered as X; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
    return None


def _message_arg(call: ast.Call):
    """The message argument of a call to one of MAKERS, else None."""
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
    if name not in MAKERS:
        return None
    return call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "message"), None)


def _messages(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _message_arg(node) is not None:
            found.append(_render(_message_arg(node)))
        elif isinstance(node, ast.FunctionDef):
            calls = [_message_arg(c) for c in ast.walk(node) if isinstance(c, ast.Call)]
            passed = {a.id for a in calls if isinstance(a, ast.Name)}  # e.g. Problem(reason, ...)
            found += [_render(a.value) for a in ast.walk(node) if isinstance(a, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id in passed for t in a.targets)]
            if node.name.endswith("_problem"):  # helpers returning the message (or None)
                found += [_render(r.value) for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
    return [m for m in found if m is not None and not m.isspace()]


MESSAGES = sorted({m for path in SOURCES for m in _messages(path)})


def test_the_message_walk_finds_the_messages():
    assert len(MESSAGES) > 85, MESSAGES
    assert "X has no outgoing sequence flow" in MESSAGES
    assert "form file 'X' is not in the upload" in MESSAGES
    assert "JSON is nested too deeply (more than X levels)" in MESSAGES  # returned by _depth_problem
    assert "file is empty" in MESSAGES  # reason = "..."; Problem(reason, ...)


@pytest.mark.parametrize("message", MESSAGES)
def test_every_message_has_a_chinese_text(message):
    zh = to_zh(message)
    assert zh != message and CJK.search(zh), (message, zh)


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("bpmn:userTask has no outgoing sequence flow", "用户任务没有传出的顺序流"),
        ("duplicate id 'a' (first used on line 3)", "id 'a' 重复（首次使用于第 3 行）"),
        ("form file 'register.json' is not in the upload", "表单文件 'register.json' 不在上传内容中"),
        ("unsupported element bpmn:serviceTask (tiaojie has no service connectors)",
         "不支持的元素 服务任务 bpmn:serviceTask（本系统不支持服务连接器）"),
        ("bpmn:sendTask refers to unknown message 'm'", "发送任务引用了不存在的消息 'm'"),
        ("condition does not compile: syntax error: invalid syntax (line 1)",
         "条件表达式无法编译：语法错误：无效的语法（第 1 行）"),
        ("script does not compile: import is not allowed (line 2)", "脚本无法编译：不允许使用 import（第 2 行）"),
        ("file is too large (2000005 bytes, limit 2000000)", "文件过大（2000005 字节，上限 2000000）"),
        ("something new", "something new"),  # unknown: the English stays
    ],
)
def test_examples(english, chinese):
    assert to_zh(english) == chinese


def test_real_problems_of_a_broken_upload_are_translated():
    with pytest.raises(DefinitionRejected) as caught:
        parse_documents({"a.bpmn": b"<!DOCTYPE x><x/>", "f.json": b"[1]", "d.dmn": b"<definitions/>"})
    for p in caught.value.problems:
        assert CJK.search(to_zh(p.message)), p.message


def test_python_parser_messages_are_chinese_too():
    """"invalid syntax" and its kin came through in English on the Chinese editor page."""
    from engine.validation.messages_zh import reason_zh

    assert reason_zh("syntax error: '(' was never closed (line 2)") == "语法错误：“(”没有闭合（第 2 行）"
    assert reason_zh("syntax error: unterminated string literal (detected at line 1) (line 1)") == \
        "语法错误：字符串缺少结束引号（第 1 行）"
    assert reason_zh("syntax error: invalid syntax. Perhaps you forgot a comma?") == "语法错误：无效的语法（可能缺少逗号）"
