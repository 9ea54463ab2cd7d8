"""``projects.lifecycle``: the table, the guards and one transaction per move."""

import pytest

from projects.lifecycle import ANY, BACKWARD, Change, Lifecycle, Refusals, TransitionTable
from projects.models import Project, Stage, StageTransition
from projects.services.stages import STAGES
from tests import factories as f

TABLE = TransitionTable(
    forward={"a": ("b",), "b": ("c",), "c": ()},
    backward={"b": ("a",), "c": ("b",)},
    refusals=Refusals(
        unknown="unknown",
        same="same",
        not_allowed=lambda frm, to: f"{frm}->{to}",
        backward_note="why back?",
        note_required={"c": "why c?"},
    ),
)


@pytest.mark.parametrize(
    "frm, to, note, problems",
    [
        ("a", "zz", "", ["unknown"]),
        ("a", "a", "", ["same"]),
        ("a", "c", "", ["a->c"]),
        ("a", "b", "", []),
        ("b", "a", " ", ["why back?"]),
        ("b", "a", "oops", []),
        ("b", "c", "", ["why c?"]),
    ],
)
def test_the_table_refuses_in_words(frm, to, note, problems):
    assert (TABLE.refusal(frm, to) or TABLE.note_problems(frm, to, note)) == problems


def test_guards_run_by_target_and_direction_and_may_answer_in_any_shape():
    lifecycle = Lifecycle("test", Project, TABLE, record=lambda change: None, error=ValueError)
    lifecycle.register_guard(lambda change: "into b", to="b")
    lifecycle.register_guard(lambda change: ["always", "twice"], direction=ANY)
    lifecycle.register_guard(lambda change: "going back", direction=BACKWARD)
    lifecycle.register_guard(lambda change: None)

    def check(frm, to):
        return lifecycle.guard_problems(Change(lifecycle, None, frm, to, None, "", None))

    assert check("a", "b") == ["into b", "always", "twice"]
    assert check("c", "b") == ["always", "twice", "going back"]  # "into b" holds forward moves only
    assert check("b", "c") == ["always", "twice"]


@pytest.mark.django_db
def test_a_refusal_in_apply_leaves_no_trace(world):
    project = f.project(community=world.community)

    def refuse(change):
        raise ValueError("no")

    with pytest.raises(ValueError):
        STAGES.transition(project, Stage.DESIGN, by=world.staff, apply=refuse)
    project.refresh_from_db()
    assert project.stage == Stage.NEEDS
    assert not StageTransition.objects.exists()


@pytest.mark.django_db
def test_if_changed_makes_a_repeated_move_a_no_op(world):
    project = f.project(community=world.community, stage=Stage.DESIGN)
    assert STAGES.transition(project, Stage.DESIGN, by=world.staff, if_changed=True) is None
    assert not StageTransition.objects.exists()
