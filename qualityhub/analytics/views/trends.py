"""Placeholder: being written."""

from django.http import HttpResponse

from qualityhub.accounts.access import requires


@requires("view_insight")
def supplier_list(request):
    return HttpResponse("todo")


@requires("view_insight")
def supplier_detail(request, supplier_id):
    return HttpResponse("todo")


@requires("browse_inspections")
def trend(request):
    return HttpResponse("todo")
