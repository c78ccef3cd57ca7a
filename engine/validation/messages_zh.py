"""Chinese texts of the validation problems (the English message stays the reference).

``to_zh(message)`` matches the English message against a catalogue of regular expressions and
fills the Chinese template with the named groups. Ids, file names and values keep their quoting;
BPMN/DMN element tags are named in Chinese. An unknown message is returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.core.durations import reason_zh as duration_reason_zh

# Element tags as ``display()`` writes them -> Chinese BPMN/DMN vocabulary.
ELEMENTS = {
    "bpmn:startEvent": "开始事件", "bpmn:endEvent": "结束事件", "bpmn:boundaryEvent": "边界事件",
    "bpmn:intermediateCatchEvent": "中间捕获事件", "bpmn:intermediateThrowEvent": "中间抛出事件",
    "bpmn:implicitThrowEvent": "隐式抛出事件", "bpmn:task": "任务", "bpmn:userTask": "用户任务",
    "bpmn:manualTask": "手工任务", "bpmn:scriptTask": "脚本任务", "bpmn:businessRuleTask": "业务规则任务",
    "bpmn:sendTask": "发送任务", "bpmn:receiveTask": "接收任务", "bpmn:serviceTask": "服务任务",
    "bpmn:callActivity": "调用活动", "bpmn:subProcess": "子流程", "bpmn:transaction": "事务子流程",
    "bpmn:adHocSubProcess": "临时子流程", "bpmn:exclusiveGateway": "排他网关",
    "bpmn:inclusiveGateway": "包容网关", "bpmn:parallelGateway": "并行网关",
    "bpmn:eventBasedGateway": "事件网关", "bpmn:complexGateway": "复杂网关",
    "bpmn:callChoreography": "调用编排", "bpmn:choreographyTask": "编排任务",
    "bpmn:subChoreography": "子编排", "bpmn:dataStore": "数据存储",
    "bpmn:dataStoreReference": "数据存储引用", "bpmn:sequenceFlow": "顺序流", "bpmn:process": "流程",
    "bpmn:lane": "泳道", "bpmn:laneSet": "泳道集", "bpmn:participant": "参与者",
    "bpmn:messageEventDefinition": "消息事件定义", "bpmn:signalEventDefinition": "信号事件定义",
    "bpmn:timerEventDefinition": "定时器事件定义", "bpmn:conditionalEventDefinition": "条件事件定义",
    "bpmn:errorEventDefinition": "错误事件定义", "bpmn:escalationEventDefinition": "升级事件定义",
    "bpmn:cancelEventDefinition": "取消事件定义", "bpmn:compensateEventDefinition": "补偿事件定义",
    "bpmn:linkEventDefinition": "链接事件定义", "bpmn:terminateEventDefinition": "终止事件定义",
    "dmn:decision": "决策", "dmn:decisionTable": "决策表", "dmn:input": "输入列", "dmn:output": "输出列",
    "dmn:rule": "规则", "dmn:inputEntry": "输入条目", "dmn:outputEntry": "输出条目",
    "dmn:annotationEntry": "注释条目",
}  # fmt: skip
# What kind of code a "<label> does not compile" message is about.
LABELS = {
    "condition": "条件表达式", "loop condition": "循环条件", "loop cardinality": "循环次数",
    "completion condition": "完成条件", "correlation expression": "关联表达式", "script": "脚本",
    "preScript": "前置脚本（preScript）", "postScript": "后置脚本（postScript）",
    "message payload": "消息内容表达式", "payload expression": "消息内容表达式",
    "timer expression": "定时器表达式", "input expression": "输入表达式", "output entry": "输出条目",
}  # fmt: skip
_REFS = {"message": "消息", "signal": "信号", "error": "错误", "escalation": "升级"}
_KINDS = {"an array": "数组", "a string": "字符串", "a boolean": "布尔值", "null": "null", "a number": "数字"}
_WANTED = {"bpmn:definitions or dmn:definitions": "bpmn:definitions 或 dmn:definitions"}
_WHY = {"tiaojie has no service connectors": "本系统不支持服务连接器", "tiaojie has no data stores": "本系统不支持数据存储"}
_NS = {"no namespace": "无命名空间"}


def element_zh(tag: str) -> str:
    """'用户任务' for 'bpmn:userTask'; an unknown tag as it is."""
    return ELEMENTS.get(tag, tag)


def _tagged(tag: str) -> str:
    """'服务任务 bpmn:serviceTask': the Chinese name with the tag, for messages about element types."""
    return f"{ELEMENTS[tag]} {tag}" if tag in ELEMENTS else tag


# Reasons produced by the sandbox and the compiler, inside "... does not compile: <reason>".
_REASONS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(?P<x>.*) \(line (?P<n>\d+)\)$", re.S), "{x}（第 {n} 行）"),
    (re.compile(r"^syntax error: (?P<x>.*)$", re.S), "语法错误：{x}"),
    # Python's own parser messages (after "syntax error: ")
    (re.compile(r"^invalid syntax\. Perhaps you forgot a comma\?$"), "无效的语法（可能缺少逗号）"),
    (re.compile(r"^invalid syntax$"), "无效的语法"),
    (re.compile(r"^'(?P<b>.)' was never closed$"), "“{b}”没有闭合"),
    (re.compile(r"^unmatched '(?P<b>.)'$"), "多余的“{b}”"),
    (re.compile(r"^closing parenthesis '(?P<a>.)' does not match opening parenthesis '(?P<b>.)'.*$"),
     "右括号“{a}”与左括号“{b}”不匹配"),
    (re.compile(r"^unterminated (?:triple-quoted )?string literal.*$"), "字符串缺少结束引号"),
    (re.compile(r"^invalid (?:decimal|hexadecimal|octal|binary) literal$"), "无效的数字"),
    (re.compile(r"^expected '(?P<c>[^']+)'$"), "此处应为“{c}”"),
    (re.compile(r"^(?:unexpected EOF while parsing|incomplete input)$"), "表达式不完整"),
    (re.compile(r"^(?:unexpected|unindent does not match any outer) indent(?:ation level)?$"), "缩进不正确"),
    (re.compile(r"^expected an indented block.*$"), "缺少缩进的语句块"),
    (re.compile(r"^invalid character .*$"), "无效字符"),
    (re.compile(r"^invalid non-printable character .*$"), "无效的不可见字符"),
    (re.compile(r"^cannot assign to .*$"), "赋值目标不正确"),
    (re.compile(r"^import is not allowed$"), "不允许使用 import"),
    (re.compile(r"^class definitions are not allowed$"), "不允许定义类"),
    (re.compile(r"^generators \(yield\) are not allowed$"), "不允许使用生成器（yield）"),
    (re.compile(r'^assigning or deleting attributes \("(?P<x>.*)"\) is not allowed$'), '不允许赋值或删除属性（"{x}"）'),
    (re.compile(r'^(?:attribute )?"(?P<x>.*)" is not allowed$'), '不允许使用 "{x}"'),
    (re.compile(r"^source is too long \((?P<n>\d+) characters, limit (?P<m>\d+)\)$"), "代码过长（{n} 个字符，上限 {m}）"),
    (re.compile(r"^source cannot be compiled: (?P<x>.*)$"), "代码无法编译：{x}"),
    (re.compile(r"^source must be a string$"), "代码必须是文本"),
]  # fmt: skip


def reason_zh(reason: str) -> str:
    """Translate a compile reason as far as it is known (the rest stays as the sandbox wrote it)."""
    for pattern, template in _REASONS:
        m = pattern.match(reason)
        if m:
            groups = {k: reason_zh(v) if k == "x" else v for k, v in m.groupdict().items()}
            return template.format(**groups)
    return reason


def _label(group: str) -> Callable[[dict], str]:
    return lambda g: LABELS.get(g[group], g[group])


Template = str | Callable[[dict], str]
_ID = r"'(?P<id>.*)'"

CATALOGUE: list[tuple[re.Pattern, Template]] = [
    (re.compile(p, re.S), t)
    for p, t in [
        # uploads and files (engine.validation, api.processes, engine.processes.deploy)
        (r"^no files uploaded$", "未上传任何文件"),
        (r"^no files uploaded \(multipart field 'files'\)$", "未上传任何文件（multipart 字段 'files'）"),
        (r"^no files given$", "未提供任何文件"),
        (r"^uploaded file has no name$", "上传的文件没有文件名"),
        (r"^two files named (?P<f>.*)$", "有两个文件都名为 {f}"),
        (r"^file content is not bytes$", "文件内容不是字节数据"),
        (r"^file is too large \((?P<n>\S+) bytes, limit (?P<m>\S+)\)$", "文件过大（{n} 字节，上限 {m}）"),
        (r"^file is empty$", "文件为空"),
        (r"^unsupported file type \(use (?P<x>.*)\)$", "不支持的文件类型（请使用 {x}）"),
        (r"^upload is too large \((?P<n>\S+) bytes in total, limit (?P<m>\S+)\)$", "上传内容过大（共 {n} 字节，上限 {m}）"),
        (r"^(?P<n>\S+) more problems not shown$", "另有 {n} 个问题未显示"),
        (r"^duplicate decision id " + _ID + r" \(also in (?P<f>.*)\)$", "决策 id '{id}' 重复（{f} 中也有）"),
        (r"^model could not be compiled: (?P<x>.*)$", "模型无法编译：{x}"),
        # XML safety and schema
        (r"^DOCTYPE is not allowed$", "不允许使用 DOCTYPE"),
        (r"^entity references are not allowed$", "不允许使用实体引用"),
        (r"^XInclude is not allowed$", "不允许使用 XInclude"),
        (r"^malformed XML: (?P<x>.*)$", "XML 格式错误：{x}"),
        (r"^attribute (?P<a>\S+) is too long \((?P<n>\S+) characters, limit (?P<m>\S+)\)$",
         "属性 {a} 过长（{n} 个字符，上限 {m}）"),
        (r"^text is too long \((?P<n>\S+) characters, limit (?P<m>\S+)\)$", "文本过长（{n} 个字符，上限 {m}）"),
        (r"^XSD: (?P<n>\S+) more schema errors not shown$", "XSD 架构校验：另有 {n} 个架构错误未显示"),
        (r"^XSD: (?P<x>.*)$", "XSD 架构校验未通过：{x}"),
        (r"^root element must be bpmn:definitions \(namespace (?P<ns>.*)\)$",
         "根元素必须是 bpmn:definitions（命名空间 {ns}）"),
        (r"^root element must be (?P<w>.+?) \(found (?P<tag>.*) in (?P<ns>.*)\)$",
         lambda g: f"根元素必须是 {_WANTED.get(g['w'], g['w'])}（实际为 {g['tag']}，"
                   f"命名空间 {_NS.get(g['ns'], g['ns'])}）"),
        # processes, ids and the call graph
        (r"^no executable process \(the upload has no BPMN file\)$", "没有可执行的流程（上传内容中没有 BPMN 文件）"),
        (r"^no executable process \(isExecutable is not true\)$", "没有可执行的流程（isExecutable 不为 true）"),
        (r"^duplicate id " + _ID + r" \(first used on line (?P<n>\S+)\)$", "id '{id}' 重复（首次使用于第 {n} 行）"),
        (r"^process has no isExecutable attribute .*; set it explicitly$",
         "流程没有 isExecutable 属性（BPMN 将其视为 false，SpiffWorkflow 视为 true），请明确设置"),
        (r"^process has no id$", "流程没有 id"),
        (r"^duplicate process id " + _ID + r" \(also in (?P<f>.*)\)$", "流程 id '{id}' 重复（{f} 中也有）"),
        (r"^call activity has no calledElement$", "调用活动没有 calledElement（被调用流程）"),
        (r"^call activity calls unknown process " + _ID + "$", "调用活动调用了不存在的流程 '{id}'"),
        (r"^call activity calls process " + _ID + r", which is not executable \(isExecutable is not true\)$",
         "调用活动调用的流程 '{id}' 不可执行（isExecutable 不为 true）"),
        (r"^subprocess id " + _ID + " is also the id of a process$", "子流程 id '{id}' 与某个流程的 id 相同"),
        (r"^subprocess id " + _ID + " is also used in (?P<f>.*)$", "子流程 id '{id}' 也在 {f} 中使用"),
        # DMN
        (r"^the DMN namespace must be the default namespace or use the prefix 'dmn'$",
         "DMN 命名空间必须是默认命名空间，或使用前缀 'dmn'"),
        (r"^DMN file has no decision$", "DMN 文件中没有决策"),
        (r"^only one decision per DMN file is supported$", "每个 DMN 文件只支持一个决策"),
        (r"^decision has no id$", "决策没有 id"),
        (r"^decision has no decisionTable \(only decision tables are supported\)$", "决策没有决策表（仅支持决策表）"),
        (r"^hit policy (?P<x>.*) is not supported \(use UNIQUE, FIRST or COLLECT\)$",
         "不支持命中策略 {x}（请使用 UNIQUE、FIRST 或 COLLECT）"),
        (r"^COLLECT aggregation (?P<x>.*) is not supported$", "不支持 COLLECT 聚合方式 {x}"),
        (r"^unsupported element (?P<el>\S+) in decision table$", lambda g: f"决策表中有不支持的元素 {_tagged(g['el'])}"),
        (r"^output has no name$", "输出列没有名称"),
        (r"^input has no inputExpression text$", "输入列没有输入表达式（inputExpression）文本"),
        (r"^rule has (?P<a>\S+) input and (?P<b>\S+) output entries; "
         r"the table has (?P<c>\S+) inputs and (?P<d>\S+) outputs$",
         "规则有 {a} 个输入条目和 {b} 个输出条目，而决策表有 {c} 个输入列和 {d} 个输出列"),
        (r"^input entry has no text element$", "输入条目没有 text 元素"),
        (r"^input entry is too long \((?P<n>\S+) characters, limit (?P<m>\S+)\)$", "输入条目过长（{n} 个字符，上限 {m}）"),
        (r"^input entry '(?P<t>.*)' is a comma list, which SpiffWorkflow compares as one tuple; "
         r"write '\? in \((?P<t2>.*)\)' instead$",
         "输入条目 '{t}' 是逗号分隔的列表，SpiffWorkflow 会把它当作一个元组比较；请改写为 '? in ({t2})'"),
        (r"^input entry does not compile: (?P<r>.*)$", lambda g: f"输入条目无法编译：{reason_zh(g['r'])}"),
        # expressions, scripts and timers
        (r"^script format '(?P<x>.*)' is not supported \(use python\)$", "不支持脚本格式 '{x}'（请使用 python）"),
        (r"^script task has no script$", "脚本任务没有脚本"),
        (r"^timer has no timeDate, timeDuration or timeCycle$", "定时器没有 timeDate、timeDuration 或 timeCycle"),
        (r"^timer (?P<p>\S+) expression is empty$", "定时器的 {p} 表达式为空"),
        (r"^timer (?P<p>\S+): (?P<r>.*)$",
         lambda g: f"定时器 {g['p']}：{duration_reason_zh(g['r'])}"),
        (r"^(?P<label>.+?) does not compile: (?P<r>.*)$",
         lambda g: f"{_label('label')(g)}无法编译：{reason_zh(g['r'])}"),
        # forms
        (r"^JSON is nested too deeply \(more than (?P<n>\S+) levels\)$", "JSON 嵌套过深（超过 {n} 层）"),
        (r"^\$ref '(?P<x>.*)' points outside the form; only local references \(#/\.\.\.\) are allowed$",
         "$ref '{x}' 指向表单之外；只允许本地引用（#/...）"),
        (r"^form is not UTF-8: (?P<x>.*) at byte (?P<n>\S+)$", "表单不是 UTF-8 编码：{x}（第 {n} 字节）"),
        (r"^invalid JSON: (?P<x>.*) \(column (?P<n>\S+)\)$", "JSON 格式错误：{x}（第 {n} 列）"),
        (r"^form must be a JSON object, not (?P<k>.*)$", lambda g: f"表单必须是 JSON 对象，而不是{_KINDS.get(g['k'], g['k'])}"),
        (r"^invalid JSON Schema at (?P<w>.*?): (?P<x>.*)$", "JSON Schema 不合法，位置 {w}：{x}"),
        (r"^JSON Schema is nested too deeply$", "JSON Schema 嵌套过深"),
        (r'^form schema must have "type": "object"$', '表单的 JSON Schema 必须有 "type": "object"'),
        (r"^form file '(?P<f>.*)' is not in the upload$", "表单文件 '{f}' 不在上传内容中"),
    ]
]
_EL = r"(?P<el>\S+)"


def _el(g: dict) -> str:
    return element_zh(g["el"])


CATALOGUE += [
    (re.compile(p, re.S), t)
    for p, t in [
        # flow structure (engine.validation.nodes)
        (r"^unsupported element " + _EL + r" in (?P<node>\S+)$",
         lambda g: f"{element_zh(g['node'])}中有不支持的元素 {_tagged(g['el'])}"),
        (r"^unsupported element " + _EL + r"(?: \((?P<why>.*)\))?$",
         lambda g: f"不支持的元素 {_tagged(g['el'])}" + (f"（{_WHY.get(g['why'], g['why'])}）" if g["why"] else "")),
        (r"^dangling sequence flow: starts at unknown element " + _ID + "$", "顺序流悬空：起点是不存在的元素 '{id}'"),
        (r"^dangling sequence flow: targets unknown element " + _ID + "$", "顺序流悬空：终点是不存在的元素 '{id}'"),
        (r"^missing start event$", "缺少开始事件"),
        (r"^ad hoc subprocess may not contain start or end events$", "临时子流程中不能有开始事件或结束事件"),
        (r"^sequential ad hoc subprocess is not supported$", "不支持顺序执行的临时子流程"),
        (r"^subprocess needs exactly one start event, found (?P<n>\S+)$", "子流程必须恰好有一个开始事件，实际有 {n} 个"),
        (r"^subprocess has no end event$", "子流程没有结束事件"),
        (r"^start event must not have an incoming sequence flow$", "开始事件不能有传入的顺序流"),
        (r"^start event has no outgoing sequence flow$", "开始事件没有传出的顺序流"),
        (r"^end event has no incoming sequence flow$", "结束事件没有传入的顺序流"),
        (r"^end event must not have an outgoing sequence flow$", "结束事件不能有传出的顺序流"),
        (r"^boundary event must not have an incoming sequence flow$", "边界事件不能有传入的顺序流"),
        (r"^boundary event has no outgoing sequence flow$", "边界事件没有传出的顺序流"),
        (r"^event subprocess must not have sequence flows$", "事件子流程不能连接顺序流"),
        (r"^" + _EL + r" has no incoming sequence flow$", lambda g: f"{_el(g)}没有传入的顺序流"),
        (r"^" + _EL + r" has no outgoing sequence flow$", lambda g: f"{_el(g)}没有传出的顺序流"),
        (r"^" + _EL + r" has (?P<n>\S+) outgoing sequence flows; use a gateway to split$",
         lambda g: f"{_el(g)}有 {g['n']} 条传出的顺序流；请用网关分支"),
        (r"^" + _EL + r" has no id$", lambda g: f"{_el(g)}没有 id"),
        (r"^boundary event attached to unknown element " + _ID + "$", "边界事件附着在不存在的元素 '{id}' 上"),
        (r"^cancel boundary event must be attached to a transaction$", "取消边界事件必须附着在事务子流程上"),
        (r"^default flow " + _ID + " is not an outgoing sequence flow$", "默认流 '{id}' 不是本元素传出的顺序流"),
        (r"^sequence flow leaving gateway " + _ID + " has no condition and is not the default flow$",
         "从网关 '{id}' 传出的顺序流没有条件，也不是默认流"),
        (r"^conditional sequence flow is only supported after an exclusive or inclusive gateway, not after "
         + _EL + "$", lambda g: f"条件顺序流只能用在排他网关或包容网关之后，不能用在{_el(g)}之后"),
        (r"^eventDefinitionRef is not supported; define the event inline$",
         "不支持 eventDefinitionRef；请在事件内直接定义事件"),
        (r"^" + _EL + r" refers to unknown (?P<kind>\S+) " + _ID + "$",
         lambda g: f"{_el(g)}引用了不存在的{_REFS.get(g['kind'], g['kind'])} '{g['id']}'"),
        (r"^boundary event has no event definition$", "边界事件没有事件定义"),
        (r"^start event of an event subprocess needs a message, signal, timer or conditional trigger$",
         "事件子流程的开始事件需要消息、信号、定时器或条件触发"),
        (r"^loop needs a loopMaximum or a loopCondition$", "循环需要 loopMaximum（最大次数）或 loopCondition（循环条件）"),
        (r"^loopMaximum must be a whole number$", "loopMaximum（最大次数）必须是整数"),
        (r"^multi-instance needs exactly one of loopCardinality or loopDataInputRef$",
         "多实例必须且只能设置 loopCardinality 或 loopDataInputRef 之一"),
        (r"^business rule task has no spiffworkflow:calledDecisionId$",
         "业务规则任务没有 spiffworkflow:calledDecisionId（被调用的决策）"),
        (r"^business rule task calls unknown decision " + _ID + "$", "业务规则任务调用了不存在的决策 '{id}'"),
    ]
]


def to_zh(message: str) -> str:
    """The Chinese text of an English validation message (unknown messages: unchanged)."""
    for pattern, template in CATALOGUE:
        m = pattern.match(message)
        if m:
            groups = {k: v for k, v in m.groupdict().items()}
            return template(groups) if callable(template) else template.format(**groups)
    return message
