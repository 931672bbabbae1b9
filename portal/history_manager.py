"""django-simple-history builds its manager's class anew on every read of `instance.history`
(`HistoryDescriptor.__get__` calls `Manager.from_queryset`, which walks the queryset class with
`inspect.getmembers`): every write that records a history row, and every history page, paid for
building the same class again — about a twentieth of an API sign-up's CPU. The class depends only
on the descriptor, so it is built once per descriptor here. Installed from `PortalConfig.ready`;
remove when the library caches it itself (django-simple-history 3.13 does not)."""

from simple_history.manager import HistoryDescriptor


def _get(self, instance, owner):
    manager_class = self.__dict__.get("_portal_manager_class")
    if manager_class is None:
        manager_class = self.manager_class.from_queryset(self.queryset_class)
        self._portal_manager_class = manager_class
    return manager_class(self.model, instance)


def install() -> None:
    HistoryDescriptor.__get__ = _get
