from rest_framework import permissions


class PolicyPermission(permissions.BasePermission):
    """Asks the policy module.

    Reads are open at this layer: each viewset's queryset comes from a selector that scopes what
    the user may see, so a hidden record is a 404. A write needs the rule a viewset names for its
    action in `policy_rules` (e.g. ``{"create": "partners.express_interest"}``); an action
    without a rule is refused.
    """

    def _rule(self, view):
        return getattr(view, "policy_rules", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", "") is None:
            return True  # no handler for this method: let the view answer 405
        rule = self._rule(view)
        if rule is None:
            return False
        # Actions on one record are decided in has_object_permission, with the record at hand.
        return True if getattr(view, "detail", False) else request.user.has_perm(rule)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        rule = self._rule(view)
        return rule is not None and request.user.has_perm(rule, obj)
