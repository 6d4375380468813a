def _todo(request, *args, **kwargs):
    raise NotImplementedError


home = main_page = page_view = edit = raw = history = diff = revert = rollback = move = protect = delete = undelete = watch = preview = _todo


def healthz(request):
    raise NotImplementedError
