"""PMML export: a well-formed PMML 4.4 Scorecard, escaping, and jpmml-evaluator's reading of it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from scorecard.exceptions import InputError
from scorecard.export import pmml_document
from scorecard.export.pmml import PMML_NAMESPACE, output_field_names

NS = {"p": PMML_NAMESPACE}


@pytest.fixture
def spec(card):
    return card.make_spec([
        card.numeric("age", [25.0, 35.5], [-1.0], [-10, 5, 20, 0, -30]),
        card.categorical("purpose", [['say "hi"', "car"], ["back\\slash", "tv"]], [15, -5],
                         missing_points=-2, unseen_points=-8),
    ], intercept=600)


def test_document_structure(spec):
    root = ET.fromstring(pmml_document(spec))
    assert root.tag == f"{{{PMML_NAMESPACE}}}PMML" and root.get("version") == "4.4"
    fields = {f.get("name"): (f.get("optype"), f.get("dataType"))
              for f in root.findall("p:DataDictionary/p:DataField", NS)}
    assert fields == {"age": ("continuous", "double"), "purpose": ("categorical", "string")}
    model = root.find("p:Scorecard", NS)
    assert model.get("initialScore") == "600" and model.get("baselineMethod") == "max"
    mining = model.findall("p:MiningSchema/p:MiningField", NS)
    assert [m.get("invalidValueTreatment") for m in mining] == ["asIs"] * 2
    age, purpose = model.findall("p:Characteristics/p:Characteristic", NS)
    assert age.get("baselineScore") == "20" and purpose.get("baselineScore") == "15"
    predicates = [
        (a.get("partialScore"), a[0].tag.split("}")[1], a[0].get("operator"), a[0].get("value"))
        for a in age.findall("p:Attribute", NS)
    ]
    assert predicates == [
        ("0", "SimplePredicate", "isMissing", None),
        ("-30", "SimplePredicate", "equal", "-1.0"),
        ("-10", "SimplePredicate", "lessThan", "25.0"),
        ("5", "SimplePredicate", "lessThan", "35.5"),
        ("20", "True", None, None),
    ]


def test_categories_escape_quotes_in_arrays_and_fall_back_for_backslashes(spec):
    root = ET.fromstring(pmml_document(spec))
    purpose = root.findall("p:Scorecard/p:Characteristics/p:Characteristic", NS)[1]
    attributes = purpose.findall("p:Attribute", NS)
    array = attributes[1].find("p:SimpleSetPredicate/p:Array", NS)
    assert array.get("type") == "string" and array.get("n") == "2"
    assert array.text == '"say \\"hi\\"" "car"'
    compound = attributes[2].find("p:CompoundPredicate", NS)
    assert compound.get("booleanOperator") == "or"
    assert [p.get("value") for p in compound] == ["back\\slash", "tv"]
    assert attributes[-1].get("partialScore") == "-8" and attributes[-1][0].tag.endswith("True")


def test_output_names_clash_is_refused_and_clipping_uses_a_transformed_field(card):
    spec = card.make_spec([
        card.categorical("score", [["a"]], [1], missing_points=0, unseen_points=2),
        card.categorical("raw_score", [["a"]], [1], missing_points=0, unseen_points=2),
        card.categorical("reason_1", [["a"]], [1], missing_points=0, unseen_points=2),
    ], min_score=1, max_score=3)
    for call in (output_field_names, pmml_document):
        with pytest.raises(InputError, match="'score', 'reason_1'.*score_column"):
            call(spec, reason_codes=2)
        with pytest.raises(InputError, match="'reason_1'"):
            call(spec, reason_codes=1, score_column="total")
    names = output_field_names(spec, reason_codes=0, score_column="total")
    assert names == {"score": "total", "reasons": []}
    root = ET.fromstring(pmml_document(spec, reason_codes=0, score_column="total"))
    outputs = root.findall("p:Scorecard/p:Output/p:OutputField", NS)
    assert [o.get("name") for o in outputs] == ["raw_score_1", "total"]
    clip = outputs[1].find("p:Apply", NS)
    assert clip.get("function") == "max" and clip.find("p:Apply", NS).get("function") == "min"


def test_reason_codes_can_be_turned_off(spec):
    root = ET.fromstring(pmml_document(spec, reason_codes=0))
    model = root.find("p:Scorecard", NS)
    assert model.get("useReasonCodes") == "false" and model.get("baselineMethod") is None
    assert len(model.findall("p:Output/p:OutputField", NS)) == 1
    with pytest.raises(InputError, match="reason_codes"):
        pmml_document(spec, reason_codes=-1)


def test_characters_xml_cannot_hold_are_rejected(card):
    spec = card.make_spec([card.categorical("c", [["bell\x07"]], [1], missing_points=0,
                                            unseen_points=0)])
    with pytest.raises(InputError, match="cannot represent"):
        pmml_document(spec)


def test_hostile_text_is_escaped_by_xml(card):
    spec = card.make_spec([
        card.categorical('<x a="1">&amp;</x>', [["]]>", "<!--", "\r\n"]], [1], missing_points=0,
                         unseen_points=0),
    ], name="</PMML><evil/>")
    root = ET.fromstring(pmml_document(spec))
    assert root.find("p:Header", NS).get("description") == "</PMML><evil/>"
    compound = root.find(".//p:CompoundPredicate", NS)
    assert [p.get("value") for p in compound] == ["]]>", "<!--", "\r\n"]


@pytest.mark.e2e
def test_jpmml_evaluates_the_document(spec, pmml_evaluator_factory):
    evaluator = pmml_evaluator_factory(pmml_document(spec))
    names = output_field_names(spec)
    cases = [
        ({"age": 30.0, "purpose": "tv"}, 600 + 5 - 5, ["purpose", "age"]),
        ({"age": 40.0, "purpose": 'say "hi"'}, 635, None),
        ({"age": -1.0, "purpose": "back\\slash"}, 565, ["age", "purpose"]),
        ({"age": None, "purpose": None}, 598, ["age", "purpose"]),
        ({"age": 24.0, "purpose": "unseen"}, 582, ["age", "purpose"]),
    ]
    for row, score, reasons in cases:
        result = evaluator.evaluate(row)
        assert result[names["score"]] == score
        if reasons is not None:
            assert [result[r] for r in names["reasons"][:2]] == reasons
