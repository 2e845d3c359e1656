from styra.org import access


def navigation(request):
    """Menu entries the signed-in user can use (computed once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [("start", "Start"), ("org_tree", "Organisation")]
    return {"nav": nav, "can_finance": bool(access.nodes_for(user, access.FINANCE))}
