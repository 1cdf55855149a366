"""The move from one row per vote to per-item ballot boxes keeps every vote, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reviews", "0003_objection_source")]
AFTER = [("reviews", "0004_ballot_boxes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_votes_survive_the_move_to_ballot_boxes_and_back(council):
    items = list(council.items.order_by("pk"))
    from thidua.reviews.models import BallotBox

    BallotBox.objects.all().delete()  # the boxes made at opening; counted anew below
    try:
        old = migrate(BEFORE)
        Ballot = old.get_model("reviews", "Ballot")
        Ballot.objects.bulk_create(
            [Ballot(item_id=items[0].pk, choice=c) for c in ["agree", "agree", "disagree"]]
            + [Ballot(item_id=items[1].pk, choice="abstain")])
        new = migrate(AFTER)
        boxes = {b.item_id: (b.agree, b.disagree, b.abstain)
                 for b in new.get_model("reviews", "BallotBox").objects.all()}
        assert boxes == {items[0].pk: (2, 1, 0), items[1].pk: (0, 0, 1)}
        back = migrate(BEFORE)
        choices = sorted(back.get_model("reviews", "Ballot").objects.values_list("item_id",
                                                                                 "choice"))
        assert choices == sorted([(items[0].pk, "agree"), (items[0].pk, "agree"),
                                  (items[0].pk, "disagree"), (items[1].pk, "abstain")])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
