"""Who may see a draft: the public never; staff who can edit it, as a marked preview."""


def can_preview(request, model):
    user = request.user
    opts = model._meta
    return (
        user.is_authenticated
        and user.is_staff
        and (
            user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )
    )


def visible(request, model):
    """The records of ``model`` this request may see on a detail page."""
    if can_preview(request, model):
        return model.objects.all()
    return model.objects.published()
