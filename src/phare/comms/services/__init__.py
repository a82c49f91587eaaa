"""Every write of the communication plan, one module per aggregate: ``plans`` (plans,
objectives, audiences, actions and their workflow), ``sending`` (deliveries and the send job),
``tracking`` (clicks, unsubscribes, registrations, bounces), ``feeds`` (calendar feed
secrets), ``playbooks`` (draft actions proposed by events in Phare)."""
