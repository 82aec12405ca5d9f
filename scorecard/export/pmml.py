"""PMML 4.4 ``Scorecard`` generated from the spec with the standard library's ElementTree.

Each characteristic becomes a PMML Characteristic whose Attributes are tried in order (first
match wins): numeric ``isMissing`` -> missing points, ``equal`` each special value, ``lessThan``
each edge in order, ``True`` -> the last interval; categorical ``isMissing``, one predicate per
category bin, ``True`` -> the unseen points. Category bins use a ``SimpleSetPredicate`` with a
string ``Array`` (double quotes escaped as \\"); PMML's Array syntax cannot express a backslash
before a quote or at the end of a value, so a bin with a backslash or a carriage return in a
category is written as an OR of ``equal`` predicates instead (attribute values are escaped by
XML itself). Fields are ``double``/continuous and ``string``/categorical; invalid values are
passed on as is and missing values are handled by the predicates. NaN is not a PMML value:
pass it as missing (jpmml-evaluator does by default).

The score is ``initialScore`` (the intercept points) plus the partial scores; it is clipped to
[min_score, max_score] by a ``transformedValue`` output field when the spec sets a range.
Reason codes use ``pointsBelow`` with ``baselineMethod="max"`` (baseline = each
characteristic's best points), ranked like `score_frame` (ties in characteristic order), with
one difference: PMML also lists characteristics that lost no points after those that did,
where `score_frame` reports None. Output field names are ``score_column`` (default ``score``)
and ``reason_1``..; a characteristic with one of those names is refused (choose another
``score_column``), as in every export. The internal unclipped ``raw_score`` field gets a numeric
suffix if a characteristic has that name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from scorecard import __version__
from scorecard.exceptions import InputError
from scorecard.export.names import output_columns
from scorecard.model.spec import compute_integrity, validate_spec

__all__ = ["PMML_NAMESPACE", "output_field_names", "pmml_document"]

PMML_NAMESPACE = "http://www.dmg.org/PMML-4_4"
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str, what: str) -> str:
    match = _XML_INVALID.search(text)
    if match:
        raise InputError(
            f"{what} {text!r} contains the character {match.group()!r}, which XML (and so PMML) "
            "cannot represent; rename it before exporting to PMML."
        )
    return text


def _array_safe(category: str) -> bool:
    return "\\" not in category and "\r" not in category


def _array_text(categories: list[str]) -> str:
    return " ".join('"' + c.replace('"', '\\"') + '"' for c in categories)


def _unique(base: str, taken: set[str]) -> str:
    name, i = base, 1
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


def _attribute(parent: ET.Element, points: int) -> ET.Element:
    return ET.SubElement(parent, "Attribute", partialScore=str(points))


def _numeric_attributes(ch: Mapping[str, Any], element: ET.Element) -> None:
    field, bins = ch["name"], ch["bins"]
    n_intervals = len(ch["edges"]) + 1
    ET.SubElement(_attribute(element, bins[n_intervals]["points"]), "SimplePredicate",
                  field=field, operator="isMissing")
    for value, bin_ in zip(ch["special_values"], bins[n_intervals + 1:]):
        ET.SubElement(_attribute(element, bin_["points"]), "SimplePredicate",
                      field=field, operator="equal", value=repr(float(value)))
    for edge, bin_ in zip(ch["edges"], bins[: n_intervals - 1]):
        ET.SubElement(_attribute(element, bin_["points"]), "SimplePredicate",
                      field=field, operator="lessThan", value=repr(float(edge)))
    ET.SubElement(_attribute(element, bins[n_intervals - 1]["points"]), "True")


def _categorical_attributes(ch: Mapping[str, Any], element: ET.Element) -> None:
    field, bins = ch["name"], ch["bins"]
    ET.SubElement(_attribute(element, bins[-1]["points"]), "SimplePredicate",
                  field=field, operator="isMissing")
    for bin_ in bins[:-1]:
        categories = [_xml_text(c, f"a category of {field!r}") for c in bin_["categories"]]
        attribute = _attribute(element, bin_["points"])
        if all(_array_safe(c) for c in categories):
            predicate = ET.SubElement(attribute, "SimpleSetPredicate", field=field,
                                      booleanOperator="isIn")
            array = ET.SubElement(predicate, "Array", n=str(len(categories)), type="string")
            array.text = _array_text(categories)
        elif len(categories) == 1:
            ET.SubElement(attribute, "SimplePredicate", field=field, operator="equal",
                          value=categories[0])
        else:
            compound = ET.SubElement(attribute, "CompoundPredicate", booleanOperator="or")
            for category in categories:
                ET.SubElement(compound, "SimplePredicate", field=field, operator="equal",
                              value=category)
    ET.SubElement(_attribute(element, ch["unseen_points"]), "True")


def _constant(value: int) -> ET.Element:
    element = ET.Element("Constant", dataType="double")
    element.text = str(value)
    return element


def _clip(field: str, low: int | None, high: int | None) -> ET.Element:
    expression: ET.Element = ET.Element("FieldRef", field=field)
    if high is not None:
        apply = ET.Element("Apply", function="min")
        apply.extend([expression, _constant(high)])
        expression = apply
    if low is not None:
        apply = ET.Element("Apply", function="max")
        apply.extend([expression, _constant(low)])
        expression = apply
    return expression


def pmml_document(
    spec: Mapping[str, Any], *, reason_codes: int = 3, score_column: str = "score"
) -> str:
    """The spec as a PMML 4.4 document (UTF-8 XML text) holding one ``Scorecard`` model.

    ``reason_codes``: number of ranked reason-code output fields (0 turns reason codes off);
    ``score_column``: the score output field's name.
    """
    validate_spec(spec)
    if isinstance(reason_codes, bool) or not isinstance(reason_codes, int) or reason_codes < 0:
        raise InputError(f"reason_codes must be an integer >= 0, got {reason_codes!r}.")
    characteristics = spec["characteristics"]
    for ch in characteristics:
        _xml_text(ch["name"], "characteristic name")

    root = ET.Element("PMML", xmlns=PMML_NAMESPACE, version="4.4")
    header = ET.SubElement(root, "Header", description=_xml_text(spec["name"], "scorecard name"))
    ET.SubElement(header, "Application", name="scorecard", version=__version__)
    annotation = ET.SubElement(header, "Annotation")
    annotation.text = f"Generated from the scorecard spec with sha256 {compute_integrity(spec)}."
    timestamp = ET.SubElement(header, "Timestamp")
    timestamp.text = spec["created_at"]

    dictionary = ET.SubElement(root, "DataDictionary", numberOfFields=str(len(characteristics)))
    for ch in characteristics:
        numeric = ch["dtype"] == "numeric"
        ET.SubElement(
            dictionary, "DataField", name=ch["name"],
            optype="continuous" if numeric else "categorical",
            dataType="double" if numeric else "string",
        )

    scaling = spec["scaling"]
    model = ET.SubElement(
        root, "Scorecard",
        modelName=spec["name"], functionName="regression",
        initialScore=str(spec["intercept_points"]),
        useReasonCodes="true" if reason_codes else "false",
    )
    if reason_codes:
        model.set("reasonCodeAlgorithm", "pointsBelow")
        model.set("baselineMethod", "max")
    schema = ET.SubElement(model, "MiningSchema")
    for ch in characteristics:
        ET.SubElement(schema, "MiningField", name=ch["name"], usageType="active",
                      invalidValueTreatment="asIs")

    names = output_field_names(spec, reason_codes=reason_codes, score_column=score_column)
    _xml_text(names["score"], "score column name")
    taken = {ch["name"] for ch in characteristics} | {names["score"], *names["reasons"]}
    output = ET.SubElement(model, "Output")
    low, high = scaling["min_score"], scaling["max_score"]
    if low is None and high is None:
        ET.SubElement(output, "OutputField", name=names["score"], optype="continuous",
                      dataType="double", feature="predictedValue")
    else:
        raw = _unique("raw_score", taken)
        ET.SubElement(output, "OutputField", name=raw, optype="continuous", dataType="double",
                      feature="predictedValue")
        clipped = ET.SubElement(output, "OutputField", name=names["score"],
                                optype="continuous", dataType="double", feature="transformedValue")
        clipped.append(_clip(raw, low, high))
    for rank in range(1, reason_codes + 1):
        ET.SubElement(output, "OutputField", name=names["reasons"][rank - 1],
                      optype="categorical", dataType="string", feature="reasonCode",
                      rank=str(rank))

    container = ET.SubElement(model, "Characteristics")
    for ch in characteristics:
        element = ET.SubElement(container, "Characteristic", name=ch["name"])
        if reason_codes:
            best = max(b["points"] for b in ch["bins"])
            if ch["dtype"] == "categorical":
                best = max(best, ch["unseen_points"])
            element.set("reasonCode", ch["name"])
            element.set("baselineScore", str(best))
        if ch["dtype"] == "numeric":
            _numeric_attributes(ch, element)
        else:
            _categorical_attributes(ch, element)

    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def output_field_names(
    spec: Mapping[str, Any], *, reason_codes: int = 3, score_column: str = "score"
) -> dict[str, Any]:
    """The output field names `pmml_document` uses: {"score": ..., "reasons": [...]}."""
    added = output_columns((ch["name"] for ch in spec["characteristics"]), score_column,
                           reason_codes, option="score_column")
    return {"score": added[0], "reasons": added[1:]}
