"""Entries made for residents: the channel rules are declared once (``EnteredForResident``)
and every concrete model gets them in the database, on SQLite and on PostgreSQL alike.

The rows are written with placeholder foreign keys: foreign keys are checked at commit
(deferred) on both engines, and each row is rolled back before that, while check
constraints fire at the INSERT. So each model's channel rules are tested on their own,
without building a ballot, a campaign or a meeting for each."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from projects.errors import ServiceError
from projects.models import Channel, EnteredForResident
from projects.services.entries import check_entry
from tests import factories as f

ENTRY_MODELS = sorted((m for m in apps.get_models() if issubclass(m, EnteredForResident)), key=lambda m: m._meta.label)
PLACEHOLDER_ID = 987_654_321
# Fields another constraint of the model needs filled for an otherwise valid row.
OVERRIDES = {"consult.BallotObjection": {"name": "王阿姨"}}


def test_every_entry_model_is_covered():
    assert {m._meta.label for m in ENTRY_MODELS} == {
        "consult.BallotObjection",
        "consult.CastBallot",
        "consult.MeetingRSVP",
        "consult.Support",
        "consult.Wish",
        "notify.ContactConsent",
        "projects.SatisfactionChange",
        "projects.SatisfactionResponse",
        "projects.SignoffEvent",
    }


def _value(field: models.Field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.choices and not field.blank:
        return field.choices[0][0]
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.DecimalField):
        return 1
    return "" if field.blank else "x"


def _row(model, **entry):
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in entry:
            continue
        if field.is_relation:
            values[field.attname] = None if field.null else PLACEHOLDER_ID
        else:
            values[field.name] = _value(field)
    values.update(OVERRIDES.get(model._meta.label, {}))
    values.update(entry)
    return model(**values)


def _insert(row) -> None:
    """INSERT the row and roll it back before the deferred foreign-key checks run."""
    with transaction.atomic():
        row.save(force_insert=True)
        transaction.set_rollback(True)


@pytest.fixture
def staff(db):
    return f.user(username="luru")


@pytest.mark.parametrize("model", ENTRY_MODELS, ids=lambda m: m._meta.label)
def test_valid_online_and_offline_rows_are_accepted(model, staff):
    _insert(_row(model, channel=Channel.ONLINE, entered_by=None))
    _insert(_row(model, channel=Channel.HOME_VISIT, entered_by=staff, paper_date=timezone.localdate()))


@pytest.mark.parametrize("model", ENTRY_MODELS, ids=lambda m: m._meta.label)
def test_the_database_refuses_an_online_row_entered_by_staff(model, staff):
    with pytest.raises(IntegrityError):
        _insert(_row(model, channel=Channel.ONLINE, entered_by=staff))


@pytest.mark.parametrize("model", ENTRY_MODELS, ids=lambda m: m._meta.label)
def test_the_database_refuses_an_offline_row_without_who_entered_it(model, db):
    with pytest.raises(IntegrityError):
        _insert(_row(model, channel=Channel.PHONE, entered_by=None))


@pytest.mark.parametrize("model", ENTRY_MODELS, ids=lambda m: m._meta.label)
def test_the_database_refuses_paper_details_on_an_online_row(model, db):
    with pytest.raises(IntegrityError):
        _insert(_row(model, channel=Channel.ONLINE, entered_by=None, paper_date=timezone.localdate()))
    with pytest.raises(IntegrityError):
        _insert(_row(model, channel=Channel.ONLINE, entered_by=None, paper_reference="P-1"))


@pytest.mark.parametrize("model", ENTRY_MODELS, ids=lambda m: m._meta.label)
def test_the_database_refuses_an_unknown_channel(model, staff):
    with pytest.raises(IntegrityError):
        _insert(_row(model, channel="pigeon", entered_by=staff))


def test_constraint_names_are_unique_per_model():
    names = [c.name for m in ENTRY_MODELS for c in m._meta.constraints]
    assert len(names) == len(set(names))
    assert "consult_castballot_offline_names_who_entered" in names


TODAY = datetime.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("channel", "by", "paper_date", "field"),
    [
        ("pigeon", "staff", None, "channel"),
        (Channel.ONLINE, "staff", None, "channel"),
        (Channel.PAPER, None, None, None),
        (Channel.PAPER, "staff", TODAY + datetime.timedelta(days=1), "paper_date"),
        (Channel.ONLINE, None, TODAY, "paper_date"),
    ],
)
def test_the_one_service_check_refuses_what_the_database_refuses(channel, by, paper_date, field):
    with pytest.raises(ServiceError) as refused:
        check_entry(channel=channel, entered_by=by, paper_date=paper_date, today=TODAY)
    assert refused.value.field == field


def test_the_one_service_check_accepts_good_entries():
    check_entry(channel=Channel.ONLINE, entered_by=None, today=TODAY)
    check_entry(channel=Channel.PAPER, entered_by="staff", paper_date=TODAY, today=TODAY)


def test_a_future_paper_date_is_refused_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ServiceError) as refused:
        check_entry(channel=Channel.PAPER, entered_by="staff", paper_date=TODAY.replace(year=2027), today=TODAY)
    assert refused.value.message == "纸上的日期不能晚于今天。"
