"""One way to move a record through its life cycle: project stages, wishes, meetings, ballots
and sign-off campaigns all go through ``Lifecycle.transition``.

Each life cycle declares, once, a table of the moves it allows (``forward``, and ``backward``
for the steps that undo a wrong click and need a note saying why), how its history row is
written, and the words of its refusals. A transition then always does the same things, in one
transaction: lock the row (``select_for_update``, with any other rows the move touches, in
primary-key order so two moves of the same pair cannot deadlock), check the table, ask every
registered guard, write the new state, let the caller apply its side effects, and append the
history row (who, when, from, to, why). A refusal raises the life cycle's ``ServiceError``
(``projects.errors``) with every reason at once, so staff can fix them all in one go.

Guards are how a feature holds back another feature's life cycle without either importing the
other: the sign-off tracker registers "construction waits for the households' consent" on
the project stages (``projects/hooks/signoffs.py``); the ballots register "a passed ballot is
required before construction" the same way (``consult/hooks/ballots.py``). A guard takes the
``Change`` and returns a refusal (a message, or a list of them; a ``Refusal`` also links to
where it can be acted on) or ``None``/``[]`` when it has no objection.

This is adhocracy4's phases and django-fsm's ``@transition`` in ~150 lines, without the
dependency: our states are plain ``TextChoices`` fields (or, for a campaign, derived from a
date), and every history table already exists.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

FORWARD, BACKWARD, ANY = "forward", "backward", "any"


@dataclass
class Change:
    """One move under way: what the guards look at, what the history row is written from."""

    lifecycle: "Lifecycle"
    obj: models.Model  # the locked row
    from_state: str
    to_state: str
    by: Any
    note: str
    now: datetime
    locked: dict = field(default_factory=dict)  # pk → locked row, the object and ``lock_also``
    extra: dict = field(default_factory=dict)  # the caller's keywords (response, channel, …)

    @property
    def backward(self) -> bool:
        return self.lifecycle.table.is_backward(self.from_state, self.to_state)


class Refusal(str):
    """A guard's refusal that points to where it can be acted on: the text, plus a link
    (``url``, ``link_text``) the page shows after it, e.g. the households that have not
    agreed yet. It is a ``str``, so everything that takes a message takes it."""

    url: str
    link_text: str

    def __new__(cls, text, *, url: str = "", link_text: str = ""):
        refusal = super().__new__(cls, text)
        refusal.url, refusal.link_text = url, str(link_text)
        return refusal


Guard = Callable[[Change], "str | Iterable[str] | None"]


@dataclass(frozen=True)
class Refusals:
    """The words a life cycle uses when a move is not in its table."""

    unknown: str
    same: str | None  # None: a move to the same state is refused like any move not in the table
    not_allowed: Callable[[str, str], str]  # (from, to) → message
    backward_note: str = ""  # when a step back has no note
    note_required: Mapping[str, str] = field(default_factory=dict)  # target → message when its note is empty


@dataclass(frozen=True)
class TransitionTable:
    """The moves a life cycle allows, and the words of its refusals. Pure: no database, so a
    life cycle's rules can be tested as a table and live in a module without the ORM."""

    forward: Mapping[str, Iterable[str]]
    refusals: Refusals
    backward: Mapping[str, Iterable[str]] = field(default_factory=dict)
    states: Iterable[str] = ()  # every known state; defaults to the keys of the tables

    def known(self, state: str) -> bool:
        return state in (self.states or (*self.forward, *self.backward))

    def allowed(self, state: str) -> tuple[str, ...]:
        return tuple(self.forward.get(state, ())) + tuple(self.backward.get(state, ()))

    def is_backward(self, from_state: str, to_state: str) -> bool:
        return to_state in self.backward.get(from_state, ())

    def refusal(self, from_state: str, to_state: str) -> list[str]:
        """Why the table does not have this move at all (the other checks are then moot)."""
        words = self.refusals
        if not self.known(to_state):
            return [str(words.unknown)]
        if to_state == from_state and words.same is not None:
            return [str(words.same)]
        if to_state not in self.allowed(from_state):
            return [str(words.not_allowed(from_state, to_state))]
        return []

    def note_problems(self, from_state: str, to_state: str, note: str) -> list[str]:
        """A step back, and some steps forward (a cancellation), must say why."""
        if note.strip():
            return []
        if self.is_backward(from_state, to_state):
            return [str(self.refusals.backward_note)] if self.refusals.backward_note else []
        message = self.refusals.note_required.get(to_state)
        return [str(message)] if message else []


def status_field(name: str = "status"):
    """Read and write the state as one model field (the usual case)."""

    def read(obj) -> str:
        return getattr(obj, name)

    def write(change: Change) -> list[str]:
        setattr(change.obj, name, change.to_state)
        return [name]

    return read, write


@dataclass(eq=False)
class Lifecycle:
    """A ``TransitionTable`` bound to a model: how its state is read and written, how its
    history row is written, which error a refusal raises, and its registered guards."""

    name: str
    model: type[models.Model]
    table: TransitionTable
    record: Callable[[Change], Any]  # writes and returns the history row
    error: Callable[..., Exception]  # built with one message, or a list when there are several
    read_state: Callable[[models.Model], str] | None = None
    write_state: Callable[[Change], Iterable[str]] | None = None  # sets the fields, returns their names
    guards: list = field(default_factory=list, init=False)

    def __post_init__(self):
        default_read, default_write = status_field()
        self.read_state = self.read_state or default_read
        self.write_state = self.write_state or default_write

    # --- guards ----------------------------------------------------------------------------

    def register_guard(self, guard: Guard, *, to: str | None = None, direction: str = FORWARD) -> None:
        """Ask ``guard`` before every move into ``to`` (every move when ``None``) made in
        ``direction``: forward (the default: a step back undoes a mistake and is never held
        up), backward, or any."""
        entry = (guard, to, direction)
        if entry not in self.guards:
            self.guards.append(entry)

    def unregister_guard(self, guard: Guard, *, to: str | None = None, direction: str = FORWARD) -> None:
        if (guard, to, direction) in self.guards:
            self.guards.remove((guard, to, direction))

    def guard_problems(self, change: Change) -> list[str]:
        direction = BACKWARD if change.backward else FORWARD
        problems: list[str] = []
        for guard, to, when in self.guards:
            if to not in (None, change.to_state) or when not in (ANY, direction):
                continue
            found = guard(change)
            if isinstance(found, str):
                found = [found]
            # A Refusal keeps its link; a lazy translation becomes its text now.
            problems.extend(message if isinstance(message, str) else str(message) for message in found or ())
        return problems

    def problems(self, obj, to: str, *, now: datetime | None = None, note: str = "", by=None, **extra) -> list[str]:
        """Every reason ``obj`` may not move to ``to`` now, without locking or writing: for
        pages that show staff what still holds a step back."""
        from_state = self.read_state(obj)
        change = Change(self, obj, from_state, to, by, note, now or timezone.now(), {obj.pk: obj}, extra)
        return self.check(change)

    def check(self, change: Change) -> list[str]:
        """The table's refusal alone, or else the missing note and every guard's objection."""
        table = self.table
        return table.refusal(change.from_state, change.to_state) or (
            table.note_problems(change.from_state, change.to_state, change.note) + self.guard_problems(change)
        )

    def guard_refusals(self, obj, to: str, *, now: datetime | None = None) -> list[str]:
        """What the guards alone say about moving ``obj`` to ``to`` (the table aside)."""
        change = Change(self, obj, self.read_state(obj), to, None, "", now or timezone.now(), {obj.pk: obj})
        return self.guard_problems(change)

    def refuse(self, problems: list[str]) -> Exception:
        """The life cycle's error with every reason; ``refusals`` keeps them as given (with
        their links), where the error's own ``messages`` are plain text."""
        error = self.error(problems[0] if len(problems) == 1 else problems)
        error.refusals = list(problems)
        return error

    # --- the move --------------------------------------------------------------------------

    def transition(
        self,
        obj,
        to: str,
        *,
        by,
        note: str = "",
        now: datetime | None = None,
        apply: Callable[[Change], Iterable[str] | None] | None = None,
        lock_also: Iterable[int] = (),
        if_changed: bool = False,
        **extra,
    ):
        """Move ``obj`` to ``to`` and return the history row (``None`` with ``if_changed``
        when it is already there: a double submit is not an error).

        ``apply(change)`` runs after the checks, before the row is saved: it sets the fields
        that go with the move (a closing time, a merge, ``updated_at``) and returns their
        names; it may raise to refuse. The history row is written last, so it can name what
        ``apply`` did (``change.extra``). Other keywords (``response=``, ``channel=`` …) reach
        ``apply``, the guards and the history writer as ``change.extra``. ``obj`` is updated
        in place with the saved fields.
        """
        now = now or timezone.now()
        with transaction.atomic():
            pks = {obj.pk, *(pk for pk in lock_also if pk is not None)}
            locked = {
                row.pk: row for row in self.model._default_manager.select_for_update().filter(pk__in=pks).order_by("pk")
            }
            current = locked[obj.pk]
            from_state = self.read_state(current)
            if if_changed and from_state == to:
                return None
            change = Change(self, current, from_state, to, by, note, now, locked, extra)
            problems = self.check(change)
            if problems:
                raise self.refuse(problems)
            fields = list(self.write_state(change))
            if apply is not None:
                fields.extend(apply(change) or ())
            current.save(update_fields=fields)
            history = self.record(change)
        for name in fields:
            setattr(obj, name, getattr(current, name))
        return history
