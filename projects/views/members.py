"""Community admins manage their own staff, building heads and department viewers, so a
new 楼门长 does not have to wait for the sub-district's superuser."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, View

from ..forms.members import MembershipForm, NewMemberForm, member_form_helper
from ..models import Building, Community, Membership
from ..services.members import (
    locked_usernames,
    member_login_unlock,
    membership_add,
    membership_remove,
    membership_update,
)
from .mixins import ObjectPermissionMixin, ServiceFormMixin, refusals_as_messages


class MemberListView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.manage_members"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/members/list.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            self.object.memberships.select_related("user", "department")
            .prefetch_related(Prefetch("buildings", queryset=Building.objects.order_by("sort_key", "name")))
            .order_by("role", "user__username")
        )
        context["locked"] = locked_usernames(m.user.username for m in context["memberships"])
        return context


class MemberAddView(ObjectPermissionMixin, FormView):
    permission_required = "projects.manage_members"
    template_name = "projects/members/form.html"
    form_class = NewMemberForm

    def get_queryset(self):
        return Community.objects.select_related("sub_district")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"community": self.get_object()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["community"] = self.get_object()
        context["helper"] = member_form_helper(_("Add member"))
        context["title"] = _("Add a member")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        membership_add(
            community=self.get_object(),
            username=data["username"].strip(),
            full_name=data["full_name"],
            password=data["password"],
            role=data["role"],
            buildings=data["buildings"],
            department=data["department"],
            by=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("%(name)s was added.") % {"name": data["username"]})
        return redirect("projects:members", self.get_object().pk)


class MemberEditView(ServiceFormMixin, ObjectPermissionMixin, FormView):
    service_error_field = "role"
    permission_required = "projects.manage_members"
    template_name = "projects/members/form.html"
    form_class = MembershipForm

    def get_queryset(self):
        return Membership.objects.select_related("community__sub_district", "user")

    def get_form_kwargs(self):
        membership = self.get_object()
        return super().get_form_kwargs() | {"instance": membership, "community": membership.community}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.get_object()
        context["community"] = membership.community
        context["membership"] = membership
        context["helper"] = member_form_helper(_("Save"))
        context["title"] = _("Role of %(name)s") % {"name": membership.user.get_full_name() or membership.user.username}
        return context

    def form_valid_service(self, form):
        membership = self.get_object()
        data = form.cleaned_data
        membership_update(
            membership=membership,
            role=data["role"],
            buildings=data["buildings"],
            department=data["department"],
            by=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("Saved."))
        return redirect("projects:members", membership.community_id)


class MemberRemoveView(ObjectPermissionMixin, View):
    permission_required = "projects.manage_members"
    http_method_names = ["post"]

    def get_queryset(self):
        return Membership.objects.select_related("community", "user")

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        with refusals_as_messages(request):
            membership_remove(membership=membership, by=request.user, request=request)
            messages.success(
                request, _("%(name)s no longer has access to this community.") % {"name": membership.user.username}
            )
        return redirect("projects:members", membership.community_id)


class MemberUnlockView(ObjectPermissionMixin, View):
    """Lift a member's login lockout (django-axes); recorded in the audit trail."""

    permission_required = "projects.manage_members"
    http_method_names = ["post"]

    def get_queryset(self):
        return Membership.objects.select_related("community", "user")

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        member_login_unlock(membership=membership, by=request.user, request=request)
        messages.success(request, _("%(name)s can log in again.") % {"name": membership.user.username})
        return redirect("projects:members", membership.community_id)
