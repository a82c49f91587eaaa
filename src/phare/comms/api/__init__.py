"""The communication plan's API, one router per aggregate, each mounted by
:func:`phare.api.register_routers`: ``plans`` (plans and their objectives), ``actions`` (actions,
their workflow, sending, publishing, results, an event's registrations), ``audiences``,
``channels`` (Teams and Slack webhooks) and ``calendar`` (the ICS feed); ``common`` holds what
they share.

Every signed-in role reaches it; what each caller sees and changes is
:mod:`phare.comms.policy`'s: a plan one may not see answers 404, a change one may not make 403,
a change the action's state refuses 409, bad input 422 naming each field. Users are named by
their username, services by their identifier (slug), the rest by id.
"""
