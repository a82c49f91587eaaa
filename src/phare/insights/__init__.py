"""Insights: perceived value made measurable — the dashboards over what listening collected."""
