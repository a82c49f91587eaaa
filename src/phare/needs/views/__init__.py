"""Pages of the needs app: employees' needs, management, arbitration campaigns, transfer."""
