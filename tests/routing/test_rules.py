"""Routing rules are data: category × place × respondent → unit(s)."""

import pytest

from app.routing.services import match_rule


@pytest.mark.parametrize(("category", "province", "estate", "lead", "joint"), [
    ("FACTORY_POLLUTION", "20", None, "PIO-20", []),
    ("FACTORY_POLLUTION", "10", None, "DIW", []),
    ("FACTORY_POLLUTION", "21", True, "IEAT", []),
    ("FACTORY_PERMIT", "10", None, "DIW", []),
    ("FACTORY_SAFETY", "21", None, "PIO-21", ["DIW"]),
    ("FACTORY_SAFETY", "20", True, "IEAT", ["PIO-20", "DIW"]),
    ("MINING", "19", None, "DPIM", ["PIO-19"]),
    ("MINING", "10", None, "DPIM", []),  # Bangkok has no provincial office: the joint unit drops out
    ("SUGARCANE", "40", None, "OCSB", ["PIO-40"]),
    ("PRODUCT_STANDARD", None, None, "TISI", []),
    ("OFFICIAL_MISCONDUCT", "20", None, "ACC", []),
    ("E_SERVICE", None, None, "ICT", []),
    ("SME_SUPPORT", "50", None, "DIPROM", []),
    ("OUT_OF_REMIT", "20", None, "TRIAGE", []),
])
def test_rules_pick_the_unit(ctx, category, province, estate, lead, joint):
    rule, got_lead, got_joint = match_rule(category, province, estate)
    assert rule is not None and got_lead == lead and got_joint == joint


def test_factory_without_a_place_has_no_rule(ctx):
    assert match_rule("FACTORY_POLLUTION", None, None)[0] is None


def test_rules_are_editable_data(ctx):
    from app.extensions import db
    from app.routing.models import RoutingRule

    db.session.add(RoutingRule(name="pollution-rayong-to-diw", category_code="FACTORY_POLLUTION",
                               province_code="21", division="DIW", joint_divisions=["PIO"]))
    db.session.flush()
    rule, lead, joint = match_rule("FACTORY_POLLUTION", "21", None)
    assert rule.name == "pollution-rayong-to-diw" and lead == "DIW" and joint == ["PIO-21"]
    db.session.rollback()


def test_a_switched_off_unit_receives_no_new_cases(ctx):
    from app.extensions import db
    from app.routing.models import Division
    from app.routing.services import match_rule

    rule, lead, joint = match_rule("FACTORY_POLLUTION", "20", False)
    assert lead == "PIO-20"
    db.session.get(Division, "PIO-20").active = False
    try:
        rule, lead, joint = match_rule("FACTORY_POLLUTION", "20", False)
        assert lead != "PIO-20" and "PIO-20" not in joint
    finally:
        db.session.get(Division, "PIO-20").active = True
        db.session.commit()
