"""The listening API: one router per area, mounted by :func:`phare.api.register_routers`."""
