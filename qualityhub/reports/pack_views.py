"""The supplier review pack's pages: the PDF download and the monthly mail's switch."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires
from qualityhub.analytics.scorecards import supplier_summary
from qualityhub.reports.pack import MAX_DAYS, PackPeriod, last_full_quarter, pack_pdf
from qualityhub.reports.pack_mail import subscribe
from qualityhub.ui.params import BadParameter, day


def period_from_query(first: str, last: str, today: date) -> PackPeriod:
    """The period from the `from` and `to` parameters (YYYY-MM-DD; both empty: the last full
    quarter). Raises `BadParameter` for a missing half, a bad day, a reversed period, one longer
    than MAX_DAYS or one that starts after today."""
    first, last = first.strip(), last.strip()
    if not first and not last:
        return last_full_quarter(today)
    if not first or not last:
        raise BadParameter(_("Give both the first and the last day of the period."))
    period = PackPeriod(day(first), day(last))
    if period.last_day < period.first_day:
        raise BadParameter(_("The period's last day is before its first."))
    if period.days > MAX_DAYS:
        raise BadParameter(_("A pack covers at most %(days)s days.") % {"days": MAX_DAYS})
    if period.first_day > today:
        raise BadParameter(_("The period starts after today."))
    return period


def _seen_supplier_or_404(request: HttpRequest, supplier_id: int) -> None:
    # As the scorecard page: a supplier this user does not see, or one QualityHub has no
    # inspection of, is not found.
    if not request.access.sees_supplier(supplier_id) or not supplier_summary(supplier_id).get(
        "inspections"
    ):
        raise Http404(f"Supplier {supplier_id} is not among those you may see.")


@require_GET
@requires("view_supplier_performance")
def supplier_pack(request: HttpRequest, supplier_id: int) -> HttpResponse:
    _seen_supplier_or_404(request, supplier_id)
    try:
        period = period_from_query(
            request.GET.get("from", ""), request.GET.get("to", ""), timezone.localdate()
        )
    except BadParameter as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    filename, pdf = pack_pdf(supplier_id, period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@requires("view_supplier_performance")
def pack_subscription(request: HttpRequest, supplier_id: int) -> HttpResponse:
    _seen_supplier_or_404(request, supplier_id)
    on = request.POST.get("monthly", "") == "on"
    subscribe(request.user.pk, supplier_id, on)
    if on:
        messages.success(request, _("You will receive this supplier's review pack every month."))
    else:
        messages.success(request, _("You will no longer receive this supplier's review pack."))
    return redirect("supplier-detail", supplier_id=supplier_id)
