from django.core.paginator import Paginator

PER_PAGE = 25


def paginate(request, queryset, per_page: int = PER_PAGE):
    """A page of `queryset` for `?page=`; junk or out-of-range page numbers give the nearest valid page
    instead of an error."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
