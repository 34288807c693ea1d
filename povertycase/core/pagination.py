"""List views page like Paginator.get_page: past the end shows the last page, nonsense the first."""


class ForgivingPaginationMixin:
    """For ListView and FilterView, which otherwise answer 404 to ?page=99999 or ?page=abc."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg) or self.kwargs.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
