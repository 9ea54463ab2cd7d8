"""One service error type, and the one mixin that puts it on a form."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.views.generic import FormView

from consult.services.ballots import BallotError, SerialReused
from projects.errors import ServiceError, add_form_error
from projects.services.identity import CodeError
from projects.views.mixins import ServiceFormMixin


class RoomForm(forms.Form):
    room = forms.CharField()
    note = forms.CharField(required=False)


class RoomView(ServiceFormMixin, FormView):
    form_class = RoomForm
    raises: Exception | None = None

    def form_valid_service(self, form):
        if self.raises is not None:
            raise self.raises
        return self.get_success_response()

    def get_success_response(self):
        return HttpResponseRedirect("/done/")

    def form_invalid(self, form):
        self.invalid_form = form
        return HttpResponse("form shown again")


def post(view_class, data=None, **attrs):
    request = RequestFactory().post("/", data or {"room": "501"})
    view = view_class(**attrs)
    view.setup(request)
    response = view.dispatch(request)
    return view, response


def test_success_goes_through_form_valid_service():
    _, response = post(RoomView)
    assert response.status_code == 302 and response["Location"] == "/done/"


def test_an_error_naming_a_field_lands_next_to_it():
    view, response = post(RoomView, raises=ServiceError("这户已经投过票。", field="room"))
    assert response.status_code == 200
    assert view.invalid_form.errors == {"room": ["这户已经投过票。"]}


def test_an_error_without_a_field_goes_above_the_form():
    view, response = post(RoomView, raises=ServiceError("表决已结束。"))
    assert response.status_code == 200
    assert view.invalid_form.non_field_errors() == ["表决已结束。"]


def test_a_field_the_form_does_not_have_goes_above_the_form():
    view, _ = post(RoomView, raises=ServiceError("单元不对。", field="unit"))
    assert view.invalid_form.non_field_errors() == ["单元不对。"] and "room" not in view.invalid_form.errors


def test_several_fields_at_once_and_model_validation_errors_are_placed_the_same_way():
    view, _ = post(RoomView, raises=ValidationError({"room": ["房号不对。"], "__all__": ["重复了。"]}))
    assert view.invalid_form.errors["room"] == ["房号不对。"]
    assert view.invalid_form.non_field_errors() == ["重复了。"]


def test_default_field_and_status_are_per_view():
    class CodeView(RoomView):
        service_error_field = "room"
        service_error_status = 409

    view, response = post(CodeView, raises=ServiceError("请再试一次。"))
    assert response.status_code == 409 and view.invalid_form.errors == {"room": ["请再试一次。"]}


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        post(RoomView, raises=ZeroDivisionError())


def test_every_service_error_is_one_type_with_one_message():
    for error in (BallotError("已结束"), SerialReused("号码用过", field="paper_serial"), CodeError("错了")):
        assert isinstance(error, ServiceError) and isinstance(error, ValidationError)
        assert error.messages == [error.message]
    assert CodeError("错了").field == "code"


def test_add_form_error_works_outside_form_views():
    form = RoomForm({"room": "501"})
    assert form.is_valid()
    add_form_error(form, ServiceError("写错了。", field="note"))
    assert form.errors == {"note": ["写错了。"]}


def test_a_copied_error_keeps_its_field_and_code():
    import copy
    import pickle

    error = ServiceError("号码用过", field="paper_serial", code="serial")
    for again in (copy.deepcopy(error), pickle.loads(pickle.dumps(error))):
        assert (again.field, again.message, again.messages) == ("paper_serial", "号码用过", ["号码用过"])
        assert again.error_dict["paper_serial"][0].code == "serial"
