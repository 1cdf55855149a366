"""Every verb the activity log records has words people read, in Vietnamese and in English."""

import ast
import importlib
from pathlib import Path

import pytest
from django.utils import translation
from django_fsm import FSMField

from thidua.core import activity
from thidua.core.models import Activity
from thidua.core.verbs import VERB_LABELS
from thidua.core.workflow import Workflow

PACKAGE = Path(__file__).resolve().parents[2] / "thidua"


def _modules():
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


# The workflow helper logs ``<prefix>.<transition>``; its verbs are checked from the workflows.
COMPUTED_VERBS_ALLOWED_IN = {PACKAGE / "core" / "workflow.py"}


def _record_calls():
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                    node.func, "id", None)) == "record" and node.args):
                yield path, node


def logged_verbs() -> dict[str, str]:
    """Verb → where: every ``record("…")`` call written in the source."""
    return {node.args[0].value: f"{path.name}:{node.lineno}" for path, node in _record_calls()
            if isinstance(node.args[0], ast.Constant)}


def test_log_verbs_are_written_out_so_they_can_be_labelled():
    computed = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path, node in _record_calls()
                if not isinstance(node.args[0], ast.Constant)
                and path not in COMPUTED_VERBS_ALLOWED_IN]
    assert computed == []


def workflows() -> list[Workflow]:
    flows = {}
    for name, _path in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, Workflow):
                flows[id(value)] = value
    return list(flows.values())


def workflow_verbs() -> dict[str, str]:
    verbs = {}
    for flow in workflows():
        field = flow.model._meta.get_field(flow.state_field)
        assert isinstance(field, FSMField), f"{flow.model.__name__}.{flow.state_field}"
        for transition in field.get_all_transitions(flow.model):
            verbs[flow.verb(transition.name)] = f"{flow.model.__name__}.{transition.name}"
    return verbs


def test_the_source_is_read():
    verbs = logged_verbs()
    assert "decision.drafted" in verbs and "meeting.created" in verbs


def test_every_stateful_model_has_one_workflow():
    models = [flow.model.__name__ for flow in workflows()]
    assert sorted(models) == sorted(set(models))
    assert {"Dossier", "Meeting", "Decision", "Proposal", "CertificateBatch"} <= set(models)


@pytest.mark.parametrize("verb", sorted({**logged_verbs(), **workflow_verbs()}))
def test_every_logged_verb_has_a_label(verb):
    assert verb in VERB_LABELS


@pytest.mark.parametrize("verb", sorted(VERB_LABELS))
def test_every_label_reads_in_english(verb):
    with translation.override("en"):
        english = str(VERB_LABELS[verb])
    assert english != str(VERB_LABELS[verb]) or english.isascii(), verb


@pytest.mark.django_db
def test_the_activity_page_shows_labels_not_verbs(personas, client_for):
    meeting_verbs = ["meeting.open", "meeting.close", "disclosure.published"]
    for verb in meeting_verbs:
        activity.record(verb, actor=personas.mai,
                        organisation=personas.mai.active_memberships()[0].organisation)
    html = client_for(personas.mai).get("/nhat-ky/").content.decode()
    for verb in meeting_verbs:
        assert str(VERB_LABELS[verb]) in html
        assert verb not in html
    assert Activity.objects.filter(verb__in=meeting_verbs).count() == 3
