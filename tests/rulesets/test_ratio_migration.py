"""The move from percentages to exact ratios keeps every rule set's behaviour, makes "67 %" the
two thirds it stood for (flagged unverified), and puts recusals back in the base where that was
only an inferred default — and back again."""

from fractions import Fraction

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("rulesets", "0002_ruleset_recusals_leave_base_and_more")]
AFTER = [("rulesets", "0003_exact_ratios_and_text_limits")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_percentages_become_exact_ratios_and_back(demo):
    try:
        old = migrate(BEFORE)
        RuleSet = old.get_model("rulesets", "RuleSet")
        AwardForm = old.get_model("rulesets", "AwardForm")
        RuleSet.objects.filter(code="2021").update(
            quorum_percent=67, recusals_leave_base=True,
            unverified_fields=["quorum_percent", "recusals_leave_base"])
        # An official confirmed these: 75 % and recusals leaving the base stay as they are.
        RuleSet.objects.filter(code="2024").update(quorum_percent=75, recusals_leave_base=True,
                                                   unverified_fields=[])
        AwardForm.objects.filter(code="chien-si-thi-dua-cap-tinh").update(
            vote_threshold_percent=90, unverified_fields=["vote_threshold_percent"])

        new = migrate(AFTER)
        rows = {r.code: r for r in new.get_model("rulesets", "RuleSet").objects.all()}
        assert rows["2021"].quorum == Fraction(2, 3)
        assert rows["2021"].unverified_fields == ["quorum"]
        assert rows["2021"].recusals_leave_base is False
        assert rows["2024"].quorum == Fraction(3, 4) and rows["2024"].unverified_fields == []
        assert rows["2024"].recusals_leave_base is True
        forms = new.get_model("rulesets", "AwardForm").objects.filter(
            code="chien-si-thi-dua-cap-tinh")
        assert {f.vote_threshold for f in forms} == {Fraction(9, 10)}
        assert all("vote_threshold" in f.unverified_fields for f in forms)
        giay_khen = new.get_model("rulesets", "AwardForm").objects.filter(
            code="giay-khen-chu-tich-ubnd-huyen")
        assert {f.vote_threshold for f in giay_khen} == {Fraction(1, 2)}  # was 50 %

        back = migrate(BEFORE)
        rows = {r.code: r for r in back.get_model("rulesets", "RuleSet").objects.all()}
        assert rows["2021"].quorum_percent == 67 and rows["2024"].quorum_percent == 75
        assert rows["2021"].unverified_fields == ["quorum_percent"]
        assert {f.vote_threshold_percent for f in back.get_model("rulesets", "AwardForm")
                .objects.filter(code="chien-si-thi-dua-cap-tinh")} == {90}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
