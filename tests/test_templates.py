"""Templates fail loudly in tests, and never take a filter argument through a relation
that may be missing.

A filter's argument is resolved without mercy: `{{ a|default:drive.receiving_institution.name }}`
raises VariableDoesNotExist, a server error, for a drive that has no receiving institution,
where `{{ drive.receiving_institution.name }}` alone would print "". Tests only see it if
their data happens to lack the relation, so every template is checked here by reading it.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template import Context, Template, engines
from django.template.base import FilterExpression, Node, Variable
from django.template.defaulttags import IfNode

import hienmau


def test_templates_render_strictly_in_tests():
    """pyproject.toml turns on pytest-django's FAIL_INVALID_TEMPLATE_VARS."""
    marker = settings.TEMPLATES[0]["OPTIONS"].get("string_if_invalid")
    assert marker and "%s" in marker  # an invalid variable calls it, and it fails the test
    with pytest.raises(pytest.fail.Exception, match=r"Undefined template variable 'a\.b'"):
        Template("{{ a.b }}").render(Context({"a": None}))


def possibly_missing_relations() -> set[str]:
    """Names by which a model reaches a related object that may not be there.

    Read by name, not by model (a template does not say what its variables are): a
    name that is a required relation elsewhere (`organization`) is left to the strict
    rendering of the tests that reach it.
    """
    nullable, required = set(), set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and (field.many_to_one or field.one_to_one):
                if not field.concrete:  # reverse one-to-one: there may be none
                    nullable.add(field.get_accessor_name())
                else:
                    (nullable if field.null else required).add(field.name)
    return nullable - required


def truthy(condition) -> set[str]:
    """The variables an {% if %} condition tests true: `a.b`, `a.b and c`."""
    if condition is None:
        return set()
    if getattr(condition, "id", None) == "and":
        return truthy(condition.first) | truthy(condition.second)
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression) and not value.filters and isinstance(
            value.var, Variable):
        return {value.var.var}
    return set()


def filter_expressions(thing, guards=frozenset(), seen=None):
    """(FilterExpression, variables known true there) inside a parsed template, in tags
    and conditions too."""
    seen = set() if seen is None else seen
    if id(thing) in seen or isinstance(thing, (str, bytes, int, float, type(None))):
        return
    seen.add(id(thing))
    if isinstance(thing, FilterExpression):
        yield thing, guards
        return
    if isinstance(thing, IfNode):
        for condition, nodelist in thing.conditions_nodelists:
            yield from filter_expressions(condition, guards, seen)
            yield from filter_expressions(nodelist, guards | truthy(condition), seen)
        return
    if isinstance(thing, dict):
        children = thing.values()
    elif isinstance(thing, (list, tuple, set)):
        children = thing
    elif isinstance(thing, Node) or type(thing).__module__.startswith("django.template"):
        children = vars(thing).values() if hasattr(thing, "__dict__") else ()
    else:
        return
    for child in children:
        yield from filter_expressions(child, guards, seen)


def unguarded_arguments(source: str, missing: set[str]) -> list[str]:
    """Filter arguments of a template that go through a possibly missing relation that no
    enclosing {% if %} tests."""
    found = []
    template = engines["django"].engine.from_string(source)
    for expression, guards in filter_expressions(template.nodelist):
        for _func, args in expression.filters:
            for is_variable, arg in args:
                if not is_variable or not isinstance(arg, Variable) or not arg.lookups:
                    continue
                if any(name in missing and ".".join(arg.lookups[:depth + 1]) not in guards
                       for depth, name in enumerate(arg.lookups[:-1])):
                    found.append(arg.var)
    return found


@pytest.mark.parametrize(("source", "found"), [
    ("{{ d.a|default:d.receiving_institution.name }}", ["d.receiving_institution.name"]),
    ("{% if d %}{{ d.receiving_institution.a|default:d.receiving_institution.name }}"
     "{% endif %}", ["d.receiving_institution.name"]),
    ("{% load i18n %}{% for d in ds %}"
     "{% blocktranslate with a=d.b|default:d.created_by.username %}{{ a }}"
     "{% endblocktranslate %}{% endfor %}", ["d.created_by.username"]),
    ("{% if d.receiving_institution %}{{ d.a|default:d.receiving_institution.name }}"
     "{% else %}—{% endif %}", []),
    ("{% if x and d.receiving_institution %}{{ d.a|default:d.receiving_institution.name }}"
     "{% endif %}", []),
    ("{{ d.a|default:d.organizer.name|default:'—' }}", []),  # a required relation
])
def test_the_check_sees_unguarded_arguments(source, found):
    assert unguarded_arguments(source, possibly_missing_relations()) == found


def test_no_filter_argument_goes_through_a_relation_that_may_be_missing():
    missing = possibly_missing_relations()
    assert {"receiving_institution", "created_by", "approved_by", "result"} <= missing
    assert "organizer" not in missing
    root = Path(hienmau.__file__).parent
    templates = sorted(path for path in root.rglob("templates/**/*") if path.is_file()
                       and path.suffix in {".html", ".txt", ".xml", ".svg"})
    assert len(templates) > 50
    found = [f"{path.relative_to(root)}: {arg}" for path in templates
             for arg in unguarded_arguments(path.read_text(encoding="utf-8"), missing)]
    assert found == [], ("guard the relation with {% if %} or pass the value from the view:\n"
                         + "\n".join(found))
