"""What a template names, checked before it is stored: ``check_template`` walks the Jinja syntax tree and refuses
every name outside ``engine.documents.contract`` (or a form field no form of its kind's tasks has), every syntax
error with its line, and what the sandbox would refuse (``_``-names, mutating methods, include/import).

``sample_context`` is a full context of a realistic sample case (two parties) for previews and tests.
"""

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from engine.core.errors import InvalidData
from engine.documents.contract import FILE_LISTS, FILE_ROOTS, LISTS, ROOTS
from engine.documents.sample import sample_context

__all__ = ["active_content", "check_template", "form_fields", "sample_context"]

_FORM_ROOTS = ("form", "form_labels")
_DATA_ROOTS = ("data", "data_labels")
# Jinja's own globals and the names Jinja binds itself.
_BUILTINS = {"range", "dict", "cycler", "joiner", "namespace", "true", "false", "none", "True", "False",
             "None"}
# What ImmutableSandboxedEnvironment refuses on lists, dicts and sets (modifying methods).
_MUTATING = {"append", "clear", "copy", "extend", "insert", "pop", "popitem", "remove", "reverse", "setdefault",
             "sort", "update", "add", "difference_update", "discard", "intersection_update",
             "symmetric_difference_update", "__setitem__", "__delitem__"}
_MAPPING_METHODS = {"items", "keys", "values", "get"}

MAX_LOOP_DEPTH = 3
ANY = ("any",)  # a value the checker does not follow (a string, a number, a local of unknown shape)


def form_fields(forms: list[dict]) -> dict[str, dict]:
    """Field name -> its JSON schema, over the given form schemas (``allOf``/``if``/``then`` branches too)."""
    out: dict[str, dict] = {}

    def take(schema):
        if not isinstance(schema, dict):
            return
        for name, prop in (schema.get("properties") or {}).items():
            if isinstance(prop, dict):
                out.setdefault(name, prop)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(key) or []:
                take(sub)
        for key in ("if", "then", "else"):
            take(schema.get(key))

    for f in forms:
        take(f)
    return out


class _Checker:
    def __init__(self, kind: str, form: dict[str, dict], data: dict[str, dict]):
        self.file = kind.startswith("file_")
        self.form, self.data = form, data
        self.errors: dict[str, str] = {}
        self.depth = 0

    def bad(self, path: str, message: str, lineno: int | None):
        self.errors.setdefault(path, f"{message}（第{lineno}行）" if lineno else message)

    # -- what a name or attribute is --------------------------------------------------------------------------
    def global_(self, name: str):
        if name in ROOTS:
            keys = ROOTS[name]
            if keys is None:
                return ("fields", name, self.form if name in _FORM_ROOTS else self.data)
            return ("keys", name, keys)
        if name in LISTS:
            return ("list", name, LISTS[name])
        if self.file and name in FILE_ROOTS:
            return ("keys", name, FILE_ROOTS[name])
        if self.file and name in FILE_LISTS:
            return ("list", name, FILE_LISTS[name])
        if name in _BUILTINS:
            return ANY
        return None

    def attr(self, base, key, node) -> tuple:
        line = node.lineno
        if isinstance(key, str) and (key.startswith("_") or key in _MUTATING):
            where = f"{base[1]}.{key}" if len(base) > 1 else str(key)
            self.bad(where, f"模板不能使用“{key}”（沙箱禁止）", line)
            return ANY
        kind = base[0]
        if kind == "keys":
            if key not in base[2]:
                self.bad(f"{base[1]}.{key}", f"未知字段“{base[1]}.{key}”", line)
            return ANY
        if kind == "fields":
            if key not in base[2]:
                whose = "本类文书所属任务的表单" if base[1] in _FORM_ROOTS else "任何表单"
                self.bad(f"{base[1]}.{key}", f"未知字段“{base[1]}.{key}”：{whose}都没有该字段", line)
                return ANY
            schema = base[2][key]
            items = schema.get("items") if isinstance(schema, dict) and schema.get("type") == "array" else None
            if isinstance(items, dict) and items.get("properties") and base[1] in ("form", "data"):
                return ("list", f"{base[1]}.{key}", tuple(items["properties"]))
            return ANY
        if kind == "list":
            if isinstance(key, int):
                return ("keys", f"{base[1]}[]", base[2])
            self.bad(f"{base[1]}.{key}", f"“{base[1]}”是列表，没有“{key}”", line)
            return ANY
        return ANY

    def expr(self, node, scope) -> tuple:
        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return ANY
            if node.name in scope:
                return scope[node.name]
            found = self.global_(node.name)
            if found is None:
                self.bad(node.name, f"未知名称“{node.name}”", node.lineno)
                return ANY
            return found
        if isinstance(node, nodes.Getattr):
            return self.attr(self.expr(node.node, scope), node.attr, node)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
                return self.attr(base, node.arg.value, node)
            self.expr(node.arg, scope)
            return ("keys", f"{base[1]}[]", base[2]) if base[0] == "list" else ANY
        if isinstance(node, nodes.Call):
            fn = node.node
            if isinstance(fn, nodes.Getattr) and fn.attr in _MAPPING_METHODS:
                base = self.expr(fn.node, scope)
                if base[0] in ("keys", "fields") and fn.attr == "get" and node.args \
                        and isinstance(node.args[0], nodes.Const):
                    self.attr(base, node.args[0].value, node)
            else:
                self.expr(fn, scope)
            for child in (*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs):
                if child is not None:
                    self.expr(child, scope)
            return ANY
        if isinstance(node, nodes.Filter) and node.name == "safe":
            self.bad("safe", "模板不能使用“safe”（值须转义输出）", node.lineno)
        if isinstance(node, nodes.Filter) and node.node is not None:
            self.filter_attribute(node, scope)
        if isinstance(node, nodes.Filter) and node.name in ("first", "last", "sort", "unique", "reverse",
                                                             "selectattr", "rejectattr", "list", "batch"):
            base = self.expr(node.node, scope) if node.node is not None else ANY
            self.children(node, scope, skip=node.node)
            if base[0] == "list":
                return ("keys", f"{base[1]}[]", base[2]) if node.name in ("first", "last") else base
            return ANY
        self.children(node, scope)
        return ANY

    def filter_attribute(self, node, scope):
        """``x|attr('a')`` is ``x.a``; ``parties|map(attribute='a')``, ``|selectattr('a')`` … name items' keys."""
        names = []
        if node.name in ("attr", "selectattr", "rejectattr", "groupby") and node.args \
                and isinstance(node.args[0], nodes.Const):
            names.append(node.args[0].value)
        names += [kw.value.value for kw in node.kwargs
                  if kw.key == "attribute" and isinstance(kw.value, nodes.Const)]
        if not names:
            return
        base = self.expr(node.node, scope)
        if node.name != "attr" and base[0] == "list":
            base = ("keys", f"{base[1]}[]", base[2])
        elif node.name != "attr":
            base = ANY
        for name in names:
            first = str(name).split(".")[0] if isinstance(name, str) else name
            self.attr(base, int(first) if isinstance(first, str) and first.isdigit() else first, node)

    def children(self, node, scope, skip=None):
        for child in node.iter_child_nodes():
            if child is not skip:
                self.expr(child, scope) if isinstance(child, nodes.Expr) else self.stmt(child, scope)

    # -- statements --------------------------------------------------------------------------------------------
    def body(self, stmts, scope):
        for s in stmts:
            self.stmt(s, scope)

    def bind(self, target, value, scope):
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for t in target.items:
                self.bind(t, ANY, scope)
        elif isinstance(target, nodes.NSRef):
            pass

    def stmt(self, node, scope):
        if isinstance(node, nodes.Expr):
            self.expr(node, scope)
        elif isinstance(node, (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
            self.bad("include", "模板须自成一体，不能 include / extends / import", node.lineno)
        elif isinstance(node, nodes.EvalContextModifier):
            self.bad("autoescape", "模板不能关闭转义（autoescape）", node.lineno)
        elif isinstance(node, nodes.For):
            self.depth += 1
            if self.depth > MAX_LOOP_DEPTH:
                self.bad("for", f"循环嵌套不能超过{MAX_LOOP_DEPTH}层", node.lineno)
            seq = self.expr(node.iter, scope)
            inner = dict(scope)
            item = ("keys", f"{seq[1]}[]", seq[2]) if seq[0] == "list" else ANY
            self.bind(node.target, item, inner)
            inner["loop"] = ANY
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, dict(scope))
            self.depth -= 1
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, dict(scope))
            self.bind(node.target, ANY, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for d in node.defaults:
                self.expr(d, scope)
            for a in node.args:
                inner[a.name] = ANY
            inner.update(varargs=ANY, kwargs=ANY, caller=ANY)
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            self.body(node.body, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for t, v in zip(node.targets, node.values, strict=False):
                self.bind(t, self.expr(v, scope), inner)
            self.body(node.body, inner)
        else:
            self.children(node, scope)


_ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "form", "base", "link", "meta", "svg",
                "math", "template", "portal"}
_URL_ATTRS = {"src", "href", "srcset", "action", "formaction", "data", "poster", "background", "xlink:href",
              "ping", "lowsrc", "dynsrc", "codebase", "cite", "longdesc", "manifest", "icon", "archive"}


def active_content(html: str) -> list[str]:
    """What in a rendered paper could run or fetch something in a browser (a preview): script and embedding
    tags, ``on…`` handlers, ``javascript:`` URLs, URLs other than ``data:`` and in-page ``#`` links. Every tag
    of the text is looked at, wherever it stands (also after ``</html>``, where browsers still run it)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tag = tag.lower()
            if tag in _ACTIVE_TAGS and not (tag == "meta" and {a for a, _ in attrs} <= {"charset"}):
                found.append(f"<{tag}>")
            for name, value in attrs:
                value = (value or "").strip().lower()
                if name.startswith("on"):
                    found.append(f"{tag}@{name}")
                elif name in _URL_ATTRS and value and not value.startswith(("data:", "#")):
                    found.append(f"{tag}@{name}")
                elif name == "style" and ("url(" in value or "expression(" in value or "@import" in value):
                    found.append(f"{tag}@style url()")

        handle_startendtag = handle_starttag

        def handle_data(self, data):
            if self.lasttag == "style" and ("url(" in data.lower() or "@import" in data.lower()):
                found.append("<style> url()")

    scan = Scan(convert_charrefs=True)
    scan.feed(html or "")
    scan.close()
    return list(dict.fromkeys(found))


def check_template(kind: str, text: str, forms_of_kind: list[dict], data_forms: list[dict] | None = None) -> None:
    """Raise ``InvalidData`` (``errors``: dotted path -> reason) unless the template names only what the context
    of ``kind`` has: ``form.x`` a field of ``forms_of_kind``, ``data.x`` a field of ``data_forms`` (default: the
    same forms), everything else from ``engine.documents.contract``."""
    from engine.documents.render import _env

    env = _env()
    try:
        tree = env.parse(text)
        env.compile(tree)  # unknown filters and tests are refused here
    except TemplateSyntaxError as e:
        raise InvalidData(f"模板语法错误（第{e.lineno}行）：{e.message}",
                          {"template": f"第{e.lineno}行：{e.message}"}) from e
    form = form_fields(forms_of_kind)
    data = form_fields(data_forms if data_forms is not None else forms_of_kind)
    checker = _Checker(kind, form, data)
    checker.body(tree.body, {})
    if checker.errors:
        names = "、".join(checker.errors)
        raise InvalidData(f"模板使用了不存在或不允许的名称：{names}", dict(checker.errors))
