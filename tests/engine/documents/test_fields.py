"""check_template: every packaged template passes; each kind of bad name is refused with its dotted path;
syntax errors with the line; what the sandbox refuses is refused before it is stored."""

import pytest

from engine.core.errors import InvalidData
from engine.documents import FILE_KINDS, KINDS, check_template, sample_context
from engine.documents.contract import LISTS, ROOTS
from engine.documents.forms import all_forms, forms_of
from engine.documents.render import default_template


def _check(text, kind="agreement"):
    check_template(kind, text, forms_of(kind), all_forms())


def _refused(text, kind="agreement") -> dict:
    with pytest.raises(InvalidData) as e:
        _check(text, kind)
    return e.value.errors


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_packaged_template_passes(kind):
    _check(default_template(kind), kind)


def test_every_kind_has_its_forms():
    for kind, k in KINDS.items():
        if k.tasks:
            assert forms_of(kind), kind


@pytest.mark.parametrize(("text", "path"), [
    ("{{ case.foo }}", "case.foo"),
    ("{{ office.bank }}", "office.bank"),
    ("{{ form.no_such_field }}", "form.no_such_field"),
    ("{{ form_labels.no_such_field }}", "form_labels.no_such_field"),
    ("{{ data.no_such_field }}", "data.no_such_field"),
    ("{% for p in parties %}{{ p.bar }}{% endfor %}", "parties[].bar"),
    ("{% for p in applicants if p.zz %}{% endfor %}", "applicants[].zz"),
    ("{{ parties[0].qq }}", "parties[].qq"),
    ("{{ (clocks|first).nope }}", "clocks[].nope"),
    ("{{ parties.name }}", "parties.name"),
    ("{% set c = case %}{{ c.zzz }}", "case.zzz"),
    ("{{ secret }}", "secret"),
    ("{% for a in parties %}{% endfor %}{{ a.name }}", "a"),
    ("{{ loop.index }}", "loop"),
    ("{{ file.file_number }}", "file"),
    ("{{ form.get('nothing') }}", "form.nothing"),
    ("{{ parties|map(attribute='zz')|join }}", "parties[].zz"),
    ("{{ parties|selectattr('zz')|list }}", "parties[].zz"),
    ("{{ clocks|sort(attribute='nope')|first }}", "clocks[].nope"),
    ("{{ case|attr('nope') }}", "case.nope"),
    ("{{ lipsum(10) }}", "lipsum"),
])
def test_unknown_names_are_refused_with_their_path(text, path):
    errors = _refused(text)
    assert path in errors and "第1行" in errors[path]


def test_a_form_field_of_another_kind_is_refused():
    _check("{{ form.terms }}", "agreement")
    assert "form.terms" in _refused("{{ form.terms }}", "petition_opinion")
    _check("{{ data.terms }}", "petition_opinion")  # the case's data may hold any form's fields


def test_every_unknown_name_is_listed():
    errors = _refused("{{ case.a }}\n{{ form.b }}\n{% for p in parties %}{{ p.c }}{% endfor %}")
    assert set(errors) == {"case.a", "form.b", "parties[].c"}
    assert "第2行" in errors["form.b"]


def test_what_the_context_has_is_accepted():
    names = [f"{{{{ {root}.{key} }}}}" for root, keys in ROOTS.items() if keys for key in keys]
    names += [f"{{% for x in {lst} %}}{{{{ x.{key} }}}}{{{{ loop.index }}}}{{% endfor %}}" for lst, keys in LISTS.items()
              for key in keys]
    _check("\n".join(names))
    _check("{% macro line(a, b='') %}{{ a }}{{ b.anything }}{% endmacro %}{{ line(case.summary) }}"
           "{% for k, v in form.items() %}{{ k }}{{ v }}{% endfor %}{{ form.terms.split('\\n')|join('') }}"
           "{% set n = namespace(i=0) %}{{ n.i }}"
           "{{ form.agreement_effective_on|cn_date }}", "agreement")
    _check("{% for p in form.parties %}{{ p.id_number }}{% endfor %}", "application")
    for kind in FILE_KINDS:
        _check("{{ file.file_number }}{% for c in contents %}{{ c.title }}{% endfor %}", kind)


def test_form_array_items_are_checked():
    assert "form.parties[].zz" in _refused("{% for p in form.parties %}{{ p.zz }}{% endfor %}", "application")


@pytest.mark.parametrize("text", [
    "{{ ''.__class__ }}",
    "{{ case.summary.__class__.__mro__ }}",
    "{{ parties.append(1) }}",
    "{{ form.update({}) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ case|attr('__class__') }}",
])
def test_sandbox_refusals_are_refused(text):
    errors = _refused(text)
    assert any("沙箱" in v for v in errors.values()), errors


@pytest.mark.parametrize("text", ["{% include 'x.html' %}", "{% extends 'base.html' %}", "{% import 'm' as m %}"])
def test_templates_are_self_contained(text):
    assert "include" in _refused(text)


@pytest.mark.parametrize(("text", "line"), [("{{ x }", 1), ("a\nb\n{% if %}", 3), ("{% for %}", 1),
                                             ("\n{{ case.summary|no_such_filter }}", 2)])
def test_syntax_errors_name_the_line(text, line):
    with pytest.raises(InvalidData) as e:
        _check(text)
    assert f"第{line}行" in e.value.errors["template"] and f"第{line}行" in str(e.value)


def test_sample_context_is_complete():
    for kind in [*KINDS, *FILE_KINDS]:
        ctx = sample_context(kind)
        assert set(ctx) >= set(ROOTS) | set(LISTS)
        for root, keys in ROOTS.items():
            if keys:
                assert set(ctx[root]) == set(keys), (kind, root)
        for lst, keys in LISTS.items():
            assert all(set(item) == set(keys) for item in ctx[lst]), (kind, lst)
        assert [p["name"] for p in ctx["parties"]] == ["张三", "李四"]
    assert set(sample_context("agreement")["form"]) >= {"terms", "agreement_effective_on", "back_pay_amount"}


def test_escaping_cannot_be_turned_off_and_loops_stay_shallow():
    assert "autoescape" in _refused("{% autoescape false %}{{ case.summary }}{% endautoescape %}")
    assert "safe" in _refused("{{ case.summary|safe }}")
    loops = "{% for a in parties %}{% for b in parties %}{% for c in parties %}{% for d in parties %}"
    assert "for" in _refused(loops + "{% endfor %}" * 4)
    _check(loops[: loops.rindex("{% for d")] + "{% endfor %}" * 3)
