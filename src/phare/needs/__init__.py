"""Needs: ideas and needs from the business, votes, scoring and arbitration."""
