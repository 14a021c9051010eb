"""Compile an ISO Schematron schema (XSLT 2.0 query binding) into an XSLT 2.0 stylesheet that reports SVRL.

The standard "skeleton" does this in XSLT 1.0 only (as lxml ships it), so the small subset the Peppol
BIS and EN 16931 rule files use is compiled here: ``ns``, schema- and pattern-level ``let`` (global
variables), XSLT ``function`` elements (copied as they are), ``pattern`` / ``rule`` / ``let`` /
``assert`` / ``report`` with ``value-of`` and ``name`` inside their text.

Invariants (ISO Schematron semantics): within one pattern a node is checked by the first rule whose
context matches it (rules become templates of one mode with falling priorities) and the walk goes on
through its children; each pattern walks the whole document; a failed ``assert`` (or a true ``report``)
becomes an ``svrl:failed-assert`` (``svrl:successful-report``) with the rule's ``id``, ``flag`` and
``location`` and its text. Anything else the compiler meets is refused, not ignored.
"""

from __future__ import annotations

import copy

from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
_SKIPPED = {"title", "p"}


class SchematronError(ValueError):
    """The schema uses a Schematron construct this compiler does not support."""


def compile_schematron(schema: bytes) -> bytes:
    """The XSLT 2.0 stylesheet (as bytes) that validates documents against ``schema``."""
    source = etree.fromstring(schema, etree.XMLParser(resolve_entities=False, no_network=True))
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in source.iterchildren(f"{{{SCH}}}ns")}
    sheet = etree.Element(f"{{{XSL}}}stylesheet", version="2.0",
                          nsmap={"xsl": XSL, "svrl": SVRL, "xs": "http://www.w3.org/2001/XMLSchema",
                                 **namespaces})
    etree.SubElement(sheet, f"{{{XSL}}}output", method="xml", indent="no")
    patterns: list[etree._Element] = []
    for child in source.iterchildren(etree.Element):
        _top_level(sheet, child, patterns)
    _root_template(sheet, len(patterns))
    for number, pattern in enumerate(patterns):
        _pattern(sheet, pattern, f"M{number}")
    return etree.tostring(sheet, xml_declaration=True, encoding="UTF-8")


def _top_level(sheet: etree._Element, child: etree._Element, patterns: list[etree._Element]) -> None:
    name = etree.QName(child)
    if name.namespace == XSL:
        sheet.append(copy.deepcopy(child))
    elif name.localname == "let":
        _variable(sheet, child)
    elif name.localname == "pattern":
        patterns.append(child)
    elif name.localname not in _SKIPPED | {"ns"}:
        raise SchematronError(f"unsupported Schematron element <{name.localname}> at schema level")


def _variable(parent: etree._Element, let: etree._Element) -> None:
    if let.get("value") is None:
        raise SchematronError(f"let {let.get('name')!r} without a value attribute")
    etree.SubElement(parent, f"{{{XSL}}}variable", name=let.get("name", ""), select=let.get("value", ""))


def _root_template(sheet: etree._Element, count: int) -> None:
    template = etree.SubElement(sheet, f"{{{XSL}}}template", match="/")
    output = etree.SubElement(template, f"{{{SVRL}}}schematron-output")
    for number in range(count):
        etree.SubElement(output, f"{{{XSL}}}apply-templates", select="/", mode=f"M{number}")


def _pattern(sheet: etree._Element, pattern: etree._Element, mode: str) -> None:
    rules = 0
    for child in pattern.iterchildren(etree.Element):
        local = etree.QName(child).localname
        if local == "let":
            _variable(sheet, child)
        elif local == "rule":
            _rule(sheet, child, mode, priority=1000 - rules)
            rules += 1
        elif local not in _SKIPPED:
            raise SchematronError(f"unsupported Schematron element <{local}> in a pattern")
    etree.SubElement(sheet, f"{{{XSL}}}template", match="text()", priority="-1", mode=mode)
    walk = etree.SubElement(sheet, f"{{{XSL}}}template", match="@*|node()", priority="-2", mode=mode)
    etree.SubElement(walk, f"{{{XSL}}}apply-templates", select="*", mode=mode)


def _rule(sheet: etree._Element, rule: etree._Element, mode: str, priority: int) -> None:
    if rule.get("abstract") == "true" or rule.find(f"{{{SCH}}}extends") is not None:
        raise SchematronError("abstract rules are not supported")
    template = etree.SubElement(sheet, f"{{{XSL}}}template", match=rule.get("context", ""),
                                priority=str(priority), mode=mode)
    for child in rule.iterchildren(etree.Element):
        local = etree.QName(child).localname
        if local == "let":
            _variable(template, child)
        elif local in ("assert", "report"):
            _check(template, child, local == "assert")
        elif local not in _SKIPPED:
            raise SchematronError(f"unsupported Schematron element <{local}> in a rule")
    etree.SubElement(template, f"{{{XSL}}}apply-templates", select="*", mode=mode)


def _check(template: etree._Element, check: etree._Element, is_assert: bool) -> None:
    test = check.get("test", "")
    condition = etree.SubElement(template, f"{{{XSL}}}if", test=f"not({test})" if is_assert else test)
    result = etree.SubElement(condition, f"{{{SVRL}}}{'failed-assert' if is_assert else 'successful-report'}")
    for attribute in ("id", "flag"):
        if check.get(attribute):
            _attribute(result, attribute).text = check.get(attribute)
    etree.SubElement(_attribute(result, "location"), f"{{{XSL}}}value-of", select="path()")
    _text(etree.SubElement(result, f"{{{SVRL}}}text"), check)


def _attribute(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{XSL}}}attribute", name=name)


def _text(target: etree._Element, check: etree._Element) -> None:
    """The assertion's message, with ``value-of`` and ``name`` turned into ``xsl:value-of``."""
    target.text = check.text
    for child in check.iterchildren(etree.Element):
        local = etree.QName(child).localname
        select = child.get("select", "") if local == "value-of" else f"name({child.get('path', '.')})"
        if local not in ("value-of", "name"):
            raise SchematronError(f"unsupported <{local}> inside an assertion text")
        etree.SubElement(target, f"{{{XSL}}}value-of", select=select).tail = child.tail
